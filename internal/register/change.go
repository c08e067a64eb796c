package register

import (
	"context"
	"errors"

	"github.com/weaklink/weaklink/internal/store"
)

// changeable says how loadForChange checks one kind of stored row.
type changeable[R any] struct {
	what     string       // the resource as messages name it: "data holding"
	notFound func() error // the resource's not-found error
	version  func(R) int
	// archived, when set, reports whether the supplier the row is (or belongs to) is
	// archived: its history is kept and can no longer be changed (CodeConflict, with
	// archivedMessage).
	archived        func(tx *store.Tx, r R) (bool, error)
	archivedMessage string
}

// loadForChange reads a row for a change inside the caller's write transaction and
// makes the checks every change makes, in this order: a missing row is the
// resource's CodeNotFound; a version other than the one the client last saw
// (ifMatch, from If-Match; nil accepts any) is CodePreconditionFailed; a row of an
// archived supplier is CodeConflict.
func loadForChange[R any](tx *store.Tx, get func() (R, error), ifMatch func(int) bool, c changeable[R]) (R, error) {
	r, err := get()
	if errors.Is(err, store.ErrNotFound) {
		return r, c.notFound()
	}
	if err != nil {
		return r, err
	}
	if v := c.version(r); ifMatch != nil && !ifMatch(v) {
		return r, stale(c.what, v)
	}
	if c.archived != nil {
		archived, err := c.archived(tx, r)
		if err != nil {
			return r, err
		}
		if archived {
			return r, Errorf(CodeConflict, "%s", c.archivedMessage)
		}
	}
	return r, nil
}

// ownerArchived is changeable.archived for rows that belong to a supplier.
func ownerArchived[R any](supplierID func(R) string) func(*store.Tx, R) (bool, error) {
	return func(tx *store.Tx, r R) (bool, error) {
		sup, err := tx.GetSupplier(supplierID(r))
		return sup.ArchivedAt != nil, err
	}
}

// listOfSupplier runs list after checking, in the same read transaction, that the
// supplier exists (archived ones included: their history stays readable); an
// unknown or malformed id is the supplier's CodeNotFound.
func (s *Service) listOfSupplier(ctx context.Context, supplierID string, list func(tx *store.Tx) error) error {
	if !ValidID(supplierID) {
		return supplierNotFound()
	}
	return s.st.Read(ctx, func(tx *store.Tx) error {
		if _, err := tx.GetSupplier(supplierID); errors.Is(err, store.ErrNotFound) {
			return supplierNotFound()
		} else if err != nil {
			return err
		}
		return list(tx)
	})
}
