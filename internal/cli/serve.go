package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/weaklink/weaklink/api"
	"github.com/weaklink/weaklink/internal/config"
)

// runServe runs `weaklink serve [--addr ADDR] [--no-migrate] [--demo]` until ctx
// ends, then lets in-flight requests finish for WEAKLINK_SHUTDOWN_TIMEOUT. With
// --demo it serves the demo register, loading it first into a database with no
// suppliers (see serveDemo; without a configured database, the file
// weaklink-demo.db); without, it warns when the database holds the demo.
func runServe(ctx context.Context, inv *invocation, args []string) error {
	fs := newFlags("serve")
	addr := ""
	fs.Func("addr", "listen address, host:port (overrides WEAKLINK_ADDR)", func(s string) error {
		addr = s
		return config.CheckAddr(s) // a malformed address is a usage error, like a malformed WEAKLINK_ADDR
	})
	noMigrate := fs.Bool("no-migrate", false, "do not apply pending migrations at start (overrides WEAKLINK_AUTO_MIGRATE)")
	withDemo := fs.Bool("demo", false, "load the demo register into a database with no suppliers and print an admin key, "+
		"or serve the demo loaded earlier; any other register is refused")
	if _, err := parse("serve", fs, args); err != nil {
		return err
	}
	cfg, err := inv.config()
	if err != nil {
		return err
	}
	if addr != "" {
		cfg.Addr = addr
	}
	if *noMigrate {
		cfg.AutoMigrate = false
	}
	var target demoTarget
	if *withDemo {
		cfg, target = demoDatabase(inv, cfg)
	}
	// Bind before anything else: a start that cannot listen changes nothing (no
	// migration, no bootstrap key), and "listening" is only logged once it is true.
	ln, err := listen(cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var pprofLn net.Listener
	if cfg.PprofAddr != "" {
		if pprofLn, err = listen(cfg.PprofAddr); err != nil {
			return err
		}
		defer pprofLn.Close()
	}
	use := schemaBehindAllowed
	switch {
	case cfg.AutoMigrate:
		use = schemaMigrate
	case *withDemo:
		use = schemaPopulate // a database with no tables is migrated to hold the demo
	}
	a, err := inv.open(ctx, cfg, use)
	if err != nil {
		return err
	}
	defer a.close()
	if a.migrated > 0 {
		a.log.Info("applied pending migrations", "count", a.migrated)
	}
	if *withDemo {
		target.serving = ln.Addr().String()
		if err := serveDemo(ctx, inv, a, target); err != nil {
			return err
		}
	} else {
		warnIfDemo(ctx, a)
	}
	key, secret, err := a.svc.BootstrapAdminKey(ctx)
	if err != nil {
		return fmt.Errorf("bootstrap admin key: %w", err)
	}
	if secret != "" {
		fmt.Fprintf(inv.stderr, "\nNo API key existed, so an admin key named %q (id %s) was created.\n"+
			"Its secret is shown only this once — store it now, then create narrower keys with it:\n\n    %s\n\n",
			key.Name, key.ID, secret)
	}
	handler, err := newHandler(inv, a)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	upkeep, stopUpkeep := context.WithCancel(ctx)
	upkeepDone := make(chan struct{})
	purgeDone := make(chan struct{})
	go func() { defer close(upkeepDone); keepRiskCurrent(upkeep, a.svc, a.log, a.svc.Now) }()
	go func() { defer close(purgeDone); purgeExpired(upkeep, a.svc, a.log) }()
	defer func() { stopUpkeep(); <-upkeepDone; <-purgeDone }()
	listening := []any{"addr", ln.Addr().String(), "database", string(a.store.Dialect()), "version", inv.prog.version(),
		"audit_hash", a.svc.AuditHashAlgorithm()}
	if pprofLn != nil {
		defer profilingServer(pprofLn).Close()
		listening = append(listening, "pprof", pprofLn.Addr().String())
	}
	a.log.Info("weaklink listening", listening...)
	if current, err := a.store.MigrationsCurrent(ctx); use == schemaBehindAllowed && err == nil && !current {
		a.log.Warn("the database schema is behind: /readyz answers 503 until `weaklink migrate up` runs")
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down: finishing in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	a.log.Info("stopped")
	return nil
}

// listen binds addr, naming the address and the cause when it cannot ("bind: address
// already in use" rather than the whole "listen tcp …").
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Err != nil {
			err = op.Err
		}
		return nil, fmt.Errorf("serve: cannot listen on %s: %w", addr, err)
	}
	return ln, nil
}

// newHandler builds the HTTP layer on the register service: the one place the
// command line wires api.
func newHandler(inv *invocation, a *app) (http.Handler, error) {
	return api.New(api.Config{TrustedProxies: a.cfg.TrustedProxies, PublicURL: a.cfg.PublicURL, RateLimit: a.cfg.RateLimit,
		RateBurst: a.cfg.RateBurst, Spec: inv.prog.Spec, Logger: a.log},
		api.NewServices(a.svc, a.reports, a.sheets, a.store))
}
