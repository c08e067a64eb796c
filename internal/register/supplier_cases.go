package register

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
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
	Tiers           []string
	Flags           []string   // raised (accepted or not)
	UpdatedSince    *time.Time // changed at or after (updated_at; inclusive)
	Sort            string
	Cursor          string
	Limit           int
}

// SupplierSorts are the accepted sort values; a leading "-" sorts descending.
var SupplierSorts = []string{"name", "-name", "created_at", "-created_at", "updated_at", "-updated_at",
	"residual_risk", "-residual_risk", "inherent_risk", "-inherent_risk", "posture", "-posture"}

// riskSorts order by figures computed on read; the list is then assembled in memory.
var riskSorts = map[string]bool{"residual_risk": true, "inherent_risk": true, "posture": true}

// Tiers are the risk tiers, worst first.
var Tiers = []string{"critical", "high", "medium", "low"}

// CreateSupplier validates and stores a new supplier.
func (s *Service) CreateSupplier(ctx context.Context, a Actor, f SupplierFields) (Supplier, error) {
	now := s.now()
	f.Normalize()
	if err := f.Validate(now.Format(time.DateOnly)); err != nil {
		return Supplier{}, err
	}
	sup := Supplier{SupplierFields: f, ID: s.newID(), Version: 1, CreatedAt: now, UpdatedAt: now}
	row := supplierToRow(sup)
	err := s.write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertSupplier(&row); err != nil {
			return supplierWriteError(err, f.Name)
		}
		if err := s.maintainRisk(tx, riskChange{suppliers: []string{sup.ID}}); err != nil {
			return err
		}
		return s.record(tx, a, ActionCreate, ResourceSupplier, sup.ID, Diff(nil, Snapshot(f)), now)
	})
	if err != nil {
		return Supplier{}, err
	}
	return sup, nil
}

// GetSupplier returns one supplier, archived or not.
func (s *Service) GetSupplier(ctx context.Context, id string) (Supplier, error) {
	if !ValidID(id) {
		return Supplier{}, supplierNotFound()
	}
	// The risk summary is left out here: it changes with the clock and with other
	// resources, and this answer's strong ETag must change exactly when its body does.
	// GET /suppliers/{id}/risk has the figures with their breakdown.
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
	if !ValidID(id) {
		return Supplier{}, supplierNotFound()
	}
	load := func(tx *store.Tx) (Supplier, error) { return s.loadSupplierForChange(tx, id, ifMatch) }
	return patch(ctx, s, load, apply, func(tx *store.Tx, cur Supplier, f SupplierFields, now time.Time) (Supplier, error) {
		f.Normalize()
		if err := f.Validate(now.Format(time.DateOnly)); err != nil {
			return cur, err
		}
		changes := Diff(Snapshot(cur.SupplierFields), Snapshot(f))
		if len(changes) == 0 {
			return cur, nil // nothing changed: no new version, no audit event
		}
		out := cur
		out.SupplierFields, out.Version, out.UpdatedAt = f, cur.Version+1, now
		row := supplierToRow(out)
		if err := tx.UpdateSupplier(&row, cur.Version); err != nil {
			return cur, supplierWriteError(err, f.Name)
		}
		if changesFigureInputs(changes) {
			if err := s.maintainRisk(tx, riskChange{suppliers: []string{id}}); err != nil {
				return cur, err
			}
		}
		return out, s.record(tx, a, ActionUpdate, ResourceSupplier, id, changes, now)
	})
}

// descriptiveFields are the supplier fields that no figure, flag or report input
// reads (the projection's inputs are listed in projection.go and
// projection_report.go): a change to these alone leaves every stored figure as it is.
var descriptiveFields = map[string]bool{"services": true, "website": true, "security_contact": true, "notes": true}

// changesFigureInputs says whether a supplier change touches a field the figures read.
func changesFigureInputs(changes map[string]Change) bool {
	for field := range changes {
		if !descriptiveFields[field] {
			return true
		}
	}
	return false
}

// ArchiveSupplier takes a supplier out of the live register; its history stays and
// its name becomes free. Archiving twice is a conflict.
func (s *Service) ArchiveSupplier(ctx context.Context, a Actor, id string, ifMatch func(version int) bool) error {
	if !ValidID(id) {
		return supplierNotFound()
	}
	return s.write(ctx, func(tx *store.Tx) error {
		cur, err := s.loadSupplierForChange(tx, id, ifMatch)
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
		if err := s.maintainRisk(tx, riskChange{suppliers: []string{id}}); err != nil {
			return err
		}
		invs, err := tx.InvitationsOfSupplier(id)
		if err != nil {
			return err
		}
		if err := s.closeLiveInvitations(tx, a, invs, "the supplier was archived", now); err != nil {
			return err
		}
		return s.record(tx, a, ActionArchive, ResourceSupplier, id,
			map[string]Change{"archived_at": {Before: nil, After: now.Format(time.RFC3339Nano)}}, now)
	})
}

// loadSupplierForChange reads a live supplier inside a write transaction and checks If-Match.
func (s *Service) loadSupplierForChange(tx *store.Tx, id string, ifMatch func(int) bool) (Supplier, error) {
	row, err := loadForChange(tx, func() (store.SupplierRow, error) { return tx.GetSupplier(id) }, ifMatch,
		changeable[store.SupplierRow]{what: "supplier", notFound: supplierNotFound,
			version:         func(r store.SupplierRow) int { return r.Version },
			archived:        func(_ *store.Tx, r store.SupplierRow) (bool, error) { return r.ArchivedAt != nil, nil },
			archivedMessage: "The supplier is archived and can no longer be changed."})
	return supplierFromRow(row), err
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
	fe.allowed("status", f.Statuses, SupplierStatuses)
	fe.allowed("criticality", f.Criticalities, Criticalities)
	for i, v := range f.Countries {
		f.Countries[i] = strings.ToUpper(v)
		if !ValidCountry(f.Countries[i]) {
			fe.add("country", "must be an ISO 3166-1 alpha-2 country code")
		}
	}
	fe.allowed("flag", f.Flags, scoring.FlagCodes())
	fe.allowed("tier", f.Tiers, Tiers)
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
		HoldsData: f.HoldsData, UpdatedSince: f.UpdatedSince, Sort: key, Desc: desc, Limit: limit}
	kind := "suppliers:" + f.Sort + updatedSinceKind(f.UpdatedSince)
	if len(f.Tiers) > 0 || len(f.Flags) > 0 {
		kind += ":" + strings.Join(f.Tiers, ",") + ":" + strings.Join(f.Flags, ",")
		q.Tiers, q.AnyFlags = f.Tiers, f.Flags
	}
	if riskSorts[key] {
		// Positions in this list differ from keyset values: a cursor of one never pages the other.
		return s.listSuppliersByRisk(ctx, f, q, "suppliers-by-risk:"+f.Sort+":"+strings.Join(f.Tiers, ",")+":"+
			strings.Join(f.Flags, ",")+updatedSinceKind(f.UpdatedSince), limit)
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, kind)
		if err != nil {
			return Page[Supplier]{}, err
		}
		ks := &store.Keyset{Value: sqlCursorValue(c.Value), ID: c.ID}
		if key != "name" {
			t, err := time.Parse(time.RFC3339Nano, c.Value)
			if err != nil {
				return Page[Supplier]{}, invalidCursor()
			}
			ks.Value = t.UTC()
		}
		q.After = ks
	}
	rows, sums, err := s.supplierPage(ctx, f.Categories, q)
	if err != nil {
		return Page[Supplier]{}, err
	}
	return pageOf(rows, limit, func(r store.SupplierRow) Supplier {
		sup := supplierFromRow(r)
		sum := sums[r.ID]
		sup.Risk = &sum
		return sup
	}, func(last store.SupplierRow) cursor {
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

// supplierPage reads a page of suppliers with their stored list summaries: in one
// statement when the projection is current and no stored row has expired (the usual
// case); otherwise in a transaction, recomputing the summaries past their
// valid_until, after bringing every expired row up to date when the page filters on
// stored figures (tiers, flags). A category filter is first checked against the
// register's categories (an unknown one is CodeInvalid).
func (s *Service) supplierPage(ctx context.Context, categories []string, q store.SupplierQuery) ([]store.SupplierRow, map[string]RiskSummary, error) {
	if len(categories) == 0 {
		rows, sums, ok, err := s.storedSupplierPage(ctx, q)
		if err != nil || ok {
			return rows, sums, err
		}
	}
	byFigures := len(q.Tiers) > 0 || len(q.AnyFlags) > 0
	if byFigures {
		if err := s.refreshIfExpired(ctx); err != nil {
			return nil, nil, err
		}
	}
	var (
		rows []store.SupplierRow
		sums map[string]RiskSummary
	)
	err := s.st.Read(ctx, func(tx *store.Tx) (err error) {
		if err := s.requireCategories(tx, "category", categories); err != nil {
			return err
		}
		if byFigures {
			if err := s.requireBuilt(tx); err != nil {
				return err
			}
		}
		if rows, err = tx.ListSuppliers(q); err != nil {
			return err
		}
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		sums, err = s.riskSummaries(tx, ids, s.now())
		return err
	})
	return rows, sums, err
}

// storedSupplierPage is supplierPage's one statement; ok is false when its answer
// cannot be served as stored (an empty page, an unbuilt projection, a row expired
// or missing).
func (s *Service) storedSupplierPage(ctx context.Context, q store.SupplierQuery) ([]store.SupplierRow, map[string]RiskSummary, bool, error) {
	page, err := s.st.NoTx(ctx).SupplierPageWithRisk(q, s.now())
	if err != nil || len(page) == 0 || !s.projectionCurrent(page[0].Built, page[0].Methodology) || page[0].Expired {
		return nil, nil, false, err
	}
	rows := make([]store.SupplierRow, len(page))
	sums := make(map[string]RiskSummary, len(page))
	for i, p := range page {
		if p.Risk.SupplierID == "" {
			return nil, nil, false, nil
		}
		if sums[p.Supplier.ID], err = summaryFromRow(p.Risk); err != nil {
			return nil, nil, false, err
		}
		rows[i] = p.Supplier
	}
	return rows, sums, true, nil
}

// listSuppliersByRisk orders or filters by risk figures: a walk along the stored
// projection's index for the order (keyset pagination on the stored key), after
// bringing any figures past their valid_until up to date.
func (s *Service) listSuppliersByRisk(ctx context.Context, f SupplierFilter, q store.SupplierQuery, kind string, limit int) (Page[Supplier], error) {
	order := riskOrderKey[f.Sort]
	after := ""
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, kind)
		if err != nil {
			return Page[Supplier]{}, err
		}
		after = sqlCursorValue(c.Value)
	}
	rq := store.RiskListQuery{Suppliers: q, OrderKey: order, After: after, Limit: limit}
	return s.riskOrderedPage(ctx, f.Categories, rq, kind, limit)
}

// riskOrderKey maps the supplier list's risk sorts to the projection's ordering keys.
var riskOrderKey = map[string]string{
	"residual_risk": "pos_residual", "-residual_risk": "pos_residual_desc",
	"inherent_risk": "pos_inherent", "-inherent_risk": "pos_inherent_desc",
	"posture": "pos_posture", "-posture": "pos_posture_desc",
}

// riskOrderedPage reads one page of a risk-ordered supplier list from the projection.
func (s *Service) riskOrderedPage(ctx context.Context, categories []string, rq store.RiskListQuery, kind string, limit int) (Page[Supplier], error) {
	rows, err := s.riskPage(ctx, categories, rq)
	if err != nil {
		return Page[Supplier]{}, err
	}
	out := Page[Supplier]{Items: []Supplier{}}
	for i, row := range rows {
		if i == limit {
			out.NextCursor = encodeCursor(cursor{Kind: kind, Value: orderValue(rq.OrderKey, rows[i-1].Risk), ID: rows[i-1].Risk.SupplierID})
			break
		}
		sum, err := summaryFromRow(row.Risk)
		if err != nil {
			return Page[Supplier]{}, err
		}
		sup := supplierFromRow(row.Supplier)
		sup.Risk = &sum
		out.Items = append(out.Items, sup)
	}
	return out, nil
}

// riskPage reads a page of a risk-ordered list from the projection: in one statement
// when the projection is current and no stored row has expired (the usual case);
// otherwise after bringing expired rows up to date, in a transaction that answers
// CodeUnavailable while the projection is unbuilt. A category filter is first
// checked against the register's categories (an unknown one is CodeInvalid).
func (s *Service) riskPage(ctx context.Context, categories []string, rq store.RiskListQuery) ([]store.RiskPageRow, error) {
	if len(categories) == 0 {
		rows, err := s.st.NoTx(ctx).RiskPage(rq, s.now())
		if err != nil {
			return nil, err
		}
		if len(rows) > 0 && s.projectionCurrent(rows[0].Built, rows[0].Methodology) && !rows[0].Expired {
			return rows, nil
		}
	}
	if err := s.refreshIfExpired(ctx); err != nil {
		return nil, err
	}
	var rows []store.RiskPageRow
	err := s.st.Read(ctx, func(tx *store.Tx) (err error) {
		if err := s.requireCategories(tx, "category", categories); err != nil {
			return err
		}
		if err := s.requireBuilt(tx); err != nil {
			return err
		}
		rows, err = tx.RiskPage(rq, s.now())
		return err
	})
	return rows, err
}

// orderValue is a stored row's value of an ordering key.
func orderValue(key string, r store.RiskRow) string {
	switch key {
	case "rank_key":
		return r.RankKey
	case "pos_residual":
		return r.PosResidual
	case "pos_residual_desc":
		return r.PosResidualDesc
	case "pos_inherent":
		return r.PosInherent
	case "pos_inherent_desc":
		return r.PosInherentDesc
	case "pos_posture":
		return r.PosPosture
	}
	return r.PosPostureDesc
}

// complement reverses the order of s: complement(a) < complement(b) exactly when
// b < a (bytewise). Each byte becomes two lowercase hex digits of 0xff minus it, and
// a final "zz" (after every hex pair) puts a prefix after the longer strings it
// begins. The result is ASCII, so it survives a cursor's JSON round trip unchanged.
func complement(s string) string {
	const hexDigits = "0123456789abcdef"
	b := make([]byte, 0, 2*len(s)+2)
	for i := 0; i < len(s); i++ {
		c := 0xff - s[i]
		b = append(b, hexDigits[c>>4], hexDigits[c&0x0f])
	}
	return string(append(b, 'z', 'z'))
}

// riskPosition is a supplier's place in a risk-ordered list as text that sorts the
// same way: the figure in hundredths, inverted for descending orders, then name and id.
// A supplier never assessed has no posture and counts as the weakest.
func riskPosition(key string, desc bool, r RiskSummary, row store.SupplierRow) string {
	var v float64
	switch key {
	case "residual_risk":
		v = r.Residual
	case "inherent_risk":
		v = r.Inherent
	case "posture":
		v = -1
		if r.Posture != nil {
			v = *r.Posture
		}
	case "name":
		if desc {
			return complement(row.NameKey) + "\x00" + complement(row.ID)
		}
		return row.NameKey + "\x00" + row.ID
	case "created_at", "updated_at":
		t := row.CreatedAt
		if key == "updated_at" {
			t = row.UpdatedAt
		}
		n := t.UnixMicro()
		if desc {
			n = math.MaxInt64 - n
		}
		return fmt.Sprintf("%020d\x00%s", n, row.ID)
	}
	n := int64(math.Round(v*100)) + 100 // -1 (unassessed) becomes 0
	if desc {
		n = 100_000 - n
	}
	return fmt.Sprintf("%06d\x00%s\x00%s", n, row.NameKey, row.ID)
}

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
