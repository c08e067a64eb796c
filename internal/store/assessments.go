package store

// ListQuestionnaires returns every questionnaire version, by family and revision.
// They are few (a library of tens), so lists page them in memory.
func (t *Tx) ListQuestionnaires() ([]QuestionnaireRow, error) {
	var rows []QuestionnaireRow
	err := t.db.Order("created_at ASC").Order(t.collate("id")).Find(&rows).Error
	return rows, translate("list questionnaires", err)
}

// GetQuestionnaire loads one questionnaire version.
func (t *Tx) GetQuestionnaire(id string) (QuestionnaireRow, error) {
	var r QuestionnaireRow
	return r, translate("get questionnaire", t.db.Where("id = ?", id).Take(&r).Error)
}

// QuestionnaireName returns a questionnaire version's id, name, revision and status
// (not its questions).
func (t *Tx) QuestionnaireName(id string) (QuestionnaireRow, error) {
	var r QuestionnaireRow
	return r, translate("get questionnaire", t.db.Select("id, name, revision, status").Where("id = ?", id).Take(&r).Error)
}

// QuestionnaireQuestions returns the id and questions (JSON) of the given
// questionnaire versions, in one statement; none for no ids.
func (t *Tx) QuestionnaireQuestions(ids []string) ([]QuestionnaireRow, error) {
	var rows []QuestionnaireRow
	if len(ids) == 0 {
		return rows, nil
	}
	err := t.db.Select("id", "questions").Where("id IN ?", ids).Order("id").Find(&rows).Error
	return rows, translate("questionnaire questions", err)
}

// InsertQuestionnaire stores a new questionnaire version.
func (t *Tx) InsertQuestionnaire(r *QuestionnaireRow) error {
	return translate("insert questionnaire", t.db.Create(r).Error)
}

// UpdateQuestionnaire writes a questionnaire's editable columns if its version is
// still expectedVersion.
func (t *Tx) UpdateQuestionnaire(r *QuestionnaireRow, expectedVersion int) error {
	return t.updateVersioned("update questionnaire", "id", r.ID, expectedVersion,
		[]string{"name", "description", "status", "questions", "published_at", "version", "updated_at"}, r)
}

// FamilyRevisions returns the revisions of one questionnaire family.
func (t *Tx) FamilyRevisions(familyID string) ([]QuestionnaireRow, error) {
	var rows []QuestionnaireRow
	err := t.db.Where("family_id = ?", familyID).Order("revision ASC").Find(&rows).Error
	return rows, translate("list questionnaire revisions", err)
}

// InsertAssessment stores a new assessment.
func (t *Tx) InsertAssessment(r *AssessmentRow) error {
	return translate("insert assessment", t.db.Create(r).Error)
}

// GetAssessment loads one assessment.
func (t *Tx) GetAssessment(id string) (AssessmentRow, error) {
	var r AssessmentRow
	return r, translate("get assessment", t.db.Where("id = ?", id).Take(&r).Error)
}

// UpdateAssessment writes an assessment's mutable columns if its version is still expectedVersion.
func (t *Tx) UpdateAssessment(r *AssessmentRow, expectedVersion int) error {
	return t.updateVersioned("update assessment", "id", r.ID, expectedVersion,
		[]string{"status", "answers", "comments", "evidence", "score", "score_detail", "methodology", "submitted_by", "submitted_by_invitation",
			"submitted_at", "reviewed_by", "reviewed_at", "review_comment", "version", "updated_at"}, r)
}

// AssessmentsOfSupplier lists a supplier's assessments, newest first.
func (t *Tx) AssessmentsOfSupplier(supplierID string) ([]AssessmentRow, error) {
	var rows []AssessmentRow
	err := t.db.Where("supplier_id = ?", supplierID).Order("created_at DESC").Order(t.collate("id") + " DESC").Find(&rows).Error
	return rows, translate("list assessments", err)
}
