// Command weaklink is the supplier risk register: an HTTP API (serve) and the
// operator's commands (migrate, apikey, audit, version). main wires the packages
// together; nothing imports it.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/weaklink/weaklink/api"
	"github.com/weaklink/weaklink/internal/config"
	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/sheetio"
	"github.com/weaklink/weaklink/internal/store"
)

//go:embed openapi.yaml
var openapiSpec []byte

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

const usage = `weaklink — third-party supplier risk register

Usage:
  weaklink serve [--addr ADDR] [--no-migrate]
                                          run the HTTP API
  weaklink migrate up|down|status         manage the database schema
  weaklink apikey create --role ROLE --name NAME [--expires RFC3339]
                                          create a key; prints only the secret on stdout
  weaklink apikey list                    list keys (never their secrets)
  weaklink apikey revoke ID               revoke a key
  weaklink audit verify                   check the audit trail's hash chain
  weaklink import FILE [--dry-run]        import suppliers and data holdings from a .csv or
                                          .xlsx file, all or nothing; prints what changed
  weaklink export [--format csv|xlsx] [-o FILE]
                                          write the register in the import layout
                                          (to stdout without -o)
  weaklink report generate [--quarter 2026-Q4] [--regenerate]
                                          store the quarterly report (the stored one if it exists)
  weaklink report render ID --format json|html|pdf|xlsx|csv [-o FILE]
                                          write a stored report
  weaklink version                        print the version

Configuration comes from the environment:
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "version" {
		fmt.Fprintln(stdout, "weaklink", buildVersion())
		return 0
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintln(stderr, "configuration:", err)
		return 2
	}
	log := newLogger(cfg, stderr)
	var cmdErr error
	switch args[0] {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(stderr)
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address (overrides WEAKLINK_ADDR)")
		noMigrate := fs.Bool("no-migrate", false, "do not apply pending migrations at start (overrides WEAKLINK_AUTO_MIGRATE)")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if *noMigrate {
			cfg.AutoMigrate = false
		}
		cmdErr = serve(ctx, cfg, log, stderr)
	case "migrate":
		cmdErr = migrate(ctx, cfg, args[1:], stdout)
	case "apikey":
		cmdErr = apikey(ctx, cfg, args[1:], stdout)
	case "audit":
		cmdErr = audit(ctx, cfg, args[1:], stdout)
	case "import":
		cmdErr = importSheet(ctx, cfg, args[1:], stdout, stderr)
	case "export":
		cmdErr = exportSheet(ctx, cfg, args[1:], stdout)
	case "report":
		cmdErr = reportCmd(ctx, cfg, args[1:], stdout)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n", args[0])
		printUsage(stderr)
		return 2
	}
	if cmdErr != nil {
		fmt.Fprintln(stderr, "error:", cmdErr)
		return 1
	}
	return 0
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, usage)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, v := range config.Vars {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, v.Default, v.Meaning)
	}
	_ = tw.Flush()
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// openStore opens the configured database and, when configured to, migrates it.
func openStore(ctx context.Context, cfg config.Config, migrate bool) (*store.Store, error) {
	st, err := store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath,
		MaxOpenConns: cfg.MaxOpenConns, MaxIdleConns: cfg.MaxIdleConns, ConnMaxLifetime: cfg.ConnMaxLifetime})
	if err != nil {
		return nil, err
	}
	if migrate && cfg.AutoMigrate {
		if _, err := st.MigrateUp(ctx); err != nil {
			_ = st.Close()
			return nil, err
		}
	}
	return st, nil
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	scfg, fcfg, err := scoringConfig(cfg.Scoring)
	if err != nil {
		return err
	}
	svc := register.New(st, nil).WithScoring(scfg).WithFlags(fcfg)
	key, secret, err := svc.BootstrapAdminKey(ctx)
	if err != nil {
		return fmt.Errorf("bootstrap admin key: %w", err)
	}
	if secret != "" {
		fmt.Fprintf(stderr, "\nNo API key existed, so an admin key named %q (id %s) was created.\n"+
			"Its secret is shown only this once — store it now, then create narrower keys with it:\n\n    %s\n\n",
			key.Name, key.ID, secret)
	}
	handler, err := api.New(api.Config{TrustedProxies: cfg.TrustedProxies, RateLimit: cfg.RateLimit,
		RateBurst: cfg.RateBurst, Spec: openapiSpec, Logger: log},
		api.NewServices(svc, quarterly.New(svc, st), sheetio.New(svc, st), st))
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: cfg.Addr, Handler: handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("weaklink listening", "addr", cfg.Addr, "database", string(st.Dialect()), "version", buildVersion())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func migrate(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: weaklink migrate up|down|status")
	}
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	switch args[0] {
	case "up":
		n, err := st.MigrateUp(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
	case "down":
		v, err := st.MigrateDown(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rolled back migration %d\n", v)
	case "status":
		states, err := st.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tSTATE\tSOURCE")
		for _, s := range states {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\n", s.Version, state, s.Source)
		}
		return tw.Flush()
	default:
		return errors.New("usage: weaklink migrate up|down|status")
	}
	return nil
}

func apikey(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: weaklink apikey create|list|revoke")
	}
	st, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := register.New(st, nil)
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("apikey create", flag.ContinueOnError)
		role := fs.String("role", "", "admin, editor or viewer")
		name := fs.String("name", "", "what the key is for")
		expires := fs.String("expires", "", "optional expiry, RFC 3339")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		in := register.NewAPIKey{Name: *name, Role: register.Role(*role)}
		if *expires != "" {
			t, err := time.Parse(time.RFC3339, *expires)
			if err != nil {
				return errors.New("--expires must be an RFC 3339 timestamp")
			}
			in.ExpiresAt = &t
		}
		_, secret, err := svc.CreateAPIKey(ctx, register.SystemActor("apikey create"), in)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, secret)
	case "list":
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tROLE\tPREFIX\tEXPIRES\tLAST USED\tREVOKED")
		cursor := ""
		for {
			page, err := svc.ListAPIKeys(ctx, cursor, register.MaxLimit)
			if err != nil {
				return err
			}
			for _, k := range page.Items {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, k.Prefix,
					fmtTime(k.ExpiresAt), fmtTime(k.LastUsedAt), fmtTime(k.RevokedAt))
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		return tw.Flush()
	case "revoke":
		if len(args) != 2 {
			return errors.New("usage: weaklink apikey revoke ID")
		}
		return svc.RevokeAPIKey(ctx, register.SystemActor("apikey revoke"), args[1], nil)
	default:
		return errors.New("usage: weaklink apikey create|list|revoke")
	}
	return nil
}

func audit(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "verify" {
		return errors.New("usage: weaklink audit verify")
	}
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := register.New(st, nil).VerifyAudit(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit trail intact: %d events, head %d %s\n", rep.Events, rep.HeadSeq, rep.HeadHash)
	return nil
}

// scoringConfig turns the configured thresholds into the methodology's settings.
func scoringConfig(c config.Scoring) (scoring.Config, scoring.FlagConfig, error) {
	f := scoring.FlagConfig{OutlierMinPortfolio: c.OutlierMinPortfolio, OutlierMinGap: c.OutlierMinGap,
		OutlierIQRMultiple: c.OutlierIQRMultiple, ConcentrationShare: c.ConcentrationShare}
	if err := f.Validate(); err != nil {
		return scoring.Config{}, f, fmt.Errorf("flag configuration: %w", err)
	}
	s := scoring.DefaultConfig()
	s.CriticalCap, s.ExpiredCertPenalty, s.NoDPAPenalty = c.CriticalCap, c.ExpiredCertPenalty, c.NoDPAPenalty
	s.MaxCertPenalty = 2 * c.ExpiredCertPenalty
	s.WeakBelow, s.StrongFrom = c.WeakBelow, c.StrongFrom
	s.TierCritical, s.TierHigh, s.TierMedium = c.Tiers[0], c.Tiers[1], c.Tiers[2]
	s.ReassessMonths = map[string]int{scoring.TierNameCritical: c.ReassessMonths[0], scoring.TierNameHigh: c.ReassessMonths[1],
		scoring.TierNameMedium: c.ReassessMonths[2], scoring.TierNameLow: c.ReassessMonths[3]}
	if err := s.Validate(); err != nil {
		return s, f, fmt.Errorf("scoring configuration: %w", err)
	}
	return s, f, nil
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
