package api

import (
	"math"
	"testing"
	"time"
)

// Time left before the regulator deadline is never overstated; a delay is exact to
// the hundredth either side of zero.
func TestHoursFigures(t *testing.T) {
	h := func(f float64) time.Duration { return time.Duration(f * float64(time.Hour)) }
	cases := []struct {
		name          string
		d             time.Duration
		down, nearest float64
	}{
		{"1.03 h left", h(1.03), 1.03, 1.03},
		{"59 m 46 s left", 59*time.Minute + 46*time.Second, 0.99, 1.00},
		{"exactly 10 h past", -10 * time.Hour, -10.00, -10.00},
		{"5,851.3 h past", -h(5851.3), -5851.30, -5851.30},
		{"1.03 h past", -h(1.03), -1.03, -1.03},
		{"a second past", -time.Second, -0.01, 0},
		{"zero", 0, 0, 0},
	}
	for _, tc := range cases {
		if got := hoursDown(tc.d); got != tc.down {
			t.Errorf("%s: hoursDown = %v, want %v", tc.name, got, tc.down)
		}
		if got := hoursNearest(tc.d); got != tc.nearest || math.Signbit(got) != math.Signbit(tc.nearest) {
			t.Errorf("%s: hoursNearest = %v, want %v", tc.name, got, tc.nearest)
		}
	}
}
