package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrUnavailable is wrapped into every error that means the database cannot be used
// at the moment — it refuses or drops connections, is shutting down or starting up,
// or no pooled connection came free in time — as opposed to an error in the request
// or in the code. It passes once the database is back; callers answer "retry later".
var ErrUnavailable = errors.New("store: database unavailable")

// DefaultAcquireTimeout is how long a statement or transaction waits for a pooled
// connection, dialling one included, when Options.AcquireTimeout is zero.
const DefaultAcquireTimeout = 10 * time.Second

// classify wraps err with ErrUnavailable when it means the database cannot be
// reached; other errors, and nil, are returned as they are.
func classify(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || !unreachable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// unreachable recognises a database that cannot be used right now: a failed dial or
// handshake (pgconn.ConnectError), a connection exception (SQLSTATE class 08), the
// server shutting down or starting (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
// cannot_connect_now; PostgreSQL appendix A), no connection slot left (53300), and a
// connection broken under a statement (EOF, reset, closed).
func unreachable(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57P01", "57P02", "57P03", "53300":
			return true
		}
		return strings.HasPrefix(pe.Code, "08")
	}
	var oe *net.OpError
	return errors.As(err, &oe) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// pool is gorm's connection pool: database/sql's, except that waiting for a
// connection (dialling a new one included) is bounded by timeout, so a pool
// exhausted by a database that stopped answering turns requests into ErrUnavailable
// instead of queueing them without end. Each statement outside a transaction, and
// each transaction, holds its connection only while it runs: database/sql's
// Conn.Close waits for the rows or transaction using the connection to finish
// before returning it to the pool.
type pool struct {
	db      *sql.DB
	timeout time.Duration
}

func (p *pool) conn(ctx context.Context) (*sql.Conn, error) {
	actx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	c, err := p.db.Conn(actx)
	if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		return nil, fmt.Errorf("%w: no database connection within %s: %w", ErrUnavailable, p.timeout, err)
	}
	return c, err
}

// GetDBConn lets gorm's DB() reach the *sql.DB.
func (p *pool) GetDBConn() (*sql.DB, error) { return p.db, nil }

func (p *pool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.db.PrepareContext(ctx, query)
}

func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c, err := p.conn(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.ExecContext(ctx, query, args...)
}

func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c, err := p.conn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.QueryContext(ctx, query, args...)
	go c.Close() // returns the connection once rows is closed
	return rows, err
}

// QueryRowContext cannot report a failed wait through *sql.Row, so it waits as
// database/sql does; the store reads rows through QueryContext.
func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.db.QueryRowContext(ctx, query, args...)
}

func (p *pool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	c, err := p.conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := c.BeginTx(ctx, opts)
	go c.Close() // returns the connection once the transaction ends
	return tx, err
}
