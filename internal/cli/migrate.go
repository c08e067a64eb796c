package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
)

// runMigrate runs `weaklink migrate up|down|status`. up creates a SQLite file that
// does not exist yet (that is its job); status and down need an existing database
// and say so, creating nothing, when the file is missing.
func runMigrate(ctx context.Context, inv *invocation, args []string) error {
	sub, rest, err := subcommand("migrate", args, "up", "down", "status")
	if err != nil {
		return err
	}
	if _, err := parse("migrate "+sub, newFlags("migrate "+sub), rest); err != nil {
		return err
	}
	use := schemaAsIs
	if sub == "up" {
		use = schemaMigrate
	}
	a, err := inv.setup(ctx, use)
	if err != nil {
		return err
	}
	defer a.close()
	switch sub {
	case "up":
		fmt.Fprintf(inv.stdout, "applied %d migration(s)\n", a.migrated)
	case "down":
		v, err := a.store.MigrateDown(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(inv.stdout, "rolled back migration %d\n", v)
	case "status":
		states, err := a.store.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(inv.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tSTATE\tSOURCE")
		for _, s := range states {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\n", s.Version, state, s.Source)
		}
		return tw.Flush()
	}
	return nil
}
