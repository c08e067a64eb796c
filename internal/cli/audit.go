package cli

import (
	"context"
	"fmt"
)

// runAudit runs `weaklink audit verify`: it walks the audit trail's hash chain and
// fails (exit 1) at the first event that does not verify.
func runAudit(ctx context.Context, inv *invocation, args []string) error {
	sub, rest, err := subcommand("audit", args, "verify")
	if err != nil {
		return err
	}
	if _, err := parse("audit "+sub, newFlags("audit "+sub), rest); err != nil {
		return err
	}
	a, err := inv.setup(ctx, schemaCurrent)
	if err != nil {
		return err
	}
	defer a.close()
	rep, err := a.svc.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(inv.stdout, "audit trail intact: %d events, head %d %s\n", rep.Events, rep.HeadSeq, rep.HeadHash)
	return nil
}
