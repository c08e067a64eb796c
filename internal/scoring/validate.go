package scoring

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Errors ScoreAssessment returns, wrapped in an *AnswerError or with more detail;
// test with errors.Is.
var (
	// ErrUnknownQuestion: an answer names a question the questionnaire does not have.
	ErrUnknownQuestion = errors.New("unknown question")
	// ErrUnknownOption: an answer is not one of the options its question offers.
	ErrUnknownOption = errors.New("option not offered by the question")
	// ErrInvalidQuestionnaire: the questionnaire breaks the product's rules (duplicate
	// or empty keys, a weight that is not a positive number, an option score outside 0–1).
	ErrInvalidQuestionnaire = errors.New("invalid questionnaire")
)

// AnswerError says which answer was rejected; Err is ErrUnknownQuestion or ErrUnknownOption.
type AnswerError struct {
	Question string // the key the answer was given under
	Value    string // the value given
	Err      error
}

// Error describes the rejected answer.
func (e *AnswerError) Error() string {
	return fmt.Sprintf("answer %q to %q: %v", e.Value, e.Question, e.Err)
}

// Unwrap returns the sentinel error.
func (e *AnswerError) Unwrap() error { return e.Err }

// AnswerErrors returns every *AnswerError inside err (as returned by
// ScoreAssessment), in key order, so a caller can report each bad answer as its own field.
func AnswerErrors(err error) []*AnswerError {
	var out []*AnswerError
	var walk func(error)
	walk = func(e error) {
		switch x := e.(type) {
		case nil:
		case *AnswerError:
			out = append(out, x)
		case interface{ Unwrap() []error }:
			for _, y := range x.Unwrap() {
				walk(y)
			}
		case interface{ Unwrap() error }:
			walk(x.Unwrap())
		}
	}
	walk(err)
	return out
}

// checkQuestionnaire enforces the rules ScoreAssessment relies on and returns the
// largest weight.
func checkQuestionnaire(qs []Question) (float64, error) {
	seen := make(map[string]bool, len(qs))
	maxW := 0.0
	for i, q := range qs {
		if q.Key == "" {
			return 0, fmt.Errorf("%w: question %d has no key", ErrInvalidQuestionnaire, i+1)
		}
		if seen[q.Key] {
			return 0, fmt.Errorf("%w: question %q appears twice", ErrInvalidQuestionnaire, q.Key)
		}
		seen[q.Key] = true
		if !(q.Weight > 0) || math.IsInf(q.Weight, 0) {
			return 0, fmt.Errorf("%w: question %q: weight must be a positive number", ErrInvalidQuestionnaire, q.Key)
		}
		maxW = math.Max(maxW, q.Weight)
		values := make(map[string]bool, len(q.Options))
		for _, o := range q.Options {
			if values[o.Value] {
				return 0, fmt.Errorf("%w: question %q offers %q twice", ErrInvalidQuestionnaire, q.Key, o.Value)
			}
			values[o.Value] = true
			if o.Score != nil && !(*o.Score >= 0 && *o.Score <= 1) {
				return 0, fmt.Errorf("%w: question %q: option %q must score between 0 and 1 or null", ErrInvalidQuestionnaire, q.Key, o.Value)
			}
		}
	}
	return maxW, nil
}

// checkAnswers rejects answers to unknown questions and options a question does not offer.
func checkAnswers(qs []Question, answers map[string]string) error {
	byKey := make(map[string]*Question, len(qs))
	for i := range qs {
		byKey[qs[i].Key] = &qs[i]
	}
	var bad []*AnswerError
	for k, v := range answers {
		q, ok := byKey[k]
		if !ok {
			bad = append(bad, &AnswerError{Question: k, Value: v, Err: ErrUnknownQuestion})
			continue
		}
		offered := false
		for _, o := range q.Options {
			if o.Value == v {
				offered = true
				break
			}
		}
		if !offered {
			bad = append(bad, &AnswerError{Question: k, Value: v, Err: ErrUnknownOption})
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Slice(bad, func(i, j int) bool { return bad[i].Question < bad[j].Question })
	errs := make([]error, len(bad))
	for i, e := range bad {
		errs[i] = e
	}
	return errors.Join(errs...)
}
