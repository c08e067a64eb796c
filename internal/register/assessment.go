package register

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// ResourceAssessment is the audit resource type of assessments.
const ResourceAssessment = "assessment"

// AssessmentFields are what an editor writes: answers (question key → option value)
// with optional comments and evidence references keyed the same way.
type AssessmentFields struct {
	QuestionnaireID string            `json:"questionnaire_id"`
	Answers         map[string]string `json:"answers"`
	Comments        map[string]string `json:"comments"`
	Evidence        map[string]string `json:"evidence"`
}

// Assessment is one supplier's answers to one questionnaire version.
type Assessment struct {
	AssessmentFields
	ID                    string
	SupplierID            string
	QuestionnaireName     string
	QuestionnaireRevision int
	Status                string // draft, submitted, approved, rejected
	Score                 *AssessmentScore
	SubmittedBy           string // API key id; empty when submitted through an invitation link
	SubmittedByInvitation string // the invitation whose link holder submitted through the portal
	SubmittedAt           *time.Time
	ReviewedBy            string
	ReviewedAt            *time.Time
	ReviewComment         string
	Version               int
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// Review is a reviewer's decision on a submitted assessment.
type Review struct {
	Decision string `json:"decision"` // approve or reject
	Comment  string `json:"comment"`
}

func (f *AssessmentFields) normalize() {
	for _, m := range []*map[string]string{&f.Answers, &f.Comments, &f.Evidence} {
		if *m == nil {
			*m = map[string]string{}
		}
	}
	for k, v := range f.Comments {
		f.Comments[k] = strings.TrimSpace(v)
	}
	for k, v := range f.Evidence {
		f.Evidence[k] = strings.TrimSpace(v)
	}
}

// validateAgainst checks every answer given against the questionnaire: an unknown
// question or an option the question does not offer is an error; drafts may be partial.
func (f AssessmentFields) validateAgainst(q Questionnaire) fieldErrors {
	var fe fieldErrors
	for _, k := range sortedKeys(f.Answers) {
		question, ok := q.question(k)
		if !ok {
			fe.add("answers."+k, "is not a question of this questionnaire")
			continue
		}
		offered := make([]string, len(question.Options))
		for i, o := range question.Options {
			offered[i] = o.Value
		}
		if !oneOf(f.Answers[k], offered) {
			fe.add("answers."+k, "must be one of the options the question offers: %s", strings.Join(offered, ", "))
		}
	}
	for name, m := range map[string]map[string]string{"comments": f.Comments, "evidence": f.Evidence} {
		for _, k := range sortedKeys(m) {
			if _, ok := q.question(k); !ok {
				fe.add(name+"."+k, "is not a question of this questionnaire")
			} else if utf8.RuneCountInString(m[k]) > 4000 {
				fe.add(name+"."+k, "must be at most 4000 characters")
			}
		}
	}
	sortFieldErrors(fe)
	return fe
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// CreateAssessment starts a draft assessment of a live supplier against a published questionnaire.
func (s *Service) CreateAssessment(ctx context.Context, a Actor, supplierID string, f AssessmentFields) (Assessment, error) {
	if !ValidID(supplierID) {
		return Assessment{}, supplierNotFound()
	}
	f.normalize()
	if f.QuestionnaireID == "" {
		return Assessment{}, Invalid(FieldError{Field: "questionnaire_id", Message: "is required"})
	}
	if !ValidID(f.QuestionnaireID) {
		return Assessment{}, Invalid(FieldError{Field: "questionnaire_id", Message: "must be a questionnaire id (a UUID)"})
	}
	var out Assessment
	err := s.write(ctx, func(tx *store.Tx) error {
		sup, err := supplierRow(tx, supplierID)
		if err != nil {
			return err
		}
		qr, err := tx.GetQuestionnaire(f.QuestionnaireID)
		if errors.Is(err, store.ErrNotFound) {
			return Invalid(FieldError{Field: "questionnaire_id", Message: "is not a questionnaire in the library"})
		}
		if err != nil {
			return err
		}
		q := questionnaireFromRow(qr)
		if q.Status != "published" {
			return Invalid(FieldError{Field: "questionnaire_id", Message: "is a draft; assessments answer published questionnaires only"})
		}
		if sup.ArchivedAt != nil {
			return Errorf(CodeConflict, "The supplier is archived and can no longer be assessed.")
		}
		if err := f.validateAgainst(q).err(); err != nil {
			return err
		}
		now := s.now()
		out = Assessment{AssessmentFields: f, ID: s.newID(), SupplierID: supplierID, QuestionnaireName: q.Name,
			QuestionnaireRevision: q.Revision, Status: "draft", Version: 1, CreatedAt: now, UpdatedAt: now}
		row := assessmentToRow(out)
		if err := tx.InsertAssessment(&row); err != nil {
			return err
		}
		changes := Diff(nil, Snapshot(f))
		changes["supplier_id"] = Change{After: supplierID}
		return s.record(tx, a, ActionCreate, ResourceAssessment, out.ID, changes, now)
	})
	return out, err
}

// GetAssessment returns one assessment with its score once submitted.
func (s *Service) GetAssessment(ctx context.Context, id string) (Assessment, error) {
	if !ValidID(id) {
		return Assessment{}, assessmentNotFound()
	}
	var out Assessment
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		r, q, err := loadAssessment(tx, id)
		if err != nil {
			return err
		}
		out = assessmentFromRow(r, q)
		return nil
	})
	return out, err
}

// ListAssessments pages a supplier's assessments, newest first; history stays queryable.
func (s *Service) ListAssessments(ctx context.Context, supplierID string, since *time.Time, cur string, limit int) (Page[Assessment], error) {
	var out []Assessment
	err := s.listOfSupplier(ctx, supplierID, func(tx *store.Tx) error {
		rows, err := tx.AssessmentsOfSupplier(supplierID)
		if err != nil {
			return err
		}
		qs, err := tx.ListQuestionnaires()
		if err != nil {
			return err
		}
		byID := map[string]Questionnaire{}
		for _, q := range qs {
			byID[q.ID] = questionnaireFromRow(q)
		}
		for _, r := range rows {
			out = append(out, assessmentFromRow(r, byID[r.QuestionnaireID]))
		}
		return nil
	})
	if err != nil {
		return Page[Assessment]{}, err
	}
	// Newest first: the position inverts the time so that it still sorts ascending.
	pos := newestFirst(func(a Assessment) (time.Time, string) { return a.CreatedAt, a.ID })
	sort.Slice(out, func(i, j int) bool { return pos(out[i]) < pos(out[j]) })
	out = changedSince(out, since, func(a Assessment) time.Time { return a.UpdatedAt })
	return PageSlice(out, "assessments:"+supplierID+updatedSinceKind(since), cur, limit, pos)
}

// PatchAssessment saves answers on a draft; submitted assessments are immutable (409).
func (s *Service) PatchAssessment(ctx context.Context, a Actor, id string, ifMatch func(int) bool,
	apply func(Assessment) (AssessmentFields, error)) (Assessment, error) {
	var out Assessment
	err := s.changeAssessment(ctx, id, ifMatch, func(tx *store.Tx, cur Assessment, q Questionnaire) error {
		if cur.Status != "draft" {
			return Errorf(CodeConflict, "The assessment is %s and can no longer be changed; start a new assessment instead.", cur.Status)
		}
		f, err := apply(cur)
		if err != nil {
			return err
		}
		out, err = s.saveAnswers(tx, a, cur, q, f)
		return err
	})
	return out, err
}

// saveAnswers writes f over the draft cur (checked against q; nothing is written
// when nothing changed) and audits the changes.
func (s *Service) saveAnswers(tx *store.Tx, a Actor, cur Assessment, q Questionnaire, f AssessmentFields) (Assessment, error) {
	f.normalize()
	if f.QuestionnaireID != cur.QuestionnaireID {
		return cur, Invalid(FieldError{Field: "questionnaire_id", Message: "cannot be changed; start a new assessment for another questionnaire"})
	}
	if err := f.validateAgainst(q).err(); err != nil {
		return cur, err
	}
	changes := Diff(Snapshot(cur.AssessmentFields), Snapshot(f))
	if len(changes) == 0 {
		return cur, nil
	}
	now := s.now()
	out := cur
	out.AssessmentFields, out.Version, out.UpdatedAt = f, cur.Version+1, now
	row := assessmentToRow(out)
	if err := tx.UpdateAssessment(&row, cur.Version); err != nil {
		return cur, staleOr(err, "assessment")
	}
	return out, s.record(tx, a, ActionUpdate, ResourceAssessment, cur.ID, changes, now)
}

// SubmitAssessment freezes a complete draft and stores its score with the breakdown
// and methodology version, so the score stays explainable after the method changes.
// A live invitation to the supplier's contact is revoked: the team answered instead.
func (s *Service) SubmitAssessment(ctx context.Context, a Actor, id string, ifMatch func(int) bool) (Assessment, error) {
	var out Assessment
	err := s.changeAssessment(ctx, id, ifMatch, func(tx *store.Tx, cur Assessment, q Questionnaire) error {
		var err error
		out, err = s.submit(tx, a, cur, q)
		return err
	})
	return out, err
}

// submit submits the draft cur: every question that is not optional must be
// answered (CodeInvalid names the missing ones). Submitted through an invitation
// link (a.InvitationID), the invitation is the submitter and becomes submitted;
// submitted by the team, the assessment's live invitations are revoked.
func (s *Service) submit(tx *store.Tx, a Actor, cur Assessment, q Questionnaire) (Assessment, error) {
	if cur.Status != "draft" {
		return cur, Errorf(CodeConflict, "The assessment is already %s.", cur.Status)
	}
	var fe fieldErrors
	for _, question := range q.Questions {
		if _, ok := cur.Answers[question.Key]; !ok && !question.Optional {
			fe.add("answers."+question.Key, "is required to submit (the question is not optional)")
		}
	}
	if err := fe.err(); err != nil {
		return cur, err
	}
	computed, err := scoring.ScoreAssessment(q.scoringQuestions(), cur.Answers, s.scoring)
	if err != nil { // answers were checked on every save, so this is not the client's doing
		return cur, fmt.Errorf("submit assessment %s: %w", cur.ID, err)
	}
	score := scoreOf(computed)
	now := s.now()
	out := cur
	out.Status, out.Score, out.SubmittedBy, out.SubmittedByInvitation, out.SubmittedAt = "submitted", &score, a.KeyID, a.InvitationID, &now
	out.Version, out.UpdatedAt = cur.Version+1, now
	row := assessmentToRow(out)
	if err := tx.UpdateAssessment(&row, cur.Version); err != nil {
		return cur, staleOr(err, "assessment")
	}
	if err := s.maintainRisk(tx, riskChange{suppliers: []string{cur.SupplierID}}); err != nil {
		return cur, err
	}
	invs, err := tx.InvitationsOfAssessment(cur.ID)
	if err != nil {
		return cur, err
	}
	if a.InvitationID == "" {
		err = s.closeLiveInvitations(tx, a, invs, "the team submitted the assessment", now)
	} else {
		err = s.markSubmitted(tx, a, invs, now)
	}
	if err != nil {
		return cur, err
	}
	return out, s.record(tx, a, ActionSubmit, ResourceAssessment, cur.ID, map[string]Change{
		"status": {Before: "draft", After: "submitted"}, "score": {After: score.Score},
		"methodology": {After: score.Methodology}}, now)
}

// markSubmitted marks the submitting actor's invitation, one of rows, submitted.
func (s *Service) markSubmitted(tx *store.Tx, a Actor, rows []store.InvitationRow, now time.Time) error {
	for _, r := range rows {
		if r.ID != a.InvitationID {
			continue
		}
		expected, before := r.Version, r.Status
		r.Status, r.SubmittedAt, r.Version, r.UpdatedAt = "submitted", &now, r.Version+1, now
		if err := tx.UpdateInvitationStatus(&r, expected); err != nil {
			return staleOr(err, "invitation")
		}
		return s.record(tx, a, ActionSubmit, ResourceInvitation, r.ID, map[string]Change{
			"status": {Before: before, After: "submitted"}, "submitted_at": {After: now.Format(time.RFC3339Nano)}}, now)
	}
	return fmt.Errorf("submit: invitation %s is not the assessment's", a.InvitationID)
}

// ReviewAssessment approves or rejects a submitted assessment. The reviewer must be
// another API key than the submitter: that is decided (403) before the decision
// itself is read and validated, which decode does.
func (s *Service) ReviewAssessment(ctx context.Context, a Actor, id string, ifMatch func(int) bool,
	decode func() (Review, error)) (Assessment, error) {
	var out Assessment
	err := s.changeAssessment(ctx, id, ifMatch, func(tx *store.Tx, cur Assessment, _ Questionnaire) error {
		if cur.SubmittedBy != "" && cur.SubmittedBy == a.KeyID {
			return Errorf(CodeForbidden, "The assessment must be reviewed with another API key than the one that submitted it.")
		}
		if cur.Status != "submitted" {
			return Errorf(CodeConflict, "Only a submitted assessment can be reviewed; this one is %s.", cur.Status)
		}
		r, err := decode()
		if err != nil {
			return err
		}
		r.Comment = strings.TrimSpace(r.Comment)
		var fe fieldErrors
		switch r.Decision {
		case "approve", "reject":
		case "":
			fe.add("decision", "is required: approve or reject")
		default:
			fe.add("decision", "must be approve or reject")
		}
		if r.Decision == "reject" && r.Comment == "" {
			fe.add("comment", "is required to reject: say what the supplier must change")
		}
		if utf8.RuneCountInString(r.Comment) > 4000 {
			fe.add("comment", "must be at most 4000 characters")
		}
		if err := fe.err(); err != nil {
			return err
		}
		now := s.now()
		out = cur
		out.Status = map[string]string{"approve": "approved", "reject": "rejected"}[r.Decision]
		out.ReviewedBy, out.ReviewedAt, out.ReviewComment = a.KeyID, &now, r.Comment
		out.Version, out.UpdatedAt = cur.Version+1, now
		row := assessmentToRow(out)
		if err := tx.UpdateAssessment(&row, cur.Version); err != nil {
			return staleOr(err, "assessment")
		}
		if err := s.maintainRisk(tx, riskChange{suppliers: []string{cur.SupplierID}}); err != nil {
			return err
		}
		return s.record(tx, a, ActionReview, ResourceAssessment, id, map[string]Change{
			"status": {Before: "submitted", After: out.Status}, "review_comment": {After: r.Comment}}, now)
	})
	return out, err
}

func (s *Service) changeAssessment(ctx context.Context, id string, ifMatch func(int) bool,
	fn func(*store.Tx, Assessment, Questionnaire) error) error {
	if !ValidID(id) {
		return assessmentNotFound()
	}
	return s.write(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(tx, func() (store.AssessmentRow, error) { return tx.GetAssessment(id) }, ifMatch,
			changeable[store.AssessmentRow]{what: "assessment", notFound: assessmentNotFound,
				version:         func(r store.AssessmentRow) int { return r.Version },
				archived:        ownerArchived(func(r store.AssessmentRow) string { return r.SupplierID }),
				archivedMessage: "The supplier is archived; its assessments are kept as history and can no longer be changed."})
		if err != nil {
			return err
		}
		qr, err := tx.GetQuestionnaire(r.QuestionnaireID)
		if err != nil {
			return err
		}
		q := questionnaireFromRow(qr)
		return fn(tx, assessmentFromRow(r, q), q)
	})
}

func loadAssessment(tx *store.Tx, id string) (store.AssessmentRow, Questionnaire, error) {
	r, err := tx.GetAssessment(id)
	if errors.Is(err, store.ErrNotFound) {
		return r, Questionnaire{}, assessmentNotFound()
	}
	if err != nil {
		return r, Questionnaire{}, err
	}
	qr, err := tx.GetQuestionnaire(r.QuestionnaireID)
	if err != nil {
		return r, Questionnaire{}, err
	}
	return r, questionnaireFromRow(qr), nil
}

func assessmentToRow(a Assessment) store.AssessmentRow {
	enc := func(m map[string]string) string { raw, _ := json.Marshal(m); return string(raw) }
	r := store.AssessmentRow{ID: a.ID, SupplierID: a.SupplierID, QuestionnaireID: a.QuestionnaireID, Status: a.Status,
		Answers: enc(a.Answers), Comments: enc(a.Comments), Evidence: enc(a.Evidence), SubmittedAt: a.SubmittedAt,
		ReviewedAt: a.ReviewedAt, ReviewComment: a.ReviewComment, Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if a.Score != nil {
		detail, _ := json.Marshal(a.Score)
		d, m, v := string(detail), a.Score.Methodology, a.Score.Score
		r.Score, r.ScoreDetail, r.Methodology = &v, &d, &m
	}
	if a.SubmittedBy != "" {
		r.SubmittedBy = &a.SubmittedBy
	}
	if a.SubmittedByInvitation != "" {
		r.SubmittedByInvitation = &a.SubmittedByInvitation
	}
	if a.ReviewedBy != "" {
		r.ReviewedBy = &a.ReviewedBy
	}
	return r
}

func assessmentFromRow(r store.AssessmentRow, q Questionnaire) Assessment {
	a := Assessment{AssessmentFields: AssessmentFields{QuestionnaireID: r.QuestionnaireID}, ID: r.ID, SupplierID: r.SupplierID,
		QuestionnaireName: q.Name, QuestionnaireRevision: q.Revision, Status: r.Status,
		SubmittedAt: utcPtr(r.SubmittedAt), ReviewedAt: utcPtr(r.ReviewedAt), ReviewComment: r.ReviewComment,
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	_ = json.Unmarshal([]byte(r.Answers), &a.Answers)
	_ = json.Unmarshal([]byte(r.Comments), &a.Comments)
	_ = json.Unmarshal([]byte(r.Evidence), &a.Evidence)
	a.normalize()
	if r.ScoreDetail != nil {
		var sc AssessmentScore
		if json.Unmarshal([]byte(*r.ScoreDetail), &sc) == nil {
			a.Score = &sc
		}
	}
	if r.SubmittedBy != nil {
		a.SubmittedBy = *r.SubmittedBy
	}
	if r.SubmittedByInvitation != nil {
		a.SubmittedByInvitation = *r.SubmittedByInvitation
	}
	if r.ReviewedBy != nil {
		a.ReviewedBy = *r.ReviewedBy
	}
	return a
}
