package register

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// ResourceQuestionnaire is the audit resource type of questionnaires.
const ResourceQuestionnaire = "questionnaire"

// Option is one answer a question offers, with its score (nil: not applicable).
type Option struct {
	Value string   `json:"value"`
	Score *float64 `json:"score"`
}

// Question is one security question.
type Question struct {
	Key           string   `json:"key"`
	Domain        string   `json:"domain"`
	Text          string   `json:"text"`
	Guidance      string   `json:"guidance"`
	Weight        float64  `json:"weight"`
	Critical      bool     `json:"critical"`
	Optional      bool     `json:"optional"`
	ControlThemes []string `json:"control_themes"`
	Options       []Option `json:"options"`
}

// QuestionnaireFields are what an author writes.
type QuestionnaireFields struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Questions   []Question `json:"questions"`
}

// Questionnaire is one version of a questionnaire. Published versions are frozen.
type Questionnaire struct {
	QuestionnaireFields
	ID          string
	FamilyID    string
	Revision    int
	Status      string // draft or published
	BuiltIn     bool
	PublishedAt *time.Time
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// question returns the question with the key.
func (q Questionnaire) question(key string) (Question, bool) {
	for _, x := range q.Questions {
		if x.Key == key {
			return x, true
		}
	}
	return Question{}, false
}

// scoringQuestions converts the questions for the scoring engine.
func (q Questionnaire) scoringQuestions() []scoring.Question {
	out := make([]scoring.Question, len(q.Questions))
	for i, x := range q.Questions {
		opts := make([]scoring.Option, len(x.Options))
		for j, o := range x.Options {
			opts[j] = scoring.Option{Value: o.Value, Score: o.Score}
		}
		out[i] = scoring.Question{Key: x.Key, Domain: x.Domain, Weight: x.Weight, Critical: x.Critical, Optional: x.Optional, Options: opts}
	}
	return out
}

func (f *QuestionnaireFields) normalize() {
	f.Name, f.Description = strings.TrimSpace(f.Name), strings.TrimSpace(f.Description)
	for i := range f.Questions {
		q := &f.Questions[i]
		q.Key, q.Domain = strings.TrimSpace(q.Key), strings.TrimSpace(q.Domain)
		q.Text, q.Guidance = strings.TrimSpace(q.Text), strings.TrimSpace(q.Guidance)
		if q.ControlThemes == nil {
			q.ControlThemes = []string{}
		}
		if q.Options == nil {
			q.Options = []Option{}
		}
	}
	if f.Questions == nil {
		f.Questions = []Question{}
	}
}

// validate reports every problem with field paths such as questions[3].options[1].score.
func (f *QuestionnaireFields) validate() error {
	var fe fieldErrors
	if f.Name == "" {
		fe.add("name", "is required")
	} else if utf8.RuneCountInString(f.Name) > 200 {
		fe.add("name", "must be at most 200 characters")
	}
	if utf8.RuneCountInString(f.Description) > 4000 {
		fe.add("description", "must be at most 4000 characters")
	}
	switch {
	case len(f.Questions) == 0:
		fe.add("questions", "must contain at least one question")
	case len(f.Questions) > 200:
		fe.add("questions", "must contain at most 200 questions")
	}
	keys := map[string]bool{}
	for i, q := range f.Questions {
		p := "questions[" + itoa(i) + "]."
		switch {
		case !keyPattern.MatchString(q.Key):
			fe.add(p+"key", "must match ^[a-z0-9_]{1,64}$")
		case keys[q.Key]:
			fe.add(p+"key", "duplicates an earlier question's key %q", q.Key)
		}
		keys[q.Key] = true
		if q.Domain == "" {
			fe.add(p+"domain", "is required (for example backup_recovery)")
		} else if utf8.RuneCountInString(q.Domain) > 64 {
			fe.add(p+"domain", "must be at most 64 characters")
		}
		if q.Text == "" {
			fe.add(p+"text", "is required")
		} else if utf8.RuneCountInString(q.Text) > 4000 {
			fe.add(p+"text", "must be at most 4000 characters")
		}
		if utf8.RuneCountInString(q.Guidance) > 4000 {
			fe.add(p+"guidance", "must be at most 4000 characters")
		}
		if !(q.Weight > 0) || q.Weight > 100 {
			fe.add(p+"weight", "must be greater than 0 and at most 100")
		}
		if len(q.ControlThemes) > 10 {
			fe.add(p+"control_themes", "must list at most 10 themes")
		}
		for j, t := range q.ControlThemes {
			if utf8.RuneCountInString(t) > 200 {
				fe.add(p+"control_themes["+itoa(j)+"]", "must be at most 200 characters")
			}
		}
		switch {
		case len(q.Options) == 0:
			fe.add(p+"options", "must offer at least one answer")
		case len(q.Options) > 20:
			fe.add(p+"options", "must offer at most 20 answers")
		}
		values, scorable := map[string]bool{}, false
		for j, o := range q.Options {
			op := p + "options[" + itoa(j) + "]."
			switch {
			case strings.TrimSpace(o.Value) == "" || utf8.RuneCountInString(o.Value) > 64:
				fe.add(op+"value", "must be 1 to 64 characters")
			case values[o.Value]:
				fe.add(op+"value", "duplicates an earlier option %q", o.Value)
			}
			values[o.Value] = true
			if o.Score != nil {
				scorable = true
				if *o.Score < 0 || *o.Score > 1 {
					fe.add(op+"score", "must be between 0 and 1, or null for not applicable")
				}
			}
		}
		if len(q.Options) > 0 && !scorable {
			fe.add(p+"options", "must include at least one option with a score")
		}
	}
	return fe.err()
}

// ListQuestionnaires pages the questionnaire library, oldest first.
func (s *Service) ListQuestionnaires(ctx context.Context, since *time.Time, cur string, limit int) (Page[Questionnaire], error) {
	rows, err := s.st.NoTx(ctx).ListQuestionnaires()
	if err != nil {
		return Page[Questionnaire]{}, err
	}
	out := make([]Questionnaire, len(rows))
	for i, r := range rows {
		out[i] = questionnaireFromRow(r)
	}
	out = changedSince(out, since, func(q Questionnaire) time.Time { return q.UpdatedAt })
	return PageSlice(out, "questionnaires"+updatedSinceKind(since), cur, limit, func(q Questionnaire) string {
		return q.CreatedAt.UTC().Format("2006-01-02T15:04:05.000000Z") + q.ID
	})
}

// GetQuestionnaire returns one questionnaire version.
func (s *Service) GetQuestionnaire(ctx context.Context, id string) (Questionnaire, error) {
	if !ValidID(id) {
		return Questionnaire{}, questionnaireNotFound()
	}
	r, err := s.st.NoTx(ctx).GetQuestionnaire(id)
	if errors.Is(err, store.ErrNotFound) {
		return Questionnaire{}, questionnaireNotFound()
	}
	return questionnaireFromRow(r), err
}

// CreateQuestionnaire stores a new questionnaire as a draft (revision 1 of a new family).
func (s *Service) CreateQuestionnaire(ctx context.Context, a Actor, f QuestionnaireFields) (Questionnaire, error) {
	f.normalize()
	if err := f.validate(); err != nil {
		return Questionnaire{}, err
	}
	now := s.now()
	id := s.newID()
	q := Questionnaire{QuestionnaireFields: f, ID: id, FamilyID: id, Revision: 1, Status: "draft", Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		row := questionnaireToRow(q)
		if err := tx.InsertQuestionnaire(&row); err != nil {
			return err
		}
		return s.record(tx, a, ActionCreate, ResourceQuestionnaire, id,
			map[string]Change{"name": {After: f.Name}, "questions": {After: len(f.Questions)}, "status": {After: "draft"}}, now)
	})
	return q, err
}

// PatchQuestionnaire edits a draft; a published version is frozen (409).
func (s *Service) PatchQuestionnaire(ctx context.Context, a Actor, id string, ifMatch func(int) bool,
	apply func(Questionnaire) (QuestionnaireFields, error)) (Questionnaire, error) {
	var out Questionnaire
	err := s.changeQuestionnaire(ctx, id, ifMatch, func(tx *store.Tx, cur Questionnaire) error {
		if cur.Status != "draft" {
			return Errorf(CodeConflict, "Published questionnaires are frozen; start a new version with POST /api/v1/questionnaires/%s/versions.", cur.ID)
		}
		f, err := apply(cur)
		if err != nil {
			return err
		}
		f.normalize()
		if err := f.validate(); err != nil {
			return err
		}
		changes := Diff(Snapshot(cur.QuestionnaireFields), Snapshot(f))
		out = cur
		if len(changes) == 0 {
			return nil
		}
		if _, ok := changes["questions"]; ok { // the whole list is in the body; the audit keeps its size
			changes["questions"] = Change{Before: len(cur.Questions), After: len(f.Questions)}
		}
		now := s.now()
		out.QuestionnaireFields, out.Version, out.UpdatedAt = f, cur.Version+1, now
		row := questionnaireToRow(out)
		if err := tx.UpdateQuestionnaire(&row, cur.Version); err != nil {
			return staleOr(err, "questionnaire")
		}
		return s.record(tx, a, ActionUpdate, ResourceQuestionnaire, id, changes, now)
	})
	return out, err
}

// PublishQuestionnaire freezes a draft so assessments can answer it.
func (s *Service) PublishQuestionnaire(ctx context.Context, a Actor, id string, ifMatch func(int) bool) (Questionnaire, error) {
	var out Questionnaire
	err := s.changeQuestionnaire(ctx, id, ifMatch, func(tx *store.Tx, cur Questionnaire) error {
		if cur.Status != "draft" {
			return Errorf(CodeConflict, "This questionnaire version is already published.")
		}
		now := s.now()
		out = cur
		out.Status, out.PublishedAt, out.Version, out.UpdatedAt = "published", &now, cur.Version+1, now
		row := questionnaireToRow(out)
		if err := tx.UpdateQuestionnaire(&row, cur.Version); err != nil {
			return staleOr(err, "questionnaire")
		}
		return s.record(tx, a, ActionPublish, ResourceQuestionnaire, id, map[string]Change{"status": {Before: "draft", After: "published"}}, now)
	})
	return out, err
}

// NewQuestionnaireVersion starts a draft copy of a published version, as the next
// revision of its family. A family has at most one draft at a time.
func (s *Service) NewQuestionnaireVersion(ctx context.Context, a Actor, id string) (Questionnaire, error) {
	var out Questionnaire
	err := s.changeQuestionnaire(ctx, id, nil, func(tx *store.Tx, cur Questionnaire) error {
		if cur.Status != "published" {
			return Errorf(CodeConflict, "Only a published version can be the basis of a new one; edit this draft instead.")
		}
		revs, err := tx.FamilyRevisions(cur.FamilyID)
		if err != nil {
			return err
		}
		last := revs[len(revs)-1]
		for _, r := range revs {
			if r.Status == "draft" {
				return Errorf(CodeConflict, "Revision %d of this questionnaire is already a draft; edit it instead.", r.Revision)
			}
		}
		now := s.now()
		out = Questionnaire{QuestionnaireFields: cur.QuestionnaireFields, ID: s.newID(), FamilyID: cur.FamilyID,
			Revision: last.Revision + 1, Status: "draft", Version: 1, CreatedAt: now, UpdatedAt: now}
		row := questionnaireToRow(out)
		if err := tx.InsertQuestionnaire(&row); err != nil {
			return err
		}
		return s.record(tx, a, ActionCreate, ResourceQuestionnaire, out.ID,
			map[string]Change{"based_on": {After: cur.ID}, "revision": {After: out.Revision}, "status": {After: "draft"}}, now)
	})
	return out, err
}

func (s *Service) changeQuestionnaire(ctx context.Context, id string, ifMatch func(int) bool, fn func(*store.Tx, Questionnaire) error) error {
	if !ValidID(id) {
		return questionnaireNotFound()
	}
	return s.st.Write(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(tx, func() (store.QuestionnaireRow, error) { return tx.GetQuestionnaire(id) }, ifMatch,
			changeable[store.QuestionnaireRow]{what: "questionnaire", notFound: questionnaireNotFound,
				version: func(r store.QuestionnaireRow) int { return r.Version }})
		if err != nil {
			return err
		}
		return fn(tx, questionnaireFromRow(r))
	})
}

func questionnaireToRow(q Questionnaire) store.QuestionnaireRow {
	qs, _ := json.Marshal(q.Questions)
	return store.QuestionnaireRow{ID: q.ID, FamilyID: q.FamilyID, Revision: q.Revision, Name: q.Name, Description: q.Description,
		Status: q.Status, Questions: string(qs), BuiltIn: q.BuiltIn, PublishedAt: q.PublishedAt, Version: q.Version,
		CreatedAt: q.CreatedAt, UpdatedAt: q.UpdatedAt}
}

func questionnaireFromRow(r store.QuestionnaireRow) Questionnaire {
	q := Questionnaire{QuestionnaireFields: QuestionnaireFields{Name: r.Name, Description: r.Description},
		ID: r.ID, FamilyID: r.FamilyID, Revision: r.Revision, Status: r.Status, BuiltIn: r.BuiltIn,
		PublishedAt: utcPtr(r.PublishedAt), Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	_ = json.Unmarshal([]byte(r.Questions), &q.Questions)
	q.normalize()
	return q
}
