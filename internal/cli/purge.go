package cli

import (
	"context"
	"log/slog"
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// idempotencyPurgeInterval is how often serve deletes expired Idempotency-Key
// records: they live register.IdempotencyTTL, so at most an hour more.
const idempotencyPurgeInterval = time.Hour

// purgeIdempotencyKeys deletes expired Idempotency-Key records at start and then
// every idempotencyPurgeInterval until ctx ends. Replicas may each run it: a
// deletion is idempotent.
func purgeIdempotencyKeys(ctx context.Context, svc *register.Service, log *slog.Logger) {
	for {
		n, err := svc.PurgeIdempotencyKeys(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Error("purging expired idempotency keys failed; retrying", "error", err,
				"retry_in", idempotencyPurgeInterval.String())
		case n > 0:
			log.Info("purged expired idempotency keys", "count", n)
		}
		t := time.NewTimer(idempotencyPurgeInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
