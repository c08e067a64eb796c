package register

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// ResourceAcceptance is the audit resource type of risk acceptances.
const ResourceAcceptance = "risk_acceptance"

// MaxAcceptance bounds how long a risk may be accepted: acceptances are time-limited
// so that somebody looks again.
const MaxAcceptance = 366 * 24 * time.Hour

// AcceptanceFields are what an admin writes to accept one flag on one supplier.
type AcceptanceFields struct {
	Flag      string     `json:"flag"`
	Reason    string     `json:"reason"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// Acceptance is an admin's signed-off, time-limited acceptance of one flag.
type Acceptance struct {
	AcceptanceFields
	ID         string
	SupplierID string
	AcceptedBy string
	RevokedAt  *time.Time
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Active reports whether the acceptance is in force at now.
func (a Acceptance) Active(now time.Time) bool {
	return a.RevokedAt == nil && a.ExpiresAt != nil && a.ExpiresAt.After(now)
}

// CreateAcceptance accepts one flag on one live supplier until a date. A flag can
// have one acceptance in force at a time.
func (s *Service) CreateAcceptance(ctx context.Context, a Actor, supplierID string, f AcceptanceFields) (Acceptance, error) {
	if !ValidID(supplierID) {
		return Acceptance{}, supplierNotFound()
	}
	now := s.now()
	f.Reason = strings.TrimSpace(f.Reason)
	var fe fieldErrors
	if f.Flag == "" {
		fe.add("flag", "is required")
	} else if !oneOf(f.Flag, scoring.FlagCodes()) {
		fe.add("flag", "must be one of %s", strings.Join(scoring.FlagCodes(), ", "))
	}
	if f.Reason == "" {
		fe.add("reason", "is required: say why the risk is accepted and who signed it off")
	} else if utf8.RuneCountInString(f.Reason) > 4000 {
		fe.add("reason", "must be at most 4000 characters")
	}
	switch {
	case f.ExpiresAt == nil:
		fe.add("expires_at", "is required: acceptances are time-limited")
	case !f.ExpiresAt.After(now):
		fe.add("expires_at", "must be in the future")
	case f.ExpiresAt.Sub(now) > MaxAcceptance:
		fe.add("expires_at", "must be at most a year ahead")
	}
	if err := fe.err(); err != nil {
		return Acceptance{}, err
	}
	exp := f.ExpiresAt.UTC().Truncate(time.Microsecond)
	f.ExpiresAt = &exp
	var out Acceptance
	err := s.write(ctx, func(tx *store.Tx) error {
		if _, err := liveSupplierRow(tx, supplierID, "The supplier is archived; there is nothing to accept."); err != nil {
			return err
		}
		active, err := tx.ActiveAcceptances(supplierID, now)
		if err != nil {
			return err
		}
		for _, r := range active {
			if r.FlagCode == f.Flag {
				return Errorf(CodeConflict, "The %s flag is already accepted until %s; withdraw that acceptance first.", f.Flag, r.ExpiresAt.UTC().Format(time.RFC3339))
			}
		}
		out = Acceptance{AcceptanceFields: f, ID: s.newID(), SupplierID: supplierID, AcceptedBy: a.KeyID, Version: 1, CreatedAt: now, UpdatedAt: now}
		row := acceptanceToRow(out)
		if err := tx.InsertAcceptance(&row); err != nil {
			return err
		}
		if err := s.maintainRisk(tx, riskChange{suppliers: []string{supplierID}}); err != nil {
			return err
		}
		// The expiry is part of the audited event, so the trail says when the acceptance lapses.
		return s.record(tx, a, ActionCreate, ResourceAcceptance, out.ID, map[string]Change{
			"supplier_id": {After: supplierID}, "flag": {After: f.Flag}, "reason": {After: f.Reason},
			"expires_at": {After: exp.Format(time.RFC3339Nano)}}, now)
	})
	return out, err
}

// ListAcceptances pages a supplier's acceptances, newest first, withdrawn and expired included.
func (s *Service) ListAcceptances(ctx context.Context, supplierID string, since *time.Time, cur string, limit int) (Page[Acceptance], error) {
	var out []Acceptance
	err := s.listOfSupplier(ctx, supplierID, func(tx *store.Tx) error {
		rows, err := tx.AcceptancesOfSupplier(supplierID)
		for _, r := range rows {
			out = append(out, acceptanceFromRow(r))
		}
		return err
	})
	if err != nil {
		return Page[Acceptance]{}, err
	}
	out = changedSince(out, since, func(a Acceptance) time.Time { return a.UpdatedAt })
	return PageSlice(out, "acceptances:"+supplierID+updatedSinceKind(since), cur, limit,
		newestFirst(func(a Acceptance) (time.Time, string) { return a.CreatedAt, a.ID }))
}

// WithdrawAcceptance ends an acceptance before its expiry; the history stays.
func (s *Service) WithdrawAcceptance(ctx context.Context, a Actor, id string, ifMatch func(int) bool) error {
	if !ValidID(id) {
		return acceptanceNotFound()
	}
	return s.write(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(tx, func() (store.AcceptanceRow, error) { return tx.GetAcceptance(id) }, ifMatch,
			changeable[store.AcceptanceRow]{what: "risk acceptance", notFound: acceptanceNotFound,
				version: func(r store.AcceptanceRow) int { return r.Version }})
		if err != nil {
			return err
		}
		now := s.now()
		if r.RevokedAt != nil || !r.ExpiresAt.After(now) {
			return Errorf(CodeConflict, "The acceptance is no longer in force.")
		}
		expected := r.Version
		r.RevokedAt, r.Version, r.UpdatedAt = &now, r.Version+1, now
		if err := tx.RevokeAcceptance(&r, expected); err != nil {
			return staleOr(err, "risk acceptance")
		}
		if err := s.maintainRisk(tx, riskChange{suppliers: []string{r.SupplierID}}); err != nil {
			return err
		}
		return s.record(tx, a, ActionRevoke, ResourceAcceptance, id, map[string]Change{"revoked_at": {After: now.Format(time.RFC3339Nano)}}, now)
	})
}

func acceptanceToRow(a Acceptance) store.AcceptanceRow {
	r := store.AcceptanceRow{ID: a.ID, SupplierID: a.SupplierID, FlagCode: a.Flag, Reason: a.Reason, RevokedAt: a.RevokedAt,
		Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if a.ExpiresAt != nil {
		r.ExpiresAt = *a.ExpiresAt
	}
	if a.AcceptedBy != "" {
		r.AcceptedBy = &a.AcceptedBy
	}
	return r
}

func acceptanceFromRow(r store.AcceptanceRow) Acceptance {
	exp := r.ExpiresAt.UTC()
	a := Acceptance{AcceptanceFields: AcceptanceFields{Flag: r.FlagCode, Reason: r.Reason, ExpiresAt: &exp}, ID: r.ID,
		SupplierID: r.SupplierID, RevokedAt: utcPtr(r.RevokedAt), Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.AcceptedBy != nil {
		a.AcceptedBy = *r.AcceptedBy
	}
	return a
}
