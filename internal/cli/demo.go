package cli

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/weaklink/weaklink/internal/demo"
)

// runDemo runs `weaklink demo load|generate`.
func runDemo(ctx context.Context, inv *invocation, args []string) error {
	sub, rest, err := subcommand("demo", args, "load", "generate")
	if err != nil {
		return err
	}
	if sub == "load" {
		return runDemoLoad(ctx, inv, rest)
	}
	return generateDemo(ctx, inv, rest)
}

// generateDemo runs `weaklink demo generate --suppliers N --seed S [--now RFC3339]`:
// on a database with no tables it migrates first; a register with suppliers is
// refused (exit 1).
func generateDemo(ctx context.Context, inv *invocation, args []string) error {
	const cmd = "demo generate"
	fs := newFlags(cmd)
	suppliers := fs.Int("suppliers", 0, fmt.Sprintf("how many suppliers, %d to %d (required)", demo.MinSuppliers, demo.MaxSuppliers))
	seed := fs.Uint64("seed", 0, "any whole number from 0: the same seed, count and time give the same register (required)")
	nowFlag := fs.String("now", "", "the time the register describes, RFC 3339 (default: now); every event lies before it")
	if _, err := parse(cmd, fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case !set["suppliers"]:
		return usageErrorf(cmd, "--suppliers is required")
	case *suppliers < demo.MinSuppliers || *suppliers > demo.MaxSuppliers:
		return usageErrorf(cmd, "--suppliers must be between %d and %d", demo.MinSuppliers, demo.MaxSuppliers)
	case !set["seed"]:
		return usageErrorf(cmd, "--seed is required")
	}
	now := time.Now
	if inv.prog.Now != nil {
		now = inv.prog.Now
	}
	at := now().UTC().Truncate(time.Second)
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usageErrorf(cmd, "--now must be an RFC 3339 timestamp such as 2026-11-02T09:00:00Z")
		}
		at = t.UTC()
	}
	a, err := inv.setup(ctx, schemaPopulate)
	if err != nil {
		return err
	}
	defer a.close()
	if a.migrated > 0 {
		fmt.Fprintf(inv.stdout, "applied %d migration(s)\n", a.migrated)
	}
	started := time.Now() // elapsed wall time, whatever the register's clock
	sum, err := demo.Generate(ctx, a.store, a.service, demo.Options{Suppliers: *suppliers, Seed: *seed, Now: at})
	if err != nil {
		return err
	}
	fmt.Fprintf(inv.stdout, "generated a demo register as of %s (seed %d):\n", at.Format(time.RFC3339Nano), *seed)
	tw := tabwriter.NewWriter(inv.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  suppliers\t%d\n", sum.Suppliers)
	fmt.Fprintf(tw, "  data holdings\t%d\n", sum.Holdings)
	fmt.Fprintf(tw, "  sub-processor links\t%d\n", sum.Links)
	fmt.Fprintf(tw, "  assessments\t%d (%d approved, %d submitted, %d rejected, %d draft)\n", sum.AssessmentCount(),
		sum.Assessments["approved"], sum.Assessments["submitted"], sum.Assessments["rejected"], sum.Assessments["draft"])
	fmt.Fprintf(tw, "  incidents\t%d (%d open)\n", sum.Incidents, sum.OpenIncidents)
	fmt.Fprintf(tw, "  elapsed\t%s\n", time.Since(started).Round(time.Millisecond))
	return tw.Flush()
}
