package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// On PostgreSQL the supplier list's default order — live suppliers by name_key, then
// id, both compared byte by byte (COLLATE "C", as ListSuppliers orders them) — is
// served by an index: no sort step, whatever the table's size. SQLite compares bytes
// by default and gets the same-named index (the schema-parity test holds the names).
func TestDefaultListOrderIsServedByAnIndex(t *testing.T) {
	if len(testdb.Dialects()) < 2 {
		t.Skip("needs PostgreSQL (" + testdb.EnvVar + ")")
	}
	st := testdb.Open(t, store.Postgres)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ctx := context.Background()
	err := st.Write(ctx, func(tx *store.Tx) error {
		for i := range 200 {
			r := store.SupplierRow{ID: fmt.Sprintf("01930000-0000-7000-8000-%012d", i), Name: fmt.Sprintf("Supplier %03d", i),
				NameKey: fmt.Sprintf("supplier %03d", i), Criticality: "low", Status: "active", Certifications: "[]",
				Version: 1, CreatedAt: now, UpdatedAt: now}
			if err := tx.InsertSupplier(&r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := testdb.RawDB(st)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// With planner statistics and sequential scans priced out, the planner sorts only
	// if no index fits the order.
	for _, stmt := range []string{"ANALYZE suppliers", "SET enable_seqscan = off"} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := conn.QueryContext(ctx, `EXPLAIN SELECT * FROM suppliers WHERE archived_at IS NULL
		ORDER BY name_key COLLATE "C" ASC, id COLLATE "C" ASC LIMIT 51`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, "suppliers_live_name_order") || strings.Contains(text, "Sort") {
		t.Fatalf("the default list order is not served by its index:\n%s", text)
	}
}
