package store_test

import (
	"context"
	"testing"

	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// Analyze leaves the planner statistics of the store's own tables behind: on
// PostgreSQL every table of the schema has been analyzed (reltuples is -1 until
// then), on SQLite sqlite_stat1 exists.
func TestAnalyze(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		if err := st.Analyze(context.Background()); err != nil {
			t.Fatal(err)
		}
		db, err := testdb.RawDB(st)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		query := `SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`
		want := 1
		if st.Dialect() == store.Postgres {
			query = `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.reltuples < 0`
			want = 0
		}
		var got int
		if err := db.QueryRow(query).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("%s: %d, want %d", query, got, want)
		}
	})
}
