package register

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/store"
)

// ResourceIncident is the audit resource type of incidents.
const ResourceIncident = "incident"

// IncidentStatuses in lifecycle order: open → contained → closed.
var IncidentStatuses = []string{"open", "contained", "closed"}

// RegulatorDeadline is the GDPR Art. 33 window: notify the supervisory authority
// within 72 hours of becoming aware of a personal data breach.
const RegulatorDeadline = 72 * time.Hour

// IncidentFields are what a client writes.
type IncidentFields struct {
	SupplierID          string     `json:"supplier_id"`
	Summary             string     `json:"summary"`
	Description         string     `json:"description"`
	Status              string     `json:"status"`
	AwareAt             *time.Time `json:"aware_at"`
	SupplierAwareAt     *time.Time `json:"supplier_aware_at"`
	RegulatorNotifiedAt *time.Time `json:"regulator_notified_at"`
	SubjectsNotifiedAt  *time.Time `json:"subjects_notified_at"`
}

// Incident is a security event reported at a supplier.
type Incident struct {
	IncidentFields
	ID           string
	SupplierName string
	ClosedAt     *time.Time
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// RegulatorDeadline is when the Art. 33 notification falls due.
func (i Incident) RegulatorDeadline() time.Time { return i.AwareAt.Add(RegulatorDeadline) }

func (f *IncidentFields) normalize() {
	f.Summary, f.Description = strings.TrimSpace(f.Summary), strings.TrimSpace(f.Description)
	if f.Status == "" {
		f.Status = "open"
	}
	for _, t := range []**time.Time{&f.AwareAt, &f.SupplierAwareAt, &f.RegulatorNotifiedAt, &f.SubjectsNotifiedAt} {
		if *t != nil {
			u := (**t).UTC().Truncate(time.Microsecond)
			*t = &u
		}
	}
}

func (f *IncidentFields) validate(now time.Time) fieldErrors {
	var fe fieldErrors
	if f.SupplierID == "" {
		fe.add("supplier_id", "is required")
	} else if !ValidID(f.SupplierID) {
		fe.add("supplier_id", "must be a supplier id (a UUID)")
	}
	if f.Summary == "" {
		fe.add("summary", "is required: one line saying what happened")
	} else if utf8.RuneCountInString(f.Summary) > 500 {
		fe.add("summary", "must be at most 500 characters")
	}
	if utf8.RuneCountInString(f.Description) > 10000 {
		fe.add("description", "must be at most 10000 characters")
	}
	if !oneOf(f.Status, IncidentStatuses) {
		fe.add("status", "must be one of %s", strings.Join(IncidentStatuses, ", "))
	}
	if f.AwareAt == nil {
		fe.add("aware_at", "is required: when the organisation became aware of the incident")
	} else if f.AwareAt.After(now) {
		fe.add("aware_at", "must not be in the future")
	}
	if f.SupplierAwareAt != nil && f.AwareAt != nil && f.SupplierAwareAt.After(*f.AwareAt) {
		fe.add("supplier_aware_at", "must not be after aware_at (the supplier learned of it before telling us)")
	}
	for name, t := range map[string]*time.Time{"regulator_notified_at": f.RegulatorNotifiedAt, "subjects_notified_at": f.SubjectsNotifiedAt} {
		if t == nil {
			continue
		}
		if t.After(now) {
			fe.add(name, "must not be in the future")
		} else if f.AwareAt != nil && t.Before(*f.AwareAt) {
			fe.add(name, "must not be before aware_at")
		}
	}
	sortFieldErrors(fe)
	return fe
}

// CreateIncident records an incident at a supplier.
func (s *Service) CreateIncident(ctx context.Context, a Actor, f IncidentFields) (Incident, error) {
	now := s.now()
	f.normalize()
	if err := f.validate(now).err(); err != nil {
		return Incident{}, err
	}
	var out Incident
	err := s.write(ctx, func(tx *store.Tx) error {
		sup, err := tx.GetSupplier(f.SupplierID)
		if errors.Is(err, store.ErrNotFound) {
			return Invalid(FieldError{Field: "supplier_id", Message: "is not a supplier in the register"})
		}
		if err != nil {
			return err
		}
		out = Incident{IncidentFields: f, ID: s.newID(), SupplierName: sup.Name, Version: 1, CreatedAt: now, UpdatedAt: now}
		if f.Status == "closed" {
			out.ClosedAt = &now
		}
		row := incidentToRow(out)
		if err := tx.InsertIncident(&row); err != nil {
			return err
		}
		if err := s.maintainRisk(tx, riskChange{suppliers: []string{f.SupplierID}}); err != nil {
			return err
		}
		return s.record(tx, a, ActionCreate, ResourceIncident, out.ID, Diff(nil, Snapshot(f)), now)
	})
	return out, err
}

// GetIncident returns one incident.
func (s *Service) GetIncident(ctx context.Context, id string) (Incident, error) {
	if !ValidID(id) {
		return Incident{}, incidentNotFound()
	}
	var out Incident
	err := s.st.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = s.loadIncident(tx, id)
		return err
	})
	return out, err
}

func (s *Service) loadIncident(tx *store.Tx, id string) (Incident, error) {
	r, err := tx.GetIncident(id)
	if errors.Is(err, store.ErrNotFound) {
		return Incident{}, incidentNotFound()
	}
	if err != nil {
		return Incident{}, err
	}
	sup, err := tx.GetSupplier(r.SupplierID)
	if err != nil {
		return Incident{}, err
	}
	in := incidentFromRow(r)
	in.SupplierName = sup.Name
	return in, nil
}

// PatchIncident updates an incident. Status only moves forward (open → contained →
// closed); the supplier is fixed.
func (s *Service) PatchIncident(ctx context.Context, a Actor, id string, ifMatch func(int) bool,
	apply func(Incident) (IncidentFields, error)) (Incident, error) {
	if !ValidID(id) {
		return Incident{}, incidentNotFound()
	}
	load := func(tx *store.Tx) (Incident, error) {
		cur, err := s.loadIncident(tx, id)
		if err == nil && ifMatch != nil && !ifMatch(cur.Version) {
			err = stale("incident", cur.Version)
		}
		return cur, err
	}
	return patch(ctx, s, load, apply, func(tx *store.Tx, cur Incident, f IncidentFields, now time.Time) (Incident, error) {
		f.normalize()
		fe := f.validate(now)
		if f.SupplierID != cur.SupplierID {
			fe.add("supplier_id", "cannot be changed; record a new incident at the other supplier")
		}
		if err := fe.err(); err != nil {
			return cur, err
		}
		if statusRank(f.Status) < statusRank(cur.Status) {
			return cur, Errorf(CodeConflict, "An incident's status only moves forward (open → contained → closed); it is %s.", cur.Status)
		}
		changes := Diff(Snapshot(cur.IncidentFields), Snapshot(f))
		if len(changes) == 0 {
			return cur, nil
		}
		out := cur
		out.IncidentFields, out.Version, out.UpdatedAt = f, cur.Version+1, now
		if f.Status == "closed" && cur.ClosedAt == nil {
			out.ClosedAt = &now
		}
		row := incidentToRow(out)
		if err := tx.UpdateIncident(&row, cur.Version); err != nil {
			return cur, staleOr(err, "incident")
		}
		if err := s.maintainRisk(tx, riskChange{suppliers: unionOf([]string{cur.SupplierID, f.SupplierID})}); err != nil {
			return cur, err
		}
		return out, s.record(tx, a, ActionUpdate, ResourceIncident, id, changes, now)
	})
}

func statusRank(s string) int {
	for i, v := range IncidentStatuses {
		if v == s {
			return i
		}
	}
	return -1
}

// IncidentFilter selects incidents.
type IncidentFilter struct {
	SupplierID   string
	Statuses     []string
	UpdatedSince *time.Time // changed at or after (updated_at; inclusive)
	Cursor       string
	Limit        int
}

// ListIncidents pages incidents, most recently learned of first.
func (s *Service) ListIncidents(ctx context.Context, f IncidentFilter) (Page[Incident], error) {
	limit, err := checkLimit(f.Limit)
	if err != nil {
		return Page[Incident]{}, err
	}
	var fe fieldErrors
	if f.SupplierID != "" && !ValidID(f.SupplierID) {
		fe.add("supplier_id", "must be a UUID")
	}
	fe.allowed("status", f.Statuses, IncidentStatuses)
	if err := fe.err(); err != nil {
		return Page[Incident]{}, err
	}
	q := store.IncidentQuery{SupplierID: f.SupplierID, Statuses: f.Statuses, UpdatedSince: f.UpdatedSince, Limit: limit}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, "incidents"+updatedSinceKind(f.UpdatedSince))
		if err != nil {
			return Page[Incident]{}, err
		}
		t, err := time.Parse(time.RFC3339Nano, c.Value)
		if err != nil {
			return Page[Incident]{}, invalidCursor()
		}
		q.After = &store.Keyset{Value: t.UTC(), ID: c.ID}
	}
	var (
		rows  []store.IncidentRow
		names map[string]string
	)
	err = s.st.Read(ctx, func(tx *store.Tx) (err error) {
		if rows, err = tx.ListIncidents(q); err != nil {
			return err
		}
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			ids = append(ids, r.SupplierID)
		}
		names, err = tx.SupplierNames(ids)
		return err
	})
	if err != nil {
		return Page[Incident]{}, err
	}
	return pageOf(rows, limit, func(r store.IncidentRow) Incident {
		in := incidentFromRow(r)
		in.SupplierName = names[r.SupplierID]
		return in
	}, func(last store.IncidentRow) cursor {
		return cursor{Kind: "incidents" + updatedSinceKind(f.UpdatedSince), Value: last.AwareAt.UTC().Format(time.RFC3339Nano), ID: last.ID}
	}), nil
}

func incidentToRow(i Incident) store.IncidentRow {
	r := store.IncidentRow{ID: i.ID, SupplierID: i.SupplierID, Summary: i.Summary, Description: i.Description,
		Status: i.Status, SupplierAwareAt: i.SupplierAwareAt, RegulatorNotifiedAt: i.RegulatorNotifiedAt,
		SubjectsNotifiedAt: i.SubjectsNotifiedAt, ClosedAt: i.ClosedAt, Version: i.Version,
		CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
	if i.AwareAt != nil {
		r.AwareAt = *i.AwareAt
	}
	return r
}

func incidentFromRow(r store.IncidentRow) Incident {
	aware := r.AwareAt.UTC()
	return Incident{IncidentFields: IncidentFields{SupplierID: r.SupplierID, Summary: r.Summary, Description: r.Description,
		Status: r.Status, AwareAt: &aware, SupplierAwareAt: utcPtr(r.SupplierAwareAt),
		RegulatorNotifiedAt: utcPtr(r.RegulatorNotifiedAt), SubjectsNotifiedAt: utcPtr(r.SubjectsNotifiedAt)},
		ID: r.ID, ClosedAt: utcPtr(r.ClosedAt), Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}
