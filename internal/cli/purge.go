package cli

import (
	"context"
	"log/slog"
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// purgeInterval is how often serve deletes what has expired: Idempotency-Key
// records (they live register.IdempotencyTTL, so at most an hour more), ended
// supplier portal sessions (they cannot be used once ended; purging only keeps the
// table small), and evidence uploads a crash left incomplete (never listed).
const purgeInterval = time.Hour

// purgeExpired deletes expired Idempotency-Key records, ended portal sessions and
// incomplete evidence uploads at start and then every purgeInterval until ctx ends.
// Replicas may each run it: a deletion is idempotent.
func purgeExpired(ctx context.Context, svc *register.Service, log *slog.Logger) {
	for {
		for _, p := range []struct {
			what  string
			purge func(context.Context) (int64, error)
		}{{"expired idempotency keys", svc.PurgeIdempotencyKeys}, {"ended portal sessions", svc.PurgePortalSessions},
			{"evidence uploads left incomplete", svc.PurgeStaleEvidence}} {
			n, err := p.purge(ctx)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				log.Error("purging "+p.what+" failed; retrying", "error", err, "retry_in", purgeInterval.String())
			case n > 0:
				log.Info("purged "+p.what, "count", n)
			}
		}
		t := time.NewTimer(purgeInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
