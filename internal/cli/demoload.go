package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"time"

	"github.com/weaklink/weaklink/internal/config"
	"github.com/weaklink/weaklink/internal/demo"
	"github.com/weaklink/weaklink/internal/register"
)

// demoKeyName is the admin key created with the demo register.
const demoKeyName = "demo-admin"

// demoSQLiteFile is the SQLite file `demo load` and `serve --demo` use when neither
// WEAKLINK_DATABASE_URL nor WEAKLINK_SQLITE_PATH is set, beside the default
// register's file, so that the fictional register never lands in ./weaklink.db.
const demoSQLiteFile = "weaklink-demo.db"

// demoTarget says where the demo goes and how to reach it.
type demoTarget struct {
	// env is what to put before a command to reach the same database: the
	// WEAKLINK_SQLITE_PATH assignment when the demo's own default file is used.
	env string
	// where names the database for people: the SQLite file, or "the PostgreSQL database".
	where string
	// serving is the address the service listens on; "" when it is not running.
	serving string
}

// demoDatabase points cfg at the demo's own SQLite file when no database is
// configured.
func demoDatabase(inv *invocation, cfg config.Config) (config.Config, demoTarget) {
	if cfg.DatabaseURL != "" {
		return cfg, demoTarget{where: "the PostgreSQL database"}
	}
	if inv.getenv("WEAKLINK_SQLITE_PATH") != "" {
		return cfg, demoTarget{where: cfg.SQLitePath}
	}
	cfg.SQLitePath = filepath.Join(filepath.Dir(cfg.SQLitePath), demoSQLiteFile)
	shown := cfg.SQLitePath
	if filepath.Dir(shown) == "." {
		shown = "./" + shown
	}
	return cfg, demoTarget{env: "WEAKLINK_SQLITE_PATH=" + shown + " ", where: shown}
}

// runDemoLoad runs `weaklink demo load [--date YYYY-MM-DD]`: on a database with no
// suppliers (one with no tables is migrated first; without a configured database,
// the file weaklink-demo.db) it loads the demo register as of the date, creates the
// admin key demo-admin and prints it with what to open and try. A database that
// already holds the demo, part of it, or another register is refused (exit 1).
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
			return usageErrorf(cmd, "--date must not be later than today (UTC)")
		case d.Before(demo.EarliestLoadDate):
			return usageErrorf(cmd, "--date must be %s or later", demo.EarliestLoadDate.Format(time.DateOnly))
		}
		at = d
	}
	cfg, err := inv.config()
	if err != nil {
		return err
	}
	cfg, target := demoDatabase(inv, cfg)
	a, err := inv.open(ctx, cfg, schemaPopulate)
	if err != nil {
		return err
	}
	defer a.close()
	if a.migrated > 0 {
		fmt.Fprintf(inv.stdout, "applied %d migration(s)\n", a.migrated)
	}
	return loadDemo(ctx, a, at, inv.stdout, target)
}

// now is the program's clock, UTC.
func (inv *invocation) now() time.Time {
	if inv.prog.Now != nil {
		return inv.prog.Now().UTC()
	}
	return time.Now().UTC()
}

// loadDemo loads the demo register as of at, creates the demo-admin key and writes
// the key, the URLs to open and three things to try to w: at the address the
// service listens on, or, when it is not running, at the configured one after a
// line saying how to start it. A database that already holds the demo, part of it,
// or another register is an error naming what to do instead.
func loadDemo(ctx context.Context, a *app, at time.Time, w io.Writer, t demoTarget) error {
	started := time.Now() // elapsed wall time, whatever the register's clock
	loaded, err := demo.Load(ctx, a.store, a.service, at)
	switch {
	case errors.Is(err, demo.ErrAlreadyLoaded):
		return fmt.Errorf("%w; serve it with `%sweaklink serve --demo`, and create a key with "+
			"`%sweaklink apikey create --role admin --name NAME` if you need one (`go run .` for `weaklink` in a source checkout)",
			err, t.env, t.env)
	case err != nil:
		return err
	}
	key, secret, err := a.svc.CreateAPIKey(ctx, register.SystemActor("demo load"),
		register.NewAPIKey{Name: demoKeyName, Role: register.RoleAdmin})
	if err != nil {
		return fmt.Errorf("demo load: create the %s key: %w", demoKeyName, err)
	}
	base := baseURL(a.cfg.Addr)
	if t.serving != "" {
		base = baseURL(t.serving)
	}
	fmt.Fprintf(w, "\nLoaded the demo register of a fictional membership organisation into %s, as of %s, in %s:\n"+
		"%d suppliers, %d sub-processor links, %d assessments, %d incidents, %d quarterly reports.\n",
		t.where, loaded.AsOf.Format(time.DateOnly), time.Since(started).Round(100*time.Millisecond),
		loaded.Suppliers, loaded.Links, loaded.Assessments, loaded.Incidents, len(loaded.Reports))
	fmt.Fprintf(w, "\nAn admin key named %q (id %s) was created. Its secret is shown only this once:\n\n"+
		"    export WEAKLINK_KEY=%s\n", key.Name, key.ID, secret)
	if t.serving == "" {
		fmt.Fprintf(w, "\nStart the service on it with `%sweaklink serve --demo` (`go run . serve --demo` in a source checkout), then:\n", t.env)
	}
	fmt.Fprintf(w, "\nOpen in a browser:\n"+
		"    %s/docs/reference\n"+
		"        the API reference: choose Authorize, paste the key, and send any request from it\n"+
		"\nThis quarter's risk report needs the key too, so save it and open the file:\n"+
		"    curl -sH \"Authorization: Bearer $WEAKLINK_KEY\" -o report.html '%s/api/v1/reports/%s?format=html'\n",
		base, base, loaded.CurrentReport)
	if loaded.InvitationLink != "" {
		fmt.Fprintf(w, "\nAnswer the questionnaire the team sent to a supplier being onboarded, as its security contact\n"+
			"would (no key: the link is the credential, and is shown only this once):\n    %s%s\n", base, loaded.InvitationLink)
	}
	fmt.Fprintf(w, "\nTry:\n"+
		"    curl -sH \"Authorization: Bearer $WEAKLINK_KEY\" %s/api/v1/weak-links\n"+
		"    curl -sH \"Authorization: Bearer $WEAKLINK_KEY\" '%s/api/v1/exposure?category=political_opinions'\n"+
		"    curl -sH \"Authorization: Bearer $WEAKLINK_KEY\" %s/api/v1/incidents/%s/impact\n\n",
		base, base, base, loaded.OpenIncident)
	return nil
}

// serveDemo prepares `serve --demo` listening on t.serving: a database with no
// suppliers gets the demo register as of today and the demo-admin key (printed to
// stderr, with what to open and try); one that holds the demo is served as it is;
// one holding part of it (a load that did not finish) or another register is
// refused, so that --demo never mixes the fictional register with a real one.
func serveDemo(ctx context.Context, inv *invocation, a *app, t demoTarget) error {
	mark, marked, n, err := demo.MarkOf(ctx, a.store)
	switch {
	case err != nil:
		return err
	case marked && !mark.Complete:
		return fmt.Errorf("serve --demo: %w", demo.ErrIncomplete)
	case marked:
		fmt.Fprintf(inv.stderr, "\nServing the demo register in %s, loaded as of %s. Its demo-admin key was printed when it "+
			"was loaded; to get another key:\n\n    %sweaklink apikey create --role admin --name NAME\n\n"+
			"(`go run . apikey create …` in a source checkout).\n", t.where, mark.AsOf.Format(time.DateOnly), t.env)
		if mark.ContentVersion != demo.ContentVersion {
			fmt.Fprintf(inv.stderr, "This demo (%s) was loaded by another version of weaklink, whose demo is %s: "+
				"load it into a new database to see this version's.\n", mark.ContentVersion, demo.ContentVersion)
		}
		fmt.Fprintln(inv.stderr)
		return nil
	case n > 0:
		return fmt.Errorf("serve --demo: %w; serve it without --demo", demo.ErrNotDemo)
	}
	a.log.Info("loading the demo register", "database", t.where)
	return loadDemo(ctx, a, inv.now(), inv.stderr, t)
}

// warnIfDemo logs a warning when `serve` without --demo finds the demo register: a
// real register added to it would mix with the fictional one.
func warnIfDemo(ctx context.Context, a *app) {
	if _, marked, _, err := demo.MarkOf(ctx, a.store); err == nil && marked {
		a.log.Warn("this database holds the fictional demo register (serve --demo): keep your own register in another " +
			"database (WEAKLINK_SQLITE_PATH or WEAKLINK_DATABASE_URL)")
	}
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
