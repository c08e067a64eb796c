package cli

import (
	"context"
	"log/slog"
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// riskUpkeepInterval is the longest serve waits between two passes of the risk
// projection's upkeep; it wakes sooner when a stored figure's valid_until comes
// first. Portfolio-relative flags of suppliers whose figures did not change may lag
// a date by at most this (docs/methodology.md).
const riskUpkeepInterval = 2 * time.Minute

// keepRiskCurrent runs the projection's upkeep at start and then until ctx ends:
// building it when it was never built, and recomputing the figures a date has
// changed, soon after each such moment.
func keepRiskCurrent(ctx context.Context, svc *register.Service, log *slog.Logger, now func() time.Time) {
	for {
		up, err := svc.KeepRiskCurrent(ctx)
		wait := riskUpkeepInterval
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Error("risk figures upkeep failed; retrying", "error", err, "retry_in", wait.String())
		default:
			if up.Built {
				log.Info("risk figures built")
			}
			if up.Refreshed > 0 {
				log.Info("risk figures brought up to date", "suppliers", up.Refreshed)
			}
			if up.Next != nil {
				wait = min(wait, max(time.Second, up.Next.Sub(now())+time.Second))
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
