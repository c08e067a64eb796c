// Package demo generates a realistic register on demand: a few thousand fictional
// suppliers shaped like a real organisation's (holdings from the category
// catalogue, hubs and deep chains of sub-processors with a few loops, assessments
// against the baseline questionnaire from strong to poor, certifications, DPAs,
// incidents), the same every time for the same options, ids included. It plans the
// whole register from a seeded source, then writes it through the register's own
// use cases and bulk write on a clock it sets to each event's time (write.go).
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
)

// Limits on the number of suppliers: enough for every role in the supply chain, and
// few enough to plan in memory.
const (
	MinSuppliers = 20
	MaxSuppliers = 100_000
)

// ErrNotEmpty is returned for a register that already has suppliers (archived
// ones included): a demo is generated into an empty register only.
var ErrNotEmpty = errors.New("the register already has suppliers: demo generate fills an empty register only (use a new database)")

// Options say what to generate.
type Options struct {
	Suppliers int       // how many, MinSuppliers to MaxSuppliers
	Seed      uint64    // the same seed, count and Now give the same register
	Now       time.Time // the moment the register describes; every event lies before it
}

// Summary counts what was written.
type Summary struct {
	Suppliers, Holdings, Links int
	// Assessments by status: approved, submitted (awaiting review), rejected, draft.
	Assessments   map[string]int
	Incidents     int
	OpenIncidents int
}

// AssessmentCount is the number of assessments of every status.
func (s Summary) AssessmentCount() int {
	n := 0
	for _, c := range s.Assessments {
		n += c
	}
	return n
}

// NewService builds the register service the generator writes through, on the
// clock it is given (the caller's configuration: scoring, flags, audit key).
type NewService func(register.Clock) *register.Service

// Generate fills an empty register (ErrNotEmpty otherwise) and refreshes the
// planner statistics. It writes as the command line ("system: demo generate").
// Should it fail part of the way, what was written stays: generate again into a
// new database.
func Generate(ctx context.Context, st *store.Store, newService NewService, o Options) (Summary, error) {
	if o.Suppliers < MinSuppliers || o.Suppliers > MaxSuppliers {
		return Summary{}, fmt.Errorf("demo generate: suppliers must be between %d and %d", MinSuppliers, MaxSuppliers)
	}
	now := o.Now.UTC().Truncate(time.Microsecond)
	clk := newClock(now)
	ids := &idSource{clk: clk, rnd: rand.New(rand.NewPCG(o.Seed, 0x1d5_0f_de_0a11))}
	svc := newService(clk.now).WithIDs(ids.next)

	existing, err := svc.ListSuppliers(ctx, register.SupplierFilter{IncludeArchived: true, Limit: 1})
	if err != nil {
		return Summary{}, err
	}
	if len(existing.Items) > 0 {
		return Summary{}, ErrNotEmpty
	}
	var known map[string]bool
	if err := st.Read(ctx, func(tx *store.Tx) (err error) {
		known, err = svc.CategoryKeys(tx)
		return err
	}); err != nil {
		return Summary{}, err
	}
	baseline, err := baselineQuestionnaire(ctx, svc)
	if err != nil {
		return Summary{}, err
	}

	// The risk figures are computed once, at the end, rather than by every write.
	if err := svc.SuspendRisk(ctx); err != nil {
		return Summary{}, err
	}
	pl := newPlanner(o.Seed, o.Suppliers, now, known, baseline.Questions)
	p := pl.build()
	w := &writer{svc: svc, st: st, clk: clk, actor: register.SystemActor("demo generate"), questionnaire: baseline.ID}
	if err := w.run(ctx, w.timeline(p, pl.adopted)); err != nil {
		return Summary{}, fmt.Errorf("demo generate: %w", err)
	}
	clk.set(now)

	// Every write is in: compute the stored risk figures once, from what was written,
	// before ANALYZE so that the planner statistics include them.
	if _, err := svc.RebuildRisk(ctx); err != nil {
		return Summary{}, fmt.Errorf("demo generate: %w", err)
	}

	if err := st.Analyze(ctx); err != nil {
		return Summary{}, fmt.Errorf("demo generate: %w", err)
	}
	return summarise(p), nil
}

// baselineQuestionnaire is the shipped, published baseline questionnaire.
func baselineQuestionnaire(ctx context.Context, svc *register.Service) (register.Questionnaire, error) {
	cursor := ""
	for {
		page, err := svc.ListQuestionnaires(ctx, nil, cursor, register.MaxLimit)
		if err != nil {
			return register.Questionnaire{}, err
		}
		for _, q := range page.Items {
			if q.BuiltIn && q.Status == "published" {
				return q, nil
			}
		}
		if cursor = page.NextCursor; cursor == "" {
			return register.Questionnaire{}, errors.New("demo generate: the built-in baseline questionnaire is missing")
		}
	}
}

func summarise(p *plan) Summary {
	s := Summary{Suppliers: len(p.suppliers), Links: len(p.links), Incidents: len(p.incidents), Assessments: map[string]int{}}
	for _, sup := range p.suppliers {
		s.Holdings += len(sup.holdings)
	}
	for _, a := range p.assessments {
		switch {
		case a.reviewed.IsZero() && a.submitted.IsZero():
			s.Assessments["draft"]++
		case a.reviewed.IsZero():
			s.Assessments["submitted"]++
		case a.decision == "reject":
			s.Assessments["rejected"]++
		default:
			s.Assessments["approved"]++
		}
	}
	for _, in := range p.incidents {
		status := in.fields.Status
		for _, st := range in.steps {
			f := in.fields
			st.change(&f)
			if f.Status != in.fields.Status {
				status = f.Status
			}
		}
		if status == "open" {
			s.OpenIncidents++
		}
	}
	return s
}
