package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/weaklink/weaklink/internal/config"
	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
)

// reportCmd runs `weaklink report generate|render`.
func reportCmd(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	usage := errors.New("usage: weaklink report generate [--quarter 2026-Q4] [--regenerate] | weaklink report render ID --format json|html|pdf|xlsx|csv [-o FILE]")
	if len(args) == 0 {
		return usage
	}
	st, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	scfg, fcfg, err := scoringConfig(cfg.Scoring)
	if err != nil {
		return err
	}
	svc := quarterly.New(register.New(st, nil).WithScoring(scfg).WithFlags(fcfg), st)
	switch args[0] {
	case "generate":
		fs := flag.NewFlagSet("report generate", flag.ContinueOnError)
		quarter := fs.String("quarter", "", "calendar quarter such as 2026-Q4 (default: the current one)")
		regenerate := fs.Bool("regenerate", false, "store a new revision even if the quarter has a report")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		r, created, err := svc.GenerateReport(ctx, register.SystemActor("report generate"), *quarter, *regenerate)
		if err != nil {
			return err
		}
		state := "stored"
		if !created {
			state = "already stored"
		}
		fmt.Fprintf(stdout, "%s %s revision %d (%s): %s\n", r.Snapshot.Quarter, state, r.Snapshot.Revision,
			r.Snapshot.AsOf.Format("2006-01-02T15:04:05Z07:00"), r.Snapshot.ID)
	case "render":
		if len(args) < 2 {
			return usage
		}
		fs := flag.NewFlagSet("report render", flag.ContinueOnError)
		format := fs.String("format", "json", "json, html, pdf, xlsx or csv")
		out := fs.String("o", "", "file to write (default: standard output)")
		if err := fs.Parse(args[2:]); err != nil {
			return err
		}
		r, err := svc.RenderReport(ctx, args[1], *format)
		if err != nil {
			return err
		}
		if *out == "" {
			_, err = stdout.Write(r.Body)
		} else {
			err = os.WriteFile(*out, r.Body, 0o644)
		}
		if err != nil {
			return err
		}
		return svc.RecordReportDownload(ctx, register.SystemActor("report render"), args[1], *format)
	default:
		return usage
	}
	return nil
}
