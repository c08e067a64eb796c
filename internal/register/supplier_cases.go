package register

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/store"
)

// SupplierFilter selects and orders the supplier list. Sort is one of SupplierSorts.
type SupplierFilter struct {
	Q               string
	Statuses        []string
	Criticalities   []string
	Countries       []string
	IncludeArchived bool
	Categories      []string
	SpecialCategory *bool
	HoldsData       *bool
	Sort            string
	Cursor          string
	Limit           int
}

// SupplierSorts are the accepted sort values; a leading "-" sorts descending.
var SupplierSorts = []string{"name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"}

// CreateSupplier validates and stores a new supplier.
func (s *Service) CreateSupplier(ctx context.Context, a Actor, f SupplierFields) (Supplier, error) {
	now := s.now()
	f.normalize()
	if err := f.validate(now.Format(time.DateOnly)); err != nil {
		return Supplier{}, err
	}
	sup := Supplier{SupplierFields: f, ID: s.newID(), Version: 1, CreatedAt: now, UpdatedAt: now}
	row := supplierToRow(sup)
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertSupplier(&row); err != nil {
			return supplierWriteError(err, f.Name)
		}
		return s.record(tx, a, ActionCreate, ResourceSupplier, sup.ID, diff(nil, snapshot(f)), now)
	})
	if err != nil {
		return Supplier{}, err
	}
	return sup, nil
}

// GetSupplier returns one supplier, archived or not.
func (s *Service) GetSupplier(ctx context.Context, id string) (Supplier, error) {
	if !validID(id) {
		return Supplier{}, supplierNotFound()
	}
	var row store.SupplierRow
	err := s.st.Read(ctx, func(tx *store.Tx) (err error) {
		row, err = tx.GetSupplier(id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Supplier{}, supplierNotFound()
	}
	if err != nil {
		return Supplier{}, err
	}
	return supplierFromRow(row), nil
}

// PatchSupplier changes a live supplier. apply receives the current state, read under
// the write lock, and returns the new fields (the HTTP layer applies a merge patch
// there), so a patch never works from a stale copy. ifMatch, when set, is the
// version the client last saw: any other current version is CodePreconditionFailed.
func (s *Service) PatchSupplier(ctx context.Context, a Actor, id string, ifMatch func(version int) bool,
	apply func(current Supplier) (SupplierFields, error)) (Supplier, error) {
	if !validID(id) {
		return Supplier{}, supplierNotFound()
	}
	var out Supplier
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		cur, err := s.loadForChange(tx, id, ifMatch)
		if err != nil {
			return err
		}
		f, err := apply(cur)
		if err != nil {
			return err
		}
		now := s.now()
		f.normalize()
		if err := f.validate(now.Format(time.DateOnly)); err != nil {
			return err
		}
		changes := diff(snapshot(cur.SupplierFields), snapshot(f))
		if len(changes) == 0 {
			out = cur // nothing changed: no new version, no audit event
			return nil
		}
		out = cur
		out.SupplierFields, out.Version, out.UpdatedAt = f, cur.Version+1, now
		row := supplierToRow(out)
		if err := tx.UpdateSupplier(&row, cur.Version); err != nil {
			return supplierWriteError(err, f.Name)
		}
		return s.record(tx, a, ActionUpdate, ResourceSupplier, id, changes, now)
	})
	return out, err
}

// ArchiveSupplier takes a supplier out of the live register; its history stays and
// its name becomes free. Archiving twice is a conflict.
func (s *Service) ArchiveSupplier(ctx context.Context, a Actor, id string, ifMatch func(version int) bool) error {
	if !validID(id) {
		return supplierNotFound()
	}
	return s.st.Write(ctx, func(tx *store.Tx) error {
		cur, err := s.loadForChange(tx, id, ifMatch)
		if err != nil {
			return err
		}
		now := s.now()
		out := cur
		out.Version, out.UpdatedAt, out.ArchivedAt = cur.Version+1, now, &now
		row := supplierToRow(out)
		if err := tx.UpdateSupplier(&row, cur.Version); err != nil {
			return supplierWriteError(err, cur.Name)
		}
		return s.record(tx, a, ActionArchive, ResourceSupplier, id,
			map[string]Change{"archived_at": {Before: nil, After: now.Format(time.RFC3339Nano)}}, now)
	})
}

// loadForChange reads a live supplier inside a write transaction and checks If-Match.
func (s *Service) loadForChange(tx *store.Tx, id string, ifMatch func(int) bool) (Supplier, error) {
	row, err := tx.GetSupplier(id)
	if errors.Is(err, store.ErrNotFound) {
		return Supplier{}, supplierNotFound()
	}
	if err != nil {
		return Supplier{}, err
	}
	if ifMatch != nil && !ifMatch(row.Version) {
		return Supplier{}, Errorf(CodePreconditionFailed, "The supplier has changed since you read it (it is now at version %d); fetch it again and reapply your change.", row.Version)
	}
	if row.ArchivedAt != nil {
		return Supplier{}, Errorf(CodeConflict, "The supplier is archived and can no longer be changed.")
	}
	return supplierFromRow(row), nil
}

// ListSuppliers returns one page of suppliers.
func (s *Service) ListSuppliers(ctx context.Context, f SupplierFilter) (Page[Supplier], error) {
	var fe fieldErrors
	limit, err := checkLimit(f.Limit)
	if err != nil {
		return Page[Supplier]{}, err
	}
	if f.Sort == "" {
		f.Sort = "name"
	}
	if !oneOf(f.Sort, SupplierSorts) {
		fe.add("sort", "must be one of %s", strings.Join(SupplierSorts, ", "))
	}
	for _, v := range f.Statuses {
		if !oneOf(v, SupplierStatuses) {
			fe.add("status", "must be one of %s", strings.Join(SupplierStatuses, ", "))
		}
	}
	for _, v := range f.Criticalities {
		if !oneOf(v, Criticalities) {
			fe.add("criticality", "must be one of %s", strings.Join(Criticalities, ", "))
		}
	}
	for i, v := range f.Countries {
		f.Countries[i] = strings.ToUpper(v)
		if !ValidCountry(f.Countries[i]) {
			fe.add("country", "must be an ISO 3166-1 alpha-2 country code")
		}
	}
	for _, c := range f.Categories {
		if !keyPattern.MatchString(c) {
			fe.add("category", "must be a data category key such as health")
		}
	}
	if len(f.Q) > maxNameLen {
		fe.add("q", "must be at most %d characters", maxNameLen)
	}
	if err := fe.err(); err != nil {
		return Page[Supplier]{}, err
	}
	key, desc := strings.TrimPrefix(f.Sort, "-"), strings.HasPrefix(f.Sort, "-")
	q := store.SupplierQuery{Q: f.Q, Statuses: f.Statuses, Criticalities: f.Criticalities, Countries: f.Countries,
		IncludeArchived: f.IncludeArchived, Categories: f.Categories, SpecialCategory: f.SpecialCategory,
		HoldsData: f.HoldsData, Sort: key, Desc: desc, Limit: limit}
	kind := "suppliers:" + f.Sort
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, kind)
		if err != nil {
			return Page[Supplier]{}, err
		}
		ks := &store.Keyset{Value: c.Value, ID: c.ID}
		if key != "name" {
			t, err := time.Parse(time.RFC3339Nano, c.Value)
			if err != nil {
				return Page[Supplier]{}, invalidCursor()
			}
			ks.Value = t.UTC()
		}
		q.After = ks
	}
	var rows []store.SupplierRow
	err = s.st.Read(ctx, func(tx *store.Tx) (err error) {
		if len(f.Categories) > 0 {
			var fe fieldErrors
			if err := s.checkCategories(tx, &fe, "category", f.Categories); err != nil {
				return err
			}
			if err := fe.err(); err != nil {
				return err
			}
		}
		rows, err = tx.ListSuppliers(q)
		return err
	})
	if err != nil {
		return Page[Supplier]{}, err
	}
	return pageOf(rows, limit, supplierFromRow, func(last store.SupplierRow) cursor {
		c := cursor{Kind: kind, ID: last.ID}
		switch v := store.SupplierSortValue(last, key).(type) {
		case time.Time:
			c.Value = v.UTC().Format(time.RFC3339Nano)
		case string:
			c.Value = v
		}
		return c
	}), nil
}

func supplierNotFound() error { return Errorf(CodeNotFound, "No supplier has this id.") }

func supplierWriteError(err error, name string) error {
	switch {
	case errors.Is(err, store.ErrDuplicate):
		return &Error{Code: CodeConflict, Message: "A live supplier with this name already exists.",
			Fields: []FieldError{{Field: "name", Message: "is already used by another live supplier: " + name}}}
	case errors.Is(err, store.ErrStale):
		return Errorf(CodePreconditionFailed, "The supplier changed while this request ran; fetch it again and retry.")
	}
	return err
}

func supplierToRow(s Supplier) store.SupplierRow {
	certs, _ := json.Marshal(s.Certifications)
	return store.SupplierRow{
		ID: s.ID, Name: s.Name, NameKey: strings.ToLower(s.Name), Criticality: s.Criticality, Status: s.Status,
		Country: s.Country, Services: s.Services, Website: s.Website, SecurityContact: s.SecurityContact,
		BreachNotificationHours: s.BreachNotificationHours, ContractStart: s.ContractStart, ContractEnd: s.ContractEnd,
		DPASignedAt: s.DPASignedAt, Certifications: string(certs), Notes: s.Notes, ArchivedAt: s.ArchivedAt,
		Version: s.Version, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
	}
}

func supplierFromRow(r store.SupplierRow) Supplier {
	s := Supplier{
		SupplierFields: SupplierFields{
			Name: r.Name, Criticality: r.Criticality, Status: r.Status, Country: r.Country, Services: r.Services,
			Website: r.Website, SecurityContact: r.SecurityContact, BreachNotificationHours: r.BreachNotificationHours,
			ContractStart: r.ContractStart, ContractEnd: r.ContractEnd, DPASignedAt: r.DPASignedAt, Notes: r.Notes,
			Certifications: []Certification{},
		},
		ID: r.ID, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.ArchivedAt != nil {
		t := r.ArchivedAt.UTC()
		s.ArchivedAt = &t
	}
	_ = json.Unmarshal([]byte(r.Certifications), &s.Certifications)
	return s
}
