package migrations

// EvidenceVersion adds evidence files: what a supplier's contact (or the team)
// attaches to a question of an assessment, stored in the database in chunks of at
// most 1 MiB so that backups and replicas carry them. The chunks' bytes are BYTEA on
// PostgreSQL and BLOB on SQLite, so the SQL differs by dialect. A file is written
// chunk by chunk while it is received (complete = false, invisible) and becomes
// visible in one transaction once it is whole and its type is known.
const EvidenceVersion = 16

func evidenceUp(dialect string) []string {
	bytes := "BLOB"
	if dialect == "postgres" {
		bytes = "BYTEA"
	}
	return []string{
		`CREATE TABLE evidence_files (
    id                     TEXT      NOT NULL PRIMARY KEY,
    assessment_id          TEXT      NOT NULL REFERENCES assessments (id),
    question_key           TEXT      NOT NULL,
    file_name              TEXT      NOT NULL,
    media_type             TEXT      NOT NULL,
    size_bytes             BIGINT    NOT NULL CHECK (size_bytes >= 0),
    sha256                 TEXT      NOT NULL,
    complete               BOOLEAN   NOT NULL,
    uploaded_by            TEXT      NULL,
    uploaded_by_invitation TEXT      NULL,
    uploaded_by_name       TEXT      NOT NULL,
    created_at             TIMESTAMP NOT NULL
)`,
		`CREATE INDEX evidence_files_assessment ON evidence_files (assessment_id, question_key, created_at)`,
		`CREATE TABLE evidence_chunks (
    file_id TEXT    NOT NULL REFERENCES evidence_files (id),
    seq     INTEGER NOT NULL CHECK (seq >= 0),
    data    ` + bytes + ` NOT NULL,
    PRIMARY KEY (file_id, seq)
)`,
	}
}

func evidenceDown(string) []string {
	return []string{`DROP TABLE evidence_chunks`, `DROP TABLE evidence_files`}
}
