package register_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
	"github.com/weaklink/weaklink/migrations"
)

// The migration that records hash algorithms runs on a populated, append-only
// audit_events table (its triggers in place) in both directions, and the events
// written before it, hashed without the algorithm, keep verifying after it; a key
// set afterwards continues the same chain with HMAC.
func TestEventsFromBeforeTheAlgorithmColumnKeepVerifying(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, clock := newService(t, st)
		if _, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Before Ltd", Criticality: "low"}); err != nil {
			t.Fatal(err)
		}
		for {
			v, err := st.MigrateDown(ctx) // with the event stored and the triggers on
			if err != nil {
				t.Fatal(err)
			}
			if v == migrations.AuditHashAlgorithmVersion {
				break
			}
		}
		// Two events as the release before the column wrote them (plain SHA-256 over
		// the fields without the algorithm), inserted on the schema of that release.
		prev := auditRows(t, st)[0].Hash
		for seq := int64(2); seq <= 3; seq++ {
			id, res := fmt.Sprintf("01900000-0000-7000-8000-00000000000%d", seq), "01900000-0000-7000-8000-0000000000aa"
			canon, _ := json.Marshal([]any{seq, id, "2026-11-23T09:00:00Z", "", "system: legacy", "update", "supplier", res,
				`{"notes":{"before":null,"after":"x"}}`, "", "", prev})
			sum := sha256.Sum256(canon)
			hash := hex.EncodeToString(sum[:])
			testdb.Exec(t, st, fmt.Sprintf(`INSERT INTO audit_events (seq, id, occurred_at, actor_key_id, actor_name, action,
				resource_type, resource_id, changes, request_id, client_ip, prev_hash, hash)
				VALUES (%d, '%s', '2026-11-23 09:00:00', NULL, 'system: legacy', 'update', 'supplier', '%s',
				'{"notes":{"before":null,"after":"x"}}', '', '', '%s', '%s')`, seq, id, res, prev, hash),
				fmt.Sprintf("UPDATE audit_head SET seq = %d, hash = '%s'", seq, hash))
			prev = hash
		}
		if _, err := st.MigrateUp(ctx); err != nil {
			t.Fatalf("migrate up over a populated audit trail: %v", err)
		}
		if err := tryExec(st, "UPDATE audit_events SET action = 'x'"); err == nil {
			t.Fatal("the append-only triggers are gone after the migration")
		}
		// A new process, as after an upgrade: the old pool's prepared statements
		// (PostgreSQL) describe the table without the new column.
		pgURL, path := st.Location()
		st, err := store.Open(ctx, store.Options{DatabaseURL: pgURL, SQLitePath: path})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		keyed := register.New(st, clock.Now).WithAuditKey(auditKey)
		if _, err := keyed.CreateSupplier(ctx, editor, register.SupplierFields{Name: "After Ltd", Criticality: "low"}); err != nil {
			t.Fatal(err)
		}
		rep, err := keyed.VerifyAudit(ctx)
		if err != nil || rep.Events != 4 || rep.HMACFrom != 4 {
			t.Fatalf("verify after the migration: %+v, %v", rep, err)
		}
		for _, r := range auditRows(t, st)[:3] {
			if r.HashAlgorithm != register.HashSHA256 {
				t.Fatalf("event %d from before the column reads as %q", r.Seq, r.HashAlgorithm)
			}
		}
	})
}
