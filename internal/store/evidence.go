package store

import "time"

// EvidenceFileRow is a file attached to a question of an assessment. Its bytes are
// in evidence_chunks; it is listed only once Complete.
type EvidenceFileRow struct {
	ID                   string `gorm:"primaryKey"`
	AssessmentID         string
	QuestionKey          string
	FileName             string
	MediaType            string
	SizeBytes            int64
	SHA256               string `gorm:"column:sha256"`
	Complete             bool
	UploadedBy           *string // API key id
	UploadedByInvitation *string
	UploadedByName       string
	CreatedAt            time.Time
}

// TableName maps EvidenceFileRow to its table.
func (EvidenceFileRow) TableName() string { return "evidence_files" }

// EvidenceChunkRow is one chunk (at most 1 MiB) of an evidence file, by position.
type EvidenceChunkRow struct {
	FileID string `gorm:"primaryKey"`
	Seq    int    `gorm:"primaryKey"`
	Data   []byte
}

// TableName maps EvidenceChunkRow to its table.
func (EvidenceChunkRow) TableName() string { return "evidence_chunks" }

// InsertEvidenceFile stores a file's row (not yet complete).
func (t *Tx) InsertEvidenceFile(r EvidenceFileRow) error {
	r.CreatedAt = normTime(r.CreatedAt)
	return translate("insert evidence file", t.db.Create(&r).Error)
}

// InsertEvidenceChunk stores one chunk of a file.
func (t *Tx) InsertEvidenceChunk(fileID string, seq int, data []byte) error {
	return translate("insert evidence chunk",
		t.db.Exec("INSERT INTO evidence_chunks (file_id, seq, data) VALUES (?, ?, ?)", fileID, seq, data).Error)
}

// CompleteEvidenceFile records a received file's type, size and digest and makes it visible.
func (t *Tx) CompleteEvidenceFile(id, mediaType, sha string, size int64) error {
	res := t.db.Model(&EvidenceFileRow{}).Where("id = ? AND complete = ?", id, false).
		UpdateColumns(map[string]any{"media_type": mediaType, "sha256": sha, "size_bytes": size, "complete": true})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return translate("complete evidence file", res.Error)
}

// DeleteEvidenceFile deletes a file and its chunks.
func (t *Tx) DeleteEvidenceFile(id string) error {
	if err := t.db.Where("file_id = ?", id).Delete(&EvidenceChunkRow{}).Error; err != nil {
		return translate("delete evidence chunks", err)
	}
	return translate("delete evidence file", t.db.Where("id = ?", id).Delete(&EvidenceFileRow{}).Error)
}

// GetEvidenceFile loads a complete file's row.
func (t *Tx) GetEvidenceFile(id string) (EvidenceFileRow, error) {
	var r EvidenceFileRow
	return r, translate("get evidence file", t.db.Where("id = ? AND complete = ?", id, true).Take(&r).Error)
}

// EvidenceFilesOf lists an assessment's complete files by question, then upload time.
func (t *Tx) EvidenceFilesOf(assessmentID string) ([]EvidenceFileRow, error) {
	var rows []EvidenceFileRow
	err := t.db.Where("assessment_id = ? AND complete = ?", assessmentID, true).
		Order(t.collate("question_key")).Order("created_at").Order(t.collate("id")).Find(&rows).Error
	return rows, translate("list evidence files", err)
}

// EvidenceChunk loads one chunk of a file; ErrNotFound past its end.
func (t *Tx) EvidenceChunk(fileID string, seq int) ([]byte, error) {
	var r EvidenceChunkRow
	err := t.db.Where("file_id = ? AND seq = ?", fileID, seq).Take(&r).Error
	return r.Data, translate("get evidence chunk", err)
}

// StaleEvidenceUploads lists the files still incomplete that were started before
// before: uploads that a crash or a lost connection left behind.
func (t *Tx) StaleEvidenceUploads(before time.Time) ([]string, error) {
	var ids []string
	err := t.db.Model(&EvidenceFileRow{}).Where("complete = ? AND created_at < ?", false, normTime(before)).Pluck("id", &ids).Error
	return ids, translate("list stale evidence uploads", err)
}
