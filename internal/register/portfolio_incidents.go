package register

import (
	"sort"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// addOpenIncidents gives each live supplier its incidents that are not closed, oldest
// first, with how long each has been open at now. Incidents at suppliers the facts do
// not hold (archived ones) are left out.
func addOpenIncidents(facts map[string]*scoring.SupplierFacts, open []store.IncidentRow, now time.Time) {
	for _, in := range open {
		f := facts[in.SupplierID]
		if f == nil {
			continue
		}
		aware := in.AwareAt.UTC()
		f.OpenIncidents = append(f.OpenIncidents, scoring.IncidentFacts{ID: in.ID, Summary: in.Summary, AwareAt: aware,
			OpenFor: now.Sub(aware)})
	}
}

// addReceivedSpecial names, for each supplier, the special-category or criminal-offence
// categories at it (has: supplier → categories at it, own and received) that it does
// not hold itself: what reaches it through links. Names are the catalogue's, sorted.
func addReceivedSpecial(facts map[string]*scoring.SupplierFacts, has map[string]map[string]bool, hs []store.RiskHolding) {
	name, special := map[string]string{}, map[string]bool{}
	own := map[string]map[string]bool{}
	for _, h := range hs {
		name[h.CategoryKey] = h.CategoryName
		special[h.CategoryKey] = special[h.CategoryKey] || h.SpecialCategory || h.CriminalOffence
		if own[h.SupplierID] == nil {
			own[h.SupplierID] = map[string]bool{}
		}
		own[h.SupplierID][h.CategoryKey] = true
	}
	for id, cats := range has {
		f := facts[id]
		if f == nil {
			continue
		}
		var names []string
		for c := range cats {
			if special[c] && !own[id][c] {
				n := name[c]
				if n == "" {
					n = c
				}
				names = append(names, n)
			}
		}
		sort.Strings(names)
		f.ReceivedSpecial = names
	}
}
