package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/weaklink/weaklink/migrations"
)

// MigrationState is one migration version and whether it has been applied.
type MigrationState struct {
	Version int64
	Source  string
	Applied bool
}

func (s *Store) provider() (*goose.Provider, error) {
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{
		goose.WithGoMigrations(migrations.Go(string(s.dialect))...),
		goose.WithDisableGlobalRegistry(true),
	}
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
		// A session advisory lock makes concurrent starts of several processes safe.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, s.sqlDB, migrations.FS, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// MigrateUp applies every pending migration and returns how many ran.
func (s *Store) MigrateUp(ctx context.Context) (int, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate up: %w", err)
	}
	return len(res), nil
}

// MigrateDown rolls back the newest applied migration.
func (s *Store) MigrateDown(ctx context.Context) (int64, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Down(ctx)
	if err != nil {
		if errors.Is(err, goose.ErrNoNextVersion) {
			return 0, errors.New("migrate down: nothing to roll back")
		}
		return 0, fmt.Errorf("migrate down: %w", err)
	}
	return res.Source.Version, nil
}

// MigrationStatus lists every known migration and whether it is applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	p, err := s.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationState, 0, len(st))
	for _, m := range st {
		src := m.Source.Path
		if src == "" {
			src = "go migration"
		}
		out = append(out, MigrationState{Version: m.Source.Version, Source: src, Applied: m.State == goose.StateApplied})
	}
	return out, nil
}

// MigrationsCurrent reports whether no migration is pending (for readiness).
func (s *Store) MigrationsCurrent(ctx context.Context) (bool, error) {
	p, err := s.provider()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("migration check: %w", err)
	}
	return !pending, nil
}

// MigrationApplied reports whether the given version has been applied, for checks
// that need one version's schema without requiring every later one.
func (s *Store) MigrationApplied(ctx context.Context, version int64) (bool, error) {
	states, err := s.MigrationStatus(ctx)
	if err != nil {
		return false, err
	}
	for _, m := range states {
		if m.Version == version {
			return m.Applied, nil
		}
	}
	return false, nil
}
