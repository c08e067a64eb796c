package scoring

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkScore1000Assessments scores 1,000 assessments of 40 answers each per
// iteration: the cost of rescoring a whole portfolio at once.
func BenchmarkScore1000Assessments(b *testing.B) {
	r := rand.New(rand.NewPCG(42, 42))
	qs := randQuestionnaire(r, 40)
	for i := range qs {
		qs[i].Optional = false // every one of the 40 questions answered
	}
	sets := make([]map[string]string, 1000)
	for i := range sets {
		a := map[string]string{}
		for _, q := range qs {
			a[q.Key] = q.Options[r.IntN(len(q.Options))].Value
		}
		sets[i] = a
	}
	cfg := DefaultConfig()
	b.ReportAllocs()
	for b.Loop() {
		for _, a := range sets {
			if _, err := ScoreAssessment(qs, a, cfg); err != nil {
				b.Fatal(err)
			}
		}
	}
}
