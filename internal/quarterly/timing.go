package quarterly

import (
	"fmt"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/report"
)

// lateDays is how many days after a quarter's last day its report may still be
// generated. Until risk history is recorded a report can only describe the register
// as it stands when it is generated, so the quarter it is labelled with must be the
// current one, or the one just ended while the register has had little time to
// move: the late report says on its face when it was taken. This is a deliberate,
// temporary exception to PRODUCT.md §5 (a past quarter read from history), to be
// removed when history is recorded.
const lateDays = 31

// daysAfterEnd is how many calendar days (UTC) after the last day of the quarter
// ending at end (the first instant of the next quarter) t falls: 1 on the day after
// the last day, 0 while the quarter lasts.
func daysAfterEnd(end, t time.Time) int {
	if t.Before(end) {
		return 0
	}
	return int(t.Sub(end)/(24*time.Hour)) + 1
}

// mislabelled reports whether a report of quarter taken at asOf is labelled with a
// quarter its figures do not describe: taken more than lateDays after it ended.
func mislabelled(quarter string, asOf time.Time) bool {
	_, end, ok := quarterBounds(quarter)
	return ok && daysAfterEnd(end, asOf.UTC()) > lateDays
}

// previousQuarter names the quarter before q (q well formed).
func previousQuarter(q string) string {
	start, _, _ := quarterBounds(q)
	return QuarterOf(start.AddDate(0, -3, 0))
}

// checkQuarterAllowed refuses, as CodeInvalid on the field quarter, a new report or
// revision of any quarter but the current one and the one just ended (up to lateDays
// after its end); the message names the quarters allowed at now.
func checkQuarterAllowed(quarter string, now time.Time) error {
	current := QuarterOf(now)
	if quarter == current {
		return nil
	}
	prev := previousQuarter(current)
	_, prevEnd, _ := quarterBounds(prev)
	late := daysAfterEnd(prevEnd, now)
	if quarter == prev && late <= lateDays {
		return nil
	}
	allowed := fmt.Sprintf("must be %s (the current quarter)", current)
	if late <= lateDays {
		allowed += fmt.Sprintf(" or %s (ended %s ago, allowed until %s)", prev, days(late), longDate(prevEnd.AddDate(0, 0, lateDays-1)))
	}
	var why string
	switch start, _, _ := quarterBounds(quarter); {
	case start.After(now):
		why = quarter + " has not started yet"
	case quarter == prev:
		why = fmt.Sprintf("%s ended %s ago, more than %d days ago", prev, days(late), lateDays)
	default:
		why = quarter + " is over"
	}
	return register.Invalid(register.FieldError{Field: "quarter", Message: fmt.Sprintf("%s: %s. A report shows the register as it "+
		"stands when it is generated, so it can be labelled with a past quarter only within %d days of that quarter's end",
		allowed, why, lateDays)})
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

func longDate(t time.Time) string { return t.UTC().Format("2 January 2006") }

// deriveTiming fills the snapshot's fields that follow from its quarter and as-of
// time, for reports stored before they existed as much as for new ones: how late it
// was taken, whether that makes it mislabelled, and, when it has no changes section,
// why (reports stored earlier had none only when no earlier report was stored).
func deriveTiming(s *report.Snapshot) {
	_, end, ok := quarterBounds(s.Quarter)
	if !ok {
		return
	}
	s.DaysAfterQuarterEnd = daysAfterEnd(end, s.AsOf.UTC())
	s.Mislabelled = s.DaysAfterQuarterEnd > lateDays
	if s.Changes == nil && s.NoComparison == "" {
		s.NoComparison = fmt.Sprintf("No report of %s is stored: nothing to compare with.", previousQuarter(s.Quarter))
	}
}
