package migrations

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"fmt"
)

// BaselineVersion ships the built-in "Supplier security baseline" questionnaire,
// published. It is a Go migration because the questions live in a JSON file that
// authors can read and review on its own.
const BaselineVersion = 5

// BaselineID is the fixed id of the shipped baseline questionnaire.
const BaselineID = "01900000-0000-7000-8000-0000000000b1"

//go:embed baseline_questionnaire.json
var baselineJSON []byte

// Baseline returns the shipped questionnaire's JSON (name, description, questions).
func Baseline() []byte { return baselineJSON }

func baselineUp(dialect string) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		var doc struct {
			Name        string          `json:"name"`
			Description string          `json:"description"`
			Questions   json.RawMessage `json:"questions"`
		}
		if err := json.Unmarshal(baselineJSON, &doc); err != nil {
			return fmt.Errorf("baseline questionnaire: %w", err)
		}
		stmt := `INSERT INTO questionnaires (id, family_id, revision, name, description, status, questions, built_in,
			published_at, version, created_at, updated_at)
			VALUES (?, ?, 1, ?, ?, 'published', ?, TRUE, '2026-01-01 00:00:00', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')`
		if dialect == "postgres" {
			stmt = `INSERT INTO questionnaires (id, family_id, revision, name, description, status, questions, built_in,
			published_at, version, created_at, updated_at)
			VALUES ($1, $2, 1, $3, $4, 'published', $5, TRUE, '2026-01-01 00:00:00', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')`
		}
		if _, err := tx.ExecContext(ctx, stmt, BaselineID, BaselineID, doc.Name, doc.Description, string(doc.Questions)); err != nil {
			return fmt.Errorf("baseline questionnaire: %w", err)
		}
		return nil
	}
}

func baselineDown(dialect string) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		stmt := `DELETE FROM questionnaires WHERE id = ?`
		if dialect == "postgres" {
			stmt = `DELETE FROM questionnaires WHERE id = $1`
		}
		_, err := tx.ExecContext(ctx, stmt, BaselineID)
		return err
	}
}
