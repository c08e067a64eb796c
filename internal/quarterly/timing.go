package quarterly

import (
	"fmt"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/report"
	"github.com/weaklink/weaklink/internal/store"
)

// lateDays: reports stored by earlier releases described the register as it stood
// when they were generated, so one generated more than lateDays after its quarter
// ended is labelled with a quarter its figures do not describe (mislabelled). Reports
// of past quarters are now built from the risk history as of the quarter's end.
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
	_, end, ok := Bounds(quarter)
	return ok && daysAfterEnd(end, asOf.UTC()) > lateDays
}

// previousQuarter names the quarter before q (q well formed).
func previousQuarter(q string) string {
	start, _, _ := Bounds(q)
	return QuarterOf(start.AddDate(0, -3, 0))
}

// checkQuarterBegun refuses, as CodeInvalid on the field quarter, a report of a
// quarter that has not begun at now. A past quarter is built from the risk history
// (register.Service.StoredPortfolio refuses one that ended before it began).
func checkQuarterBegun(quarter string, now time.Time) error {
	start, _, _ := Bounds(quarter)
	if !start.After(now) {
		return nil
	}
	return register.Invalid(register.FieldError{Field: "quarter", Message: fmt.Sprintf(
		"%s has not started yet: the current quarter is %s", quarter, QuarterOf(now))})
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
	_, end, ok := Bounds(s.Quarter)
	if !ok {
		return
	}
	s.DaysAfterQuarterEnd = daysAfterEnd(end, s.AsOf.UTC())
	s.Mislabelled = s.DaysAfterQuarterEnd > lateDays
	if s.Changes == nil && s.NoComparison == "" {
		s.NoComparison = fmt.Sprintf("No report of %s is stored: nothing to compare with.", previousQuarter(s.Quarter))
	}
}

// assessmentsAsOf gives the quarter's assessments the status they had at t: one
// reviewed later was still submitted.
func assessmentsAsOf(as []store.AssessmentRow, t time.Time) []store.AssessmentRow {
	out := make([]store.AssessmentRow, 0, len(as))
	for _, a := range as {
		if a.ReviewedAt != nil && a.ReviewedAt.After(t) {
			a.Status, a.ReviewedAt = "submitted", nil
		}
		out = append(out, a)
	}
	return out
}

// incidentsAsOf gives the quarter's incidents what was recorded of them at t: one
// recorded later is left out, one closed later was not closed yet (it shows as open:
// when it was contained is not recorded), and notifications sent later were not sent
// yet. Summaries show as they read now.
func incidentsAsOf(ins []store.IncidentRow, t time.Time) []store.IncidentRow {
	out := make([]store.IncidentRow, 0, len(ins))
	for _, in := range ins {
		if in.CreatedAt.After(t) {
			continue
		}
		if in.ClosedAt != nil && in.ClosedAt.After(t) {
			in.Status, in.ClosedAt = "open", nil
		}
		if in.RegulatorNotifiedAt != nil && in.RegulatorNotifiedAt.After(t) {
			in.RegulatorNotifiedAt = nil
		}
		if in.SubjectsNotifiedAt != nil && in.SubjectsNotifiedAt.After(t) {
			in.SubjectsNotifiedAt = nil
		}
		out = append(out, in)
	}
	return out
}
