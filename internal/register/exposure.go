package register

import (
	"context"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// ExposureFilter asks who holds a category (or every special category).
type ExposureFilter struct {
	Category        string
	DataSubject     string
	SpecialCategory bool // every special-category and criminal-offence category
	Cursor          string
	Limit           int
}

// Via explains how data reaches a sub-processor: one shortest path from a direct
// holder (ties broken by name).
type Via struct {
	From SupplierRef
	Path []SupplierRef
}

// ExposureItem is one supplier that holds a category directly or receives it.
type ExposureItem struct {
	Category     string
	Supplier     SupplierRef
	Direct       bool
	RecordCount  *int64   // direct holdings only
	DataSubjects []string // direct holdings only
	Via          *Via     // sub-processors only
}

// CategoryExposure totals one category. Records and people count direct holdings
// only: what a sub-processor receives is a copy of a holder's records, not more people.
type CategoryExposure struct {
	Category          Category
	DirectSuppliers   int
	IndirectSuppliers int
	Records           int64
	People            People // over the direct holdings of the category (PRODUCT.md §2)
}

// Exposure is the answer to "who holds this data?".
type Exposure struct {
	Categories        []CategoryExposure
	DirectSuppliers   int
	IndirectSuppliers int
	Records           int64
	People            People // over every direct holding in the answer
	Page              Page[ExposureItem]
}

// Exposure lists every live supplier holding the category directly and every
// sub-processor its data reaches, paginated; totals cover the whole answer. It runs
// a fixed number of statements (catalogue, holdings, edges) whatever the register's
// size, and only when the register has changed since the same question was last
// answered (answerAt): the pages of one answer, and readers asking the same, share it.
func (s *Service) Exposure(ctx context.Context, f ExposureFilter) (Exposure, error) {
	limit, err := checkLimit(f.Limit)
	if err != nil {
		return Exposure{}, err
	}
	f.DataSubject = strings.ToLower(strings.Join(strings.Fields(f.DataSubject), " "))
	var fe fieldErrors
	if f.Category == "" && !f.SpecialCategory {
		fe.add("category", "is required (or ask for special_category=true)")
	} else if f.Category != "" && !keyPattern.MatchString(f.Category) {
		fe.add("category", "must be a data category key such as political_opinions")
	}
	if utf8.RuneCountInString(f.DataSubject) > 100 {
		fe.add("data_subject", "must be at most 100 characters")
	}
	if err := fe.err(); err != nil {
		return Exposure{}, err
	}
	kind := "exposure:" + f.Category + ":" + f.DataSubject + ":" + boolString(f.SpecialCategory)
	if f.Cursor != "" {
		if _, err := decodeCursor(f.Cursor, kind); err != nil {
			return Exposure{}, err
		}
	}
	all, err := answerAt(ctx, s, kind, func(tx *store.Tx) (exposureAnswer, error) {
		catalogue, err := s.catalogue(tx)
		if err != nil {
			return exposureAnswer{}, err
		}
		var keys []string
		for k, c := range catalogue {
			if (f.Category == "" || k == f.Category) && (!f.SpecialCategory || c.Sensitive()) {
				keys = append(keys, k)
			}
		}
		if f.Category != "" && catalogue[f.Category].Key == "" {
			return exposureAnswer{}, Invalid(FieldError{Field: "category", Message: "is not a data category in the catalogue"})
		}
		sortCategoryKeys(keys, catalogue)
		holdings, edges := []store.LiveHolding{}, []store.Edge{}
		if len(keys) > 0 {
			if holdings, err = tx.LiveHoldings(keys); err != nil {
				return exposureAnswer{}, err
			}
			if edges, err = tx.LiveEdges(keys); err != nil {
				return exposureAnswer{}, err
			}
		}
		return exposureOf(catalogue, keys, holdings, edges, f.DataSubject), nil
	})
	if err != nil {
		return Exposure{}, err
	}
	page, err := PageSlice(all.entries, kind, f.Cursor, limit, all.pos)
	if err != nil {
		return Exposure{}, err
	}
	out := all.totals
	out.Page = Page[ExposureItem]{Items: make([]ExposureItem, len(page.Items)), NextCursor: page.NextCursor}
	for i, e := range page.Items {
		out.Page.Items[i] = all.item(e)
	}
	return out, nil
}

// exposureAnswer is the whole answer in a form that costs little per supplier: the
// totals, and every item as an entry naming its supplier by id, so that only the
// page's items get their supplier and path built.
type exposureAnswer struct {
	g       *graph
	totals  Exposure // every total; no items
	entries []exposureEntry
}

// exposureEntry is one item of the answer before it is shown.
type exposureEntry struct {
	category string
	order    string // the category's categoryOrder
	id       string // the supplier
	holding  *exposureHolder
	tree     reachTree // sub-processors only: the category's reach from its holders
}

type exposureHolder struct {
	records  int64
	subjects []string
}

// pos is an entry's position in the answer's order (category, direct holders first,
// then supplier name and id) as text that sorts the same way, for cursors.
func (a exposureAnswer) pos(e exposureEntry) string {
	return strings.Join([]string{e.order, boolString(e.holding == nil), a.g.nodes[e.id].NameKey, e.id}, "\x00")
}

// item builds the item an entry shows: its supplier, and a sub-processor's path.
func (a exposureAnswer) item(e exposureEntry) ExposureItem {
	it := ExposureItem{Category: e.category, Supplier: a.g.nodes[e.id].ref(), Direct: e.holding != nil}
	if e.holding != nil {
		count := e.holding.records
		it.RecordCount, it.DataSubjects = &count, e.holding.subjects
		return it
	}
	path := e.tree.path(e.id)
	it.Via = &Via{From: a.g.nodes[path[0]].ref(), Path: a.g.refs(path)}
	return it
}

// exposureOf computes the whole answer in memory from one load of holdings and edges:
// the totals, and the entries in the answer's order.
func exposureOf(catalogue map[string]Category, keys []string, holdings []store.LiveHolding, edges []store.Edge, subject string) exposureAnswer {
	g := graphOf(edges)
	type holder struct {
		id string
		exposureHolder
	}
	holders := map[string][]holder{}
	for _, h := range holdings {
		g.addNode(liveNode(h))
		subjects := jsonList(h.DataSubjects)
		if subject == "" || oneOf(subject, subjects) {
			holders[h.CategoryKey] = append(holders[h.CategoryKey], holder{h.SupplierID, exposureHolder{h.RecordCount, subjects}})
		}
	}
	g.seal()
	a := exposureAnswer{g: g}
	out := &a.totals
	direct, indirect := map[string]bool{}, map[string]bool{}
	var all []scoring.PeopleHolding
	for _, key := range keys {
		ce := CategoryExposure{Category: catalogue[key]}
		order := categoryOrder(ce.Category)
		var these []scoring.PeopleHolding
		var sources []string
		start := len(a.entries)
		for i := range holders[key] {
			h := &holders[key][i]
			a.entries = append(a.entries, exposureEntry{category: key, order: order, id: h.id, holding: &h.exposureHolder})
			sources = append(sources, h.id)
			ce.DirectSuppliers++
			ce.Records += h.records
			direct[h.id] = true
			these = append(these, scoring.PeopleHolding{DataSubjects: h.subjects, Records: h.records})
		}
		ce.People = People(scoring.PeopleOf(these))
		all = append(all, these...)
		t := g.tree(key, sources)
		for id, parent := range t {
			if parent == "" { // a direct holder
				continue
			}
			a.entries = append(a.entries, exposureEntry{category: key, order: order, id: id, tree: t})
			ce.IndirectSuppliers++
			indirect[id] = true
		}
		// Direct holders first, then sub-processors, each by name: the order of pos.
		items := a.entries[start:]
		sort.Slice(items, func(i, j int) bool {
			if d := items[i].holding != nil; d != (items[j].holding != nil) {
				return d
			}
			return g.less(items[i].id, items[j].id)
		})
		out.Categories = append(out.Categories, ce)
		out.Records += ce.Records
	}
	for id := range indirect {
		if !direct[id] {
			out.IndirectSuppliers++
		}
	}
	out.DirectSuppliers = len(direct)
	out.People = People(scoring.PeopleOf(all))
	return a
}

// categoryOrder is a category's place in reading order (special categories first,
// then by sensitivity, then key) as text that sorts the same way.
func categoryOrder(c Category) string {
	return boolString(!c.Sensitive()) + itoa(9-c.Sensitivity) + c.Key
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
