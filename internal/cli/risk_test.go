package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

func TestRiskVerifyFindsATamperedFigureAndRebuildMendsIt(t *testing.T) {
	c := newMigratedCLI(t)
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{SQLitePath: c.env["WEAKLINK_SQLITE_PATH"]})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := register.New(st, nil)
	ed := register.Actor{KeyID: "01900000-0000-7000-8000-000000000001", Name: "procurement", Role: register.RoleEditor}
	var ids []string
	for _, name := range []string{"Quayside Mail", "Harbour Print"} {
		s, err := svc.CreateSupplier(ctx, ed, register.SupplierFields{Name: name, Criticality: "high"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	if _, err := svc.CreateHolding(ctx, ed, ids[0], register.HoldingFields{Category: "political_opinions",
		DataSubjects: []string{"members"}, RecordCount: new(int64(40_000)), Purpose: "mailing"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateLink(ctx, ed, ids[0], register.LinkFields{SubprocessorID: ids[1], Categories: []string{"political_opinions"}}); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := c.run("risk", "verify"); code != 0 || !strings.Contains(out, "match a computation from scratch: 2 suppliers") {
		t.Fatalf("verify: exit %d, %s %s", code, out, errOut)
	}
	testdb.Exec(t, st, "UPDATE supplier_risk SET residual = 3, figures = '{}' WHERE supplier_id = '"+ids[1]+"'")
	code, out, errOut := c.run("risk", "verify")
	if code != 1 || !strings.Contains(out, "differs: "+ids[1]+` "Harbour Print": figures`) || !strings.Contains(errOut, "risk rebuild") {
		t.Fatalf("verify of a tampered row: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, out, errOut := c.run("risk", "rebuild"); code != 0 || !strings.Contains(out, "rebuilt: 2 suppliers") {
		t.Fatalf("rebuild: exit %d, %s %s", code, out, errOut)
	}
	if code, out, _ := c.run("risk", "verify"); code != 0 {
		t.Fatalf("verify after rebuild: exit %d, %s", code, out)
	}
	if code, _, errOut := c.run("risk", "mend"); code != 2 || !strings.Contains(errOut, "verify") {
		t.Fatalf("unknown subcommand: exit %d, %s", code, errOut)
	}
}
