// Command scenario is the end-to-end contract check: it starts the real weaklink
// binary on a fresh SQLite database and Prism's validation proxy (prism proxy
// openapi.yaml … --errors) in front of it, drives every operation of openapi.yaml at
// least once with its success status, and each of 400, 401, 403, 404, 409, 412, 413,
// 415 and 429 at least once, and fails on any violation Prism reports, on any
// operation of the contract the scenario did not drive, and on any unexpected status.
// It then runs the generated Go and TypeScript clients (--go-client, --ts-client)
// against the proxy. Everything listens on 127.0.0.1; every loop is bounded.
//
// Two proxies run: "strict" validates requests and responses (the scenario's
// well-formed traffic and the clients); "lenient" (--validate-request false) lets the
// deliberately bad requests through to the service, so that the service's 4xx
// answers are what Prism checks against the contract. Three kinds of call bypass
// both (call.direct), and the report lists every operation reached so, with why:
// Prism's proxy follows redirects (stoplightio/prism#1977), so the 303s of
// postPortalForm (a save, an upload, a submit) and postPortalSheetPage are asked of
// the service itself and their Location checked by the scenario, their error
// answers still going through Prism; Prism's proxy answers any request body over
// 10 MB with a 413 of its own, so uploadEvidence's 413 (a file over 20 MiB) is
// asked of the service itself; and binary bodies, below.
//
// Prism's proxy carries request bodies and non-JSON response bodies as UTF-8 text,
// whatever their Content-Type, changing any bytes that are not valid UTF-8. So the
// evidence files sent through it are ASCII (a PDF, a text file) and their
// downloads are compared byte for byte with what was uploaded. The questionnaire
// workbooks (XLSX, binary) are downloaded twice: through Prism, which checks status
// and headers (the body arriving changed), and from the service itself, where the
// scenario reads the workbook. Uploads go through Prism packed so that all their
// bytes are valid UTF-8 (asUTF8), except the downloaded bytes sent back unchanged
// and the page's upload (its 303), which go to the service itself.
//
// Later issues extend the scenario (steps.go) to their operations: the check fails
// until every operation is driven.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "the weaklink binary")
	flag.StringVar(&o.spec, "spec", "openapi.yaml", "the contract")
	flag.StringVar(&o.prism, "prism", "node_modules/.bin/prism", "Prism's command")
	flag.StringVar(&o.goClient, "go-client", "", "the compiled Go client check (optional)")
	flag.StringVar(&o.tsClient, "ts-client", "", "the compiled TypeScript client check, a .js file run with node (optional)")
	flag.DurationVar(&o.timeout, "timeout", 5*time.Minute, "limit for the whole check")
	flag.Parse()
	if o.bin == "" {
		fmt.Fprintln(os.Stderr, "usage: scenario --bin weaklink [--spec openapi.yaml] [--prism prism] [--go-client bin] [--ts-client file.js]")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	start := time.Now()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL:", err)
		os.Exit(1)
	}
	fmt.Printf("contract scenario passed in %s\n", time.Since(start).Round(time.Second))
}

type options struct {
	bin, spec, prism, goClient, tsClient string
	timeout                              time.Duration
}

func run(ctx context.Context, o options) error {
	dir, err := os.MkdirTemp("", "weaklink-scenario-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	ops, err := readOperations(o.spec)
	if err != nil {
		return err
	}
	svc, err := startService(ctx, o.bin, dir)
	if err != nil {
		return err
	}
	defer svc.stop()

	strict, err := startPrism(ctx, o.prism, o.spec, "http://"+svc.addr, filepath.Join(dir, "prism-strict.log"), true)
	if err != nil {
		return err
	}
	defer strict.stop()
	lenient, err := startPrism(ctx, o.prism, o.spec, "http://"+svc.addr, filepath.Join(dir, "prism-lenient.log"), false)
	if err != nil {
		return err
	}
	defer lenient.stop()

	s := newScenario(ctx, strict.base(), lenient.base(), "http://"+svc.addr, svc.key, ops)
	stepErr := s.run()
	for _, p := range []*prism{strict, lenient} {
		if err := p.exitedEarly(); err != nil {
			return err
		}
	}
	if err := s.report(); err != nil {
		return err
	}
	if stepErr != nil {
		return stepErr
	}

	for _, c := range []struct{ name, path string }{{"Go", o.goClient}, {"TypeScript", o.tsClient}} {
		if c.path == "" {
			continue
		}
		var cmd *exec.Cmd
		if c.name == "Go" {
			cmd = exec.CommandContext(ctx, c.path, "--base", strict.base())
		} else {
			cmd = exec.CommandContext(ctx, "node", c.path, strict.base())
		}
		cmd.Env = append(os.Environ(), "WEAKLINK_KEY="+svc.key)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("the %s client check failed: %w", c.name, err)
		}
	}
	for _, p := range []*prism{strict, lenient} {
		if lines := p.violations(); len(lines) > 0 {
			return fmt.Errorf("Prism (%s) logged %d violation(s):\n%s", p.name, len(lines), joinLines(lines))
		}
	}
	return svc.stop()
}
