package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// checkCanary proves that the CSP watches can fail on the page at path: /docs,
// served with the same Content-Security-Policy as the reference, or a portal page,
// whose policy allows no script at all. It inserts an inline script, which the
// policy forbids, and requires both watches, the browser's log and the page's
// securitypolicyviolation listener, to report the violation within 20 s. (The
// insertion itself is the DevTools protocol's Runtime.evaluate, which no page
// policy restrains.) Any other problem on the tab fails it.
func checkCanary(browserCtx context.Context, srv *service, path string) (string, error) {
	m := newMonitor(srv.addr)
	tab, closeTab, err := openTab(browserCtx, m)
	if err != nil {
		return "", err
	}
	defer closeTab()
	resp, err := step(tab, time.Minute, "open "+path, nil, chromedp.NavigateResponse(srv.base()+path))
	if err != nil {
		return "", err
	}
	if resp.Status != 200 || header(resp.Headers, "Content-Security-Policy") == "" {
		return "", fmt.Errorf("GET %s answered %d, Content-Security-Policy %q", path, resp.Status,
			header(resp.Headers, "Content-Security-Policy"))
	}
	if _, err := step(tab, time.Minute, "insert an inline script into "+path, nil, chromedp.Evaluate[bool](
		`document.body.appendChild(Object.assign(document.createElement('script'), {textContent: 'void 0'})), true`)); err != nil {
		return "", err
	}
	deadline := time.NewTimer(20 * time.Second)
	defer deadline.Stop()
	for {
		logged, events, others := m.cspSeen()
		if len(others) > 0 {
			return "", fmt.Errorf("the CSP canary on %s saw other problems:\n    %s", path, strings.Join(others, "\n    "))
		}
		if len(logged) > 0 && len(events) > 0 {
			return fmt.Sprintf("an inline script inserted into %s was reported by both CSP watches "+
				"(the browser's log: %d, the page's securitypolicyviolation listener: %d)", path, len(logged), len(events)), nil
		}
		select {
		case <-m.csp:
		case <-deadline.C:
			return "", fmt.Errorf("an inline script inserted into %s was not reported by both CSP watches within 20 s "+
				"(the browser's log: %d, the page's listener: %d): the CSP check would not see a violation", path, len(logged), len(events))
		case <-tab.Done():
			return "", tab.Err()
		}
	}
}
