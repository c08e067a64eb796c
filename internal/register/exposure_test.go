package register

import (
	"fmt"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/store"
)

// Exposure sorts its entries by supplier name and pages them by position text: the
// two orders must agree, whatever the names (case, prefixes, spaces).
func TestExposureEntriesSortByPosition(t *testing.T) {
	names := []string{"Ab", "ab", "Abc", "a b", "A", "b", "B b", "Zed", "zed", "Ä"}
	var edges []store.Edge
	var holdings []store.LiveHolding
	for i, n := range names {
		id := fmt.Sprintf("id-%02d", len(names)-i)
		if i%3 == 0 {
			holdings = append(holdings, store.LiveHolding{SupplierID: id, SupplierName: n, SupplierNameKey: strings.ToLower(n),
				CategoryKey: []string{"health", "contact_details"}[i%2], RecordCount: 10, DataSubjects: `["members"]`})
		}
		for j, m := range names {
			if (i+j)%4 == 1 {
				to := fmt.Sprintf("id-%02d", len(names)-j)
				edges = append(edges, store.Edge{From: id, FromName: n, FromNameKey: strings.ToLower(n), To: to, ToName: m,
					ToNameKey: strings.ToLower(m), Category: []string{"health", "contact_details"}[(i*j)%2]})
			}
		}
	}
	catalogue := map[string]Category{"health": {Key: "health", CategoryFields: CategoryFields{Sensitivity: 5, SpecialCategory: true}},
		"contact_details": {Key: "contact_details", CategoryFields: CategoryFields{Sensitivity: 2}}}
	a := exposureOf(catalogue, []string{"health", "contact_details"}, holdings, edges, "")
	if len(a.entries) < 10 {
		t.Fatalf("only %d entries", len(a.entries))
	}
	for i := 1; i < len(a.entries); i++ {
		if a.pos(a.entries[i-1]) >= a.pos(a.entries[i]) {
			t.Fatalf("entry %d (%q) is not after entry %d (%q)", i, a.pos(a.entries[i]), i-1, a.pos(a.entries[i-1]))
		}
	}
}
