package scoring

import (
	"fmt"
	"math"
	"strings"
)

// Option is one answer a question offers.
type Option struct {
	Value string
	Score *float64 // 0–1; nil = not applicable (left out of the denominator)
}

// Question is one scored question of a questionnaire version.
type Question struct {
	Key, Domain string
	Weight      float64 // > 0
	Critical    bool    // failing it (an answer scoring below 0.5) caps the score
	Optional    bool    // may stay unanswered; an unanswered optional question is left out
	Options     []Option
}

// AnswerScore is one question's line in an assessment score.
type AnswerScore struct {
	Question    string   // the question's key
	Domain      string   // the question's domain
	Answer      string   // the option chosen; "" when unanswered
	OptionScore *float64 // the option's score; nil when not applicable or optional and unanswered; 0 when required and unanswered
	Weight      float64  // the question's weight as written in the questionnaire
	Critical    bool     // whether the question is a critical control
	Points      float64  // this answer's share of Raw; the Points of all answers sum exactly to Raw
}

// DomainScore summarises one domain's answers.
type DomainScore struct {
	Domain   string
	Score    *float64 // 0–100 over the domain's scorable answers; nil when nothing is scorable
	Weight   float64  // total weight of the domain's scorable answers (its share of the denominator)
	Answered int      // questions of the domain that were answered, not-applicable answers included
}

// AssessmentScore is the scored result of one assessment, stored when it is submitted.
type AssessmentScore struct {
	Score          float64       // 0–100 after the critical cap
	Raw            float64       // before the cap
	FailedCritical []string      // keys of critical questions answered below 0.5 (or required and unanswered), in question order
	Answers        []AnswerScore // in question order; Points sum exactly to Raw
	Domains        []DomainScore // in order of first appearance
	Breakdown      []Part        // sums exactly to Score: one "answers" part (= Raw) and, when capped, a "critical control cap" part (negative)
	Methodology    string        // the MethodologyVersion the score was computed under
}

// criticalFailBelow is the option score under which a critical control has failed.
// It is the product's rule, not a setting.
const criticalFailBelow = 0.5

// ScoreAssessment scores answers (question key → option value) against a questionnaire.
// Unknown keys or option values are an error; unanswered optional questions and options
// scoring null are left out of the denominator. Score = 100 × Σ(weight×score) / Σ(weight)
// over scorable answers (0 when nothing is scorable, as docs/methodology.md explains:
// no evidence of any control is never read as good security).
//
// A non-optional question left unanswered (only possible in a draft: submitting needs
// every one) counts as an answer scoring 0, and fails if it is critical: unknown is
// weak, never good. When answers are rejected the error joins one *AnswerError per bad
// answer, in key order; errors.Is finds ErrUnknownQuestion or ErrUnknownOption.
func ScoreAssessment(qs []Question, answers map[string]string, cfg Config) (AssessmentScore, error) {
	maxW, err := checkQuestionnaire(qs)
	if err != nil {
		return AssessmentScore{}, fmt.Errorf("score assessment: %w", err)
	}
	if err := checkAnswers(qs, answers); err != nil {
		return AssessmentScore{}, fmt.Errorf("score assessment: %w", err)
	}

	res := AssessmentScore{
		Answers:     make([]AnswerScore, len(qs)),
		Methodology: MethodologyVersion,
	}
	type domainSum struct {
		i            int
		sumW, sumWS  float64
		weight       float64
		scorable     bool
		answeredRows int
	}
	domains := map[string]*domainSum{}
	// Weights are divided by the largest so sums cannot overflow whatever the author wrote.
	var sumW, sumWS float64
	norm := make([]float64, len(qs)) // normalised weight × score of each scorable answer
	scorable := 0
	for i, q := range qs {
		d, ok := domains[q.Domain]
		if !ok {
			d = &domainSum{i: len(res.Domains)}
			domains[q.Domain] = d
			res.Domains = append(res.Domains, DomainScore{Domain: q.Domain})
		}
		v, answered := answers[q.Key]
		var s *float64
		switch {
		case answered:
			d.answeredRows++
			s = optionScore(q, v)
		case !q.Optional:
			zero := 0.0
			s = &zero
		}
		res.Answers[i] = AnswerScore{Question: q.Key, Domain: q.Domain, Answer: v, OptionScore: s, Weight: q.Weight, Critical: q.Critical}
		if s == nil {
			continue
		}
		w := q.Weight / maxW
		sumW += w
		sumWS += w * *s
		norm[i] = w * *s
		scorable++
		d.sumW += w
		d.sumWS += w * *s
		d.weight += q.Weight
		d.scorable = true
		if q.Critical && *s < criticalFailBelow {
			res.FailedCritical = append(res.FailedCritical, q.Key)
		}
	}

	var rawH int64
	if sumW > 0 {
		rawH = clampH(toH(100*sumWS/sumW), 0, 10000)
		exact := make([]float64, len(qs))
		for i, x := range norm {
			exact[i] = 10000 * x / sumW
		}
		for i, p := range allocate(rawH, exact) {
			res.Answers[i].Points = fromH(p)
		}
	}
	for _, d := range domains {
		ds := &res.Domains[d.i]
		ds.Answered = d.answeredRows
		ds.Weight = math.Min(d.weight, math.MaxFloat64) // absurd weights must not reach JSON as +Inf
		if d.scorable && d.sumW > 0 {
			v := fromH(clampH(toH(100*d.sumWS/d.sumW), 0, 10000))
			ds.Score = &v
		}
	}

	scoreH := rawH
	detail := fmt.Sprintf("weighted average of %d scorable answers out of %d questions", scorable, len(qs))
	if scorable == 0 {
		detail = fmt.Sprintf("no scorable answers among %d questions: the score is 0", len(qs))
	}
	res.Breakdown = []Part{{Factor: FactorAnswers, Detail: detail, Points: fromH(rawH)}}
	if len(res.FailedCritical) > 0 {
		capH := clampH(toH(cfg.CriticalCap), 0, 10000)
		if rawH > capH {
			scoreH = capH
			res.Breakdown = append(res.Breakdown, Part{
				Factor: FactorCriticalCap,
				Detail: fmt.Sprintf("critical control failed (%s): score capped at %s", strings.Join(res.FailedCritical, ", "), fmtH(capH)),
				Points: fromH(capH - rawH),
			})
		}
	}
	res.Raw = fromH(rawH)
	res.Score = fromH(scoreH)
	return res, nil
}

// optionScore returns a copy of the score of the option v of q (nil when not applicable).
func optionScore(q Question, v string) *float64 {
	for _, o := range q.Options {
		if o.Value == v {
			if o.Score == nil {
				return nil
			}
			s := *o.Score
			return &s
		}
	}
	return nil
}
