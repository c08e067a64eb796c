package scoring

import (
	"math"
	"math/rand"
	"testing"
)

func TestPeopleOf(t *testing.T) {
	members := []string{"members"}
	cases := []struct {
		name     string
		holdings []PeopleHolding
		want     People
	}{
		{"nothing in care", nil, People{0, 0}},
		{"one holding", []PeopleHolding{{members, 580000}}, People{580000, 580000}},
		// PRODUCT.md §2's example: two categories about the same members are one set of people.
		{"two categories, same members", []PeopleHolding{{members, 580000}, {members, 580000}}, People{580000, 580000}},
		{"and 20,000 supporters", []PeopleHolding{{members, 580000}, {members, 580000}, {[]string{"supporters"}, 20000}},
			People{580000, 600000}},
		{"a set is a set: order, case and spacing", []PeopleHolding{{[]string{"members", "supporters"}, 10}, {[]string{" Supporters", "MEMBERS"}, 30}},
			People{30, 30}},
		{"a different set adds up", []PeopleHolding{{[]string{"members", "supporters"}, 10}, {members, 30}}, People{30, 40}},
		{"negative reads as zero", []PeopleHolding{{members, -5}}, People{0, 0}},
		{"saturates", []PeopleHolding{{members, math.MaxInt64}, {[]string{"staff"}, 10}}, People{math.MaxInt64, math.MaxInt64}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := PeopleOf(tc.holdings); got != tc.want {
				t.Fatalf("PeopleOf = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// Whatever the holdings: at least ≤ at most ≤ the records summed, and adding a
// holding never lowers either bound.
func TestPeopleOfProperties(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	subjects := [][]string{{"members"}, {"supporters"}, {"members", "supporters"}, {"staff"}, nil}
	for i := 0; i < 2000; i++ {
		var hs []PeopleHolding
		var records int64
		prev := People{}
		for j := 0; j < r.Intn(8); j++ {
			h := PeopleHolding{subjects[r.Intn(len(subjects))], r.Int63n(1_000_000)}
			hs = append(hs, h)
			records += h.Records
			p := PeopleOf(hs)
			if p.AtLeast > p.AtMost || p.AtMost > records || p.AtLeast < prev.AtLeast || p.AtMost < prev.AtMost {
				t.Fatalf("%+v: %+v (records %d, before %+v)", hs, p, records, prev)
			}
			prev = p
		}
	}
}
