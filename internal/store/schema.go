package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Column describes one column as both databases can report it.
type Column struct {
	Name     string
	Type     string // normalised: text, integer, bigint, timestamp, boolean, …
	Nullable bool
}

// Schema is the migrated schema: tables with columns, and index names.
type Schema struct {
	Tables  map[string][]Column
	Indexes []string
}

// DescribeSchema reads the live schema so tests (and operators) can compare the
// two databases. Primary-key indexes are left out: each database names them its own way.
func (s *Store) DescribeSchema(ctx context.Context) (Schema, error) {
	out := Schema{Tables: map[string][]Column{}}
	db := s.db.WithContext(ctx)
	type colRow struct {
		TableName, ColumnName, DataType string
		Nullable                        bool
	}
	var cols []colRow
	var idx []string
	if s.dialect == Postgres {
		err := db.Raw(`SELECT table_name, column_name, data_type, is_nullable = 'YES' AS nullable
			FROM information_schema.columns WHERE table_schema = current_schema()
			ORDER BY table_name, ordinal_position`).Scan(&cols).Error
		if err != nil {
			return out, fmt.Errorf("describe schema: %w", err)
		}
		err = db.Raw(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
			AND indexname NOT LIKE '%\_pkey' ESCAPE '\'`).Scan(&idx).Error
		if err != nil {
			return out, fmt.Errorf("describe schema: %w", err)
		}
	} else {
		var tables []string
		if err := db.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&tables).Error; err != nil {
			return out, fmt.Errorf("describe schema: %w", err)
		}
		for _, tbl := range tables {
			var info []struct {
				Name    string
				Type    string
				NotNull bool `gorm:"column:notnull"`
				PK      int  `gorm:"column:pk"`
			}
			// Table names come from sqlite_master, never from a client.
			if err := db.Raw(`SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, tbl).Scan(&info).Error; err != nil {
				return out, fmt.Errorf("describe schema: %w", err)
			}
			for _, c := range info {
				cols = append(cols, colRow{TableName: tbl, ColumnName: c.Name, DataType: c.Type, Nullable: !c.NotNull && c.PK == 0})
			}
		}
		err := db.Raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite\_autoindex%' ESCAPE '\'`).Scan(&idx).Error
		if err != nil {
			return out, fmt.Errorf("describe schema: %w", err)
		}
	}
	for _, c := range cols {
		out.Tables[c.TableName] = append(out.Tables[c.TableName], Column{Name: c.ColumnName, Type: normType(c.DataType), Nullable: c.Nullable})
	}
	for t := range out.Tables {
		sort.Slice(out.Tables[t], func(i, j int) bool { return out.Tables[t][i].Name < out.Tables[t][j].Name })
	}
	sort.Strings(idx)
	out.Indexes = idx
	return out, nil
}

func normType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	case strings.HasPrefix(t, "timestamp"):
		return "timestamp"
	case t == "character varying" || strings.HasPrefix(t, "varchar"):
		return "text"
	case t == "int" || t == "int4":
		return "integer"
	case t == "int8":
		return "bigint"
	case t == "bool":
		return "boolean"
	case t == "bytea": // the same bytes: BLOB on SQLite (migrations/evidence.go)
		return "blob"
	}
	return t
}
