package register

import "github.com/weaklink/weaklink/internal/scoring"

// The register's own result types for scores and risk figures, so that callers
// (the HTTP layer) depend on the domain, not on the methodology's package. Each
// mirrors the internal/scoring type it is converted from, field for field; the
// stored score detail is their JSON (untagged field names), which both read alike.

// MethodologyVersion names the scoring methodology the figures were computed with
// (docs/methodology.md).
const MethodologyVersion = scoring.MethodologyVersion

// Part is one line of a figure's breakdown: the factor, plain-English evidence for
// it, and its points. The parts of a figure sum exactly to it.
type Part struct {
	Factor string
	Detail string
	Points float64
}

// People is how many people some holdings are about, as a range (PRODUCT.md §2):
// at least the largest single record count, at most the sum over each distinct set of
// data subjects of the largest record count naming it. {0, 0} when there is nothing.
type People struct {
	AtLeast int64
	AtMost  int64
}

// Figure is a risk figure, 0–100, with its breakdown.
type Figure struct {
	Value     float64
	Breakdown []Part
}

// PostureFigure is a posture, 0–100 (nil when never assessed), with its breakdown.
type PostureFigure struct {
	Value     *float64
	Breakdown []Part
}

// AnswerScore is how one answer counted in an assessment's score.
type AnswerScore struct {
	Question    string   // the question's key
	Domain      string   // the question's domain
	Answer      string   // the option chosen; "" when unanswered
	OptionScore *float64 // the option's score, 0–1; nil when not applicable (or optional and unanswered)
	Weight      float64  // the question's weight
	Critical    bool     // whether the question is a critical control
	Points      float64  // this answer's share of Raw
}

// DomainScore summarises one domain's answers.
type DomainScore struct {
	Domain   string
	Score    *float64 // 0–100; nil when nothing in the domain is scorable
	Weight   float64  // total weight of the domain's scorable answers
	Answered int      // questions answered, not-applicable answers included
}

// AssessmentScore is the immutable score stored when an assessment is submitted.
type AssessmentScore struct {
	Score          float64  // 0–100 after the critical-control cap
	Raw            float64  // before the cap
	FailedCritical []string // keys of failed critical questions, in question order
	Answers        []AnswerScore
	Domains        []DomainScore
	Breakdown      []Part // sums exactly to Score
	Methodology    string // the MethodologyVersion it was computed under
}

func partsOf(ps []scoring.Part) []Part {
	out := make([]Part, len(ps))
	for i, p := range ps {
		out[i] = Part(p)
	}
	return out
}

func figureOf(r scoring.Risk) Figure { return Figure{Value: r.Value, Breakdown: partsOf(r.Breakdown)} }

func postureOf(p scoring.Posture) PostureFigure {
	return PostureFigure{Value: p.Value, Breakdown: partsOf(p.Breakdown)}
}

// scoreOf converts the methodology's score into the register's.
func scoreOf(s scoring.AssessmentScore) AssessmentScore {
	out := AssessmentScore{Score: s.Score, Raw: s.Raw, FailedCritical: s.FailedCritical, Breakdown: partsOf(s.Breakdown),
		Methodology: s.Methodology, Answers: make([]AnswerScore, len(s.Answers)), Domains: make([]DomainScore, len(s.Domains))}
	for i, a := range s.Answers {
		out.Answers[i] = AnswerScore(a)
	}
	for i, d := range s.Domains {
		out.Domains[i] = DomainScore(d)
	}
	return out
}

// methodologyScore converts a stored score back for the methodology's posture rules.
func (s *AssessmentScore) methodologyScore() *scoring.AssessmentScore {
	if s == nil {
		return nil
	}
	out := &scoring.AssessmentScore{Score: s.Score, Raw: s.Raw, FailedCritical: s.FailedCritical, Methodology: s.Methodology,
		Answers: make([]scoring.AnswerScore, len(s.Answers)), Domains: make([]scoring.DomainScore, len(s.Domains)),
		Breakdown: make([]scoring.Part, len(s.Breakdown))}
	for i, a := range s.Answers {
		out.Answers[i] = scoring.AnswerScore(a)
	}
	for i, d := range s.Domains {
		out.Domains[i] = scoring.DomainScore(d)
	}
	for i, p := range s.Breakdown {
		out.Breakdown[i] = scoring.Part(p)
	}
	return out
}
