package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheetio"
)

// runImport runs `weaklink import FILE [--dry-run]`: the format comes from the
// file's extension. A file the register rejects prints every problem on stderr and
// changes nothing.
func runImport(ctx context.Context, inv *invocation, args []string) error {
	fs := newFlags("import")
	dryRun := fs.Bool("dry-run", false, "check the file and report what would change, changing nothing")
	pos, err := parse("import", fs, args, "FILE")
	if err != nil {
		return err
	}
	// The configuration, then the file, then the database: a wrong file is named as
	// such whatever the state of the database.
	cfg, err := inv.config()
	if err != nil {
		return err
	}
	path := pos[0]
	format, ok := sheetio.ParseSheetFormat(strings.TrimPrefix(filepath.Ext(path), "."))
	if !ok {
		return fmt.Errorf("import: %s: the file name must end in .csv or .xlsx", path)
	}
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer file.Close()
	a, err := inv.open(ctx, cfg, schemaCurrent)
	if err != nil {
		return err
	}
	defer a.close()
	res, err := a.sheets.ImportSheet(ctx, register.SystemActor("import"), file, format, *dryRun)
	var de *register.Error
	if errors.As(err, &de) && de.Code == register.CodeInvalid {
		for _, fe := range de.Fields {
			fmt.Fprintln(inv.stderr, describeProblem(fe))
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
	fmt.Fprintf(inv.stdout, "%s %s: %d row(s)\n", verb, path, res.Rows)
	fmt.Fprintf(inv.stdout, "suppliers: %d created, %d updated, %d unchanged\n",
		res.Suppliers.Created, res.Suppliers.Updated, res.Suppliers.Unchanged)
	fmt.Fprintf(inv.stdout, "data holdings: %d created, %d updated, %d unchanged\n",
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
