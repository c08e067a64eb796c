package register

import (
	"fmt"
	"strings"
	"testing"
)

func testGraph(edges ...string) *graph {
	g := newGraph()
	for _, e := range edges {
		// "cat:A>B"
		cat, pair, _ := strings.Cut(e, ":")
		from, to, _ := strings.Cut(pair, ">")
		g.addNode(node{ID: "id-" + from, Name: from})
		g.addNode(node{ID: "id-" + to, Name: to})
		g.addEdge(cat, "id-"+from, "id-"+to)
	}
	g.seal()
	return g
}

func names(g *graph, path []string) string {
	var out []string
	for _, id := range path {
		out = append(out, g.nodes[id].Name)
	}
	return strings.Join(out, ">")
}

func TestReachFollowsOnlyTheCategory(t *testing.T) {
	g := testGraph("health:A>B", "contact:B>C", "health:B>D")
	got := g.reach("health", []string{"id-A"})
	if len(got) != 3 || names(g, got["id-D"]) != "A>B>D" || got["id-C"] != nil {
		t.Fatalf("reach = %v", got)
	}
}

func TestReachTerminatesOnCycles(t *testing.T) {
	g := testGraph("c:A>B", "c:B>C", "c:C>A", "c:C>D", "c:D>D2", "c:D2>C")
	got := g.reach("c", []string{"id-A"})
	if len(got) != 5 || names(g, got["id-D2"]) != "A>B>C>D>D2" {
		t.Fatalf("reach = %v", got)
	}
}

func TestReachTenLevelChain(t *testing.T) {
	var edges []string
	for i := 0; i < 10; i++ {
		edges = append(edges, fmt.Sprintf("c:L%02d>L%02d", i, i+1))
	}
	g := testGraph(edges...)
	got := g.reach("c", []string{"id-L00"})
	if len(got) != 11 || len(got["id-L10"]) != 11 || names(g, got["id-L10"])[:7] != "L00>L01" {
		t.Fatalf("reach = %d nodes, path %v", len(got), names(g, got["id-L10"]))
	}
}

func TestReachPicksShortestThenFirstByName(t *testing.T) {
	// Two equally short routes to E (via Bravo or via alpha) and a longer one.
	g := testGraph("c:S>Bravo", "c:S>alpha", "c:Bravo>E", "c:alpha>E", "c:S>Z", "c:Z>Y", "c:Y>E")
	if p := names(g, g.reach("c", []string{"id-S"})["id-E"]); p != "S>alpha>E" {
		t.Fatalf("path %s, want S>alpha>E", p)
	}
	// With two sources, the path starts at the one whose name comes first.
	g = testGraph("c:Mike>X", "c:Kilo>X")
	if p := names(g, g.reach("c", []string{"id-Mike", "id-Kilo"})["id-X"]); p != "Kilo>X" {
		t.Fatalf("path %s, want Kilo>X", p)
	}
}
