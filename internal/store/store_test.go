package store_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"sort"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

func TestPostgreSQLConfigured(t *testing.T) {
	if os.Getenv(testdb.EnvVar) == "" {
		t.Skip(testdb.EnvVar + " is not set: every test ran on SQLite only and the PostgreSQL half was skipped")
	}
}

func TestMigratedSchemasMatchAcrossDatabases(t *testing.T) {
	if len(testdb.Dialects()) < 2 {
		t.Skip("needs PostgreSQL (" + testdb.EnvVar + ")")
	}
	ctx := context.Background()
	lite, err := testdb.Open(t, store.SQLite).DescribeSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := testdb.Open(t, store.Postgres).DescribeSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// goose's bookkeeping table is goose's own, created per dialect.
	delete(lite.Tables, "goose_db_version")
	delete(pg.Tables, "goose_db_version")
	if len(lite.Tables) < 4 {
		t.Fatalf("only %d tables migrated", len(lite.Tables))
	}
	if !reflect.DeepEqual(lite.Tables, pg.Tables) {
		for name, cols := range lite.Tables {
			if !reflect.DeepEqual(cols, pg.Tables[name]) {
				t.Errorf("table %s differs:\n sqlite:   %v\n postgres: %v", name, cols, pg.Tables[name])
			}
		}
		for name := range pg.Tables {
			if _, ok := lite.Tables[name]; !ok {
				t.Errorf("table %s exists only on PostgreSQL", name)
			}
		}
	}
	if !reflect.DeepEqual(lite.Indexes, pg.Indexes) {
		t.Errorf("indexes differ:\n sqlite:   %v\n postgres: %v", lite.Indexes, pg.Indexes)
	}
}

// The gorm row types must name exactly the migrated columns: schema comes only from
// migrations, so a field without a column (or the reverse) is a bug.
func TestRowTypesMatchMigratedSchema(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		sch, err := st.DescribeSchema(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		mapped := map[string]bool{"goose_db_version": true}
		for _, row := range store.AllRows() {
			s, err := schema.Parse(row, &sync.Map{}, schema.NamingStrategy{})
			if err != nil {
				t.Fatal(err)
			}
			mapped[s.Table] = true
			cols, ok := sch.Tables[s.Table]
			if !ok {
				t.Errorf("%T maps to table %s, which the migrations do not create", row, s.Table)
				continue
			}
			var want, got []string
			for _, c := range cols {
				want = append(want, c.Name)
			}
			got = append(got, s.DBNames...)
			sort.Strings(want)
			sort.Strings(got)
			if !reflect.DeepEqual(want, got) {
				t.Errorf("%T columns %v, table %s has %v", row, got, s.Table, want)
			}
		}
		for table := range sch.Tables {
			if !mapped[table] {
				t.Errorf("table %s has no row type in AllRows", table)
			}
		}
	})
}

func TestMigrationsGoDownAndUpAgain(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		states, err := st.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for range states {
			if _, err := st.MigrateDown(ctx); err != nil {
				t.Fatalf("down: %v", err)
			}
		}
		sch, err := st.DescribeSchema(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for name := range sch.Tables {
			if name != "goose_db_version" {
				t.Errorf("table %s survived migrating all the way down", name)
			}
		}
		if ok, _ := st.MigrationsCurrent(ctx); ok {
			t.Error("MigrationsCurrent is true with every migration rolled back")
		}
		if n, err := st.MigrateUp(ctx); err != nil || n != len(states) {
			t.Fatalf("up again: %d, %v", n, err)
		}
		if ok, err := st.MigrationsCurrent(ctx); !ok || err != nil {
			t.Fatalf("MigrationsCurrent after up = %v, %v", ok, err)
		}
	})
}

// Several processes starting at once against one PostgreSQL database must not race
// on the schema: the advisory lock lets exactly one apply each version. (SQLite is
// the single-instance embedded mode; stateless replicas run on PostgreSQL.)
func TestConcurrentMigrateUp(t *testing.T) {
	if len(testdb.Dialects()) < 2 {
		t.Skip("needs PostgreSQL (" + testdb.EnvVar + ")")
	}
	for _, d := range []store.Dialect{store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			first := testdb.OpenUnmigrated(t, d)
			opts := store.Options{MaxOpenConns: 4}
			// Open more stores on the very same database.
			stores := []*store.Store{first}
			for i := 0; i < 3; i++ {
				stores = append(stores, reopen(t, first, opts))
			}
			var wg sync.WaitGroup
			errs := make([]error, len(stores))
			applied := make([]int, len(stores))
			for i, st := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					applied[i], errs[i] = st.MigrateUp(context.Background())
				}()
			}
			wg.Wait()
			total := 0
			for i := range stores {
				if errs[i] != nil {
					t.Errorf("store %d: %v", i, errs[i])
				}
				total += applied[i]
			}
			states, _ := first.MigrationStatus(context.Background())
			if total != len(states) {
				t.Errorf("%d migrations applied in total by concurrent starts, want each of %d exactly once", total, len(states))
			}
		})
	}
}

func reopen(t *testing.T, st *store.Store, opts store.Options) *store.Store {
	t.Helper()
	opts.DatabaseURL, opts.SQLitePath = st.Location()
	other, err := store.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(fmt.Errorf("reopen: %w", err))
	}
	t.Cleanup(func() { _ = other.Close() })
	return other
}
