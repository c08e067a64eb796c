package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The screenshots, by file name in --out; docs/report.md shows report-example.png.
// The supplier portal's, portal-form.png and portal-submitted.png, are in portal.go.
const referenceShot, reportShot = "reference.png", "report-example.png"

// check runs the whole check within opts.timeout: the service, the browser, the
// canary, the reference, the report and the supplier portal; then it stops both
// and writes the screenshots. On a failure the screenshots taken so far go to a
// new folder under the temporary directory, named in the error, and --out is left
// as it was.
func check(parent context.Context, opts options, stdout io.Writer) (err error) {
	started := time.Now()
	ctx, cancel := context.WithTimeoutCause(parent, opts.timeout,
		fmt.Errorf("the check took longer than --timeout %s", opts.timeout))
	defer cancel()
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = fmt.Errorf("%w\n(stopped: %v)", err, context.Cause(ctx))
		}
	}()
	out, err := filepath.Abs(opts.out)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "weaklink-browser-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	say := func(format string, args ...any) { fmt.Fprintf(stdout, format+"\n", args...) }
	shots := map[string][]byte{}
	defer func() {
		if err != nil && len(shots) > 0 {
			err = fmt.Errorf("%w\n(screenshots taken before the failure: %s)", err, keepShots(shots))
		}
	}()

	srv, err := startService(ctx, opts.bin, dir)
	if err != nil {
		if srv != nil {
			srv.kill()
		}
		return err
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.kill()
		}
	}()
	say("weaklink serve --demo: the demo register as of %s, listening on %s (%.1f s after start)",
		srv.asOf, srv.base(), time.Since(started).Seconds())
	ops, err := operationIDs(ctx, srv.base())
	if err != nil {
		return err
	}

	browserCtx, stopBrowser, product, err := startBrowser(ctx, opts.chromium, dir)
	if err != nil {
		return err
	}
	browserStopped := false
	defer func() {
		if !browserStopped {
			stopBrowser()
		}
	}()
	say("%s, headless: %s (through a pipe: no debugging port)", product,
		strings.Join(chromiumFlags("<fresh folder>"), " "))

	canary, err := checkCanary(browserCtx, srv, "/docs")
	if err != nil {
		return fmt.Errorf("CSP canary: %w", err)
	}
	say("CSP canary: %s", canary)

	lines, shot, err := checkReference(browserCtx, srv, ops)
	if shot != nil {
		shots[referenceShot] = shot
	}
	if err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	look, err := notBlank(shot, windowWidth, windowHeight)
	if err != nil {
		return fmt.Errorf("reference: the screenshot: %w", err)
	}
	lines = append(lines, fmt.Sprintf("screenshot %d×%d, not blank: %s", windowWidth, windowHeight, look))
	for _, l := range lines {
		say("reference: %s", l)
	}

	lines, shot, err = checkReport(browserCtx, srv, dir)
	if shot != nil {
		shots[reportShot] = shot
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, l := range lines {
		say("report: %s", l)
	}

	lines, portalShots, err := checkPortal(browserCtx, srv, dir)
	maps.Copy(shots, portalShots)
	if err != nil {
		return fmt.Errorf("portal: %w", err)
	}
	for _, l := range lines {
		say("portal: %s", l)
	}

	stopBrowser()
	browserStopped = true
	stopped = true
	if err := srv.stop(); err != nil {
		return err
	}
	say("weaklink serve --demo stopped on SIGTERM, exit 0, no line logged at level ERROR")

	var written []string
	for _, name := range []string{referenceShot, reportShot, portalFormShot, portalSubmittedShot} {
		if err := os.WriteFile(filepath.Join(out, name), shots[name], 0o644); err != nil {
			return err
		}
		written = append(written, filepath.Join(out, name))
	}
	say("screenshots: %s", strings.Join(written, ", "))
	say("browser check passed in %.1f s", time.Since(started).Seconds())
	return nil
}

// keepShots writes the screenshots of a failed run to a new temporary folder and
// returns its name.
func keepShots(shots map[string][]byte) string {
	dir, err := os.MkdirTemp("", "weaklink-browser-failed-")
	if err != nil {
		return err.Error()
	}
	var errs []error
	for name, b := range shots {
		errs = append(errs, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	if err := errors.Join(errs...); err != nil {
		return err.Error()
	}
	return dir
}
