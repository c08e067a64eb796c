package migrations

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
)

// AppendOnlyAuditVersion makes audit_events refuse UPDATE and DELETE at the
// database, beside the hash chain that detects edits made by anyone who disables it.
const AppendOnlyAuditVersion = 2

// AuditHashAlgorithmVersion adds audit_events.hash_algorithm
// (00008_audit_hash_algorithm.sql): from this version on an event may be hashed with
// HMAC-SHA-256 under the audit key.
const AuditHashAlgorithmVersion = 8

// Go returns the Go migrations for a dialect ("postgres" or "sqlite"): the few
// versions whose SQL cannot be written once for both databases.
func Go(dialect string) []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(AppendOnlyAuditVersion,
			&goose.GoFunc{RunTx: execAll(appendOnlyUp(dialect))},
			&goose.GoFunc{RunTx: execAll(appendOnlyDown(dialect))}),
		goose.NewGoMigration(BaselineVersion,
			&goose.GoFunc{RunTx: baselineUp(dialect)},
			&goose.GoFunc{RunTx: baselineDown(dialect)}),
		goose.NewGoMigration(ListOrderIndexVersion,
			&goose.GoFunc{RunTx: execAll(listOrderUp(dialect))},
			&goose.GoFunc{RunTx: execAll(listOrderDown(dialect))}),
		goose.NewGoMigration(RiskProjectionVersion,
			&goose.GoFunc{RunTx: execAll(riskProjectionUp(dialect))},
			&goose.GoFunc{RunTx: execAll(riskProjectionDown(dialect))}),
		goose.NewGoMigration(EvidenceVersion,
			&goose.GoFunc{RunTx: execAll(evidenceUp(dialect))},
			&goose.GoFunc{RunTx: execAll(evidenceDown(dialect))}),
	}
}

func appendOnlyUp(dialect string) []string {
	if dialect == "postgres" {
		return []string{
			`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$`,
			`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
			`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
		}
	}
	return []string{
		`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
		`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
	}
}

func appendOnlyDown(dialect string) []string {
	stmts := []string{
		`DROP TRIGGER audit_events_no_update` + onTable(dialect),
		`DROP TRIGGER audit_events_no_delete` + onTable(dialect),
	}
	if dialect == "postgres" {
		stmts = append(stmts, `DROP FUNCTION audit_events_append_only()`)
	}
	return stmts
}

func onTable(dialect string) string {
	if dialect == "postgres" {
		return " ON audit_events"
	}
	return ""
}

func execAll(stmts []string) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("migration: %w", err)
			}
		}
		return nil
	}
}
