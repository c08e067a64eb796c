package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// dbFlags names the database the product uses in this run.
type dbFlags struct{ url, sqlitePath string }

func (d *dbFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.url, "database-url", "", "postgres://… (as WEAKLINK_DATABASE_URL); empty uses -sqlite")
	fs.StringVar(&d.sqlitePath, "sqlite", "", "the SQLite file (as WEAKLINK_SQLITE_PATH)")
}

// open opens the database with the product's drivers and pool sizes: on SQLite the
// product's DSN (WAL, a busy timeout, BEGIN IMMEDIATE) and 8 connections, on
// PostgreSQL 20 connections, 10 idle.
func (d *dbFlags) open(ctx context.Context) (*gorm.DB, error) {
	var dialector gorm.Dialector
	open, idle := 20, 10
	switch {
	case strings.HasPrefix(d.url, "postgres://"), strings.HasPrefix(d.url, "postgresql://"):
		dialector = postgres.Open(d.url)
	case d.url == "" && d.sqlitePath != "":
		q := url.Values{}
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
		dialector = sqlite.Open("file:" + d.sqlitePath + "?" + q.Encode())
		open, idle = 8, 8
	default:
		return nil, errors.New("give -database-url postgres://… or -sqlite FILE")
	}
	db, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(open)
	sqlDB.SetMaxIdleConns(idle)
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// liveSupplierIDs lists the ids of the live suppliers, in id order.
func liveSupplierIDs(ctx context.Context, db *gorm.DB) ([]string, error) {
	var ids []string
	err := db.WithContext(ctx).Raw("SELECT id FROM suppliers WHERE archived_at IS NULL ORDER BY id").Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("list supplier ids: %w", err)
	}
	if len(ids) == 0 {
		return nil, errors.New("the register has no live supplier")
	}
	return ids, nil
}
