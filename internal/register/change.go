package register

import (
	"context"
	"errors"
	"time"

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

// patch runs a PATCH in one write transaction: load reads the current value for
// change (not found, If-Match, archived: see loadForChange); apply computes the new
// fields from it under the write lock (the HTTP layer's merge patch), so a patch
// never works from a stale copy; save validates them and, when anything changed,
// stores the next version with its audit event, and returns what the client sees.
func patch[T, F any](ctx context.Context, s *Service, load func(*store.Tx) (T, error), apply func(T) (F, error),
	save func(tx *store.Tx, cur T, f F, now time.Time) (T, error)) (T, error) {
	var out T
	err := s.write(ctx, func(tx *store.Tx) error {
		cur, err := load(tx)
		if err != nil {
			return err
		}
		f, err := apply(cur)
		if err != nil {
			return err
		}
		out, err = save(tx, cur, f, s.now())
		return err
	})
	return out, err
}

// ownerArchived is changeable.archived for rows that belong to a supplier.
func ownerArchived[R any](supplierID func(R) string) func(*store.Tx, R) (bool, error) {
	return func(tx *store.Tx, r R) (bool, error) {
		sup, err := tx.GetSupplier(supplierID(r))
		return sup.ArchivedAt != nil, err
	}
}

// supplierRow reads a supplier, archived ones included, in the caller's transaction;
// an unknown id is the supplier's CodeNotFound.
func supplierRow(tx *store.Tx, id string) (store.SupplierRow, error) {
	r, err := tx.GetSupplier(id)
	if errors.Is(err, store.ErrNotFound) {
		return r, supplierNotFound()
	}
	return r, err
}

// liveSupplierRow is supplierRow for adding something to a supplier: an archived
// supplier is CodeConflict, worded by archivedMessage.
func liveSupplierRow(tx *store.Tx, id, archivedMessage string) (store.SupplierRow, error) {
	r, err := supplierRow(tx, id)
	if err == nil && r.ArchivedAt != nil {
		err = Errorf(CodeConflict, "%s", archivedMessage)
	}
	return r, err
}

// listOfSupplier runs list after checking, in the same read transaction, that the
// supplier exists (archived ones included: their history stays readable); an
// unknown or malformed id is the supplier's CodeNotFound.
func (s *Service) listOfSupplier(ctx context.Context, supplierID string, list func(tx *store.Tx) error) error {
	if !ValidID(supplierID) {
		return supplierNotFound()
	}
	return s.st.Read(ctx, func(tx *store.Tx) error {
		if _, err := supplierRow(tx, supplierID); err != nil {
			return err
		}
		return list(tx)
	})
}
