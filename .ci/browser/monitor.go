package main

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// cspBinding is the function through which the page reports each
// securitypolicyviolation event to the check (Runtime.addBinding: a call becomes a
// Runtime.bindingCalled event; nothing leaves the browser).
const cspBinding = "weaklinkCheckCSPViolation"

// cspListener is evaluated in every new document of a watched tab, before the
// page's own scripts.
const cspListener = `document.addEventListener('securitypolicyviolation', function (e) {
  ` + cspBinding + `(JSON.stringify({directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber}));
});`

// monitor watches one tab through the browser's events: every request and
// websocket (each must be to the service, or a data: or blob: URL, or one of the
// URLs the check allowed by name), responses (none 4xx or 5xx), failed loads,
// console errors and assertions, uncaught exceptions, the browser's error log, and
// CSP violations, as the browser logs them and as the page's
// securitypolicyviolation event reports them. It also keeps the tab's navigations,
// hop by hop, with the headers and cookies as the network stack sent and received
// them (for the portal's cross-site link).
type monitor struct {
	service string // the service's host:port
	csp     chan struct{}

	mu        sync.Mutex
	requests  map[network.RequestID]*network.Request
	responses map[network.RequestID]*network.Response
	allowed   map[string]string // URLs outside the service a check opened on purpose → what they are
	toService int
	local     int            // data: and blob: URLs
	opened    map[string]int // requests to allowed URLs, by what they are
	saved     int            // navigations answered with a file, which the browser saved
	navs      []*hop         // the tab's document requests, each redirect a hop of its own, in order
	sentExtra map[network.RequestID][]*network.EventRequestWillBeSentExtraInfo
	gotExtra  map[network.RequestID][]*network.EventResponseReceivedExtraInfo
	expected  []*expectedError // error responses the check causes on purpose, and requires
	warnings  int              // console warnings, counted but allowed
	problems  []string
	cspLogged []string // CSP violations in the browser's log
	cspEvents []string // CSP violations reported by the page's listener
}

func newMonitor(service string) *monitor {
	return &monitor{service: service, csp: make(chan struct{}, 1),
		requests: map[network.RequestID]*network.Request{}, responses: map[network.RequestID]*network.Response{},
		allowed: map[string]string{}, opened: map[string]int{},
		sentExtra: map[network.RequestID][]*network.EventRequestWillBeSentExtraInfo{},
		gotExtra:  map[network.RequestID][]*network.EventResponseReceivedExtraInfo{}}
}

// openTab opens a new tab watched by m, with the CSP listener installed for every
// document it will load. The tab lives as long as ctx.
func openTab(ctx context.Context, m *monitor) (context.Context, context.CancelFunc, error) {
	tab, cancel := chromedp.NewContext(ctx, chromedp.WithListener(m.handle))
	if _, err := chromedp.Call(tab, runtime.AddBinding, runtime.AddBindingParams{Name: cspBinding}); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("open a tab: %w", err)
	}
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener}); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("open a tab: %w", err)
	}
	return tab, cancel, nil
}

// handle receives every event of the tab, on chromedp's reading goroutine: it only
// records.
func (m *monitor) handle(ev any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		m.requests[ev.RequestID] = ev.Request
		m.checkURL("request", ev.Request.Method+" ", ev.Request.URL)
		if ev.Type == network.ResourceTypeDocument {
			m.navigated(ev)
		}
	case *network.EventWebSocketCreated:
		m.checkURL("websocket", "", ev.URL)
	case *network.EventResponseReceived:
		m.responses[ev.RequestID] = ev.Response
		if ev.Response.Status >= 400 {
			if d := m.expectedError(ev.Response.URL, ev.Response.Status); d != nil {
				d.seen++
			} else {
				m.problemf("response %d to %s", ev.Response.Status, ev.Response.URL)
			}
		}
		if h := m.lastHop(ev.RequestID); h != nil && h.Status == 0 {
			h.Status = ev.Response.Status
		}
	case *network.EventRequestWillBeSentExtraInfo:
		m.sentExtra[ev.RequestID] = append(m.sentExtra[ev.RequestID], ev)
	case *network.EventResponseReceivedExtraInfo:
		m.gotExtra[ev.RequestID] = append(m.gotExtra[ev.RequestID], ev)
	case *network.EventLoadingFailed:
		what := string(ev.RequestID)
		if r := m.requests[ev.RequestID]; r != nil {
			what = r.URL
		}
		// A navigation answered with a file to save ends, in the tab, as aborted:
		// the browser saves it instead of showing it.
		if r := m.responses[ev.RequestID]; r != nil && ev.ErrorText == "net::ERR_ABORTED" &&
			strings.HasPrefix(header(r.Headers, "Content-Disposition"), "attachment") {
			m.saved++
			return
		}
		m.problemf("loading failed: %s: %s %s", what, ev.ErrorText, ev.BlockedReason)
	case *runtime.EventConsoleAPICalled:
		switch ev.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeAssert:
			m.problemf("console.%s: %s", ev.Type, remoteText(ev.Args))
		case runtime.ConsoleAPICalledTypeWarning:
			m.warnings++
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		m.problemf("uncaught exception: %s (%s:%d)", text, d.URL, d.LineNumber)
	case *log.EventEntryAdded:
		e := ev.Entry
		isCSP := e.Source == log.EntrySourceSecurity || strings.Contains(e.Text, "Content Security Policy") ||
			strings.Contains(e.Text, "Content-Security-Policy")
		switch {
		case isCSP:
			m.cspLogged = append(m.cspLogged, fmt.Sprintf("%s (%s)", e.Text, e.URL))
			m.signalCSP()
		case e.Level == log.EntryLevelError && e.Source == log.EntrySourceNetwork && m.expectedLogged(e.URL, e.Text):
			// the browser's line about an accepted error response, counted with it
		case e.Level == log.EntryLevelError:
			m.problemf("browser log, %s: %s (%s)", e.Source, e.Text, e.URL)
		case e.Level == log.EntryLevelWarning:
			m.warnings++
		}
	case *runtime.EventBindingCalled:
		if ev.Name == cspBinding {
			m.cspEvents = append(m.cspEvents, ev.Payload)
			m.signalCSP()
		}
	}
}

// checkURL accepts a URL to the service, or one that never leaves the browser
// (data:, blob:); m.mu is held.
func (m *monitor) checkURL(kind, method, raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		m.problemf("%s to an unreadable URL %q", kind, raw)
		return
	}
	if what, ok := m.allowed[raw]; ok {
		m.opened[what]++
		return
	}
	switch u.Scheme {
	case "data", "blob":
		m.local++
	case "http", "https", "ws", "wss":
		if u.Host != m.service {
			m.problemf("%s outside the service: %s%s", kind, method, raw)
			return
		}
		m.toService++
	default:
		m.problemf("%s with scheme %q: %s%s", kind, u.Scheme, method, raw)
	}
}

func (m *monitor) problemf(format string, args ...any) {
	m.problems = append(m.problems, fmt.Sprintf(format, args...))
}

func (m *monitor) signalCSP() {
	select {
	case m.csp <- struct{}{}:
	default:
	}
}

// result is what the monitor saw, and an error listing every problem, CSP
// violations included.
func (m *monitor) result() (seen string, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	parts := []string{fmt.Sprintf("%s, all to %s", count(m.toService, "request"), m.service)}
	if m.saved > 0 {
		parts = append(parts, fmt.Sprintf("%d answered with a file, which the browser saved", m.saved))
	}
	for _, what := range slices.Sorted(maps.Keys(m.opened)) {
		parts = append(parts, fmt.Sprintf("%d to %s", m.opened[what], what))
	}
	for _, d := range m.expected {
		if d.seen > 0 {
			parts = append(parts, fmt.Sprintf("as expected %d× %d to %s (%s)", d.seen, d.status, d.url, d.what))
		}
	}
	other := ""
	for _, d := range m.expected {
		if d.seen > 0 {
			other = "other "
		}
	}
	parts = append(parts, fmt.Sprintf("%d data: or blob: URLs", m.local),
		fmt.Sprintf("no %sconsole error, uncaught exception, failed load, 4xx/5xx response or CSP violation (%s)",
			other, count(m.warnings, "console warning")))
	seen = strings.Join(parts, "; ")
	var problems []string
	problems = append(problems, m.problems...)
	for _, d := range m.expected {
		if d.seen == 0 {
			problems = append(problems, fmt.Sprintf("no %d to %s, which the check expected (%s)", d.status, d.url, d.what))
		}
	}
	for _, v := range m.cspLogged {
		problems = append(problems, "CSP violation in the browser's log: "+v)
	}
	for _, v := range m.cspEvents {
		problems = append(problems, "securitypolicyviolation event: "+v)
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("%d problem(s):\n    %s", len(problems), strings.Join(problems, "\n    "))
	}
	return seen, nil
}

// cspSeen is what the two CSP watches recorded; for the canary.
func (m *monitor) cspSeen() (logged, events []string, others []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.cspLogged...), append([]string(nil), m.cspEvents...), append([]string(nil), m.problems...)
}

// allow lets the tab open one URL outside the service, that URL only (not its
// origin), such as a saved file; what names it in the result.
func (m *monitor) allow(raw, what string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.allowed[raw] = what
}

// expectedError is an error response of the service that the check causes on
// purpose, and which must then happen. Nothing else is accepted: any other 4xx or
// 5xx response (a /favicon.ico the browser asks for included) fails the check.
type expectedError struct {
	url    string
	status int64
	what   string
	seen   int
}

// expect makes the tab's monitor accept, and require, a response status to the
// URL, and the browser's log line about it: what the check does on purpose.
func (m *monitor) expect(raw string, status int64, what string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expected = append(m.expected, &expectedError{url: raw, status: status, what: what})
}

// expectedError is what accepts a response, nil if nothing does; m.mu is held.
func (m *monitor) expectedError(raw string, status int64) *expectedError {
	for _, d := range m.expected {
		if d.url == raw && d.status == status {
			return d
		}
	}
	return nil
}

// expectedLogged reports whether a network error in the browser's log is about an
// accepted response ("Failed to load resource: the server responded with a status
// of 404 (Not Found)"); m.mu is held.
func (m *monitor) expectedLogged(raw, text string) bool {
	for _, d := range m.expected {
		if d.url == raw && strings.Contains(text, fmt.Sprintf("status of %d ", d.status)) {
			return true
		}
	}
	return false
}

// response is the response the browser received to the request for a URL, nil if
// none.
func (m *monitor) response(raw string) *network.Response {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, r := range m.requests {
		if r.URL == raw && m.responses[id] != nil {
			return m.responses[id]
		}
	}
	return nil
}

// remoteText renders console arguments as text.
func remoteText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// request is the request the browser sent under id, nil if none.
func (m *monitor) request(id network.RequestID) *network.Request {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.requests[id]
}

// count is "1 request", "2 requests".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// hop is one request of a navigation of the tab, and its answer: a redirect ends
// one hop and starts the next, under the same request id.
type hop struct {
	ID     network.RequestID
	Method string
	URL    string
	Status int64 // 0 while unanswered
	n      int   // its place among the hops of its request id
}

// hopWire is a hop as the network stack sent and received it (the ExtraInfo
// events): the headers as sent, Sec-Fetch-Site and Cookie included, the cookies
// sent or withheld with the reasons, the headers as received, Set-Cookie included,
// and the cookies the browser refused to store.
type hopWire struct {
	hop
	Sent     network.Headers
	Cookies  []*network.AssociatedCookie
	Received network.Headers
	Refused  []*network.BlockedSetCookieWithReason
}

// navigated records a document request, or the next hop of a redirected one;
// m.mu is held.
func (m *monitor) navigated(ev *network.EventRequestWillBeSent) {
	n := 0
	if prev := m.lastHop(ev.RequestID); prev != nil {
		n = prev.n + 1
		if ev.RedirectResponse != nil {
			prev.Status = ev.RedirectResponse.Status
		}
	}
	m.navs = append(m.navs, &hop{ID: ev.RequestID, Method: ev.Request.Method, URL: ev.Request.URL, n: n})
}

// lastHop is the latest hop under a request id, nil if none; m.mu is held.
func (m *monitor) lastHop(id network.RequestID) *hop {
	for i := len(m.navs) - 1; i >= 0; i-- {
		if m.navs[i].ID == id {
			return m.navs[i]
		}
	}
	return nil
}

// navigations are the tab's navigations so far, hop by hop, in order, each with
// what the network stack reported of it (the k-th ExtraInfo event of a request id
// belongs to its k-th hop).
func (m *monitor) navigations() []hopWire {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]hopWire, 0, len(m.navs))
	for _, h := range m.navs {
		w := hopWire{hop: *h}
		if sent := m.sentExtra[h.ID]; h.n < len(sent) {
			w.Sent, w.Cookies = sent[h.n].Headers, sent[h.n].AssociatedCookies
		}
		if got := m.gotExtra[h.ID]; h.n < len(got) {
			w.Received, w.Refused = got[h.n].Headers, got[h.n].BlockedCookies
		}
		out = append(out, w)
	}
	return out
}
