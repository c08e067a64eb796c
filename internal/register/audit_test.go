package register_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

var editor = register.Actor{KeyID: "01900000-0000-7000-8000-000000000001", Name: "procurement", Role: register.RoleEditor}

func newService(t *testing.T, st *store.Store) (*register.Service, *testdb.Clock) {
	clock := testdb.NewClock(t0)
	return register.New(st, clock.Now), clock
}

// seedChain writes a few audited changes: create, update, archive.
func seedChain(t *testing.T, svc *register.Service) register.Supplier {
	t.Helper()
	ctx := context.Background()
	s, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Quayside Mail", Criticality: "high"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Harbour Print", Criticality: "low"}); err != nil {
		t.Fatal(err)
	}
	s, err = svc.PatchSupplier(ctx, editor, s.ID, nil, func(cur register.Supplier) (register.SupplierFields, error) {
		f := cur.SupplierFields
		f.Criticality = "critical"
		return f, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAuditEventPerMutationWithChanges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		s := seedChain(t, svc)
		ctx := context.Background()
		page, err := svc.ListAudit(ctx, register.AuditFilter{ResourceID: s.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 {
			t.Fatalf("%d events for the supplier, want create + update", len(page.Items))
		}
		upd := page.Items[0]
		if upd.Action != register.ActionUpdate || upd.ActorKeyID != editor.KeyID || upd.ActorName != "procurement" {
			t.Fatalf("update event: %+v", upd)
		}
		if len(upd.Changes) != 1 || upd.Changes["criticality"].Before != "high" || upd.Changes["criticality"].After != "critical" {
			t.Fatalf("update changes = %+v, want only criticality high→critical", upd.Changes)
		}
		if !upd.OccurredAt.Equal(t0) {
			t.Fatalf("occurred_at %v, want the injected clock %v", upd.OccurredAt, t0)
		}
		// A patch that changes nothing writes no version and no event.
		same, err := svc.PatchSupplier(ctx, editor, s.ID, nil, func(cur register.Supplier) (register.SupplierFields, error) {
			return cur.SupplierFields, nil
		})
		if err != nil || same.Version != s.Version {
			t.Fatalf("no-op patch: version %d, %v", same.Version, err)
		}
		all, _ := svc.ListAudit(ctx, register.AuditFilter{})
		if len(all.Items) != 3 {
			t.Fatalf("%d events in all, want 3", len(all.Items))
		}
	})
}

func TestAuditChainVerifiesAndDetectsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, st *store.Store)
		want   string
	}{
		{"intact", func(*testing.T, *store.Store) {}, ""},
		{"edited event", func(t *testing.T, st *store.Store) {
			withoutGuards(t, st, "UPDATE audit_events SET actor_name = 'someone else' WHERE seq = 2")
		}, "edited"},
		{"deleted event in the middle", func(t *testing.T, st *store.Store) {
			withoutGuards(t, st, "DELETE FROM audit_events WHERE seq = 2")
		}, "missing"},
		{"deleted newest event", func(t *testing.T, st *store.Store) {
			withoutGuards(t, st, "DELETE FROM audit_events WHERE seq = 3")
		}, "deleted from the end"},
		{"rehashed event breaks the link", func(t *testing.T, st *store.Store) {
			withoutGuards(t, st, "UPDATE audit_events SET prev_hash = hash WHERE seq = 3")
		}, "link"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, st *store.Store) {
				svc, _ := newService(t, st)
				seedChain(t, svc)
				tc.tamper(t, st)
				rep, err := svc.VerifyAudit(context.Background())
				if tc.want == "" {
					if err != nil || rep.Events != 3 || rep.HeadSeq != 3 || len(rep.HeadHash) != 64 {
						t.Fatalf("verify = %+v, %v", rep, err)
					}
					return
				}
				var broken *register.ChainBroken
				if !errors.As(err, &broken) || !strings.Contains(broken.Reason, tc.want) {
					t.Fatalf("verify error = %v, want a broken chain mentioning %q", err, tc.want)
				}
			})
		})
	}
}

// The database itself refuses to edit or delete audit events.
func TestAuditEventsAreAppendOnly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		seedChain(t, svc)
		for _, stmt := range []string{"UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"} {
			if err := tryExec(st, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err = %v, want the append-only trigger to refuse", stmt, err)
			}
		}
	})
}

// If the audit event cannot be written, the change it describes is rolled back.
func TestFailedAuditWriteRollsBackTheChange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		testdb.Exec(t, st, "DELETE FROM audit_head")
		_, err := svc.CreateSupplier(context.Background(), editor, register.SupplierFields{Name: "Ghost Ltd", Criticality: "low"})
		if err == nil {
			t.Fatal("create succeeded without an audit head")
		}
		page, err := svc.ListSuppliers(context.Background(), register.SupplierFilter{IncludeArchived: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 0 {
			t.Fatalf("%d suppliers stored although their audit event failed", len(page.Items))
		}
	})
}

func withoutGuards(t *testing.T, st *store.Store, stmt string) {
	t.Helper()
	if st.Dialect() == store.Postgres {
		testdb.Exec(t, st, "ALTER TABLE audit_events DISABLE TRIGGER USER", stmt, "ALTER TABLE audit_events ENABLE TRIGGER USER")
		return
	}
	testdb.Exec(t, st, "DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete", stmt)
}

func tryExec(st *store.Store, stmt string) error { return testdb.TryExec(st, stmt) }
