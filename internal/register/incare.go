package register

import (
	"fmt"
	"sort"
	"strings"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// inCare is every live supplier's data in care (care.go), built once from every live
// holding and every live supply-chain edge (link caps included), with what the risk
// figures, the flags and the people range read of it. Pure: the caller loads the rows.
type inCare struct {
	g        *graph
	items    map[string][]careItem        // supplier id → origins in its care: own first, then by category, holder name
	holdings map[string]store.RiskHolding // holding id → the holding
	into     map[string][]store.Edge      // supplier id → live edges into it
	direct   map[string]bool              // supplier id → holds at least one holding itself
}

// newInCare computes the data in care of every live supplier from the live holdings
// and edges (store.RiskHoldings(nil), store.LiveEdges(nil)). Every supplier a path
// or a message names is an end of some edge, so the edges name them all.
func newInCare(hs []store.RiskHolding, edges []store.Edge) inCare {
	c := inCare{g: graphOf(edges), holdings: make(map[string]store.RiskHolding, len(hs)),
		into: map[string][]store.Edge{}, direct: map[string]bool{}}
	c.g.seal()
	sources := make([]careSource, 0, len(hs))
	for _, h := range hs {
		c.holdings[h.ID] = h
		c.direct[h.SupplierID] = true
		sources = append(sources, careSource{HoldingID: h.ID, SupplierID: h.SupplierID, Category: h.CategoryKey,
			Records: h.RecordCount, DataSubjects: jsonList(h.DataSubjects)})
	}
	c.items = c.g.careAll(sources)
	for id, its := range c.items {
		sort.Slice(its, func(i, j int) bool {
			a, b := its[i], its[j]
			switch {
			case a.Received != b.Received:
				return !a.Received
			case a.Category != b.Category:
				return a.Category < b.Category
			case a.SupplierID != b.SupplierID:
				return c.g.less(a.SupplierID, b.SupplierID)
			}
			return a.HoldingID < b.HoldingID
		})
		c.items[id] = its
	}
	for _, e := range edges {
		c.into[e.To] = append(c.into[e.To], e)
	}
	return c
}

// careInto is careAll's answer for one supplier, the received origins only: each live
// holding elsewhere whose category reaches target (from store.HoldingsReaching; any
// other holding is left out), with the records that arrive, in the order newInCare
// keeps (category key, then holder name).
func (g *graph) careInto(target string, holdings []store.UpstreamHolding) []careItem {
	into := map[string]map[string]int64{}
	var out []careItem
	for _, h := range holdings {
		if h.SupplierID == target {
			continue
		}
		arrive, ok := into[h.CategoryKey]
		if !ok {
			arrive = g.widestInto(h.CategoryKey, target)
			into[h.CategoryKey] = arrive
		}
		c, reached := arrive[h.SupplierID]
		if !reached {
			continue
		}
		src := careSource{HoldingID: h.ID, SupplierID: h.SupplierID, Category: h.CategoryKey, Records: h.RecordCount,
			DataSubjects: jsonList(h.DataSubjects)}
		out = append(out, careItem{careSource: src, Received: true, Arriving: min(max(0, src.Records), c)})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Category != b.Category:
			return a.Category < b.Category
		case a.SupplierID != b.SupplierID:
			return g.less(a.SupplierID, b.SupplierID)
		}
		return a.HoldingID < b.HoldingID
	})
	return out
}

// scoringHoldings is the supplier's data in care as inherent risk reads it: each
// origin's category, sensitivity and arriving records.
func (c inCare) scoringHoldings(id string) []scoring.Holding {
	var out []scoring.Holding
	for _, it := range c.items[id] {
		h := c.holdings[it.HoldingID]
		out = append(out, scoring.Holding{Category: h.CategoryKey, Sensitivity: h.Sensitivity,
			Special: h.SpecialCategory || h.CriminalOffence, Records: it.Arriving})
	}
	return out
}

// holdingFacts is the supplier's data in care as the flag rules read it (never nil).
func (c inCare) holdingFacts(id string) []scoring.HoldingFacts {
	out := []scoring.HoldingFacts{}
	for _, it := range c.items[id] {
		h := c.holdings[it.HoldingID]
		out = append(out, scoring.HoldingFacts{Category: h.CategoryKey, CategoryName: h.CategoryName,
			Special: h.SpecialCategory || h.CriminalOffence, Records: it.Arriving, Received: it.Received})
	}
	return out
}

// records is the supplier's records in care: own records plus arriving ones.
func (c inCare) records(id string) int64 {
	var n int64
	for _, it := range c.items[id] {
		n = satAdd(n, it.Arriving)
	}
	return n
}

// people is how many people the supplier's data in care is about (PRODUCT.md §2):
// received origins keep their data subjects, with their arriving records.
func (c inCare) people(id string) People {
	var hs []scoring.PeopleHolding
	for _, it := range c.items[id] {
		hs = append(hs, scoring.PeopleHolding{DataSubjects: it.DataSubjects, Records: it.Arriving})
	}
	return People(scoring.PeopleOf(hs))
}

// sources are the lines of inherent risk's breakdown that name where the data in care
// comes from, worth 0 points each (the figure's parts already add up): one per own
// holding, and one per category received, with the number of origins and the largest
// one with a path along which its records arrive.
func (c inCare) sources(id string) []Part {
	var out []Part
	type group struct {
		name     string
		origins  int
		records  int64
		largest  careItem
		hasLarge bool
	}
	var order []string
	groups := map[string]*group{}
	for _, it := range c.items[id] {
		h := c.holdings[it.HoldingID]
		if !it.Received {
			out = append(out, Part{Factor: scoring.FactorSource, Detail: fmt.Sprintf("own holding: %s (%s), %s",
				strings.ToLower(h.CategoryName), strings.Join(it.DataSubjects, ", "), countNoun(it.Arriving, "record"))})
			continue
		}
		gr := groups[it.Category]
		if gr == nil {
			gr = &group{name: strings.ToLower(h.CategoryName)}
			groups[it.Category] = gr
			order = append(order, it.Category)
		}
		gr.origins++
		gr.records = satAdd(gr.records, it.Arriving)
		if !gr.hasLarge || it.Arriving > gr.largest.Arriving {
			gr.largest, gr.hasLarge = it, true
		}
	}
	for _, cat := range order {
		gr := groups[cat]
		var names []string
		for _, n := range c.g.widestPath(cat, gr.largest.SupplierID, id, gr.largest.Arriving) {
			names = append(names, c.g.nodes[n].Name)
		}
		out = append(out, Part{Factor: scoring.FactorSource, Detail: fmt.Sprintf(
			"received: %s, %s from %s; the largest, %s of %s, via %s", gr.name, countNoun(gr.records, "record"),
			countNoun(int64(gr.origins), "origin"), countNoun(gr.largest.Arriving, "record"), c.g.nodes[gr.largest.SupplierID].Name,
			strings.Join(names, " → "))})
	}
	return out
}

// unauthorised lists the links into the supplier with no authorisation date along
// which data reaches it: for each, the categories it names that are in the passing
// supplier's care from an origin other than the supplier itself.
func (c inCare) unauthorised(id string) []scoring.UnauthorisedLink {
	byFrom := map[string][]scoring.HoldingFacts{}
	var froms []string
	for _, e := range c.into[id] {
		if e.AuthorisedAt != nil {
			continue
		}
		for _, it := range c.items[e.From] {
			if it.Category != e.Category || it.SupplierID == id {
				continue
			}
			h := c.holdings[it.HoldingID]
			if _, seen := byFrom[e.From]; !seen {
				froms = append(froms, e.From)
			}
			byFrom[e.From] = append(byFrom[e.From], scoring.HoldingFacts{Category: h.CategoryKey, CategoryName: h.CategoryName,
				Special: h.SpecialCategory || h.CriminalOffence})
			break
		}
	}
	sort.Slice(froms, func(i, j int) bool { return c.g.less(froms[i], froms[j]) })
	var out []scoring.UnauthorisedLink
	for _, f := range froms {
		cats := byFrom[f]
		sort.Slice(cats, func(i, j int) bool { return cats[i].Category < cats[j].Category })
		out = append(out, scoring.UnauthorisedLink{From: c.g.nodes[f].Name, Categories: cats})
	}
	return out
}

// countNoun writes "1 record", "580,000 records".
func countNoun(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return scoring.FormatCount(n) + " " + noun + "s"
}

// satAdd adds two non-negative counts, saturating instead of overflowing.
func satAdd(a, b int64) int64 {
	if a > unlimited-b {
		return unlimited
	}
	return a + b
}
