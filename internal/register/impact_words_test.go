package register

import (
	"strings"
	"testing"
	"time"
)

// The spokesperson's sentence never says more time is left than there is, and says
// how long ago a deadline passed in whole units, rounded down.
func TestRegulatorDeadlineWording(t *testing.T) {
	deadline := time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC)
	hours := func(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }
	cases := []struct {
		left time.Duration
		want string
	}{
		{hours(1.03), "(1 hour from now)"},
		{time.Hour, "(1 hour from now)"},
		{hours(1.99), "(1 hour from now)"},
		{2 * time.Hour, "(2 hours from now)"},
		{71*time.Hour + 59*time.Minute, "(71 hours from now)"},
		{72 * time.Hour, "(72 hours from now)"},
		{time.Hour - time.Microsecond, "(less than an hour from now)"},
		{time.Microsecond, "(less than an hour from now)"},
		{0, "passed at 23:00 UTC on 25 November 2026 (less than an hour ago)"},
		{-59 * time.Minute, "(less than an hour ago)"},
		{-time.Hour, "(1 hour ago)"},
		{-hours(1.99), "(1 hour ago)"},
		{-(24*time.Hour - time.Microsecond), "(23 hours ago)"},
		{-24 * time.Hour, "(1 day ago)"},
		{-25 * time.Hour, "(1 day and 1 hour ago)"},
		{-47 * time.Hour, "(1 day and 23 hours ago)"},
		{-48 * time.Hour, "(2 days ago)"},
		{-50 * time.Hour, "(2 days and 2 hours ago)"},
		{-hours(5851.3), "(243 days and 19 hours ago)"},
	}
	for _, tc := range cases {
		got := regulatorDeadlineSentence(deadline, tc.left)
		if !strings.Contains(got, tc.want) {
			t.Errorf("%v left: %q, want %q", tc.left, got, tc.want)
		}
		if tc.left > 0 && !strings.HasPrefix(got, "If personal data is affected, the regulator must be notified by 23:00 UTC on 25 November 2026 (") {
			t.Errorf("%v left: %q", tc.left, got)
		}
	}
}
