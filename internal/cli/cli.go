// Package cli is weaklink's command line: it parses the arguments, reads the
// configuration, opens the store and builds the register service the same way for
// every command (setup.go), and runs one command (one file each). It is the only
// package that imports every other one; package main only turns signals into a
// context, embeds what go:embed cannot reach from here, and exits with the code Run
// returns.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// Exit codes of every command.
const (
	ExitOK      = 0 // the command did what was asked
	ExitFailure = 1 // the command ran and failed
	ExitUsage   = 2 // bad arguments or configuration: the command did not run
)

// Program is the command line, given what only package main has.
type Program struct {
	// Version is set at build time (-ldflags "-X main.version=…"); empty falls back
	// to the module version in the build information, else "dev".
	Version string
	// Spec is openapi.yaml, served by the API.
	Spec []byte
	// Now is the register's clock; nil is the system clock (tests set their own).
	Now func() time.Time
}

// Run runs one command line (the arguments after the program name) and returns the
// exit code. Ending ctx stops the command (serve shuts down gracefully, as on
// SIGTERM); getenv reads the configuration (os.Getenv in production); results go to
// stdout, and diagnostics, logs and usage errors to stderr.
func (p Program) Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	inv := &invocation{prog: p, getenv: getenv, stdout: stdout, stderr: stderr}
	return inv.exit(inv.dispatch(ctx, args))
}

// invocation is one run of the program: what main gave it and where output goes.
type invocation struct {
	prog           Program
	getenv         func(string) string
	stdout, stderr io.Writer
	cmd            string // the top-level command being run ("serve", "audit", …)
}

// command runs one top-level command with the arguments after its name.
type command func(ctx context.Context, inv *invocation, args []string) error

// commands maps each top-level command to the function in its own file.
var commands = map[string]command{
	"serve":   runServe,
	"migrate": runMigrate,
	"apikey":  runAPIKey,
	"import":  runImport,
	"export":  runExport,
	"report":  runReport,
	"audit":   runAudit,
	"risk":    runRisk,
	"demo":    runDemo,
	"version": runVersion,
	"help":    runHelp,
}

func (inv *invocation) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return &usageError{} // the whole usage, on stderr
	}
	name := args[0]
	if isHelpFlag(name) {
		name = "help"
	}
	run, ok := commands[name]
	if !ok {
		return &usageError{msg: fmt.Sprintf("unknown command %q", args[0])}
	}
	inv.cmd = name
	return run(ctx, inv, args[1:])
}

// usageError is a command line that cannot run as typed (an unknown command, flag
// or subcommand, a missing or stray argument): exit 2, with the usage of cmd ("" for
// the whole program) on stderr.
type usageError struct{ cmd, msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(cmd, format string, a ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, a...)}
}

// helpRequest is -h or --help: the usage of cmd on stdout, exit 0.
type helpRequest struct {
	cmd   string
	flags *flag.FlagSet // the command's flags; nil for a group
}

func (e *helpRequest) Error() string { return "help requested" }

// configError is a configuration that does not load or contradicts itself: exit 2.
type configError struct{ err error }

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

// exit reports err the way its kind asks for and returns the exit code.
func (inv *invocation) exit(err error) int {
	var (
		help  *helpRequest
		usage *usageError
		cfg   *configError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &help):
		writeCommandHelp(inv.stdout, help.cmd, help.flags)
		return ExitOK
	case errors.As(err, &usage):
		if usage.cmd == "" {
			if usage.msg != "" {
				fmt.Fprintf(inv.stderr, "weaklink: %s\n\n", usage.msg)
			}
			writeHelp(inv.stderr)
			return ExitUsage
		}
		fmt.Fprintf(inv.stderr, "weaklink %s: %s\n\n", usage.cmd, usage.msg)
		writeCommandHelp(inv.stderr, usage.cmd, nil)
		fmt.Fprintln(inv.stderr, "\nRun 'weaklink help' for every command and configuration variable.")
		return ExitUsage
	case errors.As(err, &cfg):
		fmt.Fprintln(inv.stderr, "configuration:", cfg.err)
		return ExitUsage
	default:
		fmt.Fprintln(inv.stderr, "error:", err)
		return ExitFailure
	}
}
