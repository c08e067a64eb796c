package demo

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
)

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
		if d.renewal {
			_, nextQuarter, _ := quarterly.Bounds(quarterly.QuarterOf(b.anchor))
			end = nextQuarter.Add(time.Duration(20+10*(i%5)) * day)
		}
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
