package demo_test

import (
	"database/sql"
	"slices"
	"testing"
)

// graph is the stored supply chain: who holds what, and the links with their categories.
type graph struct {
	holds map[string][]string // supplier → categories held directly
	links []storedLink
	out   map[string][]storedLink
}

type storedLink struct {
	from, to string
	cats     []string
}

func readGraph(t *testing.T, db *sql.DB) *graph {
	t.Helper()
	g := &graph{holds: map[string][]string{}, out: map[string][]storedLink{}}
	rows, err := db.Query("SELECT supplier_id, category_key FROM data_holdings")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s, c string
		if err := rows.Scan(&s, &c); err != nil {
			t.Fatal(err)
		}
		g.holds[s] = append(g.holds[s], c)
	}
	_ = rows.Close()
	rows, err = db.Query(`SELECT l.supplier_id, l.subprocessor_id, c.category_key FROM subprocessor_links l
		JOIN subprocessor_link_categories c ON c.link_id = l.id ORDER BY l.id, c.category_key`)
	if err != nil {
		t.Fatal(err)
	}
	byPair := map[[2]string]int{}
	for rows.Next() {
		var from, to, c string
		if err := rows.Scan(&from, &to, &c); err != nil {
			t.Fatal(err)
		}
		i, ok := byPair[[2]string{from, to}]
		if !ok {
			i = len(g.links)
			byPair[[2]string{from, to}] = i
			g.links = append(g.links, storedLink{from: from, to: to})
		}
		g.links[i].cats = append(g.links[i].cats, c)
	}
	_ = rows.Close()
	for _, l := range g.links {
		g.out[l.from] = append(g.out[l.from], l)
	}
	return g
}

// maxDepth is the longest of the shortest paths along which some category reaches a
// supplier from the suppliers that hold it directly.
func (g *graph) maxDepth() int {
	cats := map[string]bool{}
	for _, cs := range g.holds {
		for _, c := range cs {
			cats[c] = true
		}
	}
	deepest := 0
	for c := range cats {
		dist := map[string]int{}
		var queue []string
		for s, cs := range g.holds {
			if slices.Contains(cs, c) {
				dist[s] = 0
				queue = append(queue, s)
			}
		}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			for _, l := range g.out[s] {
				if _, seen := dist[l.to]; !seen && slices.Contains(l.cats, c) {
					dist[l.to] = dist[s] + 1
					deepest = max(deepest, dist[l.to])
					queue = append(queue, l.to)
				}
			}
		}
	}
	return deepest
}

// hasCycle reports whether some link leads back to where it started.
func (g *graph) hasCycle() bool {
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var visit func(string) bool
	visit = func(s string) bool {
		state[s] = open
		for _, l := range g.out[s] {
			switch state[l.to] {
			case open:
				return true
			case unseen:
				if visit(l.to) {
					return true
				}
			}
		}
		state[s] = done
		return false
	}
	for _, l := range g.links {
		if state[l.from] == unseen && visit(l.from) {
			return true
		}
	}
	return false
}

// inCare reports whether the category reaches the supplier: held directly, or
// received through links naming it from a supplier that has it in its care.
func (g *graph) inCare(supplier, cat string) bool {
	seen := map[string]bool{}
	var reach func(string) bool
	reach = func(s string) bool {
		if seen[s] {
			return false
		}
		seen[s] = true
		if slices.Contains(g.holds[s], cat) {
			return true
		}
		for _, l := range g.links {
			if l.to == s && slices.Contains(l.cats, cat) && reach(l.from) {
				return true
			}
		}
		return false
	}
	return reach(supplier)
}
