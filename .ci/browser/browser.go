package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// window is the browser's window, and the reference's viewport and screenshot.
const windowWidth, windowHeight = 1280, 1600

// chromiumFlags are the browser's switches, and nothing else: chromedp's default
// list is not used. chromedp adds --remote-debugging-pipe (it drives the browser
// through a pipe, so no debugging port is opened) and the first page, about:blank.
func chromiumFlags(profile string) []string {
	return []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir=" + profile,
		fmt.Sprintf("--window-size=%d,%d", windowWidth, windowHeight),
		"--hide-scrollbars",
	}
}

// startBrowser starts Chromium with a fresh profile in dir and returns the
// browser's context (tabs are opened from it), a function that stops the browser,
// and the browser's product name and version.
func startBrowser(ctx context.Context, chromium, dir string) (context.Context, context.CancelFunc, string, error) {
	path, err := exec.LookPath(chromium)
	if err != nil {
		return nil, nil, "", fmt.Errorf("chromium: %w", err)
	}
	profile, err := os.MkdirTemp(dir, "profile-")
	if err != nil {
		return nil, nil, "", err
	}
	output, err := os.Create(filepath.Join(dir, "chromium.log"))
	if err != nil {
		return nil, nil, "", err
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.CombinedOutput(output)}
	for _, f := range chromiumFlags(profile) {
		name, value, hasValue := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if hasValue {
			opts = append(opts, chromedp.Flag(name, value))
		} else {
			opts = append(opts, chromedp.Flag(name, true))
		}
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	stop := func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser to exit
		output.Close()
	}
	v, err := chromedp.CallBrowser(browserCtx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		stop()
		return nil, nil, "", fmt.Errorf("start %s: %w; its output:\n%s", path, err, fileTail(output.Name(), 20))
	}
	return browserCtx, stop, v.Product, nil
}

// fileTail is the last n lines of a file, indented, for an error message.
func fileTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "    (" + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	lines = lines[max(0, len(lines)-n):]
	return "    " + strings.Join(lines, "\n    ")
}
