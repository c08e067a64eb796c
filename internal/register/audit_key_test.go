package register_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

var (
	auditKey      = bytes.Repeat([]byte("k3y!"), 8) // 32 bytes
	otherAuditKey = bytes.Repeat([]byte("0th3r"), 7)
)

// Deleting the newest events and moving the head back to the last one kept leaves a
// chain that is consistent in itself: only a head recorded elsewhere shows it.
func TestTruncationWithMovedHeadDetectedByRecordedHead(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newService(t, st)
		seedChain(t, svc)
		recorded, err := svc.AuditHead(ctx)
		if err != nil || recorded.Seq != 3 || len(recorded.Hash) != 64 {
			t.Fatalf("head %v, %v", recorded, err)
		}
		early := auditRows(t, st)[0]
		anchor1 := register.ChainAnchor{Seq: 1, Hash: early.Hash}
		// A recorded head may be followed by later events.
		if _, err := svc.VerifyAudit(ctx, anchor1, recorded); err != nil {
			t.Fatalf("intact chain with its recorded heads: %v", err)
		}

		rewrite(t, st, "DELETE FROM audit_events WHERE seq > 1",
			fmt.Sprintf("UPDATE audit_head SET seq = 1, hash = '%s'", early.Hash))
		if rep, err := svc.VerifyAudit(ctx); err != nil || rep.Events != 1 {
			t.Fatalf("without a recorded head the shortened chain still verifies (that is the gap): %+v, %v", rep, err)
		}
		_, err = svc.VerifyAudit(ctx, recorded)
		var broken *register.ChainBroken
		if !errors.As(err, &broken) || broken.Seq != 3 || !strings.Contains(broken.Reason, "recorded head 3 is missing") ||
			!strings.Contains(broken.Reason, "chain ends at event 1") {
			t.Fatalf("truncated chain with the recorded head: %v", err)
		}
		if _, err := svc.VerifyAudit(ctx, anchor1); err != nil {
			t.Fatalf("a head recorded before the truncation point still verifies: %v", err)
		}
	})
}

// With the key set, editing an event and recomputing plain SHA-256 hashes from there
// on is detected, whatever label the forger writes; relabelling the whole chain is
// detected by a recorded head. Without the key, the same forgery verifies.
func TestKeyedChainDetectsRehashing(t *testing.T) {
	cases := []struct {
		name    string
		from    int64 // first event rewritten (edited and rehashed)
		label   string
		anchor  bool // verify with the head recorded before the forgery
		atSeq   int64
		because string
	}{
		{"rehashed with plain SHA-256, label kept", 2, register.HashHMACSHA256, false, 2, "key is not the one"},
		{"rehashed and relabelled sha256 from the edit on", 2, register.HashSHA256, false, 2, "downgraded"},
		{"whole chain relabelled sha256, with the recorded head", 1, register.HashSHA256, true, 3, "not the recorded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				svc, _ := newService(t, st)
				svc.WithAuditKey(auditKey)
				seedChain(t, svc)
				rep, err := svc.VerifyAudit(ctx)
				if err != nil || rep.HMACFrom != 1 || rep.Events != 3 {
					t.Fatalf("keyed chain: %+v, %v", rep, err)
				}
				recorded, _ := svc.AuditHead(ctx)
				forge(t, st, tc.from, tc.label)
				var anchors []register.ChainAnchor
				if tc.anchor {
					anchors = append(anchors, recorded)
				}
				_, err = svc.VerifyAudit(ctx, anchors...)
				var broken *register.ChainBroken
				if !errors.As(err, &broken) || broken.Seq != tc.atSeq || !strings.Contains(broken.Reason, tc.because) {
					t.Fatalf("forged chain: %v, want event %d: %q", err, tc.atSeq, tc.because)
				}
			})
		})
	}
	// The same forgery on a chain without the key passes: plain SHA-256 cannot tell.
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		seedChain(t, svc)
		forge(t, st, 2, register.HashSHA256)
		if _, err := svc.VerifyAudit(context.Background()); err != nil {
			t.Fatalf("an unkeyed forgery should verify (plain SHA-256 is recomputable): %v", err)
		}
	})
}

// Setting the key starts HMAC from the next event; the chain verifies with the key,
// each event under its own algorithm, and fails without it or with another key.
func TestMixedChainNeedsTheKey(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		plain, clock := newService(t, st)
		if _, err := plain.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Plain Ltd", Criticality: "low"}); err != nil {
			t.Fatal(err)
		}
		keyed := register.New(st, clock.Now).WithAuditKey(auditKey)
		if err := keyed.CheckAuditKey(ctx); err != nil {
			t.Fatalf("a key on a trail with no HMAC event yet: %v", err)
		}
		seedChain(t, keyed)
		// The bulk writer (spreadsheet import) hashes the same way.
		now := clock.Now()
		sup := register.Supplier{ID: keyed.NewID(), Version: 1, CreatedAt: now, UpdatedAt: now,
			SupplierFields: register.SupplierFields{Name: "Bulk Ltd", Criticality: "low", Status: "active"}}
		err := st.Write(ctx, func(tx *store.Tx) error {
			return keyed.ApplyBulk(tx, editor, []register.BulkChange{{Action: register.ActionCreate, Supplier: &sup,
				Changes: map[string]register.Change{"name": {After: "Bulk Ltd"}}}}, now)
		})
		if err != nil {
			t.Fatal(err)
		}
		var algs []string
		for _, r := range auditRows(t, st) {
			algs = append(algs, r.HashAlgorithm)
		}
		if strings.Join(algs, ",") != "sha256,hmac-sha256,hmac-sha256,hmac-sha256,hmac-sha256" {
			t.Fatalf("algorithms %v", algs)
		}
		page, _ := keyed.ListAudit(ctx, register.AuditFilter{Limit: 1})
		if page.Items[0].HashAlgorithm != register.HashHMACSHA256 {
			t.Fatalf("listed event %+v", page.Items[0])
		}

		rep, err := keyed.VerifyAudit(ctx)
		if err != nil || rep.Events != 5 || rep.HMACFrom != 2 {
			t.Fatalf("mixed chain with the key: %+v, %v", rep, err)
		}
		var broken *register.ChainBroken
		if _, err := plain.VerifyAudit(ctx); !errors.As(err, &broken) || broken.Seq != 2 || !strings.Contains(broken.Reason, "no audit key is set") {
			t.Fatalf("mixed chain without the key: %v", err)
		}
		other := register.New(st, clock.Now).WithAuditKey(otherAuditKey)
		if _, err := other.VerifyAudit(ctx); !errors.As(err, &broken) || broken.Seq != 2 || !strings.Contains(broken.Reason, "audit key") {
			t.Fatalf("mixed chain with another key: %v", err)
		}
	})
}

// The start-up check: a wrong key, or none, is refused once an HMAC event exists.
func TestCheckAuditKey(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		plain, clock := newService(t, st)
		seedChain(t, plain)
		if err := plain.CheckAuditKey(ctx); err != nil {
			t.Fatalf("no key, no HMAC event: %v", err)
		}
		keyed := register.New(st, clock.Now).WithAuditKey(auditKey)
		if _, err := keyed.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Keyed Ltd", Criticality: "low"}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name    string
			svc     *register.Service
			missing bool
			ok      bool
		}{
			{"right key", keyed, false, true},
			{"wrong key", register.New(st, clock.Now).WithAuditKey(otherAuditKey), false, false},
			{"no key", plain, true, false},
		}
		for _, tc := range cases {
			err := tc.svc.CheckAuditKey(ctx)
			var keyErr *register.AuditKeyError
			if tc.ok {
				if err != nil {
					t.Errorf("%s: %v", tc.name, err)
				}
				continue
			}
			if !errors.As(err, &keyErr) || keyErr.Seq != 4 || keyErr.Missing != tc.missing {
				t.Errorf("%s: %v, want the newest HMAC event, 4", tc.name, err)
			}
		}
	})
}

func TestParseChainAnchor(t *testing.T) {
	h := strings.Repeat("ab", 32)
	for in, want := range map[string]string{"3:" + h: "3:" + h, " 12:" + strings.ToUpper(h) + "\n": "12:" + h, "0:" + register.GenesisHash: "0:" + register.GenesisHash} {
		a, err := register.ParseChainAnchor(in)
		if err != nil || a.String() != want {
			t.Errorf("%q: %v, %v", in, a, err)
		}
	}
	for _, bad := range []string{"", "3", h, "3:" + h[:63], "3:" + h + "0", "-1:" + h, "x:" + h, "3:" + strings.Repeat("g", 64), "3 " + h} {
		if _, err := register.ParseChainAnchor(bad); err == nil || !strings.Contains(err.Error(), "SEQ:HASH") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// auditRows reads the whole chain, oldest first.
func auditRows(t *testing.T, st *store.Store) []store.AuditEventRow {
	t.Helper()
	var rows []store.AuditEventRow
	err := st.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		rows, err = tx.ScanAudit(0, 1000)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// forge does what a database superuser without the key can: it edits event from
// (its actor name), then recomputes plain SHA-256 hashes and links from there to the
// end, labelling the rewritten events label, and moves the head to the new last hash.
func forge(t *testing.T, st *store.Store, from int64, label string) {
	t.Helper()
	rows := auditRows(t, st)
	var stmts []string
	prev := register.GenesisHash
	for _, r := range rows {
		if r.Seq >= from {
			if r.Seq == from {
				r.ActorName = "someone else"
			}
			r.PrevHash, r.HashAlgorithm = prev, label
			r.Hash = plainHash(r)
			stmts = append(stmts, fmt.Sprintf("UPDATE audit_events SET actor_name = '%s', prev_hash = '%s', hash = '%s', hash_algorithm = '%s' WHERE seq = %d",
				r.ActorName, r.PrevHash, r.Hash, r.HashAlgorithm, r.Seq))
		}
		prev = r.Hash
	}
	stmts = append(stmts, fmt.Sprintf("UPDATE audit_head SET hash = '%s'", prev))
	rewrite(t, st, stmts...)
}

// plainHash is SHA-256 over the documented canonical form (docs/operations.md).
func plainHash(r store.AuditEventRow) string {
	actor := ""
	if r.ActorKeyID != nil {
		actor = *r.ActorKeyID
	}
	canon, _ := json.Marshal([]any{r.Seq, r.ID, r.OccurredAt.UTC().Format(time.RFC3339Nano), actor, r.ActorName, r.Action,
		r.ResourceType, r.ResourceID, r.Changes, r.RequestID, r.ClientIP, r.PrevHash, r.HashAlgorithm})
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

// rewrite runs statements with the append-only triggers out of the way, as a
// database superuser could.
func rewrite(t *testing.T, st *store.Store, stmts ...string) {
	t.Helper()
	if st.Dialect() == store.Postgres {
		testdb.Exec(t, st, append(append([]string{"ALTER TABLE audit_events DISABLE TRIGGER USER"}, stmts...),
			"ALTER TABLE audit_events ENABLE TRIGGER USER")...)
		return
	}
	testdb.Exec(t, st, append([]string{"DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"}, stmts...)...)
}
