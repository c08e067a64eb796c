package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// The errors that mean "the database cannot be used right now" are told apart from
// errors in the request or the code, however deeply the driver wrapped them.
func TestClassifyUnavailable(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("query: %w", err) }
	cases := []struct {
		name        string
		err         error
		unavailable bool
	}{
		{"57P01 admin_shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"57P02 crash_shutdown", wrap(&pgconn.PgError{Code: "57P02"}), true},
		{"57P03 cannot_connect_now", &pgconn.PgError{Code: "57P03"}, true},
		{"08006 connection_failure", &pgconn.PgError{Code: "08006"}, true},
		{"53300 too_many_connections", &pgconn.PgError{Code: "53300"}, true},
		{"refused dial", wrap(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		{"connection reset", wrap(syscall.ECONNRESET), true},
		{"broken mid-statement", wrap(io.ErrUnexpectedEOF), true},
		{"closed by the driver", wrap(pgconn.ErrConnClosed), true},
		{"bad pooled connection", driver.ErrBadConn, true},
		{"already classified", fmt.Errorf("%w: no connection", ErrUnavailable), true},
		{"23505 unique_violation", &pgconn.PgError{Code: "23505"}, false},
		{"40001 serialization_failure", &pgconn.PgError{Code: "40001"}, false},
		{"42P01 undefined_table", wrap(&pgconn.PgError{Code: "42P01"}), false},
		{"cancelled by the caller", wrap(context.Canceled), false},
		{"not found", gorm.ErrRecordNotFound, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := classify(tc.err)
			if errors.Is(got, ErrUnavailable) != tc.unavailable {
				t.Fatalf("classify(%v) = %v; unavailable %v, want %v", tc.err, got, !tc.unavailable, tc.unavailable)
			}
			if !errors.Is(got, tc.err) {
				t.Fatalf("classify lost the cause: %v", got)
			}
		})
	}
	if classify(nil) != nil {
		t.Fatal("classify(nil) is not nil")
	}
	if err := translate("get supplier", gorm.ErrRecordNotFound); err != ErrNotFound {
		t.Fatalf("translate not found: %v", err)
	}
	if err := translate("get supplier", wrap(io.EOF)); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("translate broken connection: %v", err)
	}
}
