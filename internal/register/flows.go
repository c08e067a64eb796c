package register

import (
	"encoding/json"
	"sort"

	"github.com/weaklink/weaklink/internal/store"
)

// SupplierRef names a supplier in exposure answers.
type SupplierRef struct {
	ID          string
	Name        string
	Criticality string
	Status      string
	Country     *string
}

func (n node) ref() SupplierRef {
	return SupplierRef{ID: n.ID, Name: n.Name, Criticality: n.Criticality, Status: n.Status, Country: n.Country}
}

func (g *graph) refs(path []string) []SupplierRef {
	out := make([]SupplierRef, len(path))
	for i, id := range path {
		out[i] = g.nodes[id].ref()
	}
	return out
}

// Origin is a direct holder whose data reaches a supplier through links.
type Origin struct {
	Supplier     SupplierRef
	RecordCount  int64 // the records that arrive: the holding's, capped by the links on the most generous path
	DataSubjects []string
	Path         []SupplierRef // from the holder to the supplier, both included, along which RecordCount arrive
}

// Downstream is a sub-processor that data of a category reaches from a supplier.
type Downstream struct {
	Supplier SupplierRef
	Path     []SupplierRef // from the supplier to the sub-processor, both included
}

// CategoryFlow is one category of data at a supplier: held directly, received from
// upstream holders, and passed on to sub-processors.
type CategoryFlow struct {
	Category     Category
	Direct       *Holding
	ReceivedFrom []Origin
	PassedOn     []Downstream
	// Records is an upper bound: the supplier's own holding plus the arriving
	// records of every upstream holding that reaches it (copies may overlap).
	Records      int64
	DataSubjects []string
}

// Flows is what data a supplier holds, receives and passes on.
type Flows struct {
	Supplier        SupplierRef
	Archived        bool
	Categories      []CategoryFlow
	Records         int64  // own and arriving records, added up across categories
	People          People // the people the data in care is about (PRODUCT.md §2)
	DataSubjects    []string
	SpecialCategory bool
	CriminalOffence bool
	Subprocessors   []SupplierRef // the suppliers downstream, in name order (in an incident's impact, this page's)
}

func liveNode(h store.LiveHolding) node {
	return node{ID: h.SupplierID, Name: h.SupplierName, NameKey: h.SupplierNameKey, Criticality: h.SupplierCriticality,
		Status: h.SupplierStatus, Country: h.SupplierCountry}
}

// jsonList decodes a stored JSON array of strings.
func jsonList(raw string) []string {
	out := []string{}
	_ = json.Unmarshal([]byte(raw), &out)
	return out
}

// graphOf builds the supply-chain graph from live edges.
func graphOf(edges []store.Edge) *graph {
	g := newGraph()
	for _, e := range edges {
		g.addNode(node{ID: e.From, Name: e.FromName, NameKey: e.FromNameKey, Criticality: e.FromCriticality, Status: e.FromStatus, Country: e.FromCountry})
		g.addNode(node{ID: e.To, Name: e.ToName, NameKey: e.ToNameKey, Criticality: e.ToCriticality, Status: e.ToStatus, Country: e.ToCountry})
		g.addEdge(e.Category, e.From, e.To)
		if e.RecordCount != nil {
			g.setCap(e.Category, e.From, e.To, *e.RecordCount)
		}
	}
	return g
}

// catalogue loads the category catalogue keyed by key.
func (s *Service) catalogue(tx *store.Tx) (map[string]Category, error) {
	rows, err := tx.ListCategories()
	if err != nil {
		return nil, err
	}
	out := make(map[string]Category, len(rows))
	for _, r := range rows {
		out[r.Key] = categoryFromRow(r)
	}
	return out, nil
}

// sortCategoryKeys puts special-category and criminal-offence data first, then the
// most sensitive, then by key: the order a reader should see them in.
func sortCategoryKeys(keys []string, catalogue map[string]Category) {
	sort.Slice(keys, func(i, j int) bool {
		a, b := catalogue[keys[i]], catalogue[keys[j]]
		if a.Sensitive() != b.Sensitive() {
			return a.Sensitive()
		}
		if a.Sensitivity != b.Sensitivity {
			return a.Sensitivity > b.Sensitivity
		}
		return keys[i] < keys[j]
	})
}
