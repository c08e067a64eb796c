package register

import "testing"

// The spokesperson sentence names at most five sub-processors, then how many others.
func TestNamesAtMost(t *testing.T) {
	names := []string{"A", "B", "C", "D", "E", "F", "G", "H"}
	cases := []struct {
		n    int
		want string
	}{
		{1, "A"},
		{2, "A and B"},
		{5, "A, B, C, D and E"},
		{6, "A, B, C, D, E and 1 other"},
		{8, "A, B, C, D, E and 3 others"},
	}
	for _, tc := range cases {
		if got := namesAtMost(names[:min(tc.n, maxNamedSubprocessors)], tc.n, maxNamedSubprocessors); got != tc.want {
			t.Errorf("%d names: %q, want %q", tc.n, got, tc.want)
		}
	}
}
