package register

import (
	"sort"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// chain is one supplier's data flows (what it holds, receives and passes on),
// computed for that supplier alone: every total of the whole chain, with the lists
// that grow with the chain — the received origins, the sub-processors, the paths to
// each — kept as supplier ids until an answer shows them, so that a page builds the
// suppliers and paths of its own entries and no others.
type chain struct {
	g       *graph
	self    string
	totals  Flows         // every total, and every category with its own holding; no origin, sub-processor or path
	origins []chainOrigin // every received origin, in reading order: category order, then holder name
	subs    []string      // every sub-processor, in name order
	trees   []reachTree   // per category of totals.Categories: the suppliers it reaches from this one
}

// chainOrigin is a holding elsewhere whose data reaches the supplier.
type chainOrigin struct {
	cat  int // index in totals.Categories
	item careItem
}

// chainOf computes the chain of a supplier from the catalogue, the live edges among
// the suppliers upstream and downstream of it, the supplier's own holdings and, when
// data reaches it through links, the holdings whose data reaches it: a fixed number
// of statements per thousand suppliers in its chain.
func (s *Service) chainOf(tx *store.Tx, sup store.SupplierRow) (chain, error) {
	self := node{ID: sup.ID, Name: sup.Name, NameKey: sup.NameKey, Criticality: sup.Criticality, Status: sup.Status, Country: sup.Country}
	c := chain{g: newGraph(), self: sup.ID, totals: Flows{Supplier: self.ref(), Archived: sup.ArchivedAt != nil,
		Categories: []CategoryFlow{}, DataSubjects: []string{}, Subprocessors: []SupplierRef{}}}
	if c.totals.Archived {
		return c, nil // archived suppliers neither hold nor pass on data
	}
	catalogue, err := s.catalogue(tx)
	if err != nil {
		return chain{}, err
	}
	// Only the supplier's own chain: every path from an origin to it runs through
	// suppliers upstream of it, every path on from it through suppliers downstream.
	up, err := tx.SupplyChain([]string{sup.ID}, store.Upstream)
	if err != nil {
		return chain{}, err
	}
	down, err := tx.SupplyChain([]string{sup.ID}, store.Downstream)
	if err != nil {
		return chain{}, err
	}
	edges, err := tx.LiveEdgesWithin(unionOf(up, down))
	if err != nil {
		return chain{}, err
	}
	own, err := tx.HoldingsOfSupplier(sup.ID)
	if err != nil {
		return chain{}, err
	}
	c.g = graphOf(edges)
	c.g.seal()
	c.g.addNode(self)
	var received []careItem
	if c.g.receives(sup.ID) {
		up, err := tx.HoldingsReaching(sup.ID)
		if err != nil {
			return chain{}, err
		}
		received = c.g.careInto(sup.ID, up)
	}
	c.compute(catalogue, own, received)
	return c, nil
}

// receives says whether any link brings data of some category to the supplier.
func (g *graph) receives(id string) bool {
	for _, in := range g.in {
		if in[id] {
			return true
		}
	}
	return false
}

// compute fills the totals, the origins, the reach of each category and the
// sub-processors from the supplier's own holdings and its received origins.
func (c *chain) compute(catalogue map[string]Category, own []store.HoldingRow, received []careItem) {
	byCat := map[string]*CategoryFlow{}
	flowOf := func(key string) *CategoryFlow {
		if byCat[key] == nil {
			byCat[key] = &CategoryFlow{Category: catalogue[key], DataSubjects: []string{}, ReceivedFrom: []Origin{}, PassedOn: []Downstream{}}
		}
		return byCat[key]
	}
	var people []scoring.PeopleHolding
	for _, r := range own {
		h := holdingFromRow(r)
		cf := flowOf(h.Category)
		cf.Direct = &h
		cf.Records += *h.RecordCount
		cf.DataSubjects = append(cf.DataSubjects, h.DataSubjects...)
		people = append(people, scoring.PeopleHolding{DataSubjects: h.DataSubjects, Records: *h.RecordCount})
	}
	receivedOf := map[string][]careItem{}
	for _, it := range received { // by category key, then holder name
		cf := flowOf(it.Category)
		cf.Records += it.Arriving
		cf.DataSubjects = append(cf.DataSubjects, it.DataSubjects...)
		people = append(people, scoring.PeopleHolding{DataSubjects: it.DataSubjects, Records: it.Arriving})
		receivedOf[it.Category] = append(receivedOf[it.Category], it)
	}
	c.totals.People = People(scoring.PeopleOf(people))
	keys := make([]string, 0, len(byCat))
	for k := range byCat {
		keys = append(keys, k)
	}
	sortCategoryKeys(keys, catalogue)
	downstream := map[string]bool{}
	for i, k := range keys {
		cf := byCat[k]
		cf.DataSubjects = normalizeSet(cf.DataSubjects, func(s string) string { return s })
		c.totals.Categories = append(c.totals.Categories, *cf)
		c.totals.Records += cf.Records
		c.totals.DataSubjects = append(c.totals.DataSubjects, cf.DataSubjects...)
		c.totals.SpecialCategory = c.totals.SpecialCategory || cf.Category.SpecialCategory
		c.totals.CriminalOffence = c.totals.CriminalOffence || cf.Category.CriminalOffence
		for _, it := range receivedOf[k] {
			c.origins = append(c.origins, chainOrigin{cat: i, item: it})
		}
		t := c.g.tree(k, []string{c.self})
		for id := range t {
			if id != c.self {
				downstream[id] = true
			}
		}
		c.trees = append(c.trees, t)
	}
	c.totals.DataSubjects = normalizeSet(c.totals.DataSubjects, func(s string) string { return s })
	c.subs = make([]string, 0, len(downstream))
	for id := range downstream {
		c.subs = append(c.subs, id)
	}
	sort.Slice(c.subs, func(i, j int) bool { return c.g.less(c.subs[i], c.subs[j]) })
}

// flows is an answer built from the chain: every total and category, and of the
// lists only the given origins (in the chain's order) and the given sub-processors
// (in name order), each sub-processor with the path to it in every category that
// reaches it.
func (c chain) flows(origins []chainOrigin, subs []string) Flows {
	f := c.totals
	f.Categories = make([]CategoryFlow, len(c.totals.Categories))
	for i, cf := range c.totals.Categories {
		cf.ReceivedFrom, cf.PassedOn = []Origin{}, []Downstream{}
		f.Categories[i] = cf
	}
	for _, o := range origins {
		it := o.item
		path := c.g.widestPath(it.Category, it.SupplierID, c.self, it.Arriving)
		f.Categories[o.cat].ReceivedFrom = append(f.Categories[o.cat].ReceivedFrom, Origin{Supplier: c.g.nodes[it.SupplierID].ref(),
			RecordCount: it.Arriving, DataSubjects: it.DataSubjects, Path: c.g.refs(path)})
	}
	f.Subprocessors = make([]SupplierRef, 0, len(subs))
	for _, id := range subs {
		ref := c.g.nodes[id].ref()
		f.Subprocessors = append(f.Subprocessors, ref)
		for i, t := range c.trees {
			if _, reached := t[id]; reached {
				f.Categories[i].PassedOn = append(f.Categories[i].PassedOn, Downstream{Supplier: ref, Path: c.g.refs(t.path(id))})
			}
		}
	}
	return f
}

// page is one page of the chain's entries, the received origins (in reading order)
// then the sub-processors (by name), as an answer: every total and category, and the
// page's origins and sub-processors with their paths (flows). kind names the list
// for its cursors; the second result is the next page's cursor, "" on the last page.
func (c chain) page(kind, cur string, limit int) (Flows, string, error) {
	entries := make([]int, len(c.origins)+len(c.subs)) // an origin's index, then len(origins) + a sub-processor's
	for i := range entries {
		entries[i] = i
	}
	p, err := PageSlice(entries, kind, cur, limit, func(i int) string {
		if i < len(c.origins) {
			return "0\x00" + c.originPos(c.origins[i])
		}
		return "1\x00" + c.subPos(c.subs[i-len(c.origins)])
	})
	if err != nil {
		return Flows{}, "", err
	}
	var origins []chainOrigin
	var subs []string
	for _, i := range p.Items {
		if i < len(c.origins) {
			origins = append(origins, c.origins[i])
		} else {
			subs = append(subs, c.subs[i-len(c.origins)])
		}
	}
	return c.flows(origins, subs), p.NextCursor, nil
}

// originPos is an origin's place in reading order (category order, then holder name
// and id) as text that sorts the same way.
func (c chain) originPos(o chainOrigin) string {
	id := o.item.SupplierID
	return categoryOrder(c.totals.Categories[o.cat].Category) + "\x00" + c.g.nodes[id].NameKey + "\x00" + id
}

// subPos is a sub-processor's place in name order as text that sorts the same way.
func (c chain) subPos(id string) string {
	return c.g.nodes[id].NameKey + "\x00" + id
}

// subNames names the first n sub-processors (fewer when there are fewer).
func (c chain) subNames(n int) []string {
	out := make([]string, 0, min(n, len(c.subs)))
	for _, id := range c.subs[:min(n, len(c.subs))] {
		out = append(out, c.g.nodes[id].Name)
	}
	return out
}
