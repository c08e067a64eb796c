package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/config"
	"github.com/weaklink/weaklink/internal/store"
)

// startServe runs serve until the returned stop is called, and returns the address
// it logged as listening on. serve binds before it logs, so the address answers at
// once: the only waiting is bounded polling for the log line.
func startServe(t *testing.T, c *cli, args ...string) (addr string, stderr *syncBuffer, stop func() int) {
	t.Helper()
	c.env["WEAKLINK_LOG_LEVEL"], c.env["WEAKLINK_LOG_FORMAT"] = "info", "json"
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- c.runWith(ctx, &bytes.Buffer{}, stderr, append([]string{"serve"}, args...)...) }()
	stop = func() int { cancel(); return <-done }
	// Bounded, and generous: serve --demo loads the demo first, which takes tens of
	// seconds under the race detector on a busy machine.
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(stderr.String(), "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "weaklink listening" {
				return rec.Addr, stderr, stop
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not log that it listens:\n%s", stderr.String())
	return "", nil, nil
}

// serve starts on SQLite with nothing configured, prints a bootstrap admin key once,
// answers with it, and stops cleanly when its context ends (as on SIGTERM).
func TestServeBootstrapsAndShutsDown(t *testing.T) {
	c := newCLI(t)
	c.env["WEAKLINK_ADDR"] = "127.0.0.1:0" // any free port; serve logs the one it bound
	addr, errb, stop := startServe(t, c)
	if !regexp.MustCompile(`^127\.0\.0\.1:[1-9][0-9]*$`).MatchString(addr) {
		t.Fatalf("listening on %q, want the bound address", addr)
	}
	res, err := http.Get("http://" + addr + "/readyz") // no retry: bound before logged
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", res, err)
	}
	secret := regexp.MustCompile(`wl_[A-Za-z0-9_-]{43}`).FindString(errb.String())
	if secret == "" || !strings.Contains(errb.String(), "shown only this once") {
		t.Fatalf("no bootstrap key on stderr:\n%s", errb.String())
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/api-keys", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("bootstrap key rejected: %v %v", res, err)
	}
	if strings.Count(errb.String(), secret) != 1 {
		t.Fatal("the secret appears in the logs")
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exit %d after shutdown: %s", code, errb.String())
	}
	// A second start finds the key and prints no new one.
	addr, errb2, stop2 := startServe(t, c)
	if _, err := http.Get("http://" + addr + "/healthz"); err != nil {
		t.Fatal(err)
	}
	if code := stop2(); code != 0 {
		t.Fatalf("second serve exit %d: %s", code, errb2.String())
	}
	if strings.Contains(errb2.String(), "wl_") {
		t.Fatal("a second start printed another key")
	}
}

// Thresholds that contradict each other stop serve before it listens: a
// configuration error, exit 2, naming the variable.
func TestServeRejectsIncoherentScoring(t *testing.T) {
	c := newCLI(t)
	c.env["WEAKLINK_SCORING_TIERS"] = "20,40,60" // critical below high
	if code, _, errOut := c.run("serve"); code != 2 || !strings.Contains(errOut, "WEAKLINK_SCORING_TIERS must be strictly descending") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// An address that does not parse is bad configuration or usage (exit 2); one that
// parses but cannot be bound is a failure (exit 1) naming the address and the cause.
// Either way nothing touches the database.
func TestServeAddress(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	inUse := held.Addr().String()
	cases := []struct {
		name string
		env  string
		args []string
		code int
		want []string
	}{
		{"variable does not parse", "nonsense", nil, 2, []string{"WEAKLINK_ADDR", `"nonsense" is not a listen address`}},
		{"flag port out of range", "", []string{"--addr", "1.2.3.4:99999"}, 2, []string{"weaklink serve:", "-addr", "the port must be a number from 0 to 65535"}},
		{"flag does not parse", "", []string{"--addr=nonsense"}, 2, []string{"weaklink serve:", "missing port in address"}},
		{"address in use", inUse, nil, 1, []string{"error: serve: cannot listen on " + inUse + ": bind: address already in use"}},
		{"bad variable, even with the flag", "nonsense", []string{"--addr", inUse}, 2, []string{"WEAKLINK_ADDR"}},
		{"flag in use", "", []string{"--addr", inUse}, 1, []string{"cannot listen on " + inUse, "address already in use"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			if tc.env != "" {
				c.env["WEAKLINK_ADDR"] = tc.env
			}
			code, _, errOut := c.run(append([]string{"serve"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if _, err := os.Stat(c.env["WEAKLINK_SQLITE_PATH"]); err == nil {
				t.Error("a start that could not listen created the database")
			}
		})
	}
}

// WEAKLINK_PPROF_ADDR serves Go's profiling endpoints on their own loopback listener,
// and only there: the API's address does not answer them. Off by default.
func TestServeProfilingEndpoint(t *testing.T) {
	c := newCLI(t)
	c.env["WEAKLINK_ADDR"] = "127.0.0.1:0"
	addr, errb, stop := startServe(t, c)
	if strings.Contains(errb.String(), `"pprof"`) {
		t.Error("profiling is on without WEAKLINK_PPROF_ADDR")
	}
	if res, err := http.Get("http://" + addr + "/debug/pprof/"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("the API's address answers /debug/pprof/: %v %v", res, err)
	}
	stop()

	c.env["WEAKLINK_PPROF_ADDR"] = "127.0.0.1:0"
	addr, errb, stop = startServe(t, c)
	defer stop()
	var pprofAddr string
	for _, line := range strings.Split(errb.String(), "\n") {
		var rec struct{ Msg, Pprof string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "weaklink listening" {
			pprofAddr = rec.Pprof
		}
	}
	if !regexp.MustCompile(`^127\.0\.0\.1:[1-9][0-9]*$`).MatchString(pprofAddr) {
		t.Fatalf("profiling listens on %q, want a bound loopback address:\n%s", pprofAddr, errb.String())
	}
	res, err := http.Get("http://" + pprofAddr + "/debug/pprof/heap?debug=1")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("heap profile: %v %v", res, err)
	}
	res.Body.Close()
	if res, err := http.Get("http://" + addr + "/debug/pprof/"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("the API's address answers /debug/pprof/: %v %v", res, err)
	}
}

// serve --demo on a new database loads the demo and prints the demo-admin key (and
// no bootstrap key), which works; started again it serves the demo as it is and says
// how to get a key, printing none.
func TestServeDemo(t *testing.T) {
	c := newCLI(t)
	c.env["WEAKLINK_ADDR"] = "127.0.0.1:0"
	addr, errb, stop := startServe(t, c, "--demo")
	secret := regexp.MustCompile(`export WEAKLINK_KEY=(wl_[A-Za-z0-9_-]{43})\n`).FindStringSubmatch(errb.String())
	if secret == nil || !strings.Contains(errb.String(), `named "demo-admin"`) || strings.Contains(errb.String(), "bootstrap-admin") ||
		!strings.Contains(errb.String(), "http://"+addr+"/docs/reference") || strings.Contains(errb.String(), "Start the service") {
		t.Fatalf("no demo key on stderr:\n%s", errb.String())
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/weak-links", nil)
	req.Header.Set("Authorization", "Bearer "+secret[1])
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("weak links with the demo key: %v %v", res, err)
	}
	var page struct{ Items []json.RawMessage }
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil || len(page.Items) < 5 {
		t.Fatalf("weak links: %d items, %v", len(page.Items), err)
	}
	res.Body.Close()
	if code := stop(); code != 0 {
		t.Fatalf("serve exit %d: %s", code, errb.String())
	}
	_, errb2, stop2 := startServe(t, c, "--demo")
	if code := stop2(); code != 0 {
		t.Fatalf("second serve exit %d: %s", code, errb2.String())
	}
	if !strings.Contains(errb2.String(), "Serving the demo register in "+c.env["WEAKLINK_SQLITE_PATH"]+", loaded as of") ||
		!strings.Contains(errb2.String(), "weaklink apikey create --role admin") || strings.Contains(errb2.String(), "wl_") {
		t.Fatalf("second start:\n%s", errb2.String())
	}
}

// serve --demo refuses a database holding another register, after binding but before
// serving, and writes no supplier or key to it.
func TestServeDemoRefusesAnotherRegister(t *testing.T) {
	c := newCLI(t)
	if code, _, errOut := c.run(demoArgs...); code != 0 {
		t.Fatal(errOut)
	}
	_, before, _ := c.run("export")
	code, _, errOut := c.run("serve", "--demo", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errOut, "serve --demo: the database holds a register that is not the demo") ||
		!strings.Contains(errOut, "serve it without --demo") || strings.Contains(errOut, "listening") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if _, after, _ := c.run("export"); after != before {
		t.Fatal("the refused start changed the register")
	}
	if _, keys, _ := c.run("apikey", "list"); strings.Contains(keys, "admin") {
		t.Fatalf("the refused start created a key:\n%s", keys)
	}
}

// serve without --demo on the demo warns that a real register added to it would mix
// with the fictional one; a database with part of the demo (a load that did not
// finish) is refused by serve --demo.
func TestServeOnTheDemo(t *testing.T) {
	c := newCLI(t)
	if code, _, errOut := c.run("demo", "load"); code != 0 {
		t.Fatal(errOut)
	}
	c.env["WEAKLINK_ADDR"] = "127.0.0.1:0"
	_, errb, stop := startServe(t, c)
	if code := stop(); code != 0 || !strings.Contains(errb.String(), "this database holds the fictional demo register") {
		t.Fatalf("exit %d:\n%s", code, errb.String())
	}

	part := newMigratedCLI(t)
	st, err := store.Open(context.Background(), store.Options{SQLitePath: part.env["WEAKLINK_SQLITE_PATH"]})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Write(context.Background(), func(tx *store.Tx) error { return tx.ClaimDemo("membership-1", time.Now()) }); err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	code, _, errOut := part.run("serve", "--demo", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errOut, "holds part of the demo register") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
}

// Without a configured database the demo goes to its own file beside the default
// register's, and the hints name it; a configured one is used as it is.
func TestDemoDatabase(t *testing.T) {
	env := map[string]string{}
	inv := &invocation{getenv: func(k string) string { return env[k] }}
	cfg, target := demoDatabase(inv, config.Config{SQLitePath: "./weaklink.db"})
	if cfg.SQLitePath != "weaklink-demo.db" || target.env != "WEAKLINK_SQLITE_PATH=./weaklink-demo.db " || target.where != "./weaklink-demo.db" {
		t.Errorf("default: %q %+v", cfg.SQLitePath, target)
	}
	env["WEAKLINK_SQLITE_PATH"] = "/srv/mine.db"
	if cfg, target := demoDatabase(inv, config.Config{SQLitePath: "/srv/mine.db"}); cfg.SQLitePath != "/srv/mine.db" || target.env != "" {
		t.Errorf("configured file: %q %+v", cfg.SQLitePath, target)
	}
	if cfg, target := demoDatabase(inv, config.Config{DatabaseURL: "postgres://db/x", SQLitePath: "./weaklink.db"}); cfg.SQLitePath != "./weaklink.db" ||
		target.where != "the PostgreSQL database" || target.env != "" {
		t.Errorf("PostgreSQL: %q %+v", cfg.SQLitePath, target)
	}
}
