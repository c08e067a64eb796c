package register

import (
	"context"

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
// fixed number of statements whatever the size of the register, and builds the path
// of this page's origins only.
func (s *Service) DataFlows(ctx context.Context, supplierID, cur string, limit int) (Flows, string, error) {
	if !ValidID(supplierID) {
		return Flows{}, "", supplierNotFound()
	}
	if _, err := checkLimit(limit); err != nil {
		return Flows{}, "", err
	}
	var c chain
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		sup, err := supplierRow(tx, supplierID)
		if err != nil {
			return err
		}
		c, err = s.chainOf(tx, sup)
		return err
	})
	if err != nil {
		return Flows{}, "", err
	}
	page, err := PageSlice(c.origins, "data-flows:"+supplierID, cur, limit, c.originPos)
	if err != nil {
		return Flows{}, "", err
	}
	return c.flows(page.Items, c.subs), page.NextCursor, nil
}
