package demo

import (
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// incident is one planned incident: recorded open, then changed at each later
// step (the regulator notified, contained, data subjects told, closed).
type incident struct {
	sup     *supplier
	fields  register.IncidentFields // SupplierID is set when written
	created time.Time
	steps   []incidentStep
	id      string
}

type incidentStep struct {
	at     time.Time
	change func(*register.IncidentFields)
}

const suppliersPerIncident = 250

// planIncidents records a few incidents (one per 250 suppliers, at least three):
// a third still open, a third contained, a third closed, mostly at suppliers with
// poor security. The regulator is usually told within the 72 hours, sometimes late,
// sometimes not at all.
func (p *planner) planIncidents() {
	var weak, others []*supplier
	for _, s := range p.sups {
		switch {
		case len(s.care) == 0 || !s.imported: // at suppliers there from the start
		case s.quality < 0.55:
			weak = append(weak, s)
		default:
			others = append(others, s)
		}
	}
	count := max(3, p.n/suppliersPerIncident)
	used := map[*supplier]bool{}
	for i := 0; i < count && len(used) < len(weak)+len(others); i++ {
		pool := others
		if len(weak) > 0 && (p.chance(0.6) || len(others) == 0) {
			pool = weak
		}
		s := pool[p.rnd.IntN(len(pool))]
		if used[s] {
			i--
			continue
		}
		used[s] = true
		p.plan.incidents = append(p.plan.incidents, p.incident(s, []string{"open", "contained", "closed"}[i%3]))
	}
}

func (p *planner) incident(s *supplier, status string) *incident {
	var aware time.Time
	switch status {
	case "open":
		aware = p.within(p.now.Add(-20*day), 20*day-2*time.Hour)
	case "contained":
		aware = p.within(p.now.Add(-150*day), 138*day)
	default:
		aware = p.within(p.now.Add(-365*day), 335*day)
	}
	what := incidentSummaries[p.rnd.IntN(len(incidentSummaries))]
	supplierAware := aware.Add(-p.span(2*time.Hour, 60*time.Hour))
	recorded := aware.Add(p.span(15*time.Minute, min(5*time.Hour, p.now.Sub(aware)-time.Minute)))
	in := &incident{sup: s, created: recorded,
		fields: register.IncidentFields{Summary: what.summary, Description: what.description, Status: "open",
			AwareAt: &aware, SupplierAwareAt: &supplierAware}}
	step := func(at time.Time, change func(*register.IncidentFields)) {
		if at.Before(p.now) {
			in.steps = append(in.steps, incidentStep{at: at, change: change})
		}
	}
	// The regulator: within 72 hours, late, or (not judged notifiable) never.
	switch x := p.rnd.Float64(); {
	case x < 0.70:
		t := aware.Add(p.span(20*time.Hour, 70*time.Hour))
		step(t.Add(p.span(5*time.Minute, 30*time.Minute)), func(f *register.IncidentFields) { f.RegulatorNotifiedAt = &t })
	case x < 0.85:
		t := aware.Add(p.span(80*time.Hour, 140*time.Hour))
		step(t.Add(p.span(5*time.Minute, 30*time.Minute)), func(f *register.IncidentFields) { f.RegulatorNotifiedAt = &t })
	}
	if status == "open" {
		return in
	}
	contained := aware.Add(p.span(1*day, 9*day))
	step(contained, func(f *register.IncidentFields) { f.Status = "contained" })
	if status == "contained" {
		return in
	}
	if p.chance(0.5) {
		t := aware.Add(p.span(3*day, 10*day))
		step(t.Add(p.span(5*time.Minute, 30*time.Minute)), func(f *register.IncidentFields) { f.SubjectsNotifiedAt = &t })
	}
	closed := contained.Add(p.span(5*day, 20*day))
	step(closed, func(f *register.IncidentFields) { f.Status = "closed" })
	return in
}
