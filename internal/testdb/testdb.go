// Package testdb gives tests a fresh, migrated store on SQLite and, when
// WEAKLINK_TEST_DATABASE_URL names a PostgreSQL database, on PostgreSQL too. Each
// PostgreSQL store lives in its own schema, dropped when the test ends.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	_ "github.com/glebarez/go-sqlite"  // database/sql driver for raw SQLite access
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for schema set-up

	"github.com/weaklink/weaklink/internal/store"
)

// EnvVar names the PostgreSQL database the tests may use.
const EnvVar = "WEAKLINK_TEST_DATABASE_URL"

// Dialects lists the databases this run covers: SQLite always, PostgreSQL when configured.
func Dialects() []store.Dialect {
	if os.Getenv(EnvVar) == "" {
		return []store.Dialect{store.SQLite}
	}
	return []store.Dialect{store.SQLite, store.Postgres}
}

// Each runs fn as a subtest per dialect, each with its own fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated store of the given dialect, closed when the test ends.
func Open(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	return OpenCounting(t, d, nil)
}

// OpenCounting is Open with every SQL statement counted in n (after migrating).
func OpenCounting(t testing.TB, d store.Dialect, n *atomic.Int64) *store.Store {
	t.Helper()
	return OpenWith(t, d, func(o *store.Options) { o.Statements = n })
}

// OpenWith is Open with the store's options adjusted by set (after the test
// defaults; the statement counter, if any, is reset after migrating).
func OpenWith(t testing.TB, d store.Dialect, set func(*store.Options)) *store.Store {
	t.Helper()
	st, opts := open(t, d, set)
	if _, err := st.MigrateUp(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	if opts.Statements != nil {
		opts.Statements.Store(0)
	}
	return st
}

// OpenUnmigrated returns a fresh, empty store of the given dialect.
func OpenUnmigrated(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	st, _ := open(t, d, nil)
	return st
}

func open(t testing.TB, d store.Dialect, set func(*store.Options)) (*store.Store, store.Options) {
	t.Helper()
	opts := store.Options{MaxOpenConns: 8}
	if d == store.Postgres {
		opts.DatabaseURL = Schema(t)
	} else {
		opts.SQLitePath = filepath.Join(t.TempDir(), "test.db")
	}
	if set != nil {
		set(&opts)
	}
	st, err := store.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st, opts
}

// Schema creates a fresh schema in the test database and returns a URL whose
// search_path points at it. It fails the test, never skips it, when the configured
// database is unreachable: a PostgreSQL half must not silently vanish.
func Schema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvVar)
	if base == "" {
		t.Fatalf("%s is not set", EnvVar)
	}
	raw := make([]byte, 6)
	_, _ = rand.Read(raw)
	name := "t_" + hex.EncodeToString(raw)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvVar, err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("PostgreSQL from %s is unreachable or unusable: %v", EnvVar, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			_, _ = db.Exec("DROP SCHEMA " + name + " CASCADE")
			_ = db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvVar, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// Exec runs raw SQL on the store's database through a separate connection, for tests
// that must reach past the application (tampering with the audit trail, say).
func Exec(t testing.TB, st *store.Store, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if err := TryExec(st, s); err != nil {
			t.Fatalf("exec %q: %v", s, err)
		}
	}
}

// TryExec runs one raw statement and returns its error.
func TryExec(st *store.Store, stmt string) error {
	db, err := RawDB(st)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(stmt)
	return err
}

// RawDB opens a plain database/sql handle on the store's database (its schema, on
// PostgreSQL), beside the store, for tests that must read or write around it: raw
// counts, query plans, tampering. The caller closes it.
func RawDB(st *store.Store) (*sql.DB, error) {
	driver, dsn := "pgx", ""
	pgURL, path := st.Location()
	if st.Dialect() == store.Postgres {
		dsn = pgURL
	} else {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(5000)"
	}
	return sql.Open(driver, dsn)
}
