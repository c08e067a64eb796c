package api_test

import (
	"archive/zip"
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// exportAndReimport exports the register in both formats and imports each back,
// as a dry run and for real: nothing may change.
func exportAndReimport(t *testing.T, h *harness, suppliers, holdings int) {
	t.Helper()
	for _, f := range []struct{ format, ctype string }{{"csv", csvType + "; charset=utf-8"}, {"xlsx", xlsxType}} {
		file := h.validRequest(request{method: "GET", path: "/api/v1/exports?format=" + f.format, role: register.RoleViewer}).status(200).Body.Bytes()
		for _, query := range []string{"?dry_run=true", ""} {
			var ans importAnswer
			h.validRequest(request{method: "POST", path: "/api/v1/imports" + query, role: register.RoleEditor, contentType: f.ctype, body: file}).
				status(200).json(&ans)
			if ans.Suppliers.Unchanged != suppliers || ans.DataHoldings.Unchanged != holdings ||
				ans.Suppliers.Created+ans.Suppliers.Updated+ans.DataHoldings.Created+ans.DataHoldings.Updated != 0 {
				t.Fatalf("%s re-import%s: %+v, want %d suppliers and %d holdings unchanged\n%q", f.format, query, ans, suppliers, holdings, file)
			}
		}
	}
}

// Text is stored exactly as sent, line breaks included, and an export imported
// into the same register changes nothing, in CSV as in XLSX.
func TestExportImportKeepsLineBreaks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		// The input.
		crlf := h.validRequest(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor,
			body: map[string]any{"name": "CRLF Notes Ltd", "criticality": "low", "notes": "line one\r\nline two"}}).status(201).object()
		file := h.validRequest(request{method: "GET", path: "/api/v1/exports?format=csv", role: register.RoleViewer}).status(200).Body.String()
		if !strings.Contains(file, "\"line one\r\nline two\"") {
			t.Fatalf("export %q", file)
		}
		var ans importAnswer
		h.validRequest(request{method: "POST", path: "/api/v1/imports?dry_run=true", role: register.RoleEditor, contentType: csvType, body: file}).
			status(200).json(&ans)
		if ans.Suppliers.Updated != 0 || ans.Suppliers.Unchanged != 1 {
			t.Fatalf("dry run of the export: %+v", ans)
		}

		// Every kind of line break in every free-text column.
		for name, br := range map[string]string{"CRLF": "\r\n", "CR": "\r", "LF": "\n"} {
			text := func(col string) string { return col + " one" + br + "two" + br }
			sup := h.validRequest(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor,
				body: map[string]any{"name": name + " Ltd", "criticality": "low", "notes": text("notes"), "services": text("services")}}).status(201).object()
			h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + sup["id"].(string) + "/data-holdings", role: register.RoleEditor,
				body: map[string]any{"category": "health", "data_subjects": []string{"patients"}, "record_count": 5, "purpose": text("purpose")}}).status(201)
		}
		exportAndReimport(t, h, 4, 3)
		// Stored as sent (surrounding space trimmed, as every write does), after two imports.
		var page struct {
			Items []struct{ Name, Notes, Services string }
		}
		h.do(request{method: "GET", path: "/api/v1/suppliers?sort=name", role: register.RoleViewer}).status(200).json(&page)
		brs := map[string]string{"CRLF Ltd": "\r\n", "CR Ltd": "\r", "LF Ltd": "\n"}
		for _, s := range page.Items {
			if br, ok := brs[s.Name]; ok && (s.Notes != "notes one"+br+"two" || s.Services != "services one"+br+"two") {
				t.Errorf("%s: notes %q, services %q", s.Name, s.Notes, s.Services)
			}
		}
		got := h.do(request{method: "GET", path: "/api/v1/suppliers/" + crlf["id"].(string), role: register.RoleViewer}).status(200).object()
		if got["notes"] != "line one\r\nline two" || got["version"] != float64(1) {
			t.Fatalf("after the imports: %v", got)
		}
	})
}

// A data subject may hold any character through the JSON API, commas and
// semicolons included; exports escape them and imports read them back unchanged.
// A list cell typed with commas is a list.
func TestListCellsRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		subjects := []string{`back\slash`, "members, past; present", "supporters"}
		sup := h.validRequest(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor,
			body: map[string]any{"name": "Lists Ltd", "criticality": "low",
				"certifications": []map[string]any{{"scheme": "soc2", "reference": "A,B;C", "expires_at": "2027-01-31"}}}}).status(201).object()
		holdingPath := "/api/v1/suppliers/" + sup["id"].(string) + "/data-holdings"
		h.validRequest(request{method: "POST", path: holdingPath, role: register.RoleEditor,
			body: map[string]any{"category": "health", "data_subjects": subjects, "record_count": 5, "locations": []string{"GB", "US"}}}).status(201)
		file := h.validRequest(request{method: "GET", path: "/api/v1/exports?format=csv", role: register.RoleViewer}).status(200).Body.String()
		for _, want := range []string{`back\\slash; members\, past\; present; supporters`, `soc2:A\,B\;C:2027-01-31`, `GB; US`} {
			if !strings.Contains(file, want) {
				t.Errorf("export lacks %s:\n%s", want, file)
			}
		}
		exportAndReimport(t, h, 1, 1)
		var holdings struct {
			Items []struct {
				DataSubjects []string `json:"data_subjects"`
			}
		}
		h.do(request{method: "GET", path: holdingPath, role: register.RoleViewer}).status(200).json(&holdings)
		if len(holdings.Items) != 1 || !reflect.DeepEqual(holdings.Items[0].DataSubjects, subjects) {
			t.Fatalf("subjects after the round trip: %+v", holdings.Items)
		}

		// Typed by a person: commas and semicolons both separate.
		var ans importAnswer
		h.validRequest(request{method: "POST", path: "/api/v1/imports", role: register.RoleEditor, contentType: csvType,
			body: "supplier_name,criticality,category,data_subjects,record_count,locations\nTyped Ltd,low,health,\"members, supporters;staff\",5,\"GB,US\"\n"}).
			status(200).json(&ans)
		var page struct{ Items []struct{ ID string } }
		h.do(request{method: "GET", path: "/api/v1/suppliers?q=typed", role: register.RoleViewer}).status(200).json(&page)
		var typed struct {
			Items []struct {
				DataSubjects []string `json:"data_subjects"`
				Locations    []string
			}
		}
		h.do(request{method: "GET", path: "/api/v1/suppliers/" + page.Items[0].ID + "/data-holdings", role: register.RoleViewer}).status(200).json(&typed)
		if len(typed.Items) != 1 || !reflect.DeepEqual(typed.Items[0].DataSubjects, []string{"members", "staff", "supporters"}) ||
			!reflect.DeepEqual(typed.Items[0].Locations, []string{"GB", "US"}) {
			t.Fatalf("typed lists: %+v", typed.Items)
		}
	})
}

// A NUL in a cell is refused with its row and column, as the JSON API refuses it,
// and nothing is stored.
func TestImportRefusesNUL(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		xlsx := h.validRequest(request{method: "GET", path: "/api/v1/imports/template?format=xlsx", role: register.RoleViewer}).status(200).Body.Bytes()
		for _, tc := range []struct {
			ctype string
			body  []byte
		}{
			{csvType, []byte("supplier_name,criticality\nFine Ltd,low\nNul\x00Co,low\n")},
			{xlsxType, withDataRows(t, xlsx, `<row r="2"><c r="A2" t="inlineStr"><is><t>Fine Ltd</t></is></c><c r="B2" t="inlineStr"><is><t>low</t></is></c></row>`+
				`<row r="3"><c r="A3" t="inlineStr"><is><t>Nul_x0000_Co</t></is></c><c r="B3" t="inlineStr"><is><t>low</t></is></c></row>`)},
		} {
			res := h.validRequest(request{method: "POST", path: "/api/v1/imports", role: register.RoleEditor, contentType: tc.ctype, body: tc.body}).status(400)
			if errs := res.fieldErrors(); !reflect.DeepEqual(errs, []string{"rows[3].supplier_name: must not contain NUL characters"}) {
				t.Errorf("%s: %v", tc.ctype, errs)
			}
			if !strings.Contains(res.Body.String(), `"row":3`) || !strings.Contains(res.Body.String(), `"column":"supplier_name"`) {
				t.Errorf("%s: %s", tc.ctype, res.Body.String())
			}
		}
		if n := countSuppliers(h); n != 0 {
			t.Fatalf("%d suppliers stored", n)
		}
	})
}

// withDataRows adds raw rows to the data sheet of a workbook written by the export.
func withDataRows(t *testing.T, xlsx []byte, rows string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		part, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "xl/worksheets/sheet1.xml" {
			part = bytes.Replace(part, []byte("</sheetData>"), []byte(rows+"</sheetData>"), 1)
		}
		w, _ := zw.Create(f.Name)
		w.Write(part)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
