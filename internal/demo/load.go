package demo

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
)

// ContentVersion names the demo register's content. It changes whenever
// membership.go or the way Load writes it changes, so a database marked with an
// older version can be told apart.
const ContentVersion = "membership-1"

// Errors of Load.
var (
	// ErrAlreadyLoaded: the database already holds the demo (see Mark).
	ErrAlreadyLoaded = errors.New("the database already holds the demo register")
	// ErrNotDemo: the database holds suppliers and is not the demo.
	ErrNotDemo = errors.New("the database holds a register that is not the demo: " +
		"the demo loads only into a database with no suppliers (use a new database, for example WEAKLINK_SQLITE_PATH=demo.db)")
)

// Mark is a database's demo mark: which content, as of which moment.
type Mark struct {
	ContentVersion string
	AsOf           time.Time
}

// MarkOf returns the database's demo mark and whether it has one, and how many
// suppliers (archived ones included) it holds.
func MarkOf(ctx context.Context, st *store.Store) (Mark, bool, int64, error) {
	var (
		row    store.DemoRegisterRow
		marked bool
		n      int64
	)
	err := st.Read(ctx, func(tx *store.Tx) (err error) {
		if row, marked, err = tx.DemoMark(); err != nil {
			return err
		}
		n, err = tx.CountSuppliers()
		return err
	})
	return Mark{ContentVersion: row.ContentVersion, AsOf: row.AsOf}, marked, n, err
}

// Loaded says what Load wrote.
type Loaded struct {
	AsOf          time.Time // the start of the load date (UTC): every event lies before it
	Suppliers     int
	Links         int
	Assessments   int
	Incidents     int
	Reports       []quarterly.ReportSummary // oldest first: the two quarters before the current one, then the current one
	CurrentReport string                    // id of the current quarter's report
	OpenIncident  string                    // id of the open incident at the IT support firm
}

// Load fills a database that has no suppliers with the demo register, as it stands
// on the day of now (UTC), and marks it (ErrAlreadyLoaded when it is already the
// demo, ErrNotDemo when it holds another register). Everything is written through
// the register's own use cases, with the register's clock set to each event's time,
// and ids drawn from a source seeded by the content only: the same load date gives
// the same register, ids and audit trail included (only the secrets of the team's
// keys differ; see demoTeam). It creates no key anyone can use.
func Load(ctx context.Context, st *store.Store, newService NewService, now time.Time) (Loaded, error) {
	anchor := now.UTC().Truncate(24 * time.Hour)
	if _, marked, n, err := MarkOf(ctx, st); err != nil {
		return Loaded{}, err
	} else if marked {
		return Loaded{}, ErrAlreadyLoaded
	} else if n > 0 {
		return Loaded{}, ErrNotDemo
	}
	clk := newClock(anchor.Add(-(adoptedDaysAgo + 1) * day))
	ids := &idSource{clk: clk, rnd: rand.New(rand.NewPCG(uint64(anchor.Unix()), 0xde_0a11_0ad))}
	svc := newService(clk.now).WithIDs(ids.next)
	reports := quarterly.New(svc, st)

	// The figures are kept from the start, so that their history holds what each
	// past quarter's report shows.
	if _, err := svc.BuildRiskIfNeeded(ctx); err != nil {
		return Loaded{}, fmt.Errorf("demo load: %w", err)
	}
	var known map[string]bool
	if err := st.Read(ctx, func(tx *store.Tx) (err error) {
		known, err = svc.CategoryKeys(tx)
		return err
	}); err != nil {
		return Loaded{}, err
	}
	baseline, err := baselineQuestionnaire(ctx, svc)
	if err != nil {
		return Loaded{}, err
	}
	b := &builder{anchor: anchor, known: known, questions: baseline.Questions, byKey: map[string]*supplier{}}
	p, err := b.plan()
	if err != nil {
		return Loaded{}, err
	}
	// The organisation's team, each with an API key created the day before the first
	// supplier was recorded: the procurement team records the register, a security
	// reviewer reviews assessments, and the data protection officer (an admin)
	// records incidents, accepts risks and generates the reports. Their secrets were
	// never printed: only demo-admin, created afterwards, is usable.
	system := register.SystemActor("demo load")
	team := map[string]register.Actor{}
	for _, k := range demoTeam {
		key, _, err := svc.CreateAPIKey(ctx, system, register.NewAPIKey{Name: k.name, Role: k.role})
		if err != nil {
			return Loaded{}, fmt.Errorf("demo load: %w", err)
		}
		team[k.name] = register.Actor{KeyID: key.ID, Name: key.Name, Role: key.Role}
	}
	actor, dpo := team[procurementKey], team[dpoKey]
	w := &writer{svc: svc, st: st, clk: clk, actor: actor, reviewer: team[reviewerKey], responder: dpo,
		questionnaire: baseline.ID}
	ops := w.timeline(p, time.Time{})
	out := Loaded{AsOf: anchor, Suppliers: len(p.suppliers), Links: len(p.links), Assessments: len(p.assessments),
		Incidents: len(p.incidents)}
	add := func(at time.Time, what string, do func(context.Context) error) {
		ops = append(ops, op{at: at, what: what, do: do})
	}

	// The learning platform left 150 days ago.
	learning := b.byKey["learning"]
	add(b.at(150, 11), "exit of "+learning.fields.Name, func(ctx context.Context) error {
		_, err := svc.PatchSupplier(ctx, actor, learning.id, nil, func(cur register.Supplier) (register.SupplierFields, error) {
			f := cur.SupplierFields
			f.Status = "exited"
			f.ContractEnd = date(b.at(150, 0))
			return f, nil
		})
		return err
	})
	// An admin accepted the ticketing firm's missing DPA while legal review it.
	tickets := b.byKey["tickets"]
	add(b.at(40, 14), "risk acceptance for "+tickets.fields.Name, func(ctx context.Context) error {
		expires := anchor.Add(90 * day)
		_, err := svc.CreateAcceptance(ctx, dpo, tickets.id, register.AcceptanceFields{Flag: "no_dpa",
			Reason:    "The DPA is in legal review; the supplier's standard terms carry the Art. 28(3) clauses meanwhile. Review when signed.",
			ExpiresAt: &expires})
		return err
	})
	// The reports of the two quarters before the current one, generated three days
	// after each ended (from the figures' history at its end), and the current one.
	current := quarterly.QuarterOf(anchor)
	for _, back := range []int{6, 3} {
		start := quarterStart(anchor).AddDate(0, -back, 0)
		q := quarterly.QuarterOf(start)
		at := start.AddDate(0, 3, 3).Add(9 * time.Hour)
		if !at.Before(anchor) {
			at = anchor.Add(-time.Hour)
		}
		add(at, "report of "+q, func(ctx context.Context) error {
			if _, err := svc.RefreshRisk(ctx); err != nil {
				return err
			}
			_, _, err := reports.GenerateReport(ctx, dpo, q, false)
			return err
		})
	}
	slices.SortStableFunc(ops, func(a, b op) int { return a.at.Compare(b.at) })
	if err := w.run(ctx, ops); err != nil {
		return Loaded{}, fmt.Errorf("demo load: %w", err)
	}

	clk.set(anchor)
	if _, err := svc.RefreshRisk(ctx); err != nil {
		return Loaded{}, fmt.Errorf("demo load: %w", err)
	}
	cur, _, err := reports.GenerateReport(ctx, dpo, current, false)
	if err != nil {
		return Loaded{}, fmt.Errorf("demo load: report of %s: %w", current, err)
	}
	out.CurrentReport = cur.Snapshot.ID
	for _, in := range p.incidents {
		if in.sup == b.byKey["it"] {
			out.OpenIncident = in.id
		}
	}
	if err := st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.MarkDemo(store.DemoRegisterRow{ContentVersion: ContentVersion, AsOf: anchor}); err != nil {
			return err
		}
		return svc.RecordAudit(tx, system, register.ActionCreate, register.ResourceDemo, svc.NewID(),
			map[string]register.Change{"content_version": {After: ContentVersion}, "as_of": {After: anchor}}, anchor)
	}); err != nil {
		return Loaded{}, fmt.Errorf("demo load: mark: %w", err)
	}
	page, err := reports.ListReports(ctx, 0, "", register.MaxLimit)
	if err != nil {
		return Loaded{}, err
	}
	out.Reports = page.Items
	if err := st.Analyze(ctx); err != nil {
		return Loaded{}, fmt.Errorf("demo load: %w", err)
	}
	return out, nil
}

// quarterStart is the first moment of t's calendar quarter (UTC).
func quarterStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
}

// builder turns the tables of membership.go into a plan the writer writes.
type builder struct {
	anchor    time.Time
	known     map[string]bool
	questions []register.Question
	byKey     map[string]*supplier
}

// at is hour o'clock on the day daysAgo days before the load date.
func (b *builder) at(daysAgo int, hour float64) time.Time {
	return b.anchor.Add(-time.Duration(daysAgo)*day + time.Duration(hour*float64(time.Hour)))
}

func (b *builder) plan() (*plan, error) {
	p := &plan{}
	for i, d := range demoSuppliers {
		s := &supplier{created: b.at(d.recorded, 9).Add(time.Duration(i) * 7 * time.Minute)}
		country := d.country
		start := b.at(d.recorded+400+37*(i%9), 0)
		end := b.anchor.AddDate(1+i%3, 3*(i%4), 0)
		f := register.SupplierFields{Name: d.name, Criticality: d.criticality, Status: "active", Country: &country,
			Services: d.services, Website: "https://" + slug(d.name) + ".example", Notes: d.notes,
			ContractStart: date(start), ContractEnd: date(end)}
		if d.recorded < 60 {
			f.Status = "onboarding"
			f.ContractStart = date(b.at(d.recorded+5, 0))
		}
		if d.contact {
			f.SecurityContact = "security@" + slug(d.name) + ".example"
		}
		if d.notifyHours > 0 {
			h := d.notifyHours
			f.BreachNotificationHours = &h
		}
		if d.dpa {
			f.DPASignedAt = date(start.Add(20 * day))
		}
		for j, c := range d.certs {
			f.Certifications = append(f.Certifications, register.Certification{Scheme: c.scheme,
				Reference: fmt.Sprintf("DEMO-%s-%03d", strings.ToUpper(c.scheme[:3]), 100+7*i+j),
				ExpiresAt: b.anchor.Add(time.Duration(c.expires) * day).Format(time.DateOnly)})
		}
		s.fields = f
		for j, h := range d.holdings {
			if !b.known[h.category] {
				return nil, fmt.Errorf("demo load: the category %s is not in the catalogue", h.category)
			}
			records := h.records
			hf := register.HoldingFields{Category: h.category, DataSubjects: slices.Clone(h.subjects), RecordCount: &records,
				Purpose: d.services, Locations: slices.Clone(h.locations)}
			// Held since some time in the contract before it was recorded, the first
			// categories longest.
			since := s.created.Add(-time.Duration(90+41*((3*i+j)%11)+60*(len(d.holdings)-j)) * day)
			hf.HeldSince = date(later(start, since))
			if h.mechanism != "" {
				m := h.mechanism
				hf.TransferMechanism = &m
			}
			if h.retention != "" {
				r := h.retention
				hf.RetentionPeriod = &r
			}
			s.holdings = append(s.holdings, hf)
		}
		b.byKey[d.key] = s
		p.suppliers = append(p.suppliers, s)
	}
	for i, l := range demoLinks {
		from, to := b.byKey[l.from], b.byKey[l.to]
		if from == nil || to == nil {
			return nil, fmt.Errorf("demo load: link %s → %s names an unknown supplier", l.from, l.to)
		}
		lk := &link{from: from, to: to, at: b.at(l.recorded, 15).Add(time.Duration(i) * 3 * time.Minute),
			fields: register.LinkFields{Categories: slices.Clone(l.categories)}}
		if l.authorised >= 0 {
			lk.fields.AuthorisedAt = date(b.at(l.authorised, 0))
		}
		from.linked = true
		p.links = append(p.links, lk)
	}
	for _, d := range demoSuppliers {
		s := b.byKey[d.key]
		for _, a := range d.assessments {
			pa := &assessment{sup: s, created: b.at(a.created, 10), decision: a.decision, comment: a.comment}
			if a.submitted >= 0 {
				pa.submitted = pa.created.Add(time.Duration(a.submitted)*day + 3*time.Hour)
				if a.reviewed >= 0 {
					pa.reviewed = pa.created.Add(time.Duration(a.reviewed)*day + 5*time.Hour)
				}
			}
			pa.answers = b.answers(s, a.grade, a.answers)
			p.assessments = append(p.assessments, pa)
		}
	}
	p.incidents = b.incidents()
	return p, nil
}

// incidents: a closed one at the call centre half a year ago, and the open one at
// the IT support firm, two days old.
func (b *builder) incidents() []*incident {
	aware := b.at(205, 16.5)
	supplierAware := aware.Add(-26 * time.Hour)
	notified := aware.Add(31 * time.Hour)
	subjects := aware.Add(4 * day)
	misdirected := &incident{sup: b.byKey["callcentre"], created: aware.Add(40 * time.Minute),
		fields: register.IncidentFields{Summary: "Call recordings shared with the wrong client",
			Description: "An export of call recordings from the membership helpline was sent to another client of the contact centre, " +
				"who reported and deleted it the same day.",
			Status: "open", AwareAt: &aware, SupplierAwareAt: &supplierAware}}
	misdirected.steps = []incidentStep{
		{at: notified.Add(20 * time.Minute), change: func(f *register.IncidentFields) { f.RegulatorNotifiedAt = &notified }},
		{at: aware.Add(2 * day), change: func(f *register.IncidentFields) { f.Status = "contained" }},
		{at: subjects.Add(time.Hour), change: func(f *register.IncidentFields) { f.SubjectsNotifiedAt = &subjects }},
		{at: aware.Add(14 * day), change: func(f *register.IncidentFields) { f.Status = "closed" }},
	}
	itAware := b.at(2, 7.75)
	itSupplierAware := itAware.Add(-9 * time.Hour)
	ransomware := &incident{sup: b.byKey["it"], created: itAware.Add(35 * time.Minute),
		fields: register.IncidentFields{Summary: "Ransomware encrypted file servers holding membership exports",
			Description: "Cobalt IT Services reports that ransomware encrypted the file servers it manages for us overnight. " +
				"They hold copies of the membership database used for mail merges. It keeps no offline backups; " +
				"restoring from its online backup provider is being attempted. Whether data was also copied out is not yet known.",
			Status: "open", AwareAt: &itAware, SupplierAwareAt: &itSupplierAware}}
	return []*incident{misdirected, ransomware}
}

// answers answers every question of the baseline as a supplier of grade g would:
// the best option, except for a number of non-critical questions (chosen by a hash
// of the supplier's name, so the same every time) answered with the middle or the
// worst option; then what the register records about the supplier (certification,
// notification window, DPA, sub-processors, locations); then the overrides.
func (b *builder) answers(s *supplier, g grade, overrides map[string]string) map[string]string {
	mid := map[grade]int{strong: 3, good: 8, fair: 13, poor: 14, failing: 8}[g]
	worst := map[grade]int{good: 1, fair: 5, poor: 11, failing: 24}[g]
	type ranked struct {
		q   register.Question
		key uint64
	}
	var order []ranked
	for _, q := range b.questions {
		if !q.Critical {
			h := fnv.New64a()
			h.Write([]byte(s.fields.Name + "/" + q.Key))
			order = append(order, ranked{q, h.Sum64()})
		}
	}
	slices.SortFunc(order, func(a, b ranked) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	degrade := map[string]int{} // question → 1 middle, 2 worst
	for i, r := range order {
		switch {
		case i < worst:
			degrade[r.q.Key] = 2
		case i < worst+mid:
			degrade[r.q.Key] = 1
		}
	}
	out := map[string]string{}
	pl := &planner{now: b.anchor}
	for _, q := range b.questions {
		var scored []register.Option
		for _, o := range q.Options {
			if o.Score != nil {
				scored = append(scored, o)
			}
		}
		slices.SortStableFunc(scored, func(a, b register.Option) int { return cmpFloat(*b.Score, *a.Score) })
		switch degrade[q.Key] {
		case 0:
			out[q.Key] = scored[0].Value
		case 1:
			out[q.Key] = scored[min(1, len(scored)-1)].Value
		default:
			out[q.Key] = scored[len(scored)-1].Value
		}
		if v, ok := pl.recorded(s, q); ok {
			out[q.Key] = v
		}
	}
	for k, v := range overrides {
		out[k] = v
	}
	if g == poor || g == failing {
		// A poor supplier's critical controls are partial at best.
		for _, q := range b.questions {
			if q.Critical && overrides[q.Key] == "" && q.Key != "breach_notification_hours" {
				for _, o := range q.Options {
					if o.Score != nil && *o.Score > 0 && *o.Score < 0.5 {
						out[q.Key] = o.Value
					}
				}
			}
		}
	}
	return out
}

// slug makes a website name from a supplier's name: lower-case letters and digits,
// words joined by hyphens.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	return b.String()
}
