package demo

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
)

// Ids are UUIDv7 whose time is the clock's, in order, and the same for the same seed.
func TestIDs(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	ids := func(seed uint64) []string {
		clk := newClock(at)
		src := &idSource{clk: clk, rnd: rand.New(rand.NewPCG(seed, 1))}
		var out []string
		for i := range 6000 {
			if i == 5000 { // past 4096 ids in one millisecond: the counter reaches rand_b
				clk.set(at.Add(time.Hour))
			}
			out = append(out, src.next())
		}
		return out
	}
	a, b, c := ids(1), ids(1), ids(2)
	for i, id := range a {
		u, err := uuid.Parse(id)
		if err != nil || u.Version() != 7 || u.Variant() != uuid.RFC4122 {
			t.Fatalf("%s: %v, version %d, variant %v", id, err, u.Version(), u.Variant())
		}
		want := at
		if i >= 5000 {
			want = at.Add(time.Hour)
		}
		if sec, nsec := u.Time().UnixTime(); time.Unix(sec, nsec).UTC() != want {
			t.Fatalf("id %d: time %v, want %v", i, time.Unix(sec, nsec).UTC(), want)
		}
		if i > 0 && id <= a[i-1] {
			t.Fatalf("id %d, %s, does not follow %s", i, id, a[i-1])
		}
		if id != b[i] || id == c[i] {
			t.Fatalf("id %d: same seed %s and %s, other seed %s", i, id, b[i], c[i])
		}
	}
}
