package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/weaklink/weaklink/internal/sheetio"
)

// runExport runs `weaklink export [--format csv|xlsx] [-o FILE]`. Without --format
// the format follows -o's extension, else CSV; without -o (or with -o -) the file
// goes to stdout.
func runExport(ctx context.Context, inv *invocation, args []string) error {
	fs := newFlags("export")
	formatFlag := fs.String("format", "", "csv or xlsx (default: from -o's extension, else csv)")
	out := fs.String("o", "", "file to write, readable by its owner only (default: standard output)")
	if _, err := parse("export", fs, args); err != nil {
		return err
	}
	cfg, err := inv.config()
	if err != nil {
		return err
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
	a, err := inv.open(ctx, cfg, schemaCurrent)
	if err != nil {
		return err
	}
	defer a.close()
	var buf bytes.Buffer
	if err := a.sheets.ExportSheet(ctx, &buf, format); err != nil {
		return err
	}
	if err := writeOutput(inv.stdout, *out, buf.Bytes()); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if toFile(*out) {
		fmt.Fprintf(inv.stdout, "wrote %s\n", *out)
	}
	return nil
}
