package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"

	"github.com/weaklink/weaklink/internal/config"
	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/sheetio"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/migrations"
)

// schemaUse says what a command may do to the database and its schema. Only serve
// (when WEAKLINK_AUTO_MIGRATE allows) and migrate up change the schema, and demo
// generate migrates a database with no tables; every other command finds it current
// or stops.
type schemaUse int

const (
	// schemaCurrent: the schema must be current. A SQLite file that does not exist,
	// a database never migrated, or a schema behind this binary stops the command
	// with a message to run `weaklink migrate up`. Most commands.
	schemaCurrent schemaUse = iota
	// schemaMigrate: apply every pending migration, creating a SQLite file that
	// does not exist yet (migrate up; serve when WEAKLINK_AUTO_MIGRATE is true).
	schemaMigrate
	// schemaAsIs: an existing database, left as it is (migrate status, migrate down).
	schemaAsIs
	// schemaBehindAllowed: a database migrated at least once, possibly behind this
	// binary (serve without migrating: it answers /readyz with 503 until someone
	// runs migrate up, so a release job can migrate while replicas wait).
	schemaBehindAllowed
	// schemaPopulate is for commands that fill a database with no tables at all
	// (the demo command group): such a database, or a SQLite file that does not
	// exist, is migrated first; any other database must be current.
	schemaPopulate
)

// app is what a command works with. Every command builds it through open, so the
// store, its schema checks and the register service (with the configured scoring and
// flag thresholds) are the same whichever command runs.
type app struct {
	cfg      config.Config
	log      *slog.Logger
	store    *store.Store
	svc      *register.Service
	reports  *quarterly.Service // the quarterly report, layered on svc
	sheets   *sheetio.Service   // spreadsheet import and export, layered on svc
	migrated int                // migrations applied while opening (schemaMigrate, schemaPopulate)
	scoring  scoring.Config
	flags    scoring.FlagConfig
}

// service builds a register service on the store with the configured scoring,
// flag thresholds and audit key, on the given clock: svc runs on the program's
// clock; the demo generator builds its own on the clock it sets.
func (a *app) service(clock register.Clock) *register.Service {
	return register.New(a.store, clock).WithScoring(a.scoring).WithFlags(a.flags).WithAuditKey(a.cfg.AuditKey)
}

// close releases the store.
func (a *app) close() { _ = a.store.Close() }

// config reads and checks the configuration; a problem is a *configError (exit 2).
func (inv *invocation) config() (config.Config, error) {
	cfg, err := config.Load(inv.getenv)
	if err != nil {
		return cfg, &configError{err}
	}
	return cfg, nil
}

// setup reads the configuration and opens the app: for commands whose flags do not
// change the configuration.
func (inv *invocation) setup(ctx context.Context, use schemaUse) (*app, error) {
	cfg, err := inv.config()
	if err != nil {
		return nil, err
	}
	return inv.open(ctx, cfg, use)
}

// open opens the store as use allows and builds the register service.
func (inv *invocation) open(ctx context.Context, cfg config.Config, use schemaUse) (*app, error) {
	sc, fc, err := scoringConfig(cfg.Scoring)
	if err != nil {
		return nil, &configError{err}
	}
	a := &app{cfg: cfg, log: newLogger(cfg, inv.stderr), scoring: sc, flags: fc}
	if a.store, a.migrated, err = openStore(ctx, cfg, use); err != nil {
		return nil, err
	}
	a.svc = a.service(inv.prog.Now)
	a.reports, a.sheets = quarterly.New(a.svc, a.store), sheetio.New(a.svc, a.store)
	if err := inv.checkAuditKey(ctx, a, use); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// auditKeyUnchecked lists the commands that open the store without checking
// WEAKLINK_AUDIT_KEY against the audit trail, because they never append to it:
// migrate changes only the schema (a release job need not hold the secret), and
// audit reads the chain, where verify reports a missing or wrong key itself (exit 1,
// naming the event).
var auditKeyUnchecked = map[string]bool{"migrate": true, "audit": true}

// checkAuditKey refuses, before anything is appended, a WEAKLINK_AUDIT_KEY that does
// not verify the newest event hashed with HMAC-SHA-256, or a missing one when such an
// event exists: a *configError (exit 2), naming the variable, never the key. A schema
// not yet migrated to record hash algorithms has no such event.
func (inv *invocation) checkAuditKey(ctx context.Context, a *app, use schemaUse) error {
	if auditKeyUnchecked[inv.cmd] || use == schemaAsIs {
		return nil
	}
	if use == schemaBehindAllowed {
		ok, err := a.store.MigrationApplied(ctx, migrations.AuditHashAlgorithmVersion)
		if err != nil || !ok {
			return err
		}
	}
	err := a.svc.CheckAuditKey(ctx)
	var keyErr *register.AuditKeyError
	if errors.As(err, &keyErr) {
		return &configError{fmt.Errorf("WEAKLINK_AUDIT_KEY: %w", err)}
	}
	return err
}

// openStore opens the configured database and brings its schema to what use asks.
func openStore(ctx context.Context, cfg config.Config, use schemaUse) (*store.Store, int, error) {
	where := "the PostgreSQL database" // never the URL: it may hold a password
	if cfg.DatabaseURL == "" {
		where = cfg.SQLitePath
		if err := checkSQLiteFile(cfg.SQLitePath, use == schemaMigrate || use == schemaPopulate); err != nil {
			return nil, 0, err
		}
	}
	st, err := store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath,
		MaxOpenConns: cfg.MaxOpenConns, MaxIdleConns: cfg.MaxIdleConns, ConnMaxLifetime: cfg.ConnMaxLifetime})
	if err != nil {
		if cfg.DatabaseURL == "" {
			return nil, 0, fmt.Errorf("SQLite database %s: %w", where, err)
		}
		return nil, 0, err
	}
	n, err := prepareSchema(ctx, st, use, where)
	if err != nil {
		_ = st.Close()
		return nil, 0, err
	}
	return st, n, nil
}

// checkSQLiteFile stops before the driver would create an empty file (unless create),
// or fail with a bare "out of memory (14)" for a directory that does not exist or a
// path that is a directory.
func checkSQLiteFile(path string, create bool) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("SQLite database %s is a directory, not a file (WEAKLINK_SQLITE_PATH)", path)
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("SQLite database %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("SQLite database %s: the directory %s does not exist (WEAKLINK_SQLITE_PATH)", path, dir)
	}
	if !create {
		return fmt.Errorf("no database at %s: the SQLite file does not exist (WEAKLINK_SQLITE_PATH); "+
			"create it with `weaklink migrate up`", path)
	}
	return nil
}

// prepareSchema migrates or checks the schema as use asks and returns how many
// migrations it applied.
func prepareSchema(ctx context.Context, st *store.Store, use schemaUse, where string) (int, error) {
	switch use {
	case schemaAsIs:
		return 0, nil
	case schemaMigrate:
		return st.MigrateUp(ctx)
	}
	tables, err := st.Tables(ctx)
	if err != nil {
		return 0, err
	}
	if use == schemaPopulate && len(tables) == 0 {
		return st.MigrateUp(ctx)
	}
	if !slices.Contains(tables, store.MigrationTable) {
		return 0, fmt.Errorf("%s has no weaklink schema (it was never migrated): run `weaklink migrate up` first", where)
	}
	if use == schemaBehindAllowed {
		return 0, nil
	}
	current, err := st.MigrationsCurrent(ctx)
	if err != nil {
		return 0, err
	}
	if !current {
		return 0, fmt.Errorf("the schema of %s is behind this version of weaklink: run `weaklink migrate up` first", where)
	}
	return 0, nil
}

// scoringConfig turns the configured thresholds into the methodology's settings.
// config.Load has already refused anything incoherent; Validate stays as the
// methodology's own guard.
func scoringConfig(c config.Scoring) (scoring.Config, scoring.FlagConfig, error) {
	f := scoring.FlagConfig{OutlierMinPortfolio: c.OutlierMinPortfolio, OutlierMinGap: c.OutlierMinGap,
		OutlierIQRMultiple: c.OutlierIQRMultiple, ConcentrationShare: c.ConcentrationShare}
	if err := f.Validate(); err != nil {
		return scoring.Config{}, f, fmt.Errorf("flag configuration: %w", err)
	}
	s := scoring.DefaultConfig()
	s.CriticalCap, s.ExpiredCertPenalty, s.NoDPAPenalty = c.CriticalCap, c.ExpiredCertPenalty, c.NoDPAPenalty
	s.MaxCertPenalty = 2 * c.ExpiredCertPenalty
	s.WeakBelow, s.StrongFrom = c.WeakBelow, c.StrongFrom
	s.TierCritical, s.TierHigh, s.TierMedium = c.Tiers[0], c.Tiers[1], c.Tiers[2]
	s.ReassessMonths = map[string]int{scoring.TierNameCritical: c.ReassessMonths[0], scoring.TierNameHigh: c.ReassessMonths[1],
		scoring.TierNameMedium: c.ReassessMonths[2], scoring.TierNameLow: c.ReassessMonths[3]}
	if err := s.Validate(); err != nil {
		return s, f, fmt.Errorf("scoring configuration: %w", err)
	}
	return s, f, nil
}

// newLogger returns the configured structured logger, writing to w.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
