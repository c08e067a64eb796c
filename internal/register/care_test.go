package register

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/store"
)

// capGraph is testGraph with capacities: "cat:A>B=500" caps the link at 500 records.
func capGraph(edges ...string) *graph {
	var plain []string
	caps := map[string]int64{}
	for _, e := range edges {
		if edge, c, ok := strings.Cut(e, "="); ok {
			var n int64
			fmt.Sscan(c, &n)
			caps[edge] = n
			e = edge
		}
		plain = append(plain, e)
	}
	g := testGraph(plain...)
	for e, n := range caps {
		cat, pair, _ := strings.Cut(e, ":")
		from, to, _ := strings.Cut(pair, ">")
		g.setCap(cat, "id-"+from, "id-"+to, n)
	}
	return g
}

func widestText(g *graph, cat, from string) string {
	var out []string
	for id, c := range g.widest(cat, "id-"+from) {
		v := "all"
		if c != unlimited {
			v = fmt.Sprint(c)
		}
		out = append(out, g.nodes[id].Name+"="+v)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestWidestTakesTheMostGenerousPath(t *testing.T) {
	cases := []struct {
		name  string
		edges []string
		want  string
	}{
		{"uncapped chain", []string{"c:A>B", "c:B>C"}, "B=all C=all"},
		{"the smallest cap along a path", []string{"c:A>B=900", "c:B>C=300"}, "B=900 C=300"},
		// Two routes to D: through B (min 100) and through C (min 400): D gets 400.
		{"the best of two paths", []string{"c:A>B=100", "c:B>D", "c:A>C", "c:C>D=400"}, "B=100 C=all D=400"},
		{"a longer path may be more generous", []string{"c:A>D=10", "c:A>B", "c:B>C", "c:C>D"}, "B=all C=all D=all"},
		{"other categories do not carry it", []string{"c:A>B", "x:B>C"}, "B=all"},
		// A cycle back to A never brings A's own data back to it.
		{"a cycle leaves the source out", []string{"c:A>B", "c:B>C=50", "c:C>A"}, "B=all C=50"},
		{"a cap of zero passes nothing on", []string{"c:A>B=0", "c:B>C"}, "B=0 C=0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := widestText(capGraph(tc.edges...), "c", "A"); got != tc.want {
				t.Fatalf("widest = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWidestPathIsShortestAmongTheMostGenerous(t *testing.T) {
	g := capGraph("c:A>D=10", "c:A>Bravo", "c:Bravo>D", "c:A>alpha", "c:alpha>D", "c:A>X", "c:X>Y", "c:Y>D")
	if got := names(g, g.widestPath("c", "id-A", "id-D", 1000)); got != "A>alpha>D" {
		t.Fatalf("path = %s", got)
	}
	if got := names(g, g.widestPath("c", "id-A", "id-D", 5)); got != "A>D" {
		t.Fatalf("path for 5 records = %s", got)
	}
	if p := g.widestPath("c", "id-D", "id-A", 1); p != nil {
		t.Fatalf("a path against the links: %v", p)
	}
}

// Each origin counts once at each supplier it reaches, however many paths; the
// holder keeps its own holding as its own.
func TestCareCountsEachOriginOnce(t *testing.T) {
	g := capGraph("contact:Hub>Mail", "contact:Hub>Print", "contact:Mail>Print", "political:Hub>Mail=200", "political:Mail>Hub")
	srcs := []careSource{
		{HoldingID: "h1", SupplierID: "id-Hub", Category: "contact", Records: 1000, DataSubjects: []string{"members"}},
		{HoldingID: "h2", SupplierID: "id-Hub", Category: "political", Records: 1000, DataSubjects: []string{"members"}},
		{HoldingID: "h3", SupplierID: "id-Mail", Category: "contact", Records: 50, DataSubjects: []string{"supporters"}},
	}
	care := g.careAll(srcs)
	text := func(id string) string {
		var out []string
		for _, it := range care[id] {
			how := "own"
			if it.Received {
				how = "from " + g.nodes[it.SupplierID].Name
			}
			out = append(out, fmt.Sprintf("%s %s %d", it.HoldingID, how, it.Arriving))
		}
		sort.Strings(out)
		return strings.Join(out, ", ")
	}
	want := map[string]string{
		"id-Hub":   "h1 own 1000, h2 own 1000",                     // its political data comes back from Mail: not counted again
		"id-Mail":  "h1 from Hub 1000, h2 from Hub 200, h3 own 50", // the link caps political opinions at 200
		"id-Print": "h1 from Hub 1000, h3 from Mail 50",            // two paths from Hub, counted once
	}
	for id, w := range want {
		if got := text(id); got != w {
			t.Errorf("%s: %s, want %s", g.nodes[id].Name, got, w)
		}
	}
}

// unauthorised names a link without authorisation only when data arrives along it
// from an origin other than the receiving supplier itself.
func TestUnauthorisedLinksCarryData(t *testing.T) {
	edge := func(from, to, cat string, authorised bool) store.Edge {
		e := store.Edge{From: from, FromName: strings.ToUpper(from), FromNameKey: from, To: to, ToName: strings.ToUpper(to), ToNameKey: to, Category: cat}
		if authorised {
			d := "2024-03-01"
			e.AuthorisedAt = &d
		}
		return e
	}
	hs := []store.RiskHolding{{ID: "h1", SupplierID: "b", CategoryKey: "health", CategoryName: "Health", SpecialCategory: true, RecordCount: 10, DataSubjects: `["members"]`}}
	c := newInCare(hs, []store.Edge{
		edge("b", "a", "health", true),           // B's own data goes to A…
		edge("a", "b", "health", false),          // …and would come back along an unauthorised link: not received by B
		edge("a", "c", "health", false),          // C receives B's data through A without authorisation
		edge("a", "c", "contact_details", false), // nothing of this category is at A
	})
	if got := c.unauthorised("b"); len(got) != 0 {
		t.Errorf("B's own data coming back raised %+v", got)
	}
	got := c.unauthorised("c")
	if len(got) != 1 || got[0].From != "A" || len(got[0].Categories) != 1 || got[0].Categories[0].Category != "health" || !got[0].Categories[0].Special {
		t.Errorf("C: %+v", got)
	}
	if c.direct["a"] || !c.direct["b"] {
		t.Errorf("direct holders %v", c.direct)
	}
}

// One supplier's data in care computed from its end (careInto, one backward search
// per category) is the whole register's (careAll, one search per holding) for that
// supplier, on random graphs with caps, cycles and holdings everywhere.
func TestCareIntoIsCareAllForOneSupplier(t *testing.T) {
	cats := []string{"contact", "health", "political"}
	for seed := int64(1); seed <= 200; seed++ {
		rng := rand.New(rand.NewSource(seed))
		n := 2 + rng.Intn(9)
		var edges []store.Edge
		for e := rng.Intn(3 * n); e > 0; e-- {
			from, to := rng.Intn(n), rng.Intn(n)
			if from == to {
				continue
			}
			edge := store.Edge{From: fmt.Sprintf("s%d", from), FromName: fmt.Sprintf("S%d", from), To: fmt.Sprintf("s%d", to),
				ToName: fmt.Sprintf("S%d", to), Category: cats[rng.Intn(len(cats))]}
			if rng.Intn(2) == 0 {
				c := int64(rng.Intn(1000))
				edge.RecordCount = &c
			}
			edges = append(edges, edge)
		}
		var hs []store.RiskHolding
		for s := 0; s < n; s++ {
			for _, cat := range cats {
				if rng.Intn(2) == 0 {
					hs = append(hs, store.RiskHolding{ID: fmt.Sprintf("h-%d-%s", s, cat), SupplierID: fmt.Sprintf("s%d", s), CategoryKey: cat,
						RecordCount: int64(rng.Intn(2000)), DataSubjects: fmt.Sprintf(`["subjects %d"]`, rng.Intn(3))})
				}
			}
		}
		all := newInCare(hs, edges)
		for s := 0; s < n; s++ {
			id := fmt.Sprintf("s%d", s)
			var want []careItem
			for _, it := range all.items[id] {
				if it.Received {
					want = append(want, it)
				}
			}
			var up []store.UpstreamHolding // every holding: careInto keeps those that reach id
			for _, h := range hs {
				up = append(up, store.UpstreamHolding{ID: h.ID, SupplierID: h.SupplierID, CategoryKey: h.CategoryKey,
					RecordCount: h.RecordCount, DataSubjects: h.DataSubjects})
			}
			got := all.g.careInto(id, up)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("seed %d, %s:\ncareInto %v\ncareAll  %v", seed, id, got, want)
			}
		}
	}
}
