// Package store owns persistence: opening PostgreSQL or the embedded SQLite file,
// running the versioned migrations, transactions, and the gorm row types. It is the
// only package that knows gorm; callers see row structs and the errors below.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database behind a Store.
type Dialect string

// The two supported databases.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Errors returned by store methods; callers translate them into domain errors.
// ErrUnavailable (unavailable.go) is wrapped into errors rather than returned bare.
var (
	ErrNotFound  = errors.New("store: not found")
	ErrDuplicate = errors.New("store: duplicate")
	ErrStale     = errors.New("store: stale version")
)

// Options configure Open.
type Options struct {
	// DatabaseURL selects PostgreSQL (postgres:// or postgresql://); empty means SQLite.
	DatabaseURL string
	// SQLitePath is the embedded database file used when DatabaseURL is empty.
	SQLitePath      string
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	// BusyTimeout is how long an SQLite writer waits for the lock before failing.
	BusyTimeout time.Duration
	// AcquireTimeout bounds the wait for a pooled connection; DefaultAcquireTimeout
	// when zero. Past it the operation fails with ErrUnavailable.
	AcquireTimeout time.Duration
	// Statements, when set, counts every SQL statement the store runs, a
	// transaction's BEGIN and COMMIT included (for tests and benchmarks that prove a
	// request runs a constant, small number of round trips).
	Statements *atomic.Int64
	// AfterStatement, when set, is called after each SQL statement with the
	// statement's context and table ("" when gorm names none), for tests that must
	// act at an exact point of a transaction.
	AfterStatement func(ctx context.Context, table string)
}

// Store is an open database with its dialect.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	dialect Dialect
	opts    Options
}

// writeLockKey is the PostgreSQL advisory lock every write transaction takes first.
// It serialises writers so the audit hash chain never forks; SQLite gets the same
// effect from BEGIN IMMEDIATE.
const writeLockKey = 0x7765616b6c696e6b // "weaklink"

// Open connects to the configured database and applies connection limits.
func Open(ctx context.Context, o Options) (*Store, error) {
	var (
		dialector gorm.Dialector
		dialect   Dialect
	)
	switch {
	case strings.HasPrefix(o.DatabaseURL, "postgres://"), strings.HasPrefix(o.DatabaseURL, "postgresql://"):
		dialector, dialect = postgres.Open(o.DatabaseURL), Postgres
	case o.DatabaseURL == "":
		if o.SQLitePath == "" {
			return nil, errors.New("open store: no SQLite path configured")
		}
		dialector, dialect = sqlite.Open(sqliteDSN(o.SQLitePath, o.BusyTimeout)), SQLite
	default:
		return nil, errors.New("open store: database URL must start with postgres:// or postgresql://")
	}
	// Each Open gets its own gorm.Config: a shared one lets the last dialect win.
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if o.Statements != nil || o.AfterStatement != nil {
		if err := watchStatements(db, o); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if o.MaxOpenConns > 0 {
		sqlDB.SetMaxOpenConns(o.MaxOpenConns)
	}
	if o.MaxIdleConns > 0 {
		sqlDB.SetMaxIdleConns(o.MaxIdleConns)
	}
	if o.ConnMaxLifetime > 0 {
		sqlDB.SetConnMaxLifetime(o.ConnMaxLifetime)
	}
	if o.AcquireTimeout <= 0 {
		o.AcquireTimeout = DefaultAcquireTimeout
	}
	p := &pool{db: sqlDB, timeout: o.AcquireTimeout}
	db.ConnPool, db.Statement.ConnPool = p, p
	s := &Store{db: db, sqlDB: sqlDB, dialect: dialect, opts: o}
	if err := s.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

// watchStatements registers callbacks that count each statement gorm executes and
// call Options.AfterStatement.
func watchStatements(db *gorm.DB, o Options) error {
	inc := func(g *gorm.DB) {
		if o.Statements != nil {
			o.Statements.Add(1)
		}
		if o.AfterStatement != nil {
			o.AfterStatement(g.Statement.Context, g.Statement.Table)
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("weaklink:count", inc),
		cb.Query().After("gorm:query").Register("weaklink:count", inc),
		cb.Update().After("gorm:update").Register("weaklink:count", inc),
		cb.Delete().After("gorm:delete").Register("weaklink:count", inc),
		cb.Row().After("gorm:row").Register("weaklink:count", inc),
		cb.Raw().After("gorm:raw").Register("weaklink:count", inc),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// sqliteDSN turns a file path into a DSN with foreign keys on, WAL, a busy timeout
// and BEGIN IMMEDIATE, so concurrent writers queue instead of failing with
// "database is locked".
func sqliteDSN(path string, busy time.Duration) string {
	if busy <= 0 {
		busy = 10 * time.Second
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	// No _time_format: the driver stops reading parameters after it, which would
	// silently drop _txlock. Times are written in Go's default layout, always UTC, so
	// they still compare and sort correctly as text.
	return "file:" + path + "?" + q.Encode()
}

// Dialect reports which database the store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// Location returns the database URL and SQLite path the store was opened with.
func (s *Store) Location() (databaseURL, sqlitePath string) {
	return s.opts.DatabaseURL, s.opts.SQLitePath
}

// Ping checks that the database answers; a database that cannot be reached is
// ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error { return classify(s.sqlDB.PingContext(ctx)) }

// Close releases the connection pool.
func (s *Store) Close() error { return s.sqlDB.Close() }

// MigrationTable is the table in which the migrations record the versions applied
// (goose's default name).
const MigrationTable = "goose_db_version"

// Tables lists the database's tables (on PostgreSQL, those of the current schema)
// and creates nothing, so that a caller can tell a database that was never migrated
// from one that was before deciding whether it may migrate.
func (s *Store) Tables(ctx context.Context) ([]string, error) {
	names, err := s.db.WithContext(ctx).Migrator().GetTables()
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	out := names[:0]
	for _, n := range names {
		if !strings.HasPrefix(n, "sqlite_") { // SQLite's own bookkeeping
			out = append(out, n)
		}
	}
	return out, nil
}

// Tx is a transaction handle; every store method that reads or writes rows hangs off it.
type Tx struct {
	db      *gorm.DB
	dialect Dialect
}

// Write runs fn in one read-write transaction. On PostgreSQL it first takes the
// transaction-scoped advisory lock that serialises writers (see writeLockKey). An
// error meaning the database cannot be reached wraps ErrUnavailable.
func (s *Store) Write(ctx context.Context, fn func(*Tx) error) error {
	s.countTransaction()
	return classify(s.db.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		if s.dialect == Postgres {
			if err := g.Exec("SELECT pg_advisory_xact_lock(?)", writeLockKey).Error; err != nil {
				return fmt.Errorf("write lock: %w", err)
			}
		}
		return fn(&Tx{db: g, dialect: s.dialect})
	}))
}

// Read runs fn in one transaction that sees a single consistent snapshot. An error
// meaning the database cannot be reached wraps ErrUnavailable.
func (s *Store) Read(ctx context.Context, fn func(*Tx) error) error {
	// Read-only makes the SQLite driver begin a deferred transaction (a WAL
	// snapshot that does not queue behind writers); PostgreSQL needs repeatable read.
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	s.countTransaction()
	return classify(s.db.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		return fn(&Tx{db: g, dialect: s.dialect})
	}, opts))
}

// countTransaction counts a transaction's BEGIN and COMMIT (or ROLLBACK) as two
// statements when statements are counted: they are round trips like any other.
func (s *Store) countTransaction() {
	if s.opts.Statements != nil {
		s.opts.Statements.Add(2)
	}
}

// NoTx returns a handle for single statements that need no transaction.
func (s *Store) NoTx(ctx context.Context) *Tx {
	return &Tx{db: s.db.WithContext(ctx), dialect: s.dialect}
}

// translate maps gorm and driver errors to the store's errors.
func translate(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return ErrDuplicate
	default:
		return fmt.Errorf("%s: %w", op, classify(err))
	}
}

// collate wraps a text column so that ordering and comparison are byte-wise on both
// databases (PostgreSQL would otherwise use the database's locale collation).
func (t *Tx) collate(column string) string {
	if t.dialect == Postgres {
		return column + ` COLLATE "C"`
	}
	return column
}

// revokeColumns are what revoking a key or an acceptance writes.
var revokeColumns = []string{"revoked_at", "version", "updated_at"}

// updateVersioned writes the listed columns of row (a pointer to a row type) where
// keyColumn = key and the stored version is still expectedVersion. It is the one
// optimistic-concurrency update: ErrStale when another change got there first.
// UpdateColumns, not Updates: gorm would stamp updated_at with its own clock.
func (t *Tx) updateVersioned(op, keyColumn string, key any, expectedVersion int, columns []string, row any) error {
	res := t.db.Model(row).Where(keyColumn+" = ? AND version = ?", key, expectedVersion).
		Select(columns).UpdateColumns(row)
	if res.Error != nil {
		return translate(op, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrStale
	}
	return nil
}

// RiskRefreshLockKey is the PostgreSQL advisory lock that makes the background risk
// refresh single-flight across several processes on one database.
const RiskRefreshLockKey = 0x7765616b72697368 // "weakrish"

// TryExclusive runs fn unless another session holds the advisory lock key, and
// reports whether it ran: on PostgreSQL a session-level pg_try_advisory_lock on a
// connection of its own, held while fn runs (fn uses the pool as usual); SQLite
// serves one process per file, so fn always runs there.
func (s *Store) TryExclusive(ctx context.Context, key int64, fn func() error) (bool, error) {
	if s.dialect != Postgres {
		return true, fn()
	}
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return false, classify(err)
	}
	defer conn.Close()
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		return false, classify(err)
	}
	if !got {
		return false, nil
	}
	defer func() {
		// A fresh context: the lock must be released even when ctx has ended.
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", key)
	}()
	return true, fn()
}
