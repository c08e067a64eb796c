package register_test

import (
	"context"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// The portfolio's reach (what the quarterly report shows for an incident) is the data
// in care: received records capped by a link's record_count, and the same figures as
// the portfolio's risk.
func TestReachIsDataInCare(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, clock := newService(t, st)
		mk := func(name string) string {
			s, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: name, Criticality: "medium"})
			if err != nil {
				t.Fatal(err)
			}
			return s.ID
		}
		mh, hh := mk("MemberHub"), mk("Harbour Hosting")
		n := int64(580_000)
		if _, err := svc.CreateHolding(ctx, editor, mh, register.HoldingFields{Category: "political_opinions",
			DataSubjects: []string{"members"}, RecordCount: &n}); err != nil {
			t.Fatal(err)
		}
		limit := int64(1_000)
		if _, err := svc.CreateLink(ctx, editor, mh, register.LinkFields{SubprocessorID: hh,
			Categories: []string{"political_opinions"}, RecordCount: &limit}); err != nil {
			t.Fatal(err)
		}
		var p register.Portfolio
		if err := st.Read(ctx, func(tx *store.Tx) (err error) {
			p, err = svc.LoadPortfolio(tx, clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		reach := p.ReachOf([]string{mh, hh})
		if got := reach[hh].Records["political_opinions"]; got != 1_000 || !reach[hh].SpecialCategory {
			t.Errorf("Harbour's reach %+v, want 1,000 capped records", reach[hh])
		}
		if got := reach[mh].Records["political_opinions"]; got != 580_000 || len(reach[mh].Subprocessors) != 1 {
			t.Errorf("MemberHub's reach %+v", reach[mh])
		}
		if c := p.Risks[hh].InCare; c.Records != 1_000 || c.People != (register.People{AtLeast: 1_000, AtMost: 1_000}) {
			t.Errorf("Harbour's data in care %+v", c)
		}
	})
}
