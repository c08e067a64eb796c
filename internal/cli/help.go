package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/weaklink/weaklink/internal/config"
)

// usageEntry is one line (or a few) of the usage text.
type usageEntry struct {
	cmd      string // the command it describes: "serve", "apikey create"
	synopsis string
	summary  string // lines separated by "\n"
}

// usage is the usage text in the order `weaklink help` prints it; README.md's
// "Commands" block is the same text (a test holds them together).
var usage = []usageEntry{
	{"serve", "weaklink serve [--addr ADDR] [--no-migrate] [--demo]", "run the HTTP API; applies pending migrations first\nunless WEAKLINK_AUTO_MIGRATE=false or --no-migrate;\n--demo loads the demo register into a database with\nno suppliers (as demo load does) or serves it again"},
	{"migrate", "weaklink migrate up|down|status", "manage the database schema; up creates a new\nSQLite file"},
	{"apikey create", "weaklink apikey create --role ROLE --name NAME [--expires RFC3339]", "create a key; prints only the secret on stdout"},
	{"apikey list", "weaklink apikey list", "list keys (never their secrets)"},
	{"apikey revoke", "weaklink apikey revoke ID", "revoke a key"},
	{"import", "weaklink import FILE [--dry-run]", "import suppliers and data holdings from a .csv or\n.xlsx file, all or nothing; prints what changed"},
	{"export", "weaklink export [--format csv|xlsx] [-o FILE]", "write the register in the import layout\n(to stdout without -o)"},
	{"report generate", "weaklink report generate [--quarter 2026-Q4] [--regenerate]", "store the quarterly report (the stored one if it exists)"},
	{"report render", "weaklink report render ID [--format json|html|pdf|xlsx|csv] [-o FILE]", "write a stored report (JSON to stdout by default)"},
	{"audit verify", "weaklink audit verify [--expect SEQ:HASH]", "check the audit trail's hash chain and that a\nhead recorded earlier is still in it"},
	{"audit head", "weaklink audit head", "print the audit trail's head, SEQ:HASH, to record\nelsewhere"},
	{"risk verify", "weaklink risk verify", "recompute every supplier's risk figures from scratch\nand report any that differ from the stored ones"},
	{"risk rebuild", "weaklink risk rebuild", "recompute and store every supplier's risk figures\n(after a methodology or configuration change)"},
	{"demo load", "weaklink demo load [--date YYYY-MM-DD]", "fill a database with no suppliers with the demo\nregister of a fictional membership organisation,\nas of the date (default today); prints an admin key;\nwith no database configured, in ./weaklink-demo.db"},
	{"demo generate", "weaklink demo generate --suppliers N --seed S [--now RFC3339]", "fill an empty register with N fictional suppliers,\nthe same for the same N, S and time; migrates a\ndatabase that has no tables yet"},
	{"version", "weaklink version", "print the version"},
	{"help", "weaklink help [COMMAND]", "print this help, or one command's (also -h, --help)"},
}

// summaryColumn is where summaries start; a longer synopsis gets a line of its own.
const summaryColumn = 40

// writeUsage writes the usage entries for which keep is true.
func writeUsage(w io.Writer, keep func(usageEntry) bool) {
	for _, e := range usage {
		if !keep(e) {
			continue
		}
		lines := strings.Split(e.summary, "\n")
		if len(e.synopsis) <= summaryColumn-2 {
			fmt.Fprintf(w, "%-*s%s\n", summaryColumn, e.synopsis, lines[0])
			lines = lines[1:]
		} else {
			fmt.Fprintln(w, e.synopsis)
		}
		for _, l := range lines {
			fmt.Fprintf(w, "%*s%s\n", summaryColumn, "", l)
		}
	}
}

// writeHelp writes the whole help: every command, the exit codes and the
// configuration variables with their defaults.
func writeHelp(w io.Writer) {
	fmt.Fprint(w, "weaklink — third-party supplier risk register\n\nCommands:\n\n")
	writeUsage(w, func(usageEntry) bool { return true })
	fmt.Fprint(w, `
Flags and arguments may come in any order; "--" ends the flags.
Exit codes: 0 done; 1 the command failed; 2 bad usage or configuration (nothing was done).
Only serve (unless told not to migrate) and migrate change the database schema, and
demo load and generate migrate a database that has no tables yet; other commands stop
when it is behind (run weaklink migrate up) or the SQLite file is missing.

Configuration comes from the environment (variable, default, meaning):
`)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, v := range config.Vars {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, v.Default, v.Meaning)
	}
	_ = tw.Flush()
}

// describes reports whether e documents cmd, a group containing it ("report" for
// "report render"), or the command cmd belongs to ("migrate" for "migrate up").
func describes(e usageEntry, cmd string) bool {
	return e.cmd == cmd || strings.HasPrefix(e.cmd, cmd+" ") || strings.HasPrefix(cmd, e.cmd+" ")
}

// writeCommandHelp writes the usage of one command or group and, when given, its flags.
func writeCommandHelp(w io.Writer, cmd string, fs *flag.FlagSet) {
	fmt.Fprint(w, "Usage:\n")
	writeUsage(w, func(e usageEntry) bool { return describes(e, cmd) })
	hasFlags := false
	if fs != nil {
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	}
	if hasFlags {
		fmt.Fprint(w, "\nFlags (-name or --name):\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// runHelp runs `weaklink help [COMMAND]` (also -h and --help): usage on stdout.
func runHelp(_ context.Context, inv *invocation, args []string) error {
	pos, err := parse("help", newFlags("help"), args, "[COMMAND]")
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		writeHelp(inv.stdout)
		return nil
	}
	for _, e := range usage {
		if strings.Fields(e.cmd)[0] == pos[0] {
			writeCommandHelp(inv.stdout, pos[0], nil)
			return nil
		}
	}
	return usageErrorf("help", "unknown command %q", pos[0])
}
