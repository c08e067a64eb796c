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
	pos          string   // position in the answer's order, for cursors
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
// a fixed number of statements (catalogue, holdings, edges) whatever the register's size.
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
	var out Exposure
	err = s.st.Read(ctx, func(tx *store.Tx) error {
		catalogue, err := s.catalogue(tx)
		if err != nil {
			return err
		}
		var keys []string
		for k, c := range catalogue {
			if (f.Category == "" || k == f.Category) && (!f.SpecialCategory || c.Sensitive()) {
				keys = append(keys, k)
			}
		}
		if f.Category != "" && catalogue[f.Category].Key == "" {
			return Invalid(FieldError{Field: "category", Message: "is not a data category in the catalogue"})
		}
		sortCategoryKeys(keys, catalogue)
		holdings, edges := []store.LiveHolding{}, []store.Edge{}
		if len(keys) > 0 {
			if holdings, err = tx.LiveHoldings(keys); err != nil {
				return err
			}
			if edges, err = tx.LiveEdges(keys); err != nil {
				return err
			}
		}
		out = exposureOf(catalogue, keys, holdings, edges, f.DataSubject)
		return nil
	})
	if err != nil {
		return Exposure{}, err
	}
	out.Page, err = PageSlice(out.Page.Items, kind, f.Cursor, limit, func(it ExposureItem) string { return it.pos })
	return out, err
}

// exposureOf computes the whole answer in memory from one load of holdings and edges.
func exposureOf(catalogue map[string]Category, keys []string, holdings []store.LiveHolding, edges []store.Edge, subject string) Exposure {
	g := graphOf(edges)
	type holder struct {
		store.LiveHolding
		subjects []string
	}
	holders := map[string][]holder{}
	for _, h := range holdings {
		g.addNode(liveNode(h))
		subjects := jsonList(h.DataSubjects)
		if subject == "" || oneOf(subject, subjects) {
			holders[h.CategoryKey] = append(holders[h.CategoryKey], holder{h, subjects})
		}
	}
	g.seal()
	var out Exposure
	direct, indirect := map[string]bool{}, map[string]bool{}
	var all []scoring.PeopleHolding
	for _, key := range keys {
		ce := CategoryExposure{Category: catalogue[key]}
		var these []scoring.PeopleHolding
		var sources []string
		isHolder := map[string]bool{}
		var items []ExposureItem
		for _, h := range holders[key] {
			count := h.RecordCount
			items = append(items, ExposureItem{Category: key, Supplier: g.nodes[h.SupplierID].ref(), Direct: true,
				RecordCount: &count, DataSubjects: h.subjects})
			sources = append(sources, h.SupplierID)
			isHolder[h.SupplierID] = true
			ce.DirectSuppliers++
			ce.Records += h.RecordCount
			direct[h.SupplierID] = true
			these = append(these, scoring.PeopleHolding{DataSubjects: h.subjects, Records: h.RecordCount})
		}
		ce.People = People(scoring.PeopleOf(these))
		all = append(all, these...)
		for id, path := range g.reach(key, sources) {
			if isHolder[id] {
				continue
			}
			items = append(items, ExposureItem{Category: key, Supplier: g.nodes[id].ref(),
				Via: &Via{From: g.nodes[path[0]].ref(), Path: g.refs(path)}})
			ce.IndirectSuppliers++
			indirect[id] = true
		}
		for i := range items {
			it := &items[i]
			it.pos = strings.Join([]string{categoryOrder(ce.Category), boolString(!it.Direct), g.nodes[it.Supplier.ID].NameKey, it.Supplier.ID}, "\x00")
		}
		sort.Slice(items, func(i, j int) bool { return items[i].pos < items[j].pos })
		out.Page.Items = append(out.Page.Items, items...)
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
	return out
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
