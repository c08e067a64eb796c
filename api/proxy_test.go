package api_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/weaklink/weaklink/api"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// tcpProxy stands between the service and PostgreSQL so that a test can take the
// database away and give it back without touching the shared server: cut closes the
// listener and every connection (new dials are refused, pooled connections break),
// restore listens again on the same port.
type tcpProxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func startProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{t: t, target: target, addr: ln.Addr().String(), conns: map[net.Conn]bool{}}
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				_ = c.Close()
				continue
			}
			p.mu.Lock()
			if p.ln != ln { // cut while this one was being accepted
				p.mu.Unlock()
				_, _ = c.Close(), up.Close()
				continue
			}
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go p.pipe(c, up)
			go p.pipe(up, c)
		}
	}()
}

func (p *tcpProxy) pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	_, _ = dst.Close(), src.Close()
}

func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

func (p *tcpProxy) restore() {
	p.t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// logRecorder is a slog handler that keeps every record, to count log lines.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	return nil
}
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *logRecorder) WithGroup(string) slog.Handler      { return r }

// count returns how many records have the level and a message starting with prefix
// ("" for every message).
func (r *logRecorder) count(level slog.Level, prefix string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, rec := range r.records {
		if rec.Level == level && strings.HasPrefix(rec.Message, prefix) {
			n++
		}
	}
	return n
}

// attr returns an attribute of the last record with the message.
func (r *logRecorder) attr(msg, key string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := ""
	for _, rec := range r.records {
		if rec.Message == msg {
			rec.Attrs(func(a slog.Attr) bool {
				if a.Key == key {
					out = a.Value.String()
				}
				return true
			})
		}
	}
	return out
}

// postgresBehindProxy opens a fresh migrated PostgreSQL store that reaches the
// test database through a proxy the test controls; set adjusts its options.
func postgresBehindProxy(t *testing.T, set func(*store.Options)) (*store.Store, *tcpProxy) {
	t.Helper()
	base := os.Getenv(testdb.EnvVar)
	if base == "" {
		t.Skip(testdb.EnvVar + " is not set: the outage test needs PostgreSQL")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	proxy := startProxy(t, target)
	st := testdb.OpenWith(t, store.Postgres, func(o *store.Options) {
		pu, _ := url.Parse(o.DatabaseURL)
		pu.Host = proxy.addr
		o.DatabaseURL = pu.String()
		o.MaxOpenConns = 4
		set(o)
	})
	return st, proxy
}

// assertUnavailable checks a 503 problem with Retry-After: 5 (the harness has
// already checked it against the contract).
func assertUnavailable(t *testing.T, what string, res *response) {
	t.Helper()
	var p api.Problem
	if res.Code != 503 {
		t.Fatalf("%s: status %d, want 503; body %s", what, res.Code, res.Body.String())
	}
	res.json(&p)
	if res.Header().Get("Retry-After") != "5" || p.Type != "/docs#problem-unavailable" || strings.Contains(p.Detail, "127.0.0.1") {
		t.Fatalf("%s: Retry-After %q, problem %+v", what, res.Header().Get("Retry-After"), p)
	}
}
