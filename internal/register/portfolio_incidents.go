package register

import (
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
