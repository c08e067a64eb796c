// Command browser is weaklink's browser check: the product binary serving the demo
// register (`weaklink serve --demo`), driven by headless Chromium through the
// DevTools protocol (chromedp). It checks the interactive API reference, the
// quarterly report and the supplier portal as a person would see and use them, on
// the browser's own events, and saves their screenshots. `.ci/browser/run` builds
// the binary and runs this program; CI runs it, and `make screenshots` writes the
// images into docs/.
//
// It talks to 127.0.0.1 only (the portal's "webmail" page, another site to the
// browser, is http://localhost:<port>, served on 127.0.0.1), every wait has a
// deadline, and the whole run is bounded by --timeout. It exits 0 when every check
// passed, 1 when one failed and 2 on a usage error.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the arguments, runs the check and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseOptions(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if err := check(ctx, opts, stdout); err != nil {
		fmt.Fprintf(stderr, "FAIL: browser check: %v\n", err)
		return 1
	}
	return 0
}
