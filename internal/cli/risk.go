package cli

import (
	"context"
	"errors"
	"fmt"
)

// runRisk runs `weaklink risk verify` and `weaklink risk rebuild`.
func runRisk(ctx context.Context, inv *invocation, args []string) error {
	sub, rest, err := subcommand("risk", args, "verify", "rebuild")
	if err != nil {
		return err
	}
	if _, err := parse("risk "+sub, newFlags("risk "+sub), rest); err != nil {
		return err
	}
	a, err := inv.setup(ctx, schemaCurrent)
	if err != nil {
		return err
	}
	defer a.close()
	if sub == "rebuild" {
		n, err := a.svc.RebuildRisk(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(inv.stdout, "risk figures rebuilt: %d suppliers\n", n)
		return nil
	}
	v, err := a.svc.RiskVerify(ctx)
	if err != nil {
		return err
	}
	for _, d := range v.Differences {
		fmt.Fprintf(inv.stdout, "differs: %s %q: %s\n", d.SupplierID, d.Name, d.What)
	}
	if v.Statistics {
		fmt.Fprintln(inv.stdout, "differs: the portfolio statistics")
	}
	if len(v.Differences) > 0 || v.Statistics {
		return errors.New("the stored risk figures differ from a computation from scratch; run `weaklink risk rebuild`")
	}
	fmt.Fprintf(inv.stdout, "risk figures match a computation from scratch: %d suppliers", v.Suppliers)
	if v.Awaiting > 0 {
		fmt.Fprintf(inv.stdout, " (%d more awaiting their date-driven refresh)", v.Awaiting)
	}
	fmt.Fprintln(inv.stdout)
	return nil
}
