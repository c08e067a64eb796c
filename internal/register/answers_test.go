package register_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// A reader of an exposure answer that leaves while the answer is computed gets its
// context's error at once, while the computation goes on and is kept for the next
// reader, which computes nothing again.
func TestAKeptAnswerOutlivesTheReaderWhoLeft(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			var catalogueReads atomic.Int64
			var leave atomic.Pointer[context.CancelFunc]
			released := make(chan struct{}) // holds the computation until the reader has left
			st := testdb.OpenWith(t, d, func(o *store.Options) {
				o.AfterStatement = func(_ context.Context, table string) {
					if table != "data_categories" {
						return
					}
					catalogueReads.Add(1)
					if cancel := leave.Swap(nil); cancel != nil {
						(*cancel)()
						<-released
					}
				}
			})
			ctx := context.Background()
			svc := register.New(st, testdb.NewClock(t0).Now)
			s, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Quayside Mail", Criticality: "high"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.CreateHolding(ctx, editor, s.ID, register.HoldingFields{Category: "political_opinions",
				DataSubjects: []string{"members"}, RecordCount: ptrTo(int64(600_000)), Purpose: "mailings"}); err != nil {
				t.Fatal(err)
			}

			reader, cancel := context.WithCancel(ctx)
			defer cancel()
			leave.Store(&cancel)
			catalogueReads.Store(0)
			f := register.ExposureFilter{Category: "political_opinions"}
			_, err = svc.Exposure(reader, f)
			close(released)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("the reader who left got %v, want context.Canceled", err)
			}
			e, err := svc.Exposure(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if e.DirectSuppliers != 1 || e.Records != 600_000 {
				t.Fatalf("exposure %+v", e)
			}
			if n := catalogueReads.Load(); n != 1 {
				t.Fatalf("the catalogue was read %d times: the answer was computed again, not kept", n)
			}
		})
	}
}
