package register

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/store"
)

// ResourceHolding is the audit resource type of data holdings.
const ResourceHolding = "data_holding"

// TransferMechanisms are the safeguards recorded for data processed outside the UK/EEA.
var TransferMechanisms = []string{"adequacy", "idta", "uk_addendum", "scc", "bcr", "derogation"}

// ukEEA lists the UK and the European Economic Area (EU 27 plus Iceland,
// Liechtenstein and Norway): processing there needs no transfer mechanism.
var ukEEA = map[string]bool{"GB": true, "AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true,
	"DK": true, "EE": true, "FI": true, "FR": true, "DE": true, "GR": true, "HU": true, "IE": true, "IT": true,
	"LV": true, "LT": true, "LU": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SK": true,
	"SI": true, "ES": true, "SE": true, "IS": true, "LI": true, "NO": true}

// InUKEEA reports whether a country is in the UK or the EEA.
func InUKEEA(country string) bool { return ukEEA[country] }

// MaxRecordCount bounds record counts at a trillion: larger is a typing error.
const MaxRecordCount = 1_000_000_000_000

var isoDuration = regexp.MustCompile(`^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?$`)

// HoldingFields are the fields a client writes. Required: Category, DataSubjects, RecordCount.
type HoldingFields struct {
	Category          string   `json:"category"`
	DataSubjects      []string `json:"data_subjects"`
	RecordCount       *int64   `json:"record_count"`
	Purpose           string   `json:"purpose"`
	Locations         []string `json:"locations"`
	TransferMechanism *string  `json:"transfer_mechanism"`
	RetentionPeriod   *string  `json:"retention_period"`
	RetentionUntil    *string  `json:"retention_until"`
	HeldSince         *string  `json:"held_since"`
}

// Holding records that a supplier holds one category of personal data.
type Holding struct {
	HoldingFields
	ID         string
	SupplierID string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// OutsideUKEEA lists the holding's locations outside the UK/EEA.
func (h HoldingFields) OutsideUKEEA() []string {
	var out []string
	for _, l := range h.Locations {
		if !ukEEA[l] {
			out = append(out, l)
		}
	}
	return out
}

// Normalize trims and folds the fields as every write does before validating.
func (f *HoldingFields) Normalize() {
	f.Category = strings.TrimSpace(f.Category)
	f.Purpose = strings.TrimSpace(f.Purpose)
	f.DataSubjects = normalizeSet(f.DataSubjects, strings.ToLower)
	f.Locations = normalizeSet(f.Locations, strings.ToUpper)
	for _, p := range []**string{&f.TransferMechanism, &f.RetentionPeriod, &f.RetentionUntil, &f.HeldSince} {
		if *p != nil {
			v := strings.TrimSpace(**p)
			if v == "" {
				*p = nil
			} else {
				*p = &v
			}
		}
	}
}

// normalizeSet trims, folds case, collapses inner spaces, drops blanks and
// duplicates and sorts, so that equal lists compare equal.
func normalizeSet(in []string, fold func(string) string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, v := range in {
		v = fold(strings.Join(strings.Fields(v), " "))
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// Validate checks the fields that need no database by the API's rules as of today
// (YYYY-MM-DD) and returns every failure; whether the category is in the catalogue
// is checked in the transaction (CategoryKeys).
func (f *HoldingFields) Validate(today string) []FieldError {
	var fe fieldErrors
	if f.Category == "" {
		fe.add("category", "is required")
	} else if !keyPattern.MatchString(f.Category) {
		fe.add("category", "must be a data category key such as contact_details")
	}
	switch {
	case len(f.DataSubjects) == 0:
		fe.add("data_subjects", "is required: list who the data is about, such as members or employees")
	case len(f.DataSubjects) > 50:
		fe.add("data_subjects", "must list at most 50 kinds of data subject")
	}
	for i, d := range f.DataSubjects {
		if utf8.RuneCountInString(d) > 100 {
			fe.add("data_subjects["+strconv.Itoa(i)+"]", "must be at most 100 characters")
		}
	}
	switch {
	case f.RecordCount == nil:
		fe.add("record_count", "is required (an approximate number of records; 0 if none yet)")
	case *f.RecordCount < 0:
		fe.add("record_count", "must be 0 or more")
	case *f.RecordCount > MaxRecordCount:
		fe.add("record_count", "must be at most %d", int64(MaxRecordCount))
	}
	if utf8.RuneCountInString(f.Purpose) > 1000 {
		fe.add("purpose", "must be at most 1000 characters")
	}
	if len(f.Locations) > 250 {
		fe.add("locations", "must list at most 250 countries")
	}
	for i, l := range f.Locations {
		if !ValidCountry(l) {
			fe.add("locations["+strconv.Itoa(i)+"]", "must be an ISO 3166-1 alpha-2 country code such as GB")
		}
	}
	if m := f.TransferMechanism; m != nil && !oneOf(*m, TransferMechanisms) {
		fe.add("transfer_mechanism", "must be one of %s", strings.Join(TransferMechanisms, ", "))
	}
	if p := f.RetentionPeriod; p != nil && (!isoDuration.MatchString(*p) || *p == "P") {
		fe.add("retention_period", "must be an ISO 8601 period such as P7Y or P18M")
	}
	checkDate(&fe, "retention_until", f.RetentionUntil)
	if checkDate(&fe, "held_since", f.HeldSince) && *f.HeldSince > today {
		fe.add("held_since", "must not be in the future")
	}
	return fe
}

// ListHoldings pages one supplier's holdings (at most one per category) in category order.
func (s *Service) ListHoldings(ctx context.Context, supplierID string, since *time.Time, cur string, limit int) (Page[Holding], error) {
	var rows []store.HoldingRow
	err := s.listOfSupplier(ctx, supplierID, func(tx *store.Tx) (err error) {
		rows, err = tx.HoldingsOfSupplier(supplierID)
		return err
	})
	if err != nil {
		return Page[Holding]{}, err
	}
	out := make([]Holding, len(rows))
	for i, r := range rows {
		out[i] = holdingFromRow(r)
	}
	out = changedSince(out, since, func(h Holding) time.Time { return h.UpdatedAt })
	return PageSlice(out, "holdings:"+supplierID+updatedSinceKind(since), cur, limit, func(h Holding) string { return h.Category })
}

// GetHolding returns one holding.
func (s *Service) GetHolding(ctx context.Context, id string) (Holding, error) {
	if !ValidID(id) {
		return Holding{}, holdingNotFound()
	}
	r, err := s.st.NoTx(ctx).GetHolding(id)
	if errors.Is(err, store.ErrNotFound) {
		return Holding{}, holdingNotFound()
	}
	return holdingFromRow(r), err
}

// CreateHolding records that a live supplier holds a category. A second holding of
// the same category at the same supplier is a conflict.
func (s *Service) CreateHolding(ctx context.Context, a Actor, supplierID string, f HoldingFields) (Holding, error) {
	if !ValidID(supplierID) {
		return Holding{}, supplierNotFound()
	}
	var out Holding
	err := s.write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.createHolding(tx, a, supplierID, f)
		return err
	})
	return out, err
}

func (s *Service) createHolding(tx *store.Tx, a Actor, supplierID string, f HoldingFields) (Holding, error) {
	now := s.now()
	f.Normalize()
	fe := fieldErrors(f.Validate(now.Format(time.DateOnly)))
	if _, err := liveSupplierRow(tx, supplierID, "The supplier is archived; archived suppliers hold no data."); err != nil {
		return Holding{}, err
	}
	if err := s.checkCategories(tx, &fe, "category", []string{f.Category}); err != nil {
		return Holding{}, err
	}
	if err := fe.err(); err != nil {
		return Holding{}, err
	}
	h := Holding{HoldingFields: f, ID: s.newID(), SupplierID: supplierID, Version: 1, CreatedAt: now, UpdatedAt: now}
	row := holdingToRow(h)
	if err := tx.InsertHolding(&row); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return Holding{}, &Error{Code: CodeConflict, Message: "The supplier already has a holding of this category; change that one instead.",
				Fields: []FieldError{{Field: "category", Message: "is already held by this supplier"}}}
		}
		return Holding{}, err
	}
	if err := s.maintainRisk(tx, riskChange{suppliers: []string{supplierID}}); err != nil {
		return Holding{}, err
	}
	changes := Diff(nil, Snapshot(f))
	changes["supplier_id"] = Change{After: supplierID}
	return h, s.record(tx, a, ActionCreate, ResourceHolding, h.ID, changes, now)
}

// checkCategories adds a field error for each key that is not in the catalogue.
// Callers validate the key pattern first; the catalogue is loaded once.
func (s *Service) checkCategories(tx *store.Tx, fe *fieldErrors, field string, keys []string) error {
	cats, err := tx.ListCategories()
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, c := range cats {
		known[c.Key] = true
	}
	for i, k := range keys {
		if keyPattern.MatchString(k) && !known[k] {
			name := field
			if len(keys) > 1 || field != "category" {
				name = field + "[" + strconv.Itoa(i) + "]"
			}
			fe.add(name, "is not a data category in the catalogue (see GET /api/v1/data-categories)")
		}
	}
	return nil
}

// requireCategories fails with field errors unless every key is in the catalogue
// (no keys: nothing to check, no statement run).
func (s *Service) requireCategories(tx *store.Tx, field string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	var fe fieldErrors
	if err := s.checkCategories(tx, &fe, field, keys); err != nil {
		return err
	}
	return fe.err()
}

// PatchHolding changes a holding; its category is fixed (delete and re-create instead).
func (s *Service) PatchHolding(ctx context.Context, a Actor, id string, ifMatch func(int) bool,
	apply func(Holding) (HoldingFields, error)) (Holding, error) {
	if !ValidID(id) {
		return Holding{}, holdingNotFound()
	}
	load := func(tx *store.Tx) (Holding, error) { return s.loadHoldingForChange(tx, id, ifMatch) }
	return patch(ctx, s, load, apply, func(tx *store.Tx, cur Holding, f HoldingFields, now time.Time) (Holding, error) {
		f.Normalize()
		fe := fieldErrors(f.Validate(now.Format(time.DateOnly)))
		if f.Category != cur.Category {
			fe.add("category", "cannot be changed; delete this holding and create one for the other category")
		}
		if err := fe.err(); err != nil {
			return cur, err
		}
		changes := Diff(Snapshot(cur.HoldingFields), Snapshot(f))
		if len(changes) == 0 {
			return cur, nil
		}
		out := cur
		out.HoldingFields, out.Version, out.UpdatedAt = f, cur.Version+1, now
		row := holdingToRow(out)
		if err := tx.UpdateHolding(&row, cur.Version); err != nil {
			return cur, staleOr(err, "data holding")
		}
		if err := s.maintainRisk(tx, riskChange{suppliers: []string{cur.SupplierID}}); err != nil {
			return cur, err
		}
		return out, s.record(tx, a, ActionUpdate, ResourceHolding, id, changes, now)
	})
}

// DeleteHolding removes a holding; the audit trail keeps what it was.
func (s *Service) DeleteHolding(ctx context.Context, a Actor, id string, ifMatch func(int) bool) error {
	if !ValidID(id) {
		return holdingNotFound()
	}
	return s.write(ctx, func(tx *store.Tx) error {
		cur, err := s.loadHoldingForChange(tx, id, ifMatch)
		if err != nil {
			return err
		}
		if err := tx.DeleteHolding(id); err != nil {
			return err
		}
		if err := s.maintainRisk(tx, riskChange{suppliers: []string{cur.SupplierID}}); err != nil {
			return err
		}
		changes := Diff(Snapshot(cur.HoldingFields), nil)
		changes["supplier_id"] = Change{Before: cur.SupplierID}
		return s.record(tx, a, ActionDelete, ResourceHolding, id, changes, s.now())
	})
}

func (s *Service) loadHoldingForChange(tx *store.Tx, id string, ifMatch func(int) bool) (Holding, error) {
	r, err := loadForChange(tx, func() (store.HoldingRow, error) { return tx.GetHolding(id) }, ifMatch,
		changeable[store.HoldingRow]{what: "data holding", notFound: holdingNotFound,
			version:         func(r store.HoldingRow) int { return r.Version },
			archived:        ownerArchived(func(r store.HoldingRow) string { return r.SupplierID }),
			archivedMessage: "The supplier is archived; its holdings are kept as history and can no longer be changed."})
	return holdingFromRow(r), err
}

func holdingToRow(h Holding) store.HoldingRow {
	subjects, _ := json.Marshal(h.DataSubjects)
	locations, _ := json.Marshal(h.Locations)
	var count int64
	if h.RecordCount != nil {
		count = *h.RecordCount
	}
	return store.HoldingRow{ID: h.ID, SupplierID: h.SupplierID, CategoryKey: h.Category, DataSubjects: string(subjects),
		RecordCount: count, Purpose: h.Purpose, Locations: string(locations), TransferMechanism: h.TransferMechanism,
		RetentionPeriod: h.RetentionPeriod, RetentionUntil: h.RetentionUntil, HeldSince: h.HeldSince,
		Version: h.Version, CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt}
}

func holdingFromRow(r store.HoldingRow) Holding {
	count := r.RecordCount
	h := Holding{HoldingFields: HoldingFields{Category: r.CategoryKey, RecordCount: &count, Purpose: r.Purpose,
		TransferMechanism: r.TransferMechanism, RetentionPeriod: r.RetentionPeriod, RetentionUntil: r.RetentionUntil,
		HeldSince: r.HeldSince, DataSubjects: []string{}, Locations: []string{}},
		ID: r.ID, SupplierID: r.SupplierID, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	_ = json.Unmarshal([]byte(r.DataSubjects), &h.DataSubjects)
	_ = json.Unmarshal([]byte(r.Locations), &h.Locations)
	return h
}
