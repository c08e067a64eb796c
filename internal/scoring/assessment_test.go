package scoring

import (
	"errors"
	"reflect"
	"testing"
)

// baseline is a small questionnaire in the shape the product ships.
func baseline() []Question {
	return []Question{
		{Key: "mfa_admin", Domain: "access_control", Weight: 3, Critical: true, Options: yesNo(false)},
		{Key: "access_reviews", Domain: "access_control", Weight: 2, Options: yesNo(false)},
		{Key: "offline_backups", Domain: "backup_recovery", Weight: 3, Critical: true, Options: yesNo(true)},
		{Key: "restore_tested", Domain: "backup_recovery", Weight: 2, Options: yesNo(true)},
		{Key: "pen_test", Domain: "vulnerability_management", Weight: 1, Optional: true, Options: yesNo(false)},
	}
}

// all answers every non-optional baseline question with v.
func all(v string) map[string]string {
	return map[string]string{"mfa_admin": v, "access_reviews": v, "offline_backups": v, "restore_tested": v, "pen_test": v}
}

func TestScoreAssessment(t *testing.T) {
	cfg := DefaultConfig()
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(out, kv[i])
			} else {
				out[kv[i]] = kv[i+1]
			}
		}
		return out
	}
	cases := []struct {
		name       string
		answers    map[string]string
		score, raw float64
		failed     []string
		capPoints  float64 // the cap part's points; 0 = no cap part
	}{
		{name: "all best options", answers: all("yes"), score: 100, raw: 100},
		{name: "all worst options", answers: all("no"), score: 0, raw: 0, failed: []string{"mfa_admin", "offline_backups"}},
		{name: "all middle options", answers: all("partial"), score: 50, raw: 50},
		{name: "one failed critical control caps at 40", answers: with(all("yes"), "offline_backups", "no"),
			score: 40, raw: 72.73, failed: []string{"offline_backups"}, capPoints: -32.73},
		{name: "cap does not raise a lower score", answers: with(all("no"), "access_reviews", "yes"),
			score: 18.18, raw: 18.18, failed: []string{"mfa_admin", "offline_backups"}},
		{name: "critical answered exactly 0.5 passes", answers: with(all("yes"), "offline_backups", "partial"), score: 86.36, raw: 86.36},
		{name: "n/a is left out of the denominator", answers: with(all("yes"), "restore_tested", "n/a", "access_reviews", "no"),
			score: 77.78, raw: 77.78}, // (3 + 0 + 3 + 1) / (3 + 2 + 3 + 1)
		{name: "n/a on a critical control is not a failure", answers: with(all("yes"), "offline_backups", "n/a"), score: 100, raw: 100},
		{name: "unanswered optional is left out", answers: with(all("partial"), "pen_test", ""), score: 50, raw: 50},
		{name: "optional answered counts", answers: with(all("yes"), "pen_test", "no"), score: 90.91, raw: 90.91},
		{name: "unanswered required counts as 0", answers: with(all("yes"), "access_reviews", ""), score: 81.82, raw: 81.82},
		{name: "unanswered required critical fails", answers: with(all("yes"), "mfa_admin", ""),
			score: 40, raw: 72.73, failed: []string{"mfa_admin"}, capPoints: -32.73},
		{name: "nothing scorable scores 0", answers: map[string]string{"offline_backups": "n/a", "restore_tested": "n/a"},
			score: 0, raw: 0, failed: []string{"mfa_admin"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			qs := baseline()
			if c.name == "nothing scorable scores 0" {
				qs = qs[2:4] // only the questions answered n/a: nothing at all is scorable
				c.failed = nil
			}
			got, err := ScoreAssessment(qs, c.answers, cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkAssessment(t, qs, got, cfg)
			if got.Score != c.score || got.Raw != c.raw {
				t.Errorf("score %v raw %v, want %v and %v", got.Score, got.Raw, c.score, c.raw)
			}
			if !reflect.DeepEqual(got.FailedCritical, c.failed) {
				t.Errorf("failed critical %v, want %v", got.FailedCritical, c.failed)
			}
			var capPart float64
			for _, p := range got.Breakdown {
				if p.Factor == FactorCriticalCap {
					capPart = p.Points
				}
			}
			if capPart != c.capPoints {
				t.Errorf("cap part %v, want %v (breakdown %+v)", capPart, c.capPoints, got.Breakdown)
			}
		})
	}
}

func TestScoreAssessmentLines(t *testing.T) {
	answers := all("yes")
	answers["restore_tested"] = "n/a"
	delete(answers, "pen_test")
	got, err := ScoreAssessment(baseline(), answers, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	// Weights 3, 2, 3 scorable (8 in all): 37.5 + 25 + 37.5.
	wantPoints := []float64{37.5, 25, 37.5, 0, 0}
	for i, l := range got.Answers {
		if l.Points != wantPoints[i] {
			t.Errorf("%s: %v points, want %v", l.Question, l.Points, wantPoints[i])
		}
	}
	if got.Answers[3].Answer != "n/a" || got.Answers[3].OptionScore != nil {
		t.Errorf("n/a line %+v", got.Answers[3])
	}
	if got.Answers[4].Answer != "" || got.Answers[4].OptionScore != nil {
		t.Errorf("unanswered optional line %+v", got.Answers[4])
	}
	wantDomains := []struct {
		domain   string
		score    *float64
		weight   float64
		answered int
	}{
		{"access_control", sc(100), 5, 2},
		{"backup_recovery", sc(100), 3, 2},
		{"vulnerability_management", nil, 0, 0},
	}
	if len(got.Domains) != len(wantDomains) {
		t.Fatalf("domains %+v", got.Domains)
	}
	for i, w := range wantDomains {
		d := got.Domains[i]
		if d.Domain != w.domain || !reflect.DeepEqual(d.Score, w.score) || d.Weight != w.weight || d.Answered != w.answered {
			t.Errorf("domain %d = %+v (score %v), want %+v", i, d, d.Score, w)
		}
	}
}

func TestScoreAssessmentLargestRemainder(t *testing.T) {
	// Three equal answers each worth 33.333…: two get 33.33 and one 33.34 so they add to 100.
	qs := []Question{
		{Key: "a", Domain: "d", Weight: 1, Options: yesNo(false)},
		{Key: "b", Domain: "d", Weight: 1, Options: yesNo(false)},
		{Key: "c", Domain: "d", Weight: 1, Options: yesNo(false)},
	}
	got, err := ScoreAssessment(qs, map[string]string{"a": "yes", "b": "yes", "c": "yes"}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{33.34, 33.33, 33.33}
	if p := answerPoints(got.Answers); !reflect.DeepEqual(p, want) {
		t.Errorf("points %v, want %v", p, want)
	}
}

func TestScoreAssessmentErrors(t *testing.T) {
	cases := []struct {
		name    string
		qs      []Question
		answers map[string]string
		want    error
		bad     []string // keys of the rejected answers, in order
	}{
		{name: "unknown question", qs: baseline(), answers: map[string]string{"mfa_admin": "yes", "firewall": "yes"},
			want: ErrUnknownQuestion, bad: []string{"firewall"}},
		{name: "unknown option", qs: baseline(), answers: map[string]string{"mfa_admin": "maybe"},
			want: ErrUnknownOption, bad: []string{"mfa_admin"}},
		{name: "n/a where not offered", qs: baseline(), answers: map[string]string{"mfa_admin": "n/a"},
			want: ErrUnknownOption, bad: []string{"mfa_admin"}},
		{name: "empty option value", qs: baseline(), answers: map[string]string{"access_reviews": ""},
			want: ErrUnknownOption, bad: []string{"access_reviews"}},
		{name: "every bad answer reported in key order", qs: baseline(),
			answers: map[string]string{"zz": "yes", "mfa_admin": "maybe", "aa": "no"},
			want:    ErrUnknownQuestion, bad: []string{"aa", "mfa_admin", "zz"}},
		{name: "duplicate question key", qs: append(baseline(), baseline()[0]), want: ErrInvalidQuestionnaire},
		{name: "empty question key", qs: []Question{{Domain: "d", Weight: 1, Options: yesNo(false)}}, want: ErrInvalidQuestionnaire},
		{name: "zero weight", qs: []Question{{Key: "a", Weight: 0, Options: yesNo(false)}}, want: ErrInvalidQuestionnaire},
		{name: "negative weight", qs: []Question{{Key: "a", Weight: -1, Options: yesNo(false)}}, want: ErrInvalidQuestionnaire},
		{name: "option score above 1", qs: []Question{{Key: "a", Weight: 1, Options: []Option{{"yes", sc(1.5)}}}}, want: ErrInvalidQuestionnaire},
		{name: "duplicate option", qs: []Question{{Key: "a", Weight: 1, Options: []Option{{"yes", sc(1)}, {"yes", sc(0)}}}}, want: ErrInvalidQuestionnaire},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ScoreAssessment(c.qs, c.answers, DefaultConfig())
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			var keys []string
			for _, e := range AnswerErrors(err) {
				keys = append(keys, e.Question)
			}
			if !reflect.DeepEqual(keys, c.bad) {
				t.Errorf("rejected answers %v, want %v", keys, c.bad)
			}
		})
	}
}

func TestScoreAssessmentDoesNotAliasInput(t *testing.T) {
	qs := baseline()
	got, err := ScoreAssessment(qs, all("yes"), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	*got.Answers[0].OptionScore = 0
	if *qs[0].Options[0].Score != 1 {
		t.Fatal("changing a result changed the questionnaire")
	}
}
