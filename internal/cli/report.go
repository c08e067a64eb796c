package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// runReport runs `weaklink report generate|render`.
func runReport(ctx context.Context, inv *invocation, args []string) error {
	sub, rest, err := subcommand("report", args, "generate", "render")
	if err != nil {
		return err
	}
	if sub == "render" {
		return renderReport(ctx, inv, rest)
	}
	return generateReport(ctx, inv, rest)
}

// generateReport runs `weaklink report generate [--quarter 2026-Q4] [--regenerate]`.
func generateReport(ctx context.Context, inv *invocation, args []string) error {
	fs := newFlags("report generate")
	quarter := fs.String("quarter", "", "calendar quarter such as 2026-Q4: the current one (the default), or the one just ended, up to 31 days after its end")
	regenerate := fs.Bool("regenerate", false, "store a new revision even if the quarter has a report")
	if _, err := parse("report generate", fs, args); err != nil {
		return err
	}
	a, err := inv.setup(ctx, schemaCurrent)
	if err != nil {
		return err
	}
	defer a.close()
	r, created, err := a.reports.GenerateReport(ctx, register.SystemActor("report generate"), *quarter, *regenerate)
	if e, ok := register.AsError(err); ok && e.Code == register.CodeInvalid && len(e.Fields) == 1 && e.Fields[0].Field == "quarter" {
		return fmt.Errorf("report generate: --quarter %s: %s", *quarter, e.Fields[0].Message)
	}
	if err != nil {
		return err
	}
	state := "stored"
	if !created {
		state = "already stored"
	}
	fmt.Fprintf(inv.stdout, "%s %s revision %d (%s): %s\n", r.Snapshot.Quarter, state, r.Snapshot.Revision,
		r.Snapshot.AsOf.Format(time.RFC3339), r.Snapshot.ID)
	return nil
}

// renderReport runs `weaklink report render ID [--format …] [-o FILE]`.
func renderReport(ctx context.Context, inv *invocation, args []string) error {
	fs := newFlags("report render")
	format := fs.String("format", "json", "json, html, pdf, xlsx or csv")
	out := fs.String("o", "", "file to write, readable by its owner only (default: standard output)")
	pos, err := parse("report render", fs, args, "ID")
	if err != nil {
		return err
	}
	a, err := inv.setup(ctx, schemaCurrent)
	if err != nil {
		return err
	}
	defer a.close()
	// Render (reads only), deliver, and only then record the download: the audit
	// trail never shows a download that did not happen.
	r, err := a.reports.RenderReport(ctx, pos[0], *format)
	if err != nil {
		return err
	}
	if err := writeOutput(inv.stdout, *out, r.Body); err != nil {
		return fmt.Errorf("report render: %w", err)
	}
	return a.reports.RecordReportDownload(ctx, register.SystemActor("report render"), r.Report.Snapshot.ID, r.Format)
}
