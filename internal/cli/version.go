package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

// runVersion runs `weaklink version`.
func runVersion(_ context.Context, inv *invocation, args []string) error {
	if _, err := parse("version", newFlags("version"), args); err != nil {
		return err
	}
	fmt.Fprintln(inv.stdout, "weaklink", inv.prog.version())
	return nil
}

// version is the version set at build time, else the module's, else "dev".
func (p Program) version() string {
	if p.Version != "" {
		return p.Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
