package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/weaklink/weaklink/internal/config"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheetio"
)

// importSheet runs `weaklink import FILE [--dry-run]`: the format comes from the
// file's extension. A file the register rejects prints every problem on stderr.
func importSheet(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	const usage = "usage: weaklink import FILE [--dry-run]"
	path, dryRun := "", false
	for _, a := range args {
		switch {
		case a == "--dry-run" || a == "-dry-run":
			dryRun = true
		case strings.HasPrefix(a, "-") || path != "":
			return errors.New(usage)
		default:
			path = a
		}
	}
	if path == "" {
		return errors.New(usage)
	}
	format, ok := sheetio.ParseSheetFormat(strings.TrimPrefix(filepath.Ext(path), "."))
	if !ok {
		return fmt.Errorf("import: %s: the file name must end in .csv or .xlsx", path)
	}
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer file.Close()
	st, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := sheetio.New(register.New(st, nil), st).ImportSheet(ctx, register.SystemActor("import"), file, format, dryRun)
	var de *register.Error
	if errors.As(err, &de) && de.Code == register.CodeInvalid {
		for _, fe := range de.Fields {
			fmt.Fprintln(stderr, describeProblem(fe))
		}
		return fmt.Errorf("%s: %d problem(s); nothing was imported", path, len(de.Fields))
	}
	if err != nil {
		return err
	}
	verb := "imported"
	if res.DryRun {
		verb = "dry run, nothing changed:"
	}
	fmt.Fprintf(stdout, "%s %s: %d row(s)\n", verb, path, res.Rows)
	fmt.Fprintf(stdout, "suppliers: %d created, %d updated, %d unchanged\n",
		res.Suppliers.Created, res.Suppliers.Updated, res.Suppliers.Unchanged)
	fmt.Fprintf(stdout, "data holdings: %d created, %d updated, %d unchanged\n",
		res.Holdings.Created, res.Holdings.Updated, res.Holdings.Unchanged)
	return nil
}

// describeProblem writes an import problem as "row 7, record_count: must be 0 or more".
func describeProblem(fe register.FieldError) string {
	switch {
	case fe.Row == 0:
		return "file: " + fe.Message
	case fe.Field == "header":
		return fmt.Sprintf("row %d (header), %s: %s", fe.Row, fe.Column, fe.Message)
	}
	where := strings.TrimPrefix(strings.TrimPrefix(fe.Field, fmt.Sprintf("rows[%d]", fe.Row)), ".")
	if where == "" {
		where = fe.Column
	}
	if where == "" {
		return fmt.Sprintf("row %d: %s", fe.Row, fe.Message)
	}
	return fmt.Sprintf("row %d, %s: %s", fe.Row, where, fe.Message)
}

// exportSheet runs `weaklink export [--format csv|xlsx] [-o FILE]`. Without
// --format the format follows -o's extension, else CSV; without -o the file goes
// to stdout.
func exportSheet(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	formatFlag := fs.String("format", "", "csv or xlsx")
	out := fs.String("o", "", "file to write (standard output when absent)")
	const usage = "usage: weaklink export [--format csv|xlsx] [-o FILE]"
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errors.New(usage)
	}
	format := sheetio.SheetCSV
	switch {
	case *formatFlag != "":
		f, ok := sheetio.ParseSheetFormat(*formatFlag)
		if !ok {
			return errors.New("export: --format must be csv or xlsx")
		}
		format = f
	case *out != "":
		if f, ok := sheetio.ParseSheetFormat(strings.TrimPrefix(filepath.Ext(*out), ".")); ok {
			format = f
		}
	}
	st, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	var buf bytes.Buffer
	if err := sheetio.New(register.New(st, nil), st).ExportSheet(ctx, &buf, format); err != nil {
		return err
	}
	if *out == "" || *out == "-" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	// The register holds personal data: the file is readable by its owner only.
	if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}
