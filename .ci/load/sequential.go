package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"time"
)

// series is the latencies and answers of one kind of sequential write.
type series struct {
	name     string
	lat      latencies
	statuses map[string]int
	errors   int
}

func newSeries(name string) *series { return &series{name: name, statuses: map[string]int{}} }

// add records one timed answer.
func (s *series) add(a answer, err error) bool {
	if err != nil {
		s.errors++
		return false
	}
	s.lat = append(s.lat, a.took)
	s.statuses[strconv.Itoa(a.status)]++
	return a.status/100 == 2
}

func (s *series) result(l labels) Result {
	var total time.Duration
	for _, d := range s.lat {
		total += d
	}
	r := Result{Database: l.database, N: l.n, Kind: "sequential", Name: s.name, Requests: len(s.lat),
		Seconds: total.Seconds(), P50: s.lat.percentile(50), P99: s.lat.percentile(99), Max: s.lat.max(),
		Statuses: s.statuses, Errors: s.errors}
	if r.Seconds > 0 {
		r.RPS = float64(r.Requests) / r.Seconds
	}
	return r
}

// questionnaire is the part of a questionnaire the hub's assessments need.
type questionnaire struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	Questions []struct {
		Key     string `json:"key"`
		Options []struct {
			Value string   `json:"value"`
			Score *float64 `json:"score"`
		} `json:"options"`
	} `json:"questions"`
}

// answers are the best (or worst) scoring option of every question.
func (q questionnaire) answers(best bool) map[string]string {
	out := map[string]string{}
	for _, qu := range q.Questions {
		pick, score := "", 0.0
		for _, o := range qu.Options {
			if o.Score == nil {
				continue
			}
			if pick == "" || best && *o.Score > score || !best && *o.Score < score {
				pick, score = o.Value, *o.Score
			}
		}
		if pick != "" {
			out[qu.Key] = pick
		}
	}
	return out
}

// runSequential runs one client's writes, one after another, and records each kind's
// latencies: -writes supplier PATCHes (If-Match from a GET just before), holding
// creates (a category the supplier does not hold yet), sub-processor link creates
// (between two suppliers not yet linked), then up to -reviews cycles at the hub
// (the supplier with the most incoming links): create an assessment, submit it (the
// hub's posture changes: cycles alternate the best and the worst answers) and approve
// it with a second key. The GETs that pick what to write are not timed. Each kind
// stops early when its -budget is spent.
func runSequential(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sequential", flag.ContinueOnError)
	var l labels
	var a apiFlags
	registerLabels(fs, &l)
	a.register(fs)
	idsFile := fs.String("ids", "", "file of supplier ids, one a line")
	hub := fs.String("hub", "", "the hub's supplier id")
	writes := fs.Int("writes", 1000, "writes of each kind")
	reviews := fs.Int("reviews", 1000, "assessment cycles at the hub")
	budget := fs.Duration("budget", 5*time.Minute, "time allowed to each kind of write")
	reviewerEnv := fs.String("reviewer-key-env", "WEAKLINK_LOAD_REVIEWER_KEY", "environment variable holding a second key, for reviews")
	seed := fs.Uint64("seed", 42, "seed of the random choices")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *writes < 0 || *reviews < 0 || *hub == "" {
		return errors.New("-writes and -reviews must be ≥ 0 and -hub is required")
	}
	ids, err := readIDs(*idsFile)
	if err != nil {
		return err
	}
	if len(ids) < 2 {
		return errors.New("need at least two suppliers")
	}
	cl, err := a.client(1)
	if err != nil {
		return err
	}
	reviewer := os.Getenv(*reviewerEnv)
	if reviewer == "" && *reviews > 0 {
		return fmt.Errorf("%s is empty: reviews need a second key", *reviewerEnv)
	}
	rng := rand.New(rand.NewPCG(*seed, 7))
	random := func() string { return ids[rng.IntN(len(ids))] }
	var out []*series

	// Supplier PATCH: notes and criticality (which changes the supplier's figures).
	patch := newSeries("PATCH /suppliers/{id}")
	for i, end := 0, time.Now().Add(*budget); i < *writes && time.Now().Before(end); i++ {
		id := random()
		g, err := cl.do(ctx, "GET", "/api/v1/suppliers/"+id, nil, nil)
		if err != nil || g.status != 200 {
			return fmt.Errorf("GET supplier %s: %v (status %d)", id, err, g.status)
		}
		crit := []string{"medium", "high"}[i%2]
		patch.add(cl.do(ctx, "PATCH", "/api/v1/suppliers/"+id, map[string]any{"notes": "sequential write " + strconv.Itoa(i), "criticality": crit},
			map[string]string{"Content-Type": "application/merge-patch+json", "If-Match": g.etag}))
	}
	out = append(out, patch)

	// Holding create: a category of the catalogue the supplier does not hold yet.
	var catalogue struct{ Items []struct{ Key string } }
	if err := cl.json(ctx, "GET", "/api/v1/data-categories?limit=500", nil, &catalogue); err != nil {
		return err
	}
	holding := newSeries("POST /suppliers/{id}/data-holdings")
	for i, end := 0, time.Now().Add(*budget); i < *writes && time.Now().Before(end); {
		id := random()
		held, err := heldCategories(ctx, cl, id)
		if err != nil {
			return err
		}
		var free []string
		for _, c := range catalogue.Items {
			if !held[c.Key] {
				free = append(free, c.Key)
			}
		}
		if len(free) == 0 {
			continue
		}
		body := map[string]any{"category": free[rng.IntN(len(free))], "data_subjects": []string{"members"},
			"record_count": 1000 + rng.IntN(50000), "purpose": "load test", "locations": []string{"GB"}}
		holding.add(cl.do(ctx, "POST", "/api/v1/suppliers/"+id+"/data-holdings", body, nil))
		i++
	}
	out = append(out, holding)

	// Link create: between two suppliers not linked yet, naming a category the
	// passing supplier holds.
	link := newSeries("POST /suppliers/{id}/subprocessors")
	for i, end := 0, time.Now().Add(*budget); i < *writes && time.Now().Before(end); {
		from, to := random(), random()
		if from == to {
			continue
		}
		var links struct {
			Items []struct {
				SubprocessorID string `json:"subprocessor_id"`
			}
		}
		if err := cl.json(ctx, "GET", "/api/v1/suppliers/"+from+"/subprocessors?limit=500", nil, &links); err != nil {
			return err
		}
		linked := false
		for _, it := range links.Items {
			linked = linked || it.SubprocessorID == to
		}
		if linked {
			continue
		}
		held, err := heldCategories(ctx, cl, from)
		if err != nil {
			return err
		}
		cat := "contact_details"
		for k := range held {
			cat = k
			break
		}
		body := map[string]any{"subprocessor_id": to, "categories": []string{cat}, "authorised_at": "2026-01-15"}
		link.add(cl.do(ctx, "POST", "/api/v1/suppliers/"+from+"/subprocessors", body, nil))
		i++
	}
	out = append(out, link)

	// The hub's assessments: create, submit (its posture changes), approve.
	if *reviews > 0 {
		var qs struct{ Items []questionnaire }
		if err := cl.json(ctx, "GET", "/api/v1/questionnaires?limit=500", nil, &qs); err != nil {
			return err
		}
		var q *questionnaire
		for i := range qs.Items {
			if qs.Items[i].Status == "published" && len(qs.Items[i].Questions) > 0 {
				q = &qs.Items[i]
				break
			}
		}
		if q == nil {
			return errors.New("no published questionnaire")
		}
		rv := cl.withKey(reviewer)
		create, submit, review, cycle := newSeries("hub: POST /suppliers/{id}/assessments"),
			newSeries("hub: POST /assessments/{id}/submit"), newSeries("hub: POST /assessments/{id}/review (approve)"),
			newSeries("hub: create + submit + approve")
		for i, end := 0, time.Now().Add(*budget); i < *reviews && time.Now().Before(end); i++ {
			body := map[string]any{"questionnaire_id": q.ID, "answers": q.answers(i%2 == 1)}
			c, err := cl.do(ctx, "POST", "/api/v1/suppliers/"+*hub+"/assessments", body, nil)
			if !create.add(c, err) {
				continue
			}
			var as struct{ ID string }
			if err := jsonBody(c, &as); err != nil {
				return err
			}
			s, err := cl.do(ctx, "POST", "/api/v1/assessments/"+as.ID+"/submit", nil, nil)
			if !submit.add(s, err) {
				continue
			}
			r, err := rv.do(ctx, "POST", "/api/v1/assessments/"+as.ID+"/review", map[string]any{"decision": "approve"}, nil)
			if review.add(r, err) {
				cycle.add(answer{status: 200, took: c.took + s.took + r.took}, nil)
			}
		}
		out = append(out, create, submit, review, cycle)
	}
	for _, s := range out {
		r := s.result(l)
		if l.rssPID > 0 {
			if r.RSS, err = peakRSS(l.rssPID); err != nil {
				return err
			}
		}
		fmt.Fprintf(os.Stderr, "sequential %-8s n=%-6d %-48s %5d  p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  non-2xx %s\n",
			l.database, l.n, r.Name, r.Requests, r.P50, r.P99, r.Max, r.NonOKText())
		if err := appendResult(l.results, r); err != nil {
			return err
		}
	}
	return nil
}

// heldCategories lists the categories a supplier holds.
func heldCategories(ctx context.Context, cl *client, id string) (map[string]bool, error) {
	var hs struct{ Items []struct{ Category string } }
	if err := cl.json(ctx, "GET", "/api/v1/suppliers/"+id+"/data-holdings?limit=500", nil, &hs); err != nil {
		return nil, err
	}
	held := map[string]bool{}
	for _, h := range hs.Items {
		held[h.Category] = true
	}
	return held, nil
}
