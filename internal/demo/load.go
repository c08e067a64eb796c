package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
)

// ContentVersion names the demo register's content. It changes whenever
// membership.go or the way Load writes it changes; `serve --demo` says so when it
// serves a demo of another version.
const ContentVersion = "membership-2"

// EarliestLoadDate is the first day the demo can be loaded as of: its history
// begins well over a year earlier, and quarterly reports cover years from 2000.
var EarliestLoadDate = time.Date(2002, 1, 1, 0, 0, 0, 0, time.UTC)

// markID is the audit trail's resource id of the demo mark.
const markID = "01900000-0000-7000-8000-0000000000de"

// Errors of Load, each saying what to do instead.
var (
	// ErrAlreadyLoaded: the database holds the demo, completely loaded.
	ErrAlreadyLoaded = errors.New("the database already holds the demo register")
	// ErrIncomplete: a demo load into the database failed, was stopped, or is running.
	ErrIncomplete = errors.New("the database holds part of the demo register: an earlier load did not finish, " +
		"or is running now; load the demo into a new database (delete the SQLite file, or create a new PostgreSQL database)")
	// ErrNotDemo: the database holds suppliers and is not the demo.
	ErrNotDemo = errors.New("the database holds a register that is not the demo: the demo loads only into a database " +
		"with no suppliers (use a new database: another SQLite file with WEAKLINK_SQLITE_PATH, or a new PostgreSQL database)")
)

// Mark is a database's demo mark: which content, as of which moment, and whether
// the load completed.
type Mark struct {
	ContentVersion string
	AsOf           time.Time
	Complete       bool
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
	return Mark{ContentVersion: row.ContentVersion, AsOf: row.AsOf, Complete: row.Complete}, marked, n, err
}

// Loaded says what Load wrote.
type Loaded struct {
	AsOf          time.Time // the start of the load date (UTC): every event lies before it
	Suppliers     int
	Links         int
	Assessments   int
	Incidents     int
	Reports       []quarterly.ReportSummary // newest first: the current quarter's, then the two before it
	CurrentReport string                    // id of the current quarter's report
	OpenIncident  string                    // id of the open incident at the IT support firm
	// InvitationLink is the path of the questionnaire link sent to the data-cleansing
	// firm's security contact (/portal/i/…): its secret is random and shown only here.
	InvitationLink string
}

// Load fills a database that has no suppliers with the demo register, as it stands
// on the day of now (UTC; EarliestLoadDate or later). Its first transaction finds
// the database without suppliers and claims the demo mark, so a database that
// already holds the demo (ErrAlreadyLoaded), part of it (ErrIncomplete: another load
// failed or is running) or another register (ErrNotDemo) is refused before anything
// is written; its last completes the mark. Everything between is written through
// the register's own use cases, with the register's clock set to each event's time,
// and ids drawn from a source seeded by the load date: the same day gives the same
// register, ids and audit trail included (only the secrets of the team's keys and
// of the open questionnaire link differ). It creates no key anyone can use.
func Load(ctx context.Context, st *store.Store, newService NewService, now time.Time) (Loaded, error) {
	anchor := now.UTC().Truncate(24 * time.Hour)
	if anchor.Before(EarliestLoadDate) {
		return Loaded{}, fmt.Errorf("demo load: the load date must be %s or later", EarliestLoadDate.Format(time.DateOnly))
	}
	clk := newClock(anchor.Add(-(adoptedDaysAgo + 1) * day))
	ids := &idSource{clk: clk, rnd: rand.New(rand.NewPCG(uint64(anchor.Unix()), 0xde_0a11_0ad))}
	svc := newService(clk.now).WithIDs(ids.next)
	system := register.SystemActor("demo load")
	if err := claim(ctx, st, svc, system, anchor); err != nil {
		return Loaded{}, err
	}
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
		return Loaded{}, fmt.Errorf("demo load: %w", err)
	}
	baseline, err := baselineQuestionnaire(ctx, svc)
	if err != nil {
		return Loaded{}, fmt.Errorf("demo load: %w", err)
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
	// The DPO accepted the ticketing firm's missing DPA while it is in legal review.
	tickets := b.byKey["tickets"]
	add(b.at(40, 14), "risk acceptance for "+tickets.fields.Name, func(ctx context.Context) error {
		expires := anchor.Add(90 * day)
		_, err := svc.CreateAcceptance(ctx, dpo, tickets.id, register.AcceptanceFields{Flag: "no_dpa",
			Reason:    "The DPA is in legal review; the supplier's standard terms carry the Art. 28(3) clauses meanwhile. Review when signed.",
			ExpiresAt: &expires})
		return err
	})
	// The procurement team sent the baseline to the data-cleansing firm, which is
	// being onboarded, through a questionnaire link; it is still open. Its secret is
	// random, like the team's keys (the only part of a load that differs by day).
	cleanse := b.byKey["cleanse"]
	var invitationLink string
	add(b.at(2, 10), "questionnaire link to "+cleanse.fields.Name, func(ctx context.Context) error {
		a, err := svc.CreateAssessment(ctx, actor, cleanse.id, register.AssessmentFields{QuestionnaireID: baseline.ID})
		if err != nil {
			return err
		}
		due, expires := anchor.Add(12*day+17*time.Hour), anchor.Add(30*day+17*time.Hour)
		_, secret, err := svc.CreateInvitation(ctx, actor, a.ID, register.InvitationFields{ContactName: "Sam Okafor",
			ContactEmail: cleanse.fields.SecurityContact, DueAt: &due, ExpiresAt: &expires})
		invitationLink = "/portal/i/" + secret
		return err
	})
	// The reports of the two quarters before the current one, generated three days
	// after each ended (from the figures' history at its end; on the first days of a
	// quarter, at the load date, which is after the end too), and the current one.
	current := quarterly.QuarterOf(anchor)
	currentStart, _, _ := quarterly.Bounds(current)
	for _, back := range []int{6, 3} {
		start := currentStart.AddDate(0, -back, 0)
		q := quarterly.QuarterOf(start)
		at := start.AddDate(0, 3, 3).Add(9 * time.Hour)
		if at.After(anchor) {
			at = anchor
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
	out := Loaded{AsOf: anchor, Suppliers: len(p.suppliers), Links: len(p.links), Assessments: len(p.assessments),
		Incidents: len(p.incidents), CurrentReport: cur.Snapshot.ID, InvitationLink: invitationLink}
	for _, in := range p.incidents {
		if in.sup == b.byKey["it"] {
			out.OpenIncident = in.id
		}
	}
	if err := st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CompleteDemo(); err != nil {
			return err
		}
		return svc.RecordAudit(tx, system, register.ActionUpdate, register.ResourceDemo, markID,
			map[string]register.Change{"complete": {Before: false, After: true}}, anchor)
	}); err != nil {
		return Loaded{}, fmt.Errorf("demo load: complete the mark: %w", err)
	}
	page, err := reports.ListReports(ctx, 0, nil, "", register.MaxLimit)
	if err != nil {
		return Loaded{}, fmt.Errorf("demo load: %w", err)
	}
	out.Reports = page.Items
	if err := st.Analyze(ctx); err != nil {
		return Loaded{}, fmt.Errorf("demo load: %w", err)
	}
	return out, nil
}

// claim finds the database without suppliers and claims the demo mark, incomplete,
// in one write transaction (with its audit event), so that two loads started
// together on one database cannot both go on.
func claim(ctx context.Context, st *store.Store, svc *register.Service, system register.Actor, anchor time.Time) error {
	return st.Write(ctx, func(tx *store.Tx) error {
		mark, marked, err := tx.DemoMark()
		switch {
		case err != nil:
			return err
		case marked && mark.Complete:
			return ErrAlreadyLoaded
		case marked:
			return ErrIncomplete
		}
		if n, err := tx.CountSuppliers(); err != nil {
			return err
		} else if n > 0 {
			return ErrNotDemo
		}
		if err := tx.ClaimDemo(ContentVersion, anchor); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return ErrIncomplete
			}
			return err
		}
		return svc.RecordAudit(tx, system, register.ActionCreate, register.ResourceDemo, markID, map[string]register.Change{
			"content_version": {After: ContentVersion}, "as_of": {After: anchor}, "complete": {After: false}}, svc.Now())
	})
}
