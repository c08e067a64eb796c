package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// runAPIKey runs `weaklink apikey create|list|revoke`. The command line acts with
// full rights; the audit trail records it as "system: apikey create" and so on.
func runAPIKey(ctx context.Context, inv *invocation, args []string) error {
	sub, rest, err := subcommand("apikey", args, "create", "list", "revoke")
	if err != nil {
		return err
	}
	cmd := "apikey " + sub
	fs := newFlags(cmd)
	var role, name, expires *string
	var want []string
	switch sub {
	case "create":
		role = fs.String("role", "", "admin, editor or viewer")
		name = fs.String("name", "", "what the key is for")
		expires = fs.String("expires", "", "optional expiry, RFC 3339")
	case "revoke":
		want = []string{"ID"}
	}
	pos, err := parse(cmd, fs, rest, want...)
	if err != nil {
		return err
	}
	a, err := inv.setup(ctx, schemaCurrent)
	if err != nil {
		return err
	}
	defer a.close()
	switch sub {
	case "create":
		in := register.NewAPIKey{Name: *name, Role: register.Role(*role)}
		if *expires != "" {
			t, err := time.Parse(time.RFC3339, *expires)
			if err != nil {
				return errors.New("--expires must be an RFC 3339 timestamp")
			}
			in.ExpiresAt = &t
		}
		_, secret, err := a.svc.CreateAPIKey(ctx, register.SystemActor(cmd), in)
		if err != nil {
			return err
		}
		fmt.Fprintln(inv.stdout, secret)
	case "list":
		return listAPIKeys(ctx, inv, a)
	case "revoke":
		return a.svc.RevokeAPIKey(ctx, register.SystemActor(cmd), pos[0], nil)
	}
	return nil
}

// listAPIKeys writes every key, page after page, as a table.
func listAPIKeys(ctx context.Context, inv *invocation, a *app) error {
	tw := tabwriter.NewWriter(inv.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tPREFIX\tEXPIRES\tLAST USED\tREVOKED")
	cursor := ""
	for {
		page, err := a.svc.ListAPIKeys(ctx, nil, cursor, register.MaxLimit)
		if err != nil {
			return err
		}
		for _, k := range page.Items {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, k.Prefix,
				fmtTime(k.ExpiresAt), fmtTime(k.LastUsedAt), fmtTime(k.RevokedAt))
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	return tw.Flush()
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
