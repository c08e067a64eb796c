package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/weaklink/weaklink/internal/register"
)

// runAudit runs `weaklink audit verify [--expect SEQ:HASH]…` and `weaklink audit head`.
func runAudit(ctx context.Context, inv *invocation, args []string) error {
	sub, rest, err := subcommand("audit", args, "verify", "head")
	if err != nil {
		return err
	}
	fs := newFlags("audit " + sub)
	var anchors []register.ChainAnchor
	if sub == "verify" {
		fs.Func("expect", "a head recorded earlier, SEQ:HASH (as `audit head` prints); repeatable", func(s string) error {
			a, err := register.ParseChainAnchor(s)
			anchors = append(anchors, a)
			return err // a malformed value is a usage error: exit 2
		})
	}
	if _, err := parse("audit "+sub, fs, rest); err != nil {
		return err
	}
	a, err := inv.setup(ctx, schemaCurrent)
	if err != nil {
		return err
	}
	defer a.close()
	if sub == "head" {
		head, err := a.svc.AuditHead(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(inv.stdout, head)
		return nil
	}
	return auditVerify(ctx, inv, a, anchors)
}

// auditVerify walks the audit trail's hash chain and fails (exit 1) at the first
// event that does not verify, or at a recorded head that is no longer in the chain.
func auditVerify(ctx context.Context, inv *invocation, a *app, anchors []register.ChainAnchor) error {
	rep, err := a.svc.VerifyAudit(ctx, anchors...)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "audit trail intact: %d events, head %d %s", rep.Events, rep.HeadSeq, rep.HeadHash)
	switch {
	case rep.HMACFrom > 0:
		fmt.Fprintf(&b, ", %s from event %d", register.HashHMACSHA256, rep.HMACFrom)
	case len(a.cfg.AuditKey) > 0:
		fmt.Fprintf(&b, ", no event hashed with %s yet", register.HashHMACSHA256)
	}
	for _, an := range anchors {
		fmt.Fprintf(&b, ", recorded head %d found", an.Seq)
	}
	fmt.Fprintln(inv.stdout, b.String())
	return nil
}
