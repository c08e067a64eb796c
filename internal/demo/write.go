package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
)

// The writer is the one place where the generator changes the register. It
// replays the plan in time order, with the register's clock set to each event's
// time: first the initial import (every supplier the organisation had on the day it
// adopted the register, with its holdings) through the register's bulk write, in one
// transaction, exactly as `weaklink import` stores a sheet; then, through the
// register's public use cases, one transaction each, what happened since: suppliers
// onboarded later, sub-processor links, assessments created, submitted and reviewed,
// incidents and their updates. Validation and the audit trail are therefore what an
// API client would have produced.

// importBatch is how many changes go to the register's bulk write at once.
const importBatch = 2000

type writer struct {
	svc *register.Service
	st  *store.Store
	clk *clock
	// actor records the register; reviewer reviews assessments and incidents are
	// recorded by responder (both default to actor).
	actor, reviewer, responder register.Actor
	// questionnaire is the baseline's id.
	questionnaire string
}

// op is one event of the timeline.
type op struct {
	at   time.Time
	what string
	do   func(context.Context) error
}

// timeline lists the plan's events, in time order (ties in plan order).
func (w *writer) timeline(p *plan, adopted time.Time) []op {
	var ops []op
	add := func(at time.Time, what string, do func(context.Context) error) {
		ops = append(ops, op{at: at, what: what, do: do})
	}
	var imported []*supplier
	for _, s := range p.suppliers {
		if s.imported {
			imported = append(imported, s)
			continue
		}
		add(s.created, "supplier "+s.fields.Name, func(ctx context.Context) error { return w.createSupplier(ctx, s) })
		at := s.created
		for _, h := range s.holdings {
			at = at.Add(45 * time.Second) // recorded one after another
			add(at, "holding of "+s.fields.Name, func(ctx context.Context) error { return w.createHolding(ctx, s, h) })
		}
	}
	if len(imported) > 0 {
		add(adopted, "import", func(ctx context.Context) error { return w.importSuppliers(ctx, imported) })
	}
	for _, l := range p.links {
		add(l.at, "link from "+l.from.fields.Name, func(ctx context.Context) error { return w.createLink(ctx, l) })
	}
	for _, a := range p.assessments {
		name := a.sup.fields.Name
		add(a.created, "assessment of "+name, func(ctx context.Context) error { return w.createAssessment(ctx, a) })
		if !a.submitted.IsZero() {
			add(a.submitted, "submission for "+name, func(ctx context.Context) error { return w.submitAssessment(ctx, a) })
		}
		if !a.reviewed.IsZero() {
			add(a.reviewed, "review for "+name, func(ctx context.Context) error { return w.reviewAssessment(ctx, a) })
		}
	}
	for _, in := range p.incidents {
		name := in.sup.fields.Name
		add(in.created, "incident at "+name, func(ctx context.Context) error { return w.createIncident(ctx, in) })
		for _, st := range in.steps {
			add(st.at, "incident update at "+name, func(ctx context.Context) error { return w.updateIncident(ctx, in, st) })
		}
	}
	slices.SortStableFunc(ops, func(a, b op) int { return a.at.Compare(b.at) })
	return ops
}

// run writes the events in order.
func (w *writer) run(ctx context.Context, ops []op) error {
	for _, o := range ops {
		if err := ctx.Err(); err != nil {
			return err
		}
		w.clk.set(o.at)
		if err := o.do(ctx); err != nil {
			return fmt.Errorf("%s at %s: %w", o.what, o.at.Format(time.RFC3339), err)
		}
	}
	return nil
}

// importSuppliers stores the suppliers and their holdings as one import: validated
// as the import validates them, through the register's bulk write, in one
// transaction, all at the clock's time.
func (w *writer) importSuppliers(ctx context.Context, sups []*supplier) error {
	at := w.svc.Now()
	today := at.Format(time.DateOnly)
	return w.st.Write(ctx, func(tx *store.Tx) error {
		known, err := w.svc.CategoryKeys(tx)
		if err != nil {
			return err
		}
		var batch []register.BulkChange
		flush := func() error {
			err := w.svc.ApplyBulk(tx, w.actor, batch, at)
			batch = batch[:0]
			return err
		}
		for _, s := range sups {
			f := s.fields
			f.Normalize()
			if err := f.Validate(today); err != nil {
				return fmt.Errorf("supplier %s: %w", f.Name, err)
			}
			s.id = w.svc.NewID()
			sup := register.Supplier{SupplierFields: f, ID: s.id, Version: 1, CreatedAt: at, UpdatedAt: at}
			batch = append(batch, register.BulkChange{Action: register.ActionCreate, Supplier: &sup,
				Changes: register.Diff(nil, register.Snapshot(f))})
			for _, h := range s.holdings {
				h.Normalize()
				if fe := h.Validate(today); len(fe) > 0 || !known[h.Category] {
					return fmt.Errorf("holding of %s in %s: %v", f.Name, h.Category, fe)
				}
				change := register.Diff(nil, register.Snapshot(h))
				change["supplier_id"] = register.Change{After: s.id}
				hold := register.Holding{HoldingFields: h, ID: w.svc.NewID(), SupplierID: s.id, Version: 1, CreatedAt: at, UpdatedAt: at}
				batch = append(batch, register.BulkChange{Action: register.ActionCreate, Holding: &hold, Changes: change})
			}
			if len(batch) >= importBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
}

func (w *writer) createSupplier(ctx context.Context, s *supplier) error {
	sup, err := w.svc.CreateSupplier(ctx, w.actor, s.fields)
	s.id = sup.ID
	return err
}

func (w *writer) createHolding(ctx context.Context, s *supplier, h register.HoldingFields) error {
	_, err := w.svc.CreateHolding(ctx, w.actor, s.id, h)
	return err
}

func (w *writer) createLink(ctx context.Context, l *link) error {
	f := l.fields
	f.SubprocessorID = l.to.id
	_, err := w.svc.CreateLink(ctx, w.actor, l.from.id, f)
	return err
}

func (w *writer) createAssessment(ctx context.Context, a *assessment) error {
	out, err := w.svc.CreateAssessment(ctx, w.actor, a.sup.id,
		register.AssessmentFields{QuestionnaireID: w.questionnaire, Answers: a.answers})
	a.id = out.ID
	return err
}

func (w *writer) submitAssessment(ctx context.Context, a *assessment) error {
	_, err := w.svc.SubmitAssessment(ctx, w.actor, a.id, nil)
	return err
}

func (w *writer) reviewAssessment(ctx context.Context, a *assessment) error {
	_, err := w.svc.ReviewAssessment(ctx, cmp.Or(w.reviewer, w.actor), a.id, nil, func() (register.Review, error) {
		return register.Review{Decision: a.decision, Comment: a.comment}, nil
	})
	return err
}

func (w *writer) createIncident(ctx context.Context, in *incident) error {
	f := in.fields
	f.SupplierID = in.sup.id
	out, err := w.svc.CreateIncident(ctx, cmp.Or(w.responder, w.actor), f)
	in.id = out.ID
	return err
}

func (w *writer) updateIncident(ctx context.Context, in *incident, st incidentStep) error {
	_, err := w.svc.PatchIncident(ctx, cmp.Or(w.responder, w.actor), in.id, nil, func(cur register.Incident) (register.IncidentFields, error) {
		f := cur.IncidentFields
		st.change(&f)
		return f, nil
	})
	return err
}
