package register

import (
	"context"
	"strings"

	"github.com/weaklink/weaklink/internal/store"
)

// DataFlows answers, for one supplier, what personal data it holds directly, what
// reaches it through sub-processor links, and where it passes data on to, one page of
// received origins at a time: every page carries every category with the supplier's
// own holding, its per-category totals (records, data subjects, what it passes on) and
// the supplier's totals; received_from holds only this page's origins, in category
// order (special categories first, then by sensitivity), then by holder name. The
// second result is the next page's cursor, "" on the last page. Errors: CodeNotFound
// (no such supplier), CodeInvalid (limit, or a cursor from another list). It runs a
// fixed number of statements whatever the size of the register.
func (s *Service) DataFlows(ctx context.Context, supplierID, cur string, limit int) (Flows, string, error) {
	if !ValidID(supplierID) {
		return Flows{}, "", supplierNotFound()
	}
	if _, err := checkLimit(limit); err != nil {
		return Flows{}, "", err
	}
	var f Flows
	err := s.st.Read(ctx, func(tx *store.Tx) (err error) {
		f, err = s.flows(tx, supplierID)
		return err
	})
	if err != nil {
		return Flows{}, "", err
	}
	type origin struct {
		cat int
		o   Origin
		pos string
	}
	var all []origin
	for i, cf := range f.Categories {
		for _, o := range cf.ReceivedFrom {
			all = append(all, origin{cat: i, o: o, pos: strings.Join([]string{categoryOrder(cf.Category),
				strings.ToLower(o.Supplier.Name), o.Supplier.ID}, "\x00")})
		}
		f.Categories[i].ReceivedFrom = []Origin{}
	}
	page, err := PageSlice(all, "data-flows:"+supplierID, cur, limit, func(o origin) string { return o.pos })
	if err != nil {
		return Flows{}, "", err
	}
	for _, o := range page.Items {
		f.Categories[o.cat].ReceivedFrom = append(f.Categories[o.cat].ReceivedFrom, o.o)
	}
	return f, page.NextCursor, nil
}
