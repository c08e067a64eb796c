package scoring

import "testing"

func TestNextReassessment(t *testing.T) {
	cfg := DefaultConfig()
	cases := []struct {
		name, last, tier, want string
	}{
		{"never assessed", "", "high", ""},
		{"unreadable date", "15/09/2026", "high", ""},
		{"critical: 6 months", "2026-09-15", "critical", "2027-03-15"},
		{"high: 12 months", "2026-09-15", "high", "2027-09-15"},
		{"medium: 24 months", "2026-09-15", "medium", "2028-09-15"},
		{"low: 36 months", "2026-09-15", "low", "2029-09-15"},
		{"month end moves back", "2026-08-31", "critical", "2027-02-28"},
		{"leap day kept in a leap year", "2027-08-31", "critical", "2028-02-29"},
		{"leap day to a common year", "2028-02-29", "high", "2029-02-28"},
		{"unknown tier gets the shortest interval", "2026-09-15", "", "2027-03-15"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := NextReassessment(c.last, c.tier, cfg); got != c.want {
				t.Errorf("NextReassessment(%q, %q) = %q, want %q", c.last, c.tier, got, c.want)
			}
		})
	}
}

func TestReassessmentOverdue(t *testing.T) {
	cfg := DefaultConfig()
	cases := []struct {
		name, last, tier, today string
		want                    bool
	}{
		{"never assessed is not overdue", "", "critical", "2030-01-01", false},
		{"on the due date", "2026-09-15", "high", "2027-09-15", false},
		{"the day after", "2026-09-15", "high", "2027-09-16", true},
		{"well within", "2026-09-15", "low", "2028-01-01", false},
		{"unreadable today", "2026-09-15", "low", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ReassessmentOverdue(c.last, c.tier, c.today, cfg); got != c.want {
				t.Errorf("overdue = %v, want %v", got, c.want)
			}
		})
	}
}
