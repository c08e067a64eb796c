package register

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/weaklink/weaklink/internal/store"
)

// PortalSessionLife is the longest a browser session opened from an invitation link
// lasts; it never outlives the invitation. After it the contact opens the link again.
const PortalSessionLife = 12 * time.Hour

// ActionOpen records that an invitation's link was used for the first time.
const ActionOpen = "open"

// PortalView is what a supplier's contact sees through their link: the questionnaire
// (without option scores, weights or critical marks), their answers and comments, and
// where the invitation stands. Never a score, a flag or another supplier.
type PortalView struct {
	Invitation    Invitation
	SupplierName  string
	Questionnaire PortalQuestionnaire
	AssessmentID  string
	// Status is "draft" while the contact may answer, "submitted" once the assessment
	// was submitted (whatever the team's review decided since).
	Status      string
	Answers     map[string]string // question key → option value
	Comments    map[string]string // question key → the contact's comment
	Version     int               // the assessment's version, for If-Match
	SubmittedAt *time.Time
	Evidence    []EvidenceFile // by question, then upload time
}

// PortalQuestionnaire is a questionnaire as the supplier's contact sees it.
type PortalQuestionnaire struct {
	Name      string
	Revision  int
	Questions []PortalQuestion
}

// PortalQuestion is one question with the option values the contact may choose.
type PortalQuestion struct {
	Key, Domain, Text, Guidance string
	Optional                    bool
	Options                     []string
}

// PortalAnswers are what the contact writes: answers (question key → option value)
// and comments keyed the same way. Evidence notes stay the team's.
type PortalAnswers struct {
	Answers  map[string]string
	Comments map[string]string
}

// Live reports whether the invitation's link still accepts answers.
func (i Invitation) Live() bool { return slices.Contains(liveStatuses, i.Status) }

// ClosedMessage says, for the contact, why a link no longer accepts answers; "" for
// a live one.
func (i Invitation) ClosedMessage() string {
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return " on " + t.UTC().Format("2 January 2006")
	}
	switch i.Status {
	case "submitted":
		return "The questionnaire was submitted" + day(i.SubmittedAt) + ". Thank you: the team will review your answers."
	case "revoked":
		return "The team withdrew this link" + day(i.RevokedAt) + ". Ask them for a new one if you still need to answer."
	case "expired":
		return "This link expired" + day(i.ExpiresAt) + ". Ask the team for a new one if you still need to answer."
	}
	return ""
}

// OpenPortalLink exchanges an invitation link's secret for a browser session. For a
// live invitation it returns the session's token (32 bytes from the entropy source,
// URL-safe base64; stored only as its SHA-256), valid for PortalSessionLife or until
// the invitation expires, whichever is first; a sent invitation becomes opened, in
// the same transaction, audited with the invitation as the actor. For a submitted,
// revoked or expired one it returns the invitation and no token. A secret that
// names no invitation is CodeUnauthenticated.
func (s *Service) OpenPortalLink(ctx context.Context, secret string, meta Actor) (Invitation, string, error) {
	r, err := s.invitationBySecret(ctx, secret)
	if err != nil {
		return Invitation{}, "", err
	}
	now := s.now()
	if inv := invitationFromRow(r, now); !inv.Live() {
		return inv, "", nil
	}
	raw := make([]byte, 32)
	if _, err := s.rand(raw); err != nil {
		return Invitation{}, "", fmt.Errorf("open portal link: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	var out Invitation
	err = s.write(ctx, func(tx *store.Tx) error {
		inv, err := s.markOpened(tx, r.ID, meta, now)
		if err != nil || !inv.Live() {
			out = inv
			return err
		}
		out = inv
		expires := now.Add(PortalSessionLife)
		if inv.ExpiresAt.Before(expires) {
			expires = *inv.ExpiresAt
		}
		return tx.InsertPortalSession(store.PortalSessionRow{TokenHash: hashSecret(token), InvitationID: inv.ID,
			CreatedAt: now, ExpiresAt: expires})
	})
	if err != nil || !out.Live() {
		return out, "", err
	}
	return out, token, nil
}

// PortalSession resolves a browser session's token to its invitation (with its status
// as of now) and the actor its holder acts as. An unknown or ended session is
// CodeUnauthenticated.
func (s *Service) PortalSession(ctx context.Context, token string, meta Actor) (Invitation, Actor, error) {
	ended := Errorf(CodeUnauthenticated, "Your session has ended. Open the link you were sent again.")
	if token == "" || len(token) > 64 {
		return Invitation{}, Actor{}, ended
	}
	var r store.InvitationRow
	now := s.now()
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		sess, err := tx.GetPortalSession(hashSecret(token))
		if errors.Is(err, store.ErrNotFound) || (err == nil && !sess.ExpiresAt.After(now)) {
			return ended
		}
		if err != nil {
			return err
		}
		r, err = tx.GetInvitation(sess.InvitationID)
		return err
	})
	if err != nil {
		return Invitation{}, Actor{}, err
	}
	inv := invitationFromRow(r, now)
	return inv, invitationActor(inv, meta), nil
}

// AuthenticateInvitation resolves an invitation link's secret, sent as a bearer
// token to the portal's JSON routes, to its invitation and actor. A sent invitation
// becomes opened (audited). Unknown secrets, and revoked or expired invitations, are
// CodeUnauthenticated (the message says which; a closed one's invitation is returned
// with the error, an unknown secret's is empty); a submitted one still reads.
func (s *Service) AuthenticateInvitation(ctx context.Context, secret string, meta Actor) (Invitation, Actor, error) {
	r, err := s.invitationBySecret(ctx, secret)
	if err != nil {
		return Invitation{}, Actor{}, err
	}
	now := s.now()
	inv := invitationFromRow(r, now)
	if r.Status == "sent" && inv.Live() {
		err = s.write(ctx, func(tx *store.Tx) error {
			inv, err = s.markOpened(tx, r.ID, meta, now)
			return err
		})
		if err != nil {
			return Invitation{}, Actor{}, err
		}
	}
	if inv.Status == "revoked" || inv.Status == "expired" {
		// The invitation comes back with the error: a closed link is no guess.
		return inv, Actor{}, Errorf(CodeUnauthenticated, "%s", inv.ClosedMessage())
	}
	return inv, invitationActor(inv, meta), nil
}

// PurgePortalSessions deletes the sessions that have ended and returns how many.
func (s *Service) PurgePortalSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.DeleteExpiredPortalSessions(s.now())
		return err
	})
	return n, err
}

// GetPortalView reads what the invitation's link holder sees.
func (s *Service) GetPortalView(ctx context.Context, invitationID string) (PortalView, error) {
	var v PortalView
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		var err error
		v, err = portalView(tx, invitationID, s.now())
		return err
	})
	return v, err
}

// SavePortalAnswers saves the link holder's answers and comments on the draft, as
// apply computes them from the current ones: all or nothing, checked as any save
// (an unknown question or option is CodeInvalid), audited with the invitation as
// the actor. A link that no longer accepts answers, or an assessment that is no
// longer a draft, is CodeConflict; a stale ifMatch is CodePreconditionFailed.
func (s *Service) SavePortalAnswers(ctx context.Context, a Actor, ifMatch func(int) bool,
	apply func(PortalAnswers) (PortalAnswers, error)) (PortalView, error) {
	var v PortalView
	err := s.changeThroughLink(ctx, a, ifMatch, func(tx *store.Tx, inv Invitation, cur Assessment, q Questionnaire) error {
		in, err := apply(PortalAnswers{Answers: cur.Answers, Comments: cur.Comments})
		if err != nil {
			return err
		}
		f := cur.AssessmentFields
		f.Answers, f.Comments = in.Answers, in.Comments
		if _, err := s.saveAnswers(tx, a, cur, q, f); err != nil {
			return err
		}
		v, err = portalView(tx, inv.ID, s.now())
		return err
	})
	return v, err
}

// SubmitPortalAnswers submits the draft for the team's review exactly as a submit
// through the API does (same checks, same stored score), with the invitation as the
// submitter, and marks the invitation submitted, in one transaction.
func (s *Service) SubmitPortalAnswers(ctx context.Context, a Actor, ifMatch func(int) bool) (PortalView, error) {
	var v PortalView
	err := s.changeThroughLink(ctx, a, ifMatch, func(tx *store.Tx, inv Invitation, cur Assessment, q Questionnaire) error {
		if _, err := s.submit(tx, a, cur, q); err != nil {
			return err
		}
		var err error
		v, err = portalView(tx, inv.ID, s.now())
		return err
	})
	return v, err
}

// changeThroughLink runs fn in one write transaction once the actor's invitation is
// known to accept answers and its assessment to be a draft.
func (s *Service) changeThroughLink(ctx context.Context, a Actor, ifMatch func(int) bool,
	fn func(*store.Tx, Invitation, Assessment, Questionnaire) error) error {
	var assessmentID string
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		r, err := tx.GetInvitation(a.InvitationID)
		assessmentID = r.AssessmentID
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return invitationNotFound()
	}
	if err != nil {
		return err
	}
	return s.changeAssessment(ctx, assessmentID, ifMatch, func(tx *store.Tx, cur Assessment, q Questionnaire) error {
		r, err := tx.GetInvitation(a.InvitationID)
		if err != nil {
			return err
		}
		inv := invitationFromRow(r, s.now())
		if !inv.Live() {
			return Errorf(CodeConflict, "%s", inv.ClosedMessage())
		}
		if cur.Status != "draft" {
			return Errorf(CodeConflict, "The questionnaire was already submitted and can no longer be changed.")
		}
		return fn(tx, inv, cur, q)
	})
}

// invitationBySecret finds the invitation a link's secret names; anything else is
// CodeUnauthenticated, decided without a lookup when the secret is not even shaped
// like one.
func (s *Service) invitationBySecret(ctx context.Context, secret string) (store.InvitationRow, error) {
	bad := Errorf(CodeUnauthenticated, "This link is not valid. Check that it was copied whole, or ask the team that sent it for a new one.")
	if len(secret) != len(invitationPrefix)+43 || secret[:len(invitationPrefix)] != invitationPrefix {
		return store.InvitationRow{}, bad
	}
	var r store.InvitationRow
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		var err error
		r, err = tx.InvitationBySecretHash(hashSecret(secret))
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return r, bad
	}
	return r, err
}

// markOpened moves a sent, live invitation to opened (audited) and returns the
// invitation as it now stands.
func (s *Service) markOpened(tx *store.Tx, id string, meta Actor, now time.Time) (Invitation, error) {
	r, err := tx.GetInvitation(id)
	if err != nil {
		return Invitation{}, err
	}
	inv := invitationFromRow(r, now)
	if r.Status != "sent" || !inv.Live() {
		return inv, nil
	}
	expected := r.Version
	r.Status, r.OpenedAt, r.Version, r.UpdatedAt = "opened", &now, r.Version+1, now
	if err := tx.UpdateInvitationStatus(&r, expected); err != nil {
		return Invitation{}, staleOr(err, "invitation")
	}
	inv = invitationFromRow(r, now)
	return inv, s.record(tx, invitationActor(inv, meta), ActionOpen, ResourceInvitation, id, map[string]Change{
		"status": {Before: "sent", After: "opened"}, "opened_at": {After: now.Format(time.RFC3339Nano)}}, now)
}

// invitationActor is the link holder acting through the invitation, named in the
// audit trail by the invitation's id and contact.
func invitationActor(inv Invitation, meta Actor) Actor {
	return Actor{InvitationID: inv.ID, Name: fmt.Sprintf("invitation %s: %s <%s>", inv.ID, inv.ContactName, inv.ContactEmail),
		RequestID: meta.RequestID, ClientIP: meta.ClientIP}
}

// closeLiveInvitations revokes the live invitations among rows, because the team
// did what the links were for (submitted the assessment) or ended the relationship
// (archived the supplier); each is audited with why.
func (s *Service) closeLiveInvitations(tx *store.Tx, a Actor, rows []store.InvitationRow, why string, now time.Time) error {
	for _, r := range rows {
		if !slices.Contains(liveStatuses, r.Status) {
			continue
		}
		expected, before := r.Version, r.Status
		r.Status, r.RevokedAt, r.Version, r.UpdatedAt = "revoked", &now, r.Version+1, now
		if err := tx.UpdateInvitationStatus(&r, expected); err != nil {
			return staleOr(err, "invitation")
		}
		if err := s.record(tx, a, ActionRevoke, ResourceInvitation, r.ID, map[string]Change{
			"status": {Before: before, After: "revoked"}, "revoked_at": {After: now.Format(time.RFC3339Nano)},
			"reason": {After: why}}, now); err != nil {
			return err
		}
	}
	return nil
}

func portalView(tx *store.Tx, invitationID string, now time.Time) (PortalView, error) {
	r, err := tx.GetInvitation(invitationID)
	if errors.Is(err, store.ErrNotFound) {
		return PortalView{}, invitationNotFound()
	}
	if err != nil {
		return PortalView{}, err
	}
	v, err := assessmentView(tx, r.AssessmentID)
	v.Invitation = invitationFromRow(r, now)
	return v, err
}

// GetAssessmentView reads an assessment as its questionnaire workbook shows it:
// the questionnaire without scores, the answers, comments and files (no invitation).
func (s *Service) GetAssessmentView(ctx context.Context, assessmentID string) (PortalView, error) {
	if !ValidID(assessmentID) {
		return PortalView{}, assessmentNotFound()
	}
	var v PortalView
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		var err error
		v, err = assessmentView(tx, assessmentID)
		return err
	})
	return v, err
}

func assessmentView(tx *store.Tx, assessmentID string) (PortalView, error) {
	ar, q, err := loadAssessment(tx, assessmentID)
	if err != nil {
		return PortalView{}, err
	}
	sup, err := supplierRow(tx, ar.SupplierID)
	if err != nil {
		return PortalView{}, err
	}
	a := assessmentFromRow(ar, q)
	files, err := tx.EvidenceFilesOf(ar.ID)
	if err != nil {
		return PortalView{}, err
	}
	v := PortalView{SupplierName: sup.Name, AssessmentID: a.ID, Status: "draft",
		Answers: a.Answers, Comments: a.Comments, Version: a.Version, SubmittedAt: a.SubmittedAt,
		Questionnaire: PortalQuestionnaire{Name: q.Name, Revision: q.Revision, Questions: make([]PortalQuestion, len(q.Questions))}}
	if a.Status != "draft" {
		v.Status = "submitted"
	}
	for _, f := range files {
		v.Evidence = append(v.Evidence, evidenceFromRow(f))
	}
	for i, x := range q.Questions {
		pq := PortalQuestion{Key: x.Key, Domain: x.Domain, Text: x.Text, Guidance: x.Guidance, Optional: x.Optional,
			Options: make([]string, len(x.Options))}
		for j, o := range x.Options {
			pq.Options[j] = o.Value
		}
		v.Questionnaire.Questions[i] = pq
	}
	return v, nil
}
