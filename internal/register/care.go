package register

import (
	"container/heap"
	"math"
)

// Data in care (PRODUCT.md §2): what a breach at a supplier would expose — its own
// holdings plus every holding elsewhere whose category reaches it along links that
// name that category, down chains and through cycles. Each such origin counts once,
// however many paths reach the supplier, and never at its own holder. A link may
// cap the records it passes on (its record_count, per category it names); what
// arrives from an origin is the origin's record count capped by the smallest cap
// on the most generous path: the largest, over paths, of the smallest cap along
// each. These functions are pure, like the rest of the graph.

// unlimited is the capacity of a link without a record count: it passes on all of
// what reaches it.
const unlimited = math.MaxInt64

// setCap records the record_count of the link from → to for one category; a link
// without one passes on everything (unlimited). Call it after addEdge.
func (g *graph) setCap(category, from, to string, records int64) {
	if g.caps == nil {
		g.caps = map[string]map[[2]string]int64{}
	}
	if g.caps[category] == nil {
		g.caps[category] = map[[2]string]int64{}
	}
	g.caps[category][[2]string{from, to}] = max(0, records)
}

// capOf is the capacity of one edge of a category.
func (g *graph) capOf(category, from, to string) int64 {
	if c, ok := g.caps[category][[2]string{from, to}]; ok {
		return c
	}
	return unlimited
}

// widest returns, for every supplier that data of the category reaches from source
// along its links, the most records of it that can arrive there: the largest, over
// paths, of the smallest link capacity along the path (unlimited when no link on the
// best path has a record count). The source itself is left out: a cycle does not
// bring a supplier's own data back to it. Dijkstra's algorithm with the bottleneck
// for a distance, O(E log V).
func (g *graph) widest(category, source string) map[string]int64 {
	best := map[string]int64{source: unlimited}
	h := &capHeap{{id: source, cap: unlimited}}
	done := map[string]bool{}
	adj := g.adj[category]
	for h.Len() > 0 {
		top := heap.Pop(h).(capItem)
		if done[top.id] {
			continue
		}
		done[top.id] = true
		for _, v := range adj[top.id] {
			c := min(top.cap, g.capOf(category, top.id, v))
			if b, seen := best[v]; !seen || c > b {
				best[v] = c
				heap.Push(h, capItem{id: v, cap: c})
			}
		}
	}
	delete(best, source)
	return best
}

// widestInto is widest seen from the receiving end: for every supplier whose data of
// the category reaches target along its links, the most records of it that can
// arrive at target (what widest from that supplier gives for target). One search over
// the links backwards, instead of one per holding in the register, when only one
// supplier's data in care is asked for. The target itself is left out, as widest
// leaves out its source.
func (g *graph) widestInto(category, target string) map[string]int64 {
	best := map[string]int64{target: unlimited}
	h := &capHeap{{id: target, cap: unlimited}}
	done := map[string]bool{}
	rev := g.rev[category]
	for h.Len() > 0 {
		top := heap.Pop(h).(capItem)
		if done[top.id] {
			continue
		}
		done[top.id] = true
		for _, u := range rev[top.id] {
			c := min(top.cap, g.capOf(category, u, top.id))
			if b, seen := best[u]; !seen || c > b {
				best[u] = c
				heap.Push(h, capItem{id: u, cap: c})
			}
		}
	}
	delete(best, target)
	return best
}

// widestPath returns one path from source to target along which at least records
// can flow (every link's capacity ≥ records): the shortest such path, and among
// those the one whose suppliers' names come first hop by hop, as reach picks. Nil
// when there is none.
func (g *graph) widestPath(category, source, target string, records int64) []string {
	paths := map[string][]string{source: {source}}
	frontier := []string{source}
	adj := g.adj[category]
	for len(frontier) > 0 {
		var next []string
		for _, u := range frontier {
			for _, v := range adj[u] { // sorted by name
				if _, seen := paths[v]; seen || g.capOf(category, u, v) < records {
					continue
				}
				p := make([]string, len(paths[u])+1)
				copy(p, paths[u])
				p[len(p)-1] = v
				if v == target {
					return p
				}
				paths[v] = p
				next = append(next, v)
			}
		}
		frontier = next
	}
	return nil
}

type capItem struct {
	id  string
	cap int64
}

// capHeap is a max-heap on capacity.
type capHeap []capItem

func (h capHeap) Len() int           { return len(h) }
func (h capHeap) Less(i, j int) bool { return h[i].cap > h[j].cap }
func (h capHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *capHeap) Push(x any)        { *h = append(*h, x.(capItem)) }
func (h *capHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// careSource is a live holding that can be in some supplier's care: at its holder,
// and wherever its category flows from there.
type careSource struct {
	HoldingID    string
	SupplierID   string
	Category     string
	Records      int64
	DataSubjects []string
}

// careItem is one origin holding in a supplier's data in care: the supplier's own
// (Received false, Records as held) or received through links (Records capped on
// the most generous path).
type careItem struct {
	careSource
	Received bool
	Arriving int64 // the records of the origin that arrive: Records, capped by the links
}

// careAll computes every supplier's data in care from every live holding: one
// widest-path search per holding (per holder and category), so each origin is
// counted once at each supplier it reaches.
func (g *graph) careAll(sources []careSource) map[string][]careItem {
	out := map[string][]careItem{}
	for _, src := range sources {
		out[src.SupplierID] = append(out[src.SupplierID], careItem{careSource: src, Arriving: max(0, src.Records)})
		for to, c := range g.widest(src.Category, src.SupplierID) {
			out[to] = append(out[to], careItem{careSource: src, Received: true, Arriving: min(max(0, src.Records), c)})
		}
	}
	return out
}
