package store

import (
	"context"
	"strings"
)

// Analyze refreshes the query planner's statistics after a large load (a generated
// demo register, say), so that the first queries after it are planned on the rows
// actually there. On PostgreSQL it analyzes the tables of the current schema only
// (not every schema of the database); on SQLite, the whole file.
func (s *Store) Analyze(ctx context.Context) error {
	stmt := "ANALYZE"
	if s.dialect == Postgres {
		tables, err := s.Tables(ctx)
		if err != nil {
			return err
		}
		if len(tables) == 0 {
			return nil
		}
		quoted := make([]string, len(tables))
		for i, t := range tables { // names from the catalogue, never from a client
			quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		stmt += " " + strings.Join(quoted, ", ")
	}
	return translate("analyze", s.db.WithContext(ctx).Exec(stmt).Error)
}
