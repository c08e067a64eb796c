package cli

import (
	"errors"
	"flag"
	"io"
	"strings"
)

// newFlags returns an empty flag set for cmd ("report render"); parse reports its
// errors, so the set itself prints nothing.
func newFlags(cmd string) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses the arguments of cmd, the one parser every command uses: flags
// defined on fs and positional arguments may come in any order ("report render
// --format pdf ID" and "report render ID --format pdf" are the same), "--" ends the
// flags, and a flag is written -name or --name. want names the positional arguments
// cmd takes, all required; they are returned in order. An unknown flag, a missing
// or stray argument is a *usageError (exit 2); -h, -help or --help a *helpRequest.
// A name in brackets ("[COMMAND]") is optional; optional names come last.
func parse(cmd string, fs *flag.FlagSet, args []string, want ...string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpRequest{cmd: cmd, flags: fs}
			}
			return nil, &usageError{cmd: cmd, msg: err.Error()}
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...) // after "--" everything is an argument
			break
		}
		if len(rest) == 0 {
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	required := 0
	for _, w := range want {
		if !strings.HasPrefix(w, "[") {
			required++
		}
	}
	switch {
	case len(pos) < required:
		return nil, usageErrorf(cmd, "missing %s", want[len(pos)])
	case len(pos) > len(want):
		return nil, usageErrorf(cmd, "unexpected argument %q", pos[len(want)])
	}
	return pos, nil
}

// subcommand splits the subcommand of a group ("apikey create", "report render")
// from its arguments; names lists the group's subcommands.
func subcommand(group string, args []string, names ...string) (string, []string, error) {
	if len(args) == 0 {
		return "", nil, usageErrorf(group, "missing subcommand: %s", strings.Join(names, ", "))
	}
	if isHelpFlag(args[0]) {
		return "", nil, &helpRequest{cmd: group}
	}
	for _, n := range names {
		if args[0] == n {
			return n, args[1:], nil
		}
	}
	return "", nil, usageErrorf(group, "unknown subcommand %q", args[0])
}

func isHelpFlag(a string) bool { return a == "-h" || a == "-help" || a == "--help" }
