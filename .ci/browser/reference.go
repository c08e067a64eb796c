package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// consoleOperation is the operation sent from the reference's console: it needs the
// key (role viewer) and has no required parameter.
const consoleOperation, consolePath = "listWeakLinks", "/api/v1/weak-links"

// checkReference opens /docs/reference as a person would and checks it: served with
// its Content-Security-Policy; every operation of the contract rendered; Authorize
// with the demo key; one request sent from the console answering 200, on the
// browser's network events and in the page; and, on the tab's events throughout,
// nothing loaded from outside the service and no console error, exception or CSP
// violation. It returns what it checked, and the screenshot of the top of the page.
func checkReference(browserCtx context.Context, srv *service, ops []string) (report []string, shot []byte, err error) {
	m := newMonitor(srv.addr)
	tab, closeTab, err := openTab(browserCtx, m)
	if err != nil {
		return nil, nil, err
	}
	defer closeTab()
	say := func(format string, args ...any) { report = append(report, fmt.Sprintf(format, args...)) }

	resp, err := step(tab, time.Minute, "open /docs/reference", chromedp.EmulateViewport(windowWidth, windowHeight),
		chromedp.NavigateResponse(srv.base()+"/docs/reference"))
	if err != nil {
		return nil, nil, err
	}
	if resp.Status != 200 {
		return nil, nil, fmt.Errorf("GET /docs/reference answered %d", resp.Status)
	}
	csp := header(resp.Headers, "Content-Security-Policy")
	if csp == "" {
		return nil, nil, fmt.Errorf("GET /docs/reference has no Content-Security-Policy header")
	}
	say("GET /docs/reference 200, Content-Security-Policy: %s", csp)

	// Swagger UI fetches /openapi.yaml and renders one .opblock per operation.
	rendered, err := step(tab, time.Minute, "wait for Swagger UI to render the operations",
		pollTrue(fmt.Sprintf(`document.querySelectorAll('.opblock').length >= %d`, len(ops))),
		chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.opblock'), e => e.id)`))
	if err != nil {
		return nil, nil, fmt.Errorf("%w (the contract has %d operations)", err, len(ops))
	}
	var missing []string
	opBlock := map[string]string{} // operationId → the id of its block, operations-{tag}-{operationId}
	for _, op := range ops {
		i := slices.IndexFunc(rendered, func(id string) bool {
			return strings.HasPrefix(id, "operations-") && strings.HasSuffix(id, "-"+op)
		})
		if i < 0 {
			missing = append(missing, op)
			continue
		}
		opBlock[op] = rendered[i]
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("the reference shows %d operation blocks; the contract has %d operations; missing: %s",
			len(rendered), len(ops), strings.Join(missing, ", "))
	}
	say("%d operation blocks rendered: every operation of the served /openapi.yaml (%d) has its block", len(rendered), len(ops))

	// Authorize as a person does: the button, the key in the bearer field, Authorize, Close.
	locked, err := step(tab, time.Minute, "Authorize with the demo key", chromedp.Steps(
		chromedp.Click(chromedp.CSS(`.auth-wrapper .btn.authorize`)),
		chromedp.SendKeys(chromedp.ID("auth-bearer-value"), srv.key),
		chromedp.Click(chromedp.CSS(`.modal-ux .auth-btn-wrapper .btn.authorize`)),
		pollTrue(`Array.from(document.querySelectorAll('.modal-ux h6'), h => h.textContent.trim()).includes('Authorized')`),
		chromedp.Click(chromedp.CSS(`.modal-ux .auth-btn-wrapper .btn-done`)),
		chromedp.WaitNotPresent(chromedp.CSS(`.modal-ux`)),
	), chromedp.Evaluate[bool](`document.querySelector('.auth-wrapper .btn.authorize').classList.contains('locked')`))
	if err != nil {
		return nil, nil, err
	}
	if !locked {
		return nil, nil, fmt.Errorf("after Authorize, the Authorize button does not show the page as authorized")
	}
	say("Authorize: the demo key entered in the bearer field; the page shows it is authorized")

	shot, err = step(tab, time.Minute, "screenshot of the reference", discard(
		chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)), chromedp.CaptureScreenshot())
	if err != nil {
		return nil, nil, err
	}

	line, err := sendFromConsole(tab, m, srv, opBlock[consoleOperation])
	if err != nil {
		return nil, shot, err
	}
	say("%s", line)

	seen, err := m.result()
	if err != nil {
		return nil, shot, fmt.Errorf("the reference: %w", err)
	}
	say("on the tab's events: %s", seen)
	return report, shot, nil
}

// sendFromConsole opens the operation's block, turns "Try it out" on if it is off,
// removes the example values Swagger UI fills in (they would filter the list),
// presses Execute, and checks the request on the browser's network events (to the
// service, with the demo key, answered 200) and the status the page shows.
func sendFromConsole(tab context.Context, m *monitor, srv *service, block string) (string, error) {
	if block == "" {
		return "", fmt.Errorf("the reference has no block for %s", consoleOperation)
	}
	sel := "#" + block
	tryOut, err := step(tab, time.Minute, "open "+consoleOperation, chromedp.Steps(
		chromedp.Click(chromedp.CSS(sel+` .opblock-summary-control`)),
		chromedp.WaitVisible(chromedp.CSS(sel+` .try-out__btn`)),
	), chromedp.Text(chromedp.CSS(sel+` .try-out__btn`)))
	if err != nil {
		return "", err
	}
	tryIt := "Try it out was on already (the page turns it on)"
	if strings.TrimSpace(tryOut) == "Try it out" {
		tryIt = "Try it out"
		if _, err := step(tab, time.Minute, "Try it out", nil, chromedp.Steps(
			chromedp.Click(chromedp.CSS(sel+` .try-out__btn`)))); err != nil {
			return "", err
		}
	}
	if _, err := step(tab, time.Minute, "clear the example parameter values", nil,
		chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(sel+` .btn.execute`)), clearParameters(sel))); err != nil {
		return "", err
	}

	// Subscribe, then press Execute, so that the response cannot be missed.
	stepCtx, cancel := context.WithTimeout(tab, time.Minute)
	defer cancel()
	responses := chromedp.Events(stepCtx, network.ResponseReceived)
	if err := chromedp.Do(stepCtx, chromedp.Click(chromedp.CSS(sel+` .btn.execute`))); err != nil {
		return "", fmt.Errorf("Execute %s: %w", consoleOperation, err)
	}
	var got *network.EventResponseReceived
	for ev, err := range responses {
		if err != nil {
			return "", fmt.Errorf("Execute %s: no response to GET %s on the network events: %w", consoleOperation, consolePath, err)
		}
		if u, err := url.Parse(ev.Response.URL); err == nil && u.Path == consolePath {
			got = &ev
			break
		}
	}
	if got == nil {
		return "", fmt.Errorf("Execute %s: no response to GET %s on the network events", consoleOperation, consolePath)
	}
	req := m.request(got.RequestID)
	switch {
	case req == nil:
		return "", fmt.Errorf("Execute %s: a response without a request on the network events", consoleOperation)
	case req.Method != "GET" || !consoleURL(req.URL, srv.base()):
		return "", fmt.Errorf("Execute %s sent %s %s, not GET %s with at most the page size (the examples cleared)",
			consoleOperation, req.Method, req.URL, srv.base()+consolePath)
	case header(req.Headers, "Authorization") != "Bearer "+srv.key:
		return "", fmt.Errorf("Execute %s: the request did not carry the demo key as Authorization: Bearer", consoleOperation)
	case got.Response.Status != 200:
		return "", fmt.Errorf("Execute %s: GET %s answered %d", consoleOperation, consolePath, got.Response.Status)
	}
	shown, err := chromedp.Run(stepCtx, chromedp.Poll[string](fmt.Sprintf(
		`(() => { const c = document.querySelector(%q); return c && c.textContent.trim(); })()`,
		sel+` .live-responses-table tbody .response-col_status`), chromedp.WithPollingTimeout(50*time.Second)))
	if err != nil {
		return "", fmt.Errorf("Execute %s: the page shows no response status: %w", consoleOperation, err)
	}
	if shown != "200" {
		return "", fmt.Errorf("Execute %s: the page shows status %q", consoleOperation, shown)
	}
	return fmt.Sprintf("console: %s opened, %s, example values removed, Execute: GET %s with Authorization: Bearer "+
		"(the demo key) answered 200 on the network events, and the page shows 200",
		consoleOperation, tryIt, strings.TrimPrefix(req.URL, srv.base())), nil
}

// consoleURL reports whether the console's request is GET /api/v1/weak-links on the
// service with no filter: the example values were removed; the page size Swagger UI
// fills in from the parameter's default (50) may stay.
func consoleURL(raw, base string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme+"://"+u.Host != base || u.Path != consolePath {
		return false
	}
	for k := range u.Query() {
		if k != "limit" {
			return false
		}
	}
	return true
}

// clearParameters removes the items Swagger UI fills into the operation's array
// parameters from their examples, with the buttons a person would use.
func clearParameters(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for range 50 { // each click removes one item; there are a handful
			n, err := chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`,
				sel+` .parameters .json-schema-form-item-remove`))(ctx, t)
			if err != nil || n == 0 {
				return err
			}
			if _, err := chromedp.Click(chromedp.CSS(sel+` .parameters .json-schema-form-item-remove`))(ctx, t); err != nil {
				return err
			}
		}
		return fmt.Errorf("the example values of %s would not clear", sel)
	})
}

// step runs setup and then the action whose value it returns, within d, naming the
// step in its error.
func step[T any](tab context.Context, d time.Duration, name string, setup chromedp.Action[chromedp.Void], a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(tab, d)
	defer cancel()
	if setup != nil {
		if err := chromedp.Do(ctx, setup); err != nil {
			var zero T
			return zero, fmt.Errorf("%s: %w", name, err)
		}
	}
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		return v, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

// pollTrue waits, in the page, until the expression is true.
func pollTrue(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(50*time.Second))(ctx, t)
		return err
	})
}

// discard runs an action for its effect and drops its value.
func discard[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := a(ctx, t)
		return err
	})
}

// header reads a header case-insensitively from the protocol's header map.
func header(h network.Headers, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}
