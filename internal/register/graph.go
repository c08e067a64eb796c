package register

import (
	"sort"
	"strings"
)

// The supply-chain graph: suppliers are nodes, and each sub-processor link carries
// the categories it names. Data of a category flows only along edges labelled with
// that category, and only between live suppliers. These functions are pure: the
// caller loads the edges in one statement and traverses them in memory, so a
// traversal never runs a query per hop, and cycles are harmless because each node
// is visited once.

// node is what a traversal needs to know about a supplier.
type node struct {
	ID, Name, NameKey string
	Criticality       string
	Status            string
	Country           *string
}

// graph holds, per category, each supplier's sub-processors in name order.
type graph struct {
	nodes map[string]node
	adj   map[string]map[string][]string // category → from → sorted tos
	rev   map[string]map[string][]string // category → to → froms
	in    map[string]map[string]bool     // category → suppliers with an incoming edge
	caps  map[string]map[[2]string]int64 // category → (from, to) → record_count of the link; absent: unlimited
}

func newGraph() *graph {
	return &graph{nodes: map[string]node{}, adj: map[string]map[string][]string{},
		rev: map[string]map[string][]string{}, in: map[string]map[string]bool{}}
}

func (g *graph) addNode(n node) {
	if _, ok := g.nodes[n.ID]; !ok {
		if n.NameKey == "" {
			n.NameKey = strings.ToLower(n.Name)
		}
		g.nodes[n.ID] = n
	}
}

func (g *graph) addEdge(category, from, to string) {
	if g.adj[category] == nil {
		g.adj[category] = map[string][]string{}
		g.rev[category] = map[string][]string{}
		g.in[category] = map[string]bool{}
	}
	g.adj[category][from] = append(g.adj[category][from], to)
	g.rev[category][to] = append(g.rev[category][to], from)
	g.in[category][to] = true
}

// less orders suppliers by name (case-insensitive), then id, so results never
// depend on map order or on the database's collation.
func (g *graph) less(a, b string) bool {
	na, nb := g.nodes[a].NameKey, g.nodes[b].NameKey
	if na != nb {
		return na < nb
	}
	return a < b
}

// seal sorts every adjacency list once, after loading.
func (g *graph) seal() {
	for _, byFrom := range g.adj {
		for from, tos := range byFrom {
			sort.Slice(tos, func(i, j int) bool { return g.less(tos[i], tos[j]) })
			byFrom[from] = dedupeSorted(tos)
		}
	}
}

func dedupeSorted(ids []string) []string {
	out := ids[:0]
	for i, id := range ids {
		if i == 0 || id != ids[i-1] {
			out = append(out, id)
		}
	}
	return out
}

// reach returns every supplier reachable from sources along edges of one category,
// each with one shortest path from a source (both ends included). Among equally
// short paths it picks the one whose suppliers' names come first, compared hop by
// hop: breadth-first search over a frontier kept in that order finds it first.
func (g *graph) reach(category string, sources []string) map[string][]string {
	t := g.tree(category, sources)
	paths := make(map[string][]string, len(t))
	for id := range t {
		paths[id] = t.path(id)
	}
	return paths
}

// reachTree is what reach finds, without the paths: each supplier reached, with the
// supplier before it on its path ("" for a source). Its paths are built one at a
// time, so an answer that shows a page of them builds only those.
type reachTree map[string]string

// tree is reach's breadth-first search, recording each supplier's predecessor.
func (g *graph) tree(category string, sources []string) reachTree {
	parent := make(reachTree, len(sources))
	frontier := append([]string(nil), sources...)
	sort.Slice(frontier, func(i, j int) bool { return g.less(frontier[i], frontier[j]) })
	for _, s := range frontier {
		parent[s] = ""
	}
	adj := g.adj[category]
	for len(frontier) > 0 {
		var next []string
		for _, u := range frontier {
			for _, v := range adj[u] {
				if _, seen := parent[v]; seen {
					continue
				}
				parent[v] = u
				next = append(next, v)
			}
		}
		frontier = next
	}
	return parent
}

// path is the path reach gives to id, from its source to id (nil when not reached).
func (t reachTree) path(id string) []string {
	if _, ok := t[id]; !ok {
		return nil
	}
	n := 1
	for at := id; t[at] != ""; at = t[at] {
		n++
	}
	p := make([]string, n)
	for at := id; ; at = t[at] {
		n--
		p[n] = at
		if n == 0 {
			return p
		}
	}
}
