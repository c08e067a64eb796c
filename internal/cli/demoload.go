package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/weaklink/weaklink/internal/demo"
	"github.com/weaklink/weaklink/internal/register"
)

// demoKeyName is the admin key created with the demo register.
const demoKeyName = "demo-admin"

// runDemoLoad runs `weaklink demo load [--date YYYY-MM-DD]`: on a database with no
// suppliers (one with no tables is migrated first) it loads the demo register as of
// the date, creates the admin key demo-admin and prints it with what to open and
// try. A database that already holds the demo, or another register, is refused
// (exit 1).
func runDemoLoad(ctx context.Context, inv *invocation, args []string) error {
	const cmd = "demo load"
	fs := newFlags(cmd)
	dateFlag := fs.String("date", "", "the day the register describes, YYYY-MM-DD (default: today, UTC); the same day gives the same register")
	if _, err := parse(cmd, fs, args); err != nil {
		return err
	}
	at := inv.now()
	if *dateFlag != "" {
		d, err := time.Parse(time.DateOnly, *dateFlag)
		switch {
		case err != nil:
			return usageErrorf(cmd, "--date must be a day written YYYY-MM-DD, such as 2026-11-02")
		case d.After(at):
			return usageErrorf(cmd, "--date must not be later than today")
		}
		at = d
	}
	a, err := inv.setup(ctx, schemaPopulate)
	if err != nil {
		return err
	}
	defer a.close()
	if a.migrated > 0 {
		fmt.Fprintf(inv.stdout, "applied %d migration(s)\n", a.migrated)
	}
	return loadDemo(ctx, inv, a, at, inv.stdout, "")
}

// now is the program's clock, UTC.
func (inv *invocation) now() time.Time {
	if inv.prog.Now != nil {
		return inv.prog.Now().UTC()
	}
	return time.Now().UTC()
}

// loadDemo loads the demo register as of at, creates the demo-admin key and writes
// the key, the URLs to open and three things to try to w. serving is the address
// the service listens on; "" when it is not running (the URLs are then those of the
// configured address, after a line saying how to start it). A database that already
// holds the demo or another register is an error naming what to do instead.
func loadDemo(ctx context.Context, inv *invocation, a *app, at time.Time, w io.Writer, serving string) error {
	started := time.Now() // elapsed wall time, whatever the register's clock
	loaded, err := demo.Load(ctx, a.store, a.service, at)
	switch {
	case errors.Is(err, demo.ErrAlreadyLoaded):
		return fmt.Errorf("%w; serve it with `weaklink serve --demo`, and create a key with "+
			"`weaklink apikey create --role admin --name NAME` if you need one (`go run . …` in a source checkout)", err)
	case err != nil:
		return err
	}
	key, secret, err := a.svc.CreateAPIKey(ctx, register.SystemActor("demo load"),
		register.NewAPIKey{Name: demoKeyName, Role: register.RoleAdmin})
	if err != nil {
		return fmt.Errorf("demo load: create the %s key: %w", demoKeyName, err)
	}
	base := baseURL(a.cfg.Addr)
	if serving != "" {
		base = baseURL(serving)
	}
	fmt.Fprintf(w, "\nLoaded the demo register of a fictional membership organisation, as of %s, in %s:\n"+
		"%d suppliers, %d sub-processor links, %d assessments, %d incidents, %d quarterly reports.\n",
		loaded.AsOf.Format(time.DateOnly), time.Since(started).Round(100*time.Millisecond),
		loaded.Suppliers, loaded.Links, loaded.Assessments, loaded.Incidents, len(loaded.Reports))
	fmt.Fprintf(w, "\nAn admin key named %q (id %s) was created. Its secret is shown only this once:\n\n"+
		"    export WEAKLINK_KEY=%s\n", key.Name, key.ID, secret)
	if serving == "" {
		fmt.Fprint(w, "\nStart the service on it with `weaklink serve --demo` (`go run . serve --demo` in a source checkout), then:\n")
	}
	fmt.Fprintf(w, "\nOpen in a browser:\n"+
		"    %s/docs/reference\n"+
		"        the API reference: choose Authorize, paste the key, and send any request from it\n"+
		"    %s/api/v1/reports/%s?format=html\n"+
		"        this quarter's risk report, which needs the key too; save it and open the file:\n"+
		"        curl -sH \"Authorization: Bearer $WEAKLINK_KEY\" -o report.html '%s/api/v1/reports/%s?format=html'\n",
		base, base, loaded.CurrentReport, base, loaded.CurrentReport)
	fmt.Fprintf(w, "\nTry:\n"+
		"    curl -sH \"Authorization: Bearer $WEAKLINK_KEY\" %s/api/v1/weak-links\n"+
		"    curl -sH \"Authorization: Bearer $WEAKLINK_KEY\" '%s/api/v1/exposure?category=political_opinions'\n"+
		"    curl -sH \"Authorization: Bearer $WEAKLINK_KEY\" %s/api/v1/incidents/%s/impact\n\n",
		base, base, base, loaded.OpenIncident)
	return nil
}

// baseURL is the address a local user reaches the service on: a wildcard or empty
// host becomes localhost.
func baseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
