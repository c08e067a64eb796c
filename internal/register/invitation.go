package register

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/store"
)

// ResourceInvitation is a questionnaire link sent to a supplier's contact.
const ResourceInvitation = "invitation"

// MaxInvitationLife is how long after its creation an invitation may stay open.
const MaxInvitationLife = 90 * 24 * time.Hour

// invitationPrefix marks an invitation's secret, as secretPrefix marks API keys'.
const invitationPrefix = "wli_"

// Invitation statuses: stored ones, and "expired", computed on read for a sent or
// opened invitation whose expires_at has passed.
var (
	InvitationStatuses = []string{"sent", "opened", "submitted", "revoked", "expired"}
	liveStatuses       = []string{"sent", "opened"}
)

// InvitationFields are what the team writes: who gets the link, and by when the
// answers are due and the link stops working.
type InvitationFields struct {
	ContactEmail string
	ContactName  string
	DueAt        *time.Time
	ExpiresAt    *time.Time
}

// Invitation is a questionnaire link sent to a supplier's contact, without its
// secret (which only its creation returns).
type Invitation struct {
	InvitationFields
	ID, AssessmentID, SupplierID string
	Status                       string // as of the read: sent, opened, submitted, revoked or expired
	Overdue                      bool   // as of the read: due_at has passed and the status is sent or opened
	SecretPrefix                 string // the secret's first characters, to recognise a link by
	CreatedBy                    string // API key id
	OpenedAt, SubmittedAt        *time.Time
	RevokedAt                    *time.Time
	Version                      int
	CreatedAt, UpdatedAt         time.Time
}

// CreateInvitation creates the link for a supplier's contact to answer a draft
// assessment, and returns it with its secret, shown only here (256 bits from the
// service's entropy source; stored only as its SHA-256, like API keys). due_at ≤
// expires_at ≤ creation + MaxInvitationLife, both in the future; one live (sent or
// opened, not expired) invitation per assessment: a second is CodeConflict, as is an
// assessment that is not a draft.
func (s *Service) CreateInvitation(ctx context.Context, a Actor, assessmentID string, f InvitationFields) (Invitation, string, error) {
	if !ValidID(assessmentID) {
		return Invitation{}, "", assessmentNotFound()
	}
	now := s.now()
	f.ContactEmail, f.ContactName = strings.TrimSpace(f.ContactEmail), strings.TrimSpace(f.ContactName)
	var fe fieldErrors
	switch addr, err := mail.ParseAddress(f.ContactEmail); {
	case f.ContactEmail == "":
		fe.add("contact_email", "is required: who the team sends the link to")
	case len(f.ContactEmail) > 254 || err != nil || addr.Address != f.ContactEmail:
		fe.add("contact_email", "must be an e-mail address such as security@supplier.example")
	}
	switch {
	case f.ContactName == "":
		fe.add("contact_name", "is required")
	case utf8.RuneCountInString(f.ContactName) > 200 || strings.IndexFunc(f.ContactName, unicode.IsControl) >= 0:
		fe.add("contact_name", "must be at most 200 characters without control characters")
	}
	switch {
	case f.DueAt == nil:
		fe.add("due_at", "is required: when the answers are due")
	case !f.DueAt.After(now):
		fe.add("due_at", "must be in the future")
	}
	switch {
	case f.ExpiresAt == nil:
		fe.add("expires_at", "is required: when the link stops working")
	case f.ExpiresAt.Sub(now) > MaxInvitationLife:
		fe.add("expires_at", "must be at most 90 days ahead")
	case f.DueAt != nil && f.ExpiresAt.Before(*f.DueAt):
		fe.add("expires_at", "must not be before due_at")
	}
	if err := fe.err(); err != nil {
		return Invitation{}, "", err
	}
	due, exp := f.DueAt.UTC().Truncate(time.Microsecond), f.ExpiresAt.UTC().Truncate(time.Microsecond)
	f.DueAt, f.ExpiresAt = &due, &exp

	raw := make([]byte, 32)
	if _, err := s.rand(raw); err != nil {
		return Invitation{}, "", fmt.Errorf("create invitation: %w", err)
	}
	secret := invitationPrefix + base64.RawURLEncoding.EncodeToString(raw)
	var out Invitation
	err := s.write(ctx, func(tx *store.Tx) error {
		as, err := tx.GetAssessment(assessmentID)
		if errors.Is(err, store.ErrNotFound) {
			return assessmentNotFound()
		}
		if err != nil {
			return err
		}
		if as.Status != "draft" {
			return Errorf(CodeConflict, "Only a draft assessment can be sent to a supplier; this one is %s.", as.Status)
		}
		if _, err := liveSupplierRow(tx, as.SupplierID, "The supplier is archived; there is nothing to send."); err != nil {
			return err
		}
		others, err := tx.InvitationsOfAssessment(assessmentID)
		if err != nil {
			return err
		}
		for _, o := range others {
			if slices.Contains(liveStatuses, o.Status) && o.ExpiresAt.After(now) {
				return Errorf(CodeConflict, "The assessment already has a live invitation (%s); revoke it first.", o.ID)
			}
		}
		out = Invitation{InvitationFields: f, ID: s.newID(), AssessmentID: assessmentID, SupplierID: as.SupplierID,
			Status: "sent", SecretPrefix: secret[:10], CreatedBy: a.KeyID, Version: 1, CreatedAt: now, UpdatedAt: now}
		row := store.InvitationRow{ID: out.ID, AssessmentID: assessmentID, SupplierID: as.SupplierID, ContactEmail: f.ContactEmail,
			ContactName: f.ContactName, DueAt: due, ExpiresAt: exp, SecretHash: hashSecret(secret), SecretPrefix: out.SecretPrefix,
			Status: "sent", Version: 1, CreatedAt: now, UpdatedAt: now}
		if a.KeyID != "" {
			row.CreatedBy = &a.KeyID
		}
		if err := tx.InsertInvitation(&row); err != nil {
			return err
		}
		// No part of the secret enters the audit trail: the invitation's id names the link.
		return s.record(tx, a, ActionCreate, ResourceInvitation, out.ID, map[string]Change{
			"assessment_id": {After: assessmentID}, "contact_email": {After: f.ContactEmail}, "contact_name": {After: f.ContactName},
			"due_at": {After: due.Format(time.RFC3339Nano)}, "expires_at": {After: exp.Format(time.RFC3339Nano)}}, now)
	})
	if err != nil {
		return Invitation{}, "", err
	}
	return out, secret, nil
}

// ListInvitationsOfAssessment pages an assessment's invitations, newest first.
func (s *Service) ListInvitationsOfAssessment(ctx context.Context, assessmentID string, since *time.Time, cur string, limit int) (Page[Invitation], error) {
	if !ValidID(assessmentID) {
		return Page[Invitation]{}, assessmentNotFound()
	}
	rows, err := rowsOfAssessment(ctx, s, assessmentID, (*store.Tx).InvitationsOfAssessment)
	if err != nil {
		return Page[Invitation]{}, err
	}
	now := s.now()
	out := make([]Invitation, len(rows))
	for i, r := range rows {
		out[i] = invitationFromRow(r, now)
	}
	out = changedSince(out, since, func(i Invitation) time.Time { return i.UpdatedAt })
	return PageSlice(out, "invitations:"+assessmentID+updatedSinceKind(since), cur, limit,
		newestFirst(func(i Invitation) (time.Time, string) { return i.CreatedAt, i.ID }))
}

// InvitationFilter selects invitations: any of the statuses (as of now, expired
// included), only overdue ones, changed since.
type InvitationFilter struct {
	Statuses     []string
	Overdue      bool
	UpdatedSince *time.Time
	Cursor       string
	Limit        int
}

// ListInvitations pages every invitation, newest first. Overdue: due_at has passed
// and the status is sent or opened.
func (s *Service) ListInvitations(ctx context.Context, f InvitationFilter) (Page[Invitation], error) {
	var fe fieldErrors
	fe.allowed("status", f.Statuses, InvitationStatuses)
	if err := fe.err(); err != nil {
		return Page[Invitation]{}, err
	}
	rows, err := s.st.NoTx(ctx).AllInvitations()
	if err != nil {
		return Page[Invitation]{}, err
	}
	now := s.now()
	var out []Invitation
	for _, r := range rows {
		i := invitationFromRow(r, now)
		if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, i.Status) {
			continue
		}
		if f.Overdue && !i.Overdue {
			continue
		}
		out = append(out, i)
	}
	out = changedSince(out, f.UpdatedSince, func(i Invitation) time.Time { return i.UpdatedAt })
	statuses := slices.Clone(f.Statuses)
	slices.Sort(statuses)
	kind := fmt.Sprintf("invitations:%s:%t%s", strings.Join(slices.Compact(statuses), ","), f.Overdue, updatedSinceKind(f.UpdatedSince))
	return PageSlice(out, kind, f.Cursor, f.Limit, newestFirst(func(i Invitation) (time.Time, string) { return i.CreatedAt, i.ID }))
}

// RevokeInvitation stops a sent or opened invitation's link from working (an
// expired one too: revoking it says so for good). A submitted or revoked one is
// CodeConflict.
func (s *Service) RevokeInvitation(ctx context.Context, a Actor, id string, ifMatch func(int) bool) error {
	if !ValidID(id) {
		return invitationNotFound()
	}
	return s.write(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(tx, func() (store.InvitationRow, error) { return tx.GetInvitation(id) }, ifMatch,
			changeable[store.InvitationRow]{what: "invitation", notFound: invitationNotFound,
				version: func(r store.InvitationRow) int { return r.Version }})
		if err != nil {
			return err
		}
		if !slices.Contains(liveStatuses, r.Status) {
			return Errorf(CodeConflict, "The invitation is %s; only a sent or opened one can be revoked.", r.Status)
		}
		now := s.now()
		expected, before := r.Version, r.Status
		r.Status, r.RevokedAt, r.Version, r.UpdatedAt = "revoked", &now, r.Version+1, now
		if err := tx.UpdateInvitationStatus(&r, expected); err != nil {
			return staleOr(err, "invitation")
		}
		return s.record(tx, a, ActionRevoke, ResourceInvitation, id, map[string]Change{
			"status": {Before: before, After: "revoked"}, "revoked_at": {After: now.Format(time.RFC3339Nano)}}, now)
	})
}

// rowsOfAssessment reads rows that belong to an assessment with list, in one read
// transaction that also finds the assessment (an unknown one is CodeNotFound).
func rowsOfAssessment[R any](ctx context.Context, s *Service, assessmentID string, list func(*store.Tx, string) ([]R, error)) ([]R, error) {
	var rows []R
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		if _, err := tx.GetAssessment(assessmentID); errors.Is(err, store.ErrNotFound) {
			return assessmentNotFound()
		} else if err != nil {
			return err
		}
		var err error
		rows, err = list(tx, assessmentID)
		return err
	})
	return rows, err
}

func invitationNotFound() error { return Errorf(CodeNotFound, "No invitation has this id.") }

func invitationFromRow(r store.InvitationRow, now time.Time) Invitation {
	due, exp := r.DueAt.UTC(), r.ExpiresAt.UTC()
	i := Invitation{InvitationFields: InvitationFields{ContactEmail: r.ContactEmail, ContactName: r.ContactName, DueAt: &due, ExpiresAt: &exp},
		ID: r.ID, AssessmentID: r.AssessmentID, SupplierID: r.SupplierID, Status: r.Status, SecretPrefix: r.SecretPrefix,
		OpenedAt: utcPtr(r.OpenedAt), SubmittedAt: utcPtr(r.SubmittedAt), RevokedAt: utcPtr(r.RevokedAt),
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.CreatedBy != nil {
		i.CreatedBy = *r.CreatedBy
	}
	if slices.Contains(liveStatuses, r.Status) && !exp.After(now) {
		i.Status = "expired"
	}
	i.Overdue = slices.Contains(liveStatuses, i.Status) && !due.After(now)
	return i
}
