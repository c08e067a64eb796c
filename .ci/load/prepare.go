package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// runPrepare writes what the measurements of one register need into -out:
// ids.txt, every live supplier's id (wrk and the workloads pick from it), and
// setup.env, the hub (the supplier with the most incoming sub-processor links) and an
// incident at it. The demo register rarely has an incident at its hub, so when it has
// none, one is recorded there through the API (once: a later prepare finds it).
func runPrepare(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("prepare", flag.ContinueOnError)
	var d dbFlags
	var a apiFlags
	d.register(fs)
	a.register(fs)
	out := fs.String("out", ".", "directory to write ids.txt and setup.env into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	ids, err := liveSupplierIDs(ctx, db)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "ids.txt"), []byte(strings.Join(ids, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	var hub struct {
		ID    string
		Links int
	}
	err = db.WithContext(ctx).Raw(`SELECT l.subprocessor_id AS id, COUNT(*) AS links
		FROM subprocessor_links l JOIN suppliers s ON s.id = l.subprocessor_id AND s.archived_at IS NULL
		GROUP BY l.subprocessor_id ORDER BY COUNT(*) DESC, l.subprocessor_id LIMIT 1`).Scan(&hub).Error
	if err != nil {
		return fmt.Errorf("find the hub: %w", err)
	}
	if hub.ID == "" {
		return fmt.Errorf("the register has no sub-processor link")
	}
	var incident string
	err = db.WithContext(ctx).Raw(`SELECT id FROM incidents WHERE supplier_id = ? ORDER BY aware_at DESC, id LIMIT 1`, hub.ID).
		Scan(&incident).Error
	if err != nil {
		return fmt.Errorf("find an incident at the hub: %w", err)
	}
	created := false
	if incident == "" {
		c, err := a.client(1)
		if err != nil {
			return err
		}
		var inc struct{ ID string }
		body := map[string]any{"supplier_id": hub.ID, "aware_at": time.Now().UTC().Add(-time.Hour).Truncate(time.Second).Format(time.RFC3339),
			"summary": "Load test: ransomware at the hosting hub"}
		if err := c.json(ctx, "POST", "/api/v1/incidents", body, &inc); err != nil {
			return fmt.Errorf("record an incident at the hub: %w", err)
		}
		incident, created = inc.ID, true
	}
	env := fmt.Sprintf("SUPPLIERS=%d\nHUB_ID=%s\nHUB_LINKS=%d\nINCIDENT_ID=%s\n", len(ids), hub.ID, hub.Links, incident)
	if err := os.WriteFile(filepath.Join(*out, "setup.env"), []byte(env), 0o644); err != nil {
		return err
	}
	how := "found"
	if created {
		how = "recorded through the API"
	}
	fmt.Fprintf(os.Stderr, "prepared %d supplier ids; hub %s has %d incoming links; incident %s %s\n",
		len(ids), hub.ID, hub.Links, incident, how)
	return nil
}

// runWait polls a URL until it answers 200, for at most -timeout: the service's
// /readyz, then a risk read (which answers 503 while the stored figures are built).
func runWait(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("wait", flag.ContinueOnError)
	target := fs.String("url", "", "http://127.0.0.1:PORT/path")
	keyEnv := fs.String("key-env", "", "environment variable holding an API key to send, if any")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(*target)
	if err != nil || u.Scheme != "http" {
		return fmt.Errorf("-url must be http://127.0.0.1:PORT/…, not %q", *target)
	}
	if err := loopbackOnly(u.Host); err != nil {
		return err
	}
	key := ""
	if *keyEnv != "" {
		key = os.Getenv(*keyEnv)
	}
	c := newClient(u.Scheme+"://"+u.Host, key, 1)
	c.http.Timeout = 10 * time.Second
	path := strings.TrimPrefix(*target, u.Scheme+"://"+u.Host)
	last := ""
	for end := time.Now().Add(*timeout); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		a, err := c.do(ctx, "GET", path, nil, nil)
		if err == nil && a.status == 200 {
			return nil
		}
		if err != nil {
			last = err.Error()
		} else {
			last = fmt.Sprintf("status %d", a.status)
		}
	}
	return fmt.Errorf("%s did not answer 200 within %s (last: %s)", path, *timeout, last)
}
