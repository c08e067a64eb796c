package report

import "fmt"

// timingNote is what every format prints under the report's heading about when the
// snapshot was taken, and whether it is a warning: nothing for a report taken during
// its quarter; a note for one taken in the days after the quarter ended (it shows the
// register as it stood then); a warning for a mislabelled one, taken so long after
// that its figures are not the quarter's.
func timingNote(s Snapshot) (string, bool) {
	n := s.DaysAfterQuarterEnd
	if n <= 0 {
		return "", false
	}
	after := "1 day"
	if n != 1 {
		after = fmt.Sprintf("%d days", n)
	}
	on := s.AsOf.UTC().Format("2 January 2006")
	if s.Mislabelled {
		return fmt.Sprintf("Warning: mislabelled. Generated on %s, %s after %s ended: it describes the register as it "+
			"stood then, not during %s, and no later report compares with it.", on, after, s.Quarter, s.Quarter), true
	}
	return fmt.Sprintf("Generated on %s, %s after the quarter ended: it describes the register as it stood then.", on, after), false
}

// noComparison says why a report has no changes section.
func noComparison(s Snapshot) string {
	if s.NoComparison != "" {
		return s.NoComparison
	}
	return "No report of the previous quarter is stored: nothing to compare with."
}
