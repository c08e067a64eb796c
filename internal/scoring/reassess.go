package scoring

import "time"

// NextReassessment adds the tier's interval in months to the date of the last assessment (YYYY-MM-DD); "" when never assessed.
//
// A day that does not exist in the target month moves back to the month's last day
// (31 August + 6 months is 28 or 29 February, not 2 or 3 March). A tier without a
// configured interval gets the shortest one configured; an unreadable date counts as
// never assessed.
func NextReassessment(last string, tier string, cfg Config) string {
	t, ok := parseDate(last)
	if !ok {
		return ""
	}
	return addMonths(t, reassessMonths(tier, cfg)).Format(dateLayout)
}

// ReassessmentOverdue reports whether an assessment made on last is older than its
// tier's interval on today (both YYYY-MM-DD): true from the day after NextReassessment.
// Never assessed is not overdue (it is unassessed, a flag of its own); an unreadable
// today counts as overdue.
func ReassessmentOverdue(last, tier, today string, cfg Config) bool {
	next := NextReassessment(last, tier, cfg)
	if next == "" {
		return false
	}
	t, ok := parseDate(today)
	if !ok {
		return true
	}
	n, _ := parseDate(next)
	return t.After(n)
}

// reassessMonths is the tier's interval, or the shortest configured one when the tier
// has none (0 when nothing is configured: reassess at once).
func reassessMonths(tier string, cfg Config) int {
	if m, ok := cfg.ReassessMonths[tier]; ok && m > 0 {
		return min(m, 1200)
	}
	shortest := 0
	for _, m := range cfg.ReassessMonths {
		if m > 0 && (shortest == 0 || m < shortest) {
			shortest = m
		}
	}
	return min(shortest, 1200)
}

// addMonths adds n months to t, keeping the day of the month where it exists and
// otherwise using the target month's last day.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	lastDay := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, lastDay), 0, 0, 0, 0, time.UTC)
}
