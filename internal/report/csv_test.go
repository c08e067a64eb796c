package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestCSV(t *testing.T) {
	s := testSnapshot()
	b, err := Render(s, "csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatal("no UTF-8 byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(s.Suppliers)+1 {
		t.Fatalf("%d rows, want a header and %d suppliers", len(rows), len(s.Suppliers))
	}
	if got := strings.Join(rows[0], ","); got != "name,status,criticality,country,tier,inherent_tier,inherent,posture,posture_provisional,effective_posture,residual,records,people_at_least,people_at_most,categories,flags,last_assessed,next_reassessment_due,report_note" {
		t.Errorf("header %q", got)
	}
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[0]] = r
	}
	if _, ok := byName["'"+formulaName]; !ok {
		t.Errorf("formula name not neutralised; names: %v", keys(byName))
	}
	q := byName["Quayside Mail"]
	want := []string{"Quayside Mail", "active", "high", "GB", "critical", "critical", "82.5", "38.25", "false", "38.25", "77.41", "600000", "300000", "300000",
		"political_opinions; contact_details", "special_category_exposure; weak_posture; concentration (accepted)", "2026-10-14", "2027-04-14", ""}
	if strings.Join(q, "|") != strings.Join(want, "|") {
		t.Errorf("Quayside row\n got %q\nwant %q", q, want)
	}
	if n := byName["Northwind Payroll Ltd"]; n[7] != "" || n[8] != "false" || n[16] != "" || n[17] != "" {
		t.Errorf("unassessed supplier shows a posture, an assessment date or a due date: %q", n)
	}
	if b := byName["Brûlée Analytics SAS"]; b[7] != "61" || b[8] != "true" {
		t.Errorf("provisional posture not marked: %q", b)
	}
	for _, r := range rows[1:] {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q starts a formula", c)
			}
		}
	}
}

func keys(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
