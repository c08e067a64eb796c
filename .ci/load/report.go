package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
)

// runReport times one POST /api/v1/reports (a new revision of the current quarter)
// and records the service's peak resident set (VmHWM) at its end (restart the service first so that the peak is the report's).
func runReport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	var l labels
	var a apiFlags
	registerLabels(fs, &l)
	a.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cl, err := a.client(1)
	if err != nil {
		return err
	}
	before := 0.0
	if l.rssPID > 0 {
		if before, err = peakRSS(l.rssPID); err != nil {
			return err
		}
	}
	ans, err := cl.do(ctx, "POST", "/api/v1/reports", map[string]any{"regenerate": true}, nil)
	if err != nil {
		return fmt.Errorf("POST /api/v1/reports: %w", err)
	}
	r := Result{Database: l.database, N: l.n, Kind: "report", Name: "POST /reports", Requests: 1,
		Seconds: ans.took.Seconds(), P50: ms(ans.took), P99: ms(ans.took), Max: ms(ans.took),
		Statuses: map[string]int{strconv.Itoa(ans.status): 1}}
	if l.rssPID > 0 {
		if r.RSS, err = peakRSS(l.rssPID); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "report     %-8s n=%-6d %d in %.2f s; peak RSS %.0f MiB (%.0f MiB before it)\n",
		l.database, l.n, ans.status, ans.took.Seconds(), r.RSS, before)
	if ans.status/100 != 2 {
		fmt.Fprintf(os.Stderr, "report answer: %s\n", ans.body)
	}
	return appendResult(l.results, r)
}
