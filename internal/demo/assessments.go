package demo

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// assessment is one planned assessment against the baseline questionnaire: created
// as a draft with its answers, then submitted and reviewed at the planned times
// (a zero time: not yet).
type assessment struct {
	sup                 *supplier
	answers             map[string]string
	created             time.Time
	submitted, reviewed time.Time
	decision, comment   string // approve or reject, when reviewed
	id                  string
}

const (
	assessedShare = 0.70 // of suppliers, with a submitted or approved assessment
	awaitingShare = 0.08 // of those, submitted and not yet reviewed
)

// planAssessments assesses 70 % of the suppliers, the more critical ones more
// often. Most latest assessments are approved, spread over the last two years (so
// some are overdue); a few were submitted in the last weeks and wait for review;
// some suppliers also have last year's approved assessment or one rejected before
// the latest; and a few suppliers have a draft in progress.
func (p *planner) planAssessments() {
	if len(p.questions) == 0 {
		return
	}
	weight := map[string]float64{"critical": 3, "high": 2, "medium": 1.3, "low": 1}
	type ranked struct {
		i   int
		key float64
	}
	rs := make([]ranked, len(p.sups))
	for i, s := range p.sups {
		rs[i] = ranked{i, math.Pow(p.rnd.Float64(), 1/weight[s.fields.Criticality])}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(b.key, a.key) })
	chosen := make([]bool, len(p.sups))
	for _, r := range rs[:int(math.Round(assessedShare*float64(p.n)))] {
		chosen[r.i] = true
	}
	for i, s := range p.sups {
		if !chosen[i] {
			if p.chance(0.03) {
				p.add(&assessment{sup: s, answers: p.answers(s, s.quality, true), created: p.within(p.now.Add(-25*day), 24*day)})
			}
			continue
		}
		earliest := s.created.Add(5 * day)
		var latest *assessment
		if p.chance(awaitingShare) {
			created := p.within(p.now.Add(-40*day), 37*day)
			latest = &assessment{sup: s, created: created, submitted: p.within(created.Add(time.Hour), 2*day)}
		} else {
			from := later(earliest, p.now.Add(-700*day))
			latest = p.reviewed(s, p.within(from, p.now.Add(-20*day).Sub(from)), "approve")
		}
		latest.answers = p.answers(s, s.quality, false)
		if p.chance(0.2) && !latest.created.Add(-420*day).Before(earliest) {
			prev := p.reviewed(s, latest.created.Add(-p.span(330*day, 420*day)), "approve")
			prev.answers = p.answers(s, math.Min(0.98, math.Max(0.1, s.quality+p.between(-0.15, 0.1))), false)
			p.add(prev)
		}
		if p.chance(0.03) && !latest.created.Add(-60*day).Before(earliest) {
			rej := p.reviewed(s, latest.created.Add(-60*day), "reject")
			rej.comment = rejectionComments[p.rnd.IntN(len(rejectionComments))]
			rej.answers = p.answers(s, s.quality, false)
			p.add(rej)
		}
		p.add(latest)
	}
}

// reviewed is an assessment created at created, submitted within ten days and
// reviewed within ten more.
func (p *planner) reviewed(s *supplier, created time.Time, decision string) *assessment {
	submitted := p.within(created.Add(day), 9*day)
	return &assessment{sup: s, created: created, submitted: submitted, reviewed: p.within(submitted.Add(day), 8*day),
		decision: decision}
}

func (p *planner) add(a *assessment) { p.plan.assessments = append(p.plan.assessments, a) }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// answers answers every question (a draft: the first two fifths), optional ones
// mostly: what the register knows of the supplier where a question asks it (its
// certifications, notification window, DPA, locations, sub-processors), otherwise an
// option drawn by the supplier's quality, the best with probability q, each worse one
// with probability 1−q of going further down.
func (p *planner) answers(s *supplier, q float64, draft bool) map[string]string {
	out := map[string]string{}
	for i, question := range p.questions {
		if draft && i >= len(p.questions)*2/5 {
			break
		}
		if question.Optional && !p.chance(0.75) {
			continue
		}
		if v, ok := p.recorded(s, question); ok {
			out[question.Key] = v
			continue
		}
		var scored []register.Option
		na := false
		for _, o := range question.Options {
			if o.Score == nil {
				na = true
			} else {
				scored = append(scored, o)
			}
		}
		slices.SortStableFunc(scored, func(a, b register.Option) int { return cmp.Compare(*b.Score, *a.Score) })
		if na && p.chance(0.05) || len(scored) == 0 {
			out[question.Key] = "n/a"
			continue
		}
		k := 0
		for k < len(scored)-1 && p.rnd.Float64() > q {
			k++
		}
		out[question.Key] = scored[k].Value
	}
	return out
}

// recorded answers a question from what the register records about the supplier.
func (p *planner) recorded(s *supplier, q register.Question) (string, bool) {
	v := ""
	switch q.Key {
	case "security_certification":
		v = "none"
		today := p.now.Format(time.DateOnly)
		for _, scheme := range []string{"iso27001", "soc2", "cyber_essentials_plus", "cyber_essentials"} {
			if slices.ContainsFunc(s.fields.Certifications, func(c register.Certification) bool {
				return c.Scheme == scheme && c.ExpiresAt >= today
			}) {
				v = map[string]string{"soc2": "soc2_type2"}[scheme]
				if v == "" {
					v = scheme
				}
				break
			}
		}
	case "breach_notification_hours":
		if h := s.fields.BreachNotificationHours; h != nil {
			v = map[int]string{24: "within_24h", 48: "within_48h", 72: "within_72h"}[*h]
		}
	case "dpa_signed":
		if s.fields.DPASignedAt != nil {
			v = "yes"
		}
	case "subprocessor_inventory", "subprocessor_assessment", "subprocessor_flow_down":
		if !s.linked {
			v = "n/a"
		}
	case "data_location":
		if len(s.holdings) > 0 {
			h := s.holdings[0]
			switch {
			case slices.ContainsFunc(h.Locations, func(c string) bool { return !register.InUKEEA(c) }) && h.TransferMechanism == nil:
				v = "outside_without_safeguards"
			case slices.ContainsFunc(h.Locations, func(c string) bool { return !register.InUKEEA(c) }):
				v = "outside_with_transfer_mechanism"
			default:
				v = "uk_eea_or_adequate"
			}
		}
	}
	if v == "" || !slices.ContainsFunc(q.Options, func(o register.Option) bool { return o.Value == v }) {
		return "", false
	}
	return v, true
}
