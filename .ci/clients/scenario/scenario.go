package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The error statuses the scenario must meet at least once each.
var wantErrors = []int{400, 401, 403, 404, 409, 412, 413, 415, 429}

type scenario struct {
	ctx             context.Context
	strict, lenient string // the two proxies' base URLs
	service         string // the service's own base URL, for calls Prism cannot proxy (call.direct)
	admin           string // the bootstrap admin key
	ops             []operation
	client          *http.Client

	covered  map[string]bool     // operation ids met with a success status
	proxied  map[string]bool     // of those, the ones met through a proxy (not only directly)
	directly map[string][]string // by operation id, the statuses met on the service itself and why (call.direct)
	errors   map[int]bool        // error statuses met
	faults   []string            // what went wrong
}

func newScenario(ctx context.Context, strict, lenient, service, admin string, ops []operation) *scenario {
	// Redirects are not followed: a redirect is an answer of the contract to check
	// (postPortalForm's 303 and its Location), not a step to take.
	client := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &scenario{ctx: ctx, strict: strict, lenient: lenient, service: service, admin: admin, ops: ops,
		client: client, covered: map[string]bool{}, proxied: map[string]bool{}, directly: map[string][]string{}, errors: map[int]bool{}}
}

// call is one request of the scenario.
type call struct {
	method, path string
	key          string // the bearer token, an API key or an invitation link's secret; "" sends no Authorization
	body         any    // JSON-encoded unless string, []byte or func() io.Reader (a stream, made again for each attempt)
	contentType  string // application/json when a body is given and this is empty
	header       map[string]string
	want         int  // the status expected
	lenient      bool // through the proxy that does not validate requests
	// direct sends the call to the service itself, why saying which of these it is
	// (the report lists them): a redirect, which Prism's proxy follows instead of
	// answering (stoplightio/prism#1977), so the scenario checks what the contract
	// says of it; a body over 10 MB, which Prism's proxy refuses itself (a 413 of
	// its own, from the limit it reads request bodies with) without validating or
	// forwarding it; and a binary body (a workbook as the service writes it), which
	// Prism's proxy carries as UTF-8 text, changing every byte sequence that is not
	// valid UTF-8 (see asUTF8), so the scenario checks the bytes itself.
	direct bool
	why    string
}

// Why a call goes to the service itself (call.why).
const (
	whyRedirect = "a redirect, which Prism's proxy follows"
	whyOver10MB = "a body over 10 MB, which Prism's proxy refuses itself"
	whyBinary   = "a binary body, which Prism's proxy re-encodes as UTF-8 text"
)

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) decode(v any) error { return json.Unmarshal(a.body, v) }

// cookie is the cookie of that name the answer sets, or nil.
func (a answer) cookie(name string) *http.Cookie {
	for _, c := range (&http.Response{Header: a.header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// field reads a top-level string field of a JSON answer.
func (a answer) field(name string) string {
	var m map[string]any
	_ = json.Unmarshal(a.body, &m)
	s, _ := m[name].(string)
	return s
}

// send sends one call through a proxy, records coverage, and notes any violation or
// unexpected status. A 429 on a call that does not want one is waited out (at most
// five times): the rate limit is low on purpose.
func (s *scenario) send(c call) answer {
	var a answer
	for attempt := 0; attempt < 6; attempt++ {
		a = s.once(c)
		if a.status != http.StatusTooManyRequests || c.want == http.StatusTooManyRequests {
			break
		}
		wait, _ := strconv.Atoi(a.header.Get("Retry-After"))
		time.Sleep(time.Duration(max(wait, 1)) * time.Second)
	}
	label := c.method + " " + c.path
	if v := a.header.Get("sl-violations"); v != "" {
		s.faults = append(s.faults, fmt.Sprintf("%s → %d: Prism reports violations: %s", label, a.status, v))
	}
	if a.status != c.want {
		s.faults = append(s.faults, fmt.Sprintf("%s → %d, want %d: %s", label, a.status, c.want, truncate(a.body)))
		return a
	}
	path := c.path
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	op := match(s.ops, c.method, path)
	if op == nil {
		s.faults = append(s.faults, label+": no operation of the contract matches")
	} else if c.direct {
		why := c.why
		if why == "" {
			why = "no reason given"
		}
		met := fmt.Sprintf("%d (%s)", a.status, why)
		if !slices.Contains(s.directly[op.id], met) {
			s.directly[op.id] = append(s.directly[op.id], met)
		}
	}
	if a.status >= 400 {
		s.errors[a.status] = true
		return a
	}
	if op != nil && op.success[a.status] {
		s.covered[op.id] = true
		s.proxied[op.id] = s.proxied[op.id] || !c.direct
	}
	return a
}

func (s *scenario) once(c call) answer {
	base := s.strict
	switch {
	case c.direct:
		base = s.service
	case c.lenient:
		base = s.lenient
	}
	var body io.Reader
	var raw []byte
	switch b := c.body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	case func() io.Reader:
		body = b()
	default:
		raw, _ = json.Marshal(b)
	}
	if raw != nil {
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(s.ctx, c.method, base+c.path, body)
	if err != nil {
		return answer{status: -1, header: http.Header{}, body: []byte(err.Error())}
	}
	if body != nil {
		ct := c.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := s.client.Do(req)
	if err != nil {
		return answer{status: -1, header: http.Header{}, body: []byte(err.Error())}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	return answer{status: res.StatusCode, header: res.Header, body: b}
}

// report fails when a call went wrong, an operation was not driven to success, or an
// error status was never met.
func (s *scenario) report() error {
	var missing []string
	for _, op := range s.ops {
		if !s.covered[op.id] {
			missing = append(missing, fmt.Sprintf("%s (%s %s)", op.id, op.method, op.path))
		}
	}
	var statuses []string
	for _, code := range wantErrors {
		if !s.errors[code] {
			statuses = append(statuses, strconv.Itoa(code))
		}
	}
	sort.Strings(missing)
	var msg []string
	if len(s.faults) > 0 {
		msg = append(msg, fmt.Sprintf("%d call(s) went wrong:\n%s", len(s.faults), joinLines(s.faults)))
	}
	if len(missing) > 0 {
		msg = append(msg, fmt.Sprintf("%d operation(s) of the contract were not driven to a success status (extend steps.go):\n%s",
			len(missing), joinLines(missing)))
	}
	if len(statuses) > 0 {
		msg = append(msg, "error statuses never met: "+strings.Join(statuses, ", "))
	}
	if len(msg) > 0 {
		return fmt.Errorf("%s", strings.Join(msg, "\n"))
	}
	fmt.Printf("scenario: all %d operations answered their success status, and %v were met, with no violation\n",
		len(s.ops), wantErrors)
	for _, op := range s.ops {
		met := s.directly[op.id]
		if len(met) == 0 {
			continue
		}
		through := "its success status also met through Prism"
		if !s.proxied[op.id] {
			through = "its success status met on the service itself only"
		}
		fmt.Printf("scenario: %s reached directly, checked by the scenario: %s; %s\n", op.id, strings.Join(met, ", "), through)
	}
	return nil
}

func truncate(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}
