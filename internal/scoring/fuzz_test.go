package scoring

import (
	"errors"
	"fmt"
	"testing"
)

// fuzzInput hands out the fuzz bytes one at a time, then zeros.
type fuzzInput struct {
	b []byte
	i int
}

func (f *fuzzInput) next() byte {
	if f.i >= len(f.b) {
		return 0
	}
	f.i++
	return f.b[f.i-1]
}

// FuzzScoreAssessment builds a questionnaire and answers from the bytes and checks the
// invariants: scores within 0–100, answers summing exactly to Raw, the breakdown to
// Score, the critical cap, unknown answers rejected, and a better answer never lowering
// the score.
func FuzzScoreAssessment(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 3, 0, 1, 2, 254, 0, 0})                           // one critical question, best answer
	f.Add([]byte{1, 3, 0, 1, 2, 254, 0, 1})                           // the same, failed
	f.Add([]byte{3, 7, 2, 1, 0, 3, 255, 127, 0, 1, 40})               // not applicable and partial answers
	f.Add([]byte{2, 5, 1, 0, 2, 2, 100, 200, 2, 9, 3, 3, 3, 1, 50})   // optional question left unanswered
	f.Add([]byte{40, 19, 3, 3, 1, 3, 254, 127, 0, 255, 1, 2, 3, 4})   // forty questions
	f.Add([]byte{5, 1, 0, 0, 0, 1, 0, 0, 1, 16, 0, 1, 0, 0, 1, 7, 8}) // injected unknown answer
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &fuzzInput{b: data}
		cfg := DefaultConfig()
		n := int(in.next() % 41)
		qs := make([]Question, n)
		answers := map[string]string{}
		for i := range qs {
			weight := float64(1+in.next()%20) / float64(1+in.next()%4)
			flags := in.next()
			k := 1 + int(flags>>4)%4
			opts := make([]Option, k)
			for j := range opts {
				opts[j] = Option{Value: fmt.Sprintf("o%d", j)}
				if b := in.next(); b != 255 {
					opts[j].Score = sc(float64(b) / 254)
				}
			}
			qs[i] = Question{
				Key: fmt.Sprintf("q%d", i), Domain: fmt.Sprintf("d%d", flags>>2%4), Weight: weight,
				Critical: flags&1 == 1, Optional: flags&2 == 2, Options: opts,
			}
			if c := int(in.next()) % (k + 1); c < k {
				answers[qs[i].Key] = opts[c].Value
			}
		}
		cfg.CriticalCap = float64(in.next() % 101)

		if inject := in.next(); inject%16 == 1 && n > 0 {
			bad := map[string]string{}
			for k, v := range answers {
				bad[k] = v
			}
			if inject&16 == 0 {
				bad["not_a_question"] = "o0"
			} else {
				bad[qs[int(in.next())%n].Key] = "not_an_option"
			}
			_, err := ScoreAssessment(qs, bad, cfg)
			if !errors.Is(err, ErrUnknownQuestion) && !errors.Is(err, ErrUnknownOption) {
				t.Fatalf("unknown answer accepted: %v", err)
			}
			return
		}

		got, err := ScoreAssessment(qs, answers, cfg)
		if err != nil {
			t.Fatalf("valid questionnaire rejected: %v", err)
		}
		checkAssessment(t, qs, got, cfg)

		// The best scored option on one answered question never lowers the score.
		if n == 0 {
			return
		}
		i := int(in.next()) % n
		cur := got.Answers[i].OptionScore
		if _, answered := answers[qs[i].Key]; !answered || cur == nil {
			return
		}
		best := ""
		bestScore := -1.0
		for _, o := range qs[i].Options {
			if o.Score != nil && *o.Score > bestScore {
				best, bestScore = o.Value, *o.Score
			}
		}
		answers[qs[i].Key] = best
		better, err := ScoreAssessment(qs, answers, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if better.Score < got.Score || better.Raw < got.Raw {
			t.Fatalf("best answer to %q lowered %v (raw %v) to %v (raw %v)", qs[i].Key, got.Score, got.Raw, better.Score, better.Raw)
		}
	})
}
