package sheetio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheetio"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

var (
	t0     = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	editor = register.Actor{KeyID: "01900000-0000-7000-8000-000000000001", Name: "procurement", Role: register.RoleEditor}
)

// services is the register with its spreadsheet import and export beside it, as
// the HTTP layer and the command line wire them.
type services struct {
	*register.Service
	*sheets
}

type sheets = sheetio.Service

func newService(t *testing.T, st *store.Store) (services, *testdb.Clock) {
	clock := testdb.NewClock(t0)
	reg := register.New(st, clock.Now)
	return services{reg, sheetio.New(reg, st)}, clock
}

const header = "supplier_name,criticality,status,country,services,website,security_contact,breach_notification_hours," +
	"contract_start,contract_end,dpa_signed_at,certifications,notes,category,data_subjects,record_count,purpose,locations," +
	"transfer_mechanism,retention_period,retention_until,held_since\n"

func importCSV(t *testing.T, svc services, csv string, dryRun bool) (sheetio.ImportResult, error) {
	t.Helper()
	return svc.ImportSheet(context.Background(), editor, strings.NewReader(csv), sheetio.SheetCSV, dryRun)
}

// dbState is what a failed import must leave exactly as it was.
type dbState struct {
	Suppliers, Holdings, Events int
	HeadSeq                     int64
	HeadHash                    string
	Export                      [][]string
}

func stateOf(t *testing.T, st *store.Store, svc services) dbState {
	t.Helper()
	db, err := testdb.RawDB(st)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s dbState
	for _, q := range []struct {
		sql string
		dst any
	}{
		{"SELECT COUNT(*) FROM suppliers", &s.Suppliers},
		{"SELECT COUNT(*) FROM data_holdings", &s.Holdings},
		{"SELECT COUNT(*) FROM audit_events", &s.Events},
		{"SELECT seq FROM audit_head", &s.HeadSeq},
		{"SELECT hash FROM audit_head", &s.HeadHash},
	} {
		if err := db.QueryRow(q.sql).Scan(q.dst); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	if s.Export, err = svc.ExportRegister(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// seedRegister stores one supplier with one holding through the single-item use cases.
func seedRegister(t *testing.T, svc services) register.Supplier {
	t.Helper()
	ctx := context.Background()
	s, err := svc.CreateSupplier(ctx, editor, register.SupplierFields{Name: "Quayside Mail", Criticality: "high", Country: ptr("GB"),
		Services: "bulk email", Certifications: []register.Certification{{Scheme: "iso27001", ExpiresAt: "2027-06-30"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateHolding(ctx, editor, s.ID, register.HoldingFields{Category: "contact_details",
		DataSubjects: []string{"members"}, RecordCount: ptr(int64(600000)), Locations: []string{"GB"}}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestImportCreatesUpdatesAndAudits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		ctx := context.Background()
		quay := seedRegister(t, svc)
		before := stateOf(t, st, svc)
		csv := header +
			// Existing supplier, matched ignoring case in the key (same spelling here): criticality changes,
			// its contact_details holding grows, and it gains a political_opinions holding.
			"Quayside Mail,critical,active,gb,bulk email,,,,,,,iso27001:2027-06-30,,contact_details,members,650000,,GB,,,,\n" +
			"Quayside Mail,critical,active,GB,bulk email,,,,,,,iso27001:2027-06-30,,political_opinions,members; Supporters,600000,membership,GB,,,,\n" +
			"Harbour Print,low,onboarding,IE,,,,,,,,,,,,,,,,,,\n" +
			"Dockside Data,Medium,,US,,https://dockside.example,sec@dockside.example,72,2024-01-01,2026-12-31,2024-02-01," +
			"soc2:SOC-1:2027-01-31,,health,patients,\"1,200\",,US,scc,P7Y,,2024-03-01\n"
		res, err := importCSV(t, svc, csv, false)
		if err != nil {
			t.Fatal(err)
		}
		want := sheetio.ImportResult{Rows: 4, Suppliers: sheetio.ImportCounts{Created: 2, Updated: 1},
			Holdings: sheetio.ImportCounts{Created: 2, Updated: 1}}
		if res != want {
			t.Fatalf("result %+v, want %+v", res, want)
		}
		got, err := svc.GetSupplier(ctx, quay.ID)
		if err != nil || got.Criticality != "critical" || got.Version != 2 {
			t.Fatalf("Quayside after import: %+v, %v", got, err)
		}
		page, err := svc.ListSuppliers(ctx, register.SupplierFilter{Q: "dockside"})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("Dockside: %+v, %v", page, err)
		}
		dock := page.Items[0]
		if dock.Criticality != "medium" || dock.Status != "active" || *dock.BreachNotificationHours != 72 ||
			!reflect.DeepEqual(dock.Certifications, []register.Certification{{Scheme: "soc2", Reference: "SOC-1", ExpiresAt: "2027-01-31"}}) {
			t.Fatalf("Dockside: %+v", dock)
		}
		hs, err := svc.ListHoldings(ctx, dock.ID, nil, "", 0)
		if err != nil || len(hs.Items) != 1 || *hs.Items[0].RecordCount != 1200 || *hs.Items[0].TransferMechanism != "scc" {
			t.Fatalf("Dockside holdings: %+v, %v", hs, err)
		}

		// One audit event per change, chained in order: supplier, then its holdings.
		audit, err := svc.ListAudit(ctx, register.AuditFilter{Limit: 6})
		if err != nil {
			t.Fatal(err)
		}
		var trail []string
		for i := len(audit.Items) - 1; i >= 0; i-- {
			e := audit.Items[i]
			trail = append(trail, e.Action+" "+e.ResourceType)
			if e.ActorKeyID != editor.KeyID {
				t.Errorf("event %d actor %q", e.Seq, e.ActorKeyID)
			}
		}
		wantTrail := []string{"update supplier", "update data_holding", "create data_holding", "create supplier", "create supplier", "create data_holding"}
		if !reflect.DeepEqual(trail, wantTrail) {
			t.Fatalf("audit trail %v, want %v", trail, wantTrail)
		}
		if c := audit.Items[5].Changes; len(c) != 1 || c["criticality"].Before != "high" || c["criticality"].After != "critical" {
			t.Fatalf("supplier update changes %+v", c)
		}
		rep, err := svc.VerifyAudit(ctx)
		if err != nil || rep.Events != int64(before.Events+6) {
			t.Fatalf("verify: %+v, %v", rep, err)
		}

		// The same file again changes nothing and records nothing.
		res, err = importCSV(t, svc, csv, false)
		want = sheetio.ImportResult{Rows: 4, Suppliers: sheetio.ImportCounts{Unchanged: 3}, Holdings: sheetio.ImportCounts{Unchanged: 3}}
		if err != nil || res != want {
			t.Fatalf("second import %+v, %v; want %+v", res, err, want)
		}
		if after, err := svc.VerifyAudit(ctx); err != nil || after != rep {
			t.Fatalf("second import wrote audit events: %+v", after)
		}
	})
}

func TestFailingImportLeavesDatabaseUntouched(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		seedRegister(t, svc)
		before := stateOf(t, st, svc)
		csv := header +
			"Good Supplier,low,,,,,,,,,,,,,,,,,,,,\n" + // row 2: fine
			"Quayside Mail,severe,,,,,,,,,,,,contact_details,members,lots,,,,,,\n" + // 3: bad criticality, bad count
			",high,,,,,,,,,,,,,,,,,,,,\n" + // 4: no name
			"Bad Dates,high,,,,,,,2024-02-30,,2099-01-01,iso27001,,,,,,,,,,\n" + // 5: dates, certification
			"Unknown Category,high,,,,,,,,,,,,mystery_data,staff,5,,UK,,,,\n" + // 6: category, location
			"Unknown Category,low,,,,,,,,,,,,health,staff,5,,GB,,,,\n" + // 7: disagrees with row 6
			"Unknown Category,high,,,,,,,,,,,,health,staff,6,,GB,,,,\n" + // 8: repeats row 7's category
			"Orphan Holding,high,,,,,,,,,,,,,staff,5,,,,,,\n" + // 9: holding without category
			`"=HYPERLINK(""https://evil.example"",""x"")",high,,,,,,,,,,,,,,,,,,,,` + "\n" // 10: fine (text)
		_, err := importCSV(t, svc, csv, false)
		var de *register.Error
		if !errors.As(err, &de) || de.Code != register.CodeInvalid {
			t.Fatalf("err %v, want invalid", err)
		}
		var got []string
		for _, f := range de.Fields {
			got = append(got, fmt.Sprintf("%d %s %s", f.Row, f.Column, f.Field))
			if !strings.HasPrefix(f.Field, fmt.Sprintf("rows[%d].", f.Row)) || f.Message == "" {
				t.Errorf("field error %+v", f)
			}
		}
		want := []string{
			"3 record_count rows[3].record_count",
			"3 criticality rows[3].criticality",
			"4 supplier_name rows[4].supplier_name",
			"5 certifications rows[5].certifications[0]",
			"5 contract_start rows[5].contract_start",
			"5 dpa_signed_at rows[5].dpa_signed_at",
			"6 locations rows[6].locations[0]",
			"6 category rows[6].category",
			"7 criticality rows[7].criticality",
			"8 category rows[8].category",
			"9 category rows[9].category",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("errors:\n%s\nwant:\n%s\n(%v)", strings.Join(got, "\n"), strings.Join(want, "\n"), err)
		}
		if after := stateOf(t, st, svc); !reflect.DeepEqual(after, before) {
			t.Fatalf("database changed:\nbefore %+v\nafter  %+v", before, after)
		}
	})
}

func TestDryRunWritesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		seedRegister(t, svc)
		before := stateOf(t, st, svc)
		res, err := importCSV(t, svc, header+"New One,low,,,,,,,,,,,,health,staff,1,,,,,,\nQuayside Mail,low,,,,,,,,,,,,,,,,,,,,\n", true)
		want := sheetio.ImportResult{DryRun: true, Rows: 2, Suppliers: sheetio.ImportCounts{Created: 1, Updated: 1},
			Holdings: sheetio.ImportCounts{Created: 1}}
		if err != nil || res != want {
			t.Fatalf("dry run %+v, %v; want %+v", res, err, want)
		}
		if after := stateOf(t, st, svc); !reflect.DeepEqual(after, before) {
			t.Fatal("a dry run changed the database")
		}
		if _, err := importCSV(t, svc, header+"New One,none,,,,,,,,,,,,,,,,,,,,\n", true); register.ErrorCode(err) != register.CodeInvalid {
			t.Fatalf("invalid dry run: %v", err)
		}
	})
}

// A sheet without a column leaves that column's stored values alone.
func TestMissingColumnsKeepStoredValues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc, _ := newService(t, st)
		quay := seedRegister(t, svc)
		res, err := importCSV(t, svc, "Supplier Name,Status,category,record_count\nQUAYSIDE MAIL,offboarding,contact_details,10\n", false)
		if err != nil || res.Suppliers.Updated != 1 || res.Holdings.Updated != 1 {
			t.Fatalf("%+v, %v", res, err)
		}
		got, _ := svc.GetSupplier(context.Background(), quay.ID)
		if got.Name != "QUAYSIDE MAIL" || got.Status != "offboarding" || got.Criticality != "high" || *got.Country != "GB" ||
			got.Services != "bulk email" || len(got.Certifications) != 1 {
			t.Fatalf("after partial import: %+v", got)
		}
		hs, _ := svc.ListHoldings(context.Background(), quay.ID, nil, "", 0)
		if h := hs.Items[0]; *h.RecordCount != 10 || !reflect.DeepEqual(h.DataSubjects, []string{"members"}) {
			t.Fatalf("holding after partial import: %+v", h)
		}
	})
}

// The export, imported into the same register, changes nothing; imported into an
// empty one, it recreates the register, which then exports the same rows.
func TestExportRoundTrips(t *testing.T) {
	for _, d := range testdb.Dialects() {
		for _, f := range sheetio.SheetFormats {
			t.Run(string(d)+"/"+string(f), func(t *testing.T) {
				st := testdb.Open(t, d)
				svc, _ := newService(t, st)
				seedRegister(t, svc)
				csv := header +
					`"=HYPERLINK(""https://evil.example"",""click"")",high,exited,,"-dash, then ""quotes""",,,0,,,,` +
					`iso27001:REF:with\;semi:2027-06-30; soc2:2026-01-31,"'quoted
two lines",health,patients;  Staff ,0,care,US;GB,idta,P18M,2030-01-01,2020-01-01` + "\n" +
					"No Holdings Ltd,low,,,,,,,,,,,,,,,,,,,,\n"
				if _, err := importCSV(t, svc, csv, false); err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := svc.ExportSheet(context.Background(), &buf, f); err != nil {
					t.Fatal(err)
				}
				exported := buf.Bytes()
				before := stateOf(t, st, svc)
				if len(before.Export) != 3 {
					t.Fatalf("export rows %q", before.Export)
				}

				res, err := svc.ImportSheet(context.Background(), editor, bytes.NewReader(exported), f, false)
				want := sheetio.ImportResult{Rows: 3, Suppliers: sheetio.ImportCounts{Unchanged: 3}, Holdings: sheetio.ImportCounts{Unchanged: 2}}
				if err != nil || res != want {
					t.Fatalf("re-import %+v, %v; want %+v", res, err, want)
				}
				if after := stateOf(t, st, svc); !reflect.DeepEqual(after, before) {
					t.Fatalf("re-import changed the database")
				}

				empty := testdb.Open(t, d)
				fresh, _ := newService(t, empty)
				res, err = fresh.ImportSheet(context.Background(), editor, bytes.NewReader(exported), f, false)
				want = sheetio.ImportResult{Rows: 3, Suppliers: sheetio.ImportCounts{Created: 3}, Holdings: sheetio.ImportCounts{Created: 2}}
				if err != nil || res != want {
					t.Fatalf("import into an empty register %+v, %v; want %+v", res, err, want)
				}
				if again := stateOf(t, empty, fresh).Export; !reflect.DeepEqual(again, before.Export) {
					t.Fatalf("recreated register exports\n%q\nwant\n%q", again, before.Export)
				}

				// The formula is stored as text and exported neutralised.
				page, _ := svc.ListSuppliers(context.Background(), register.SupplierFilter{Q: "hyperlink"})
				if len(page.Items) != 1 || page.Items[0].Name != `=HYPERLINK("https://evil.example","click")` {
					t.Fatalf("stored %+v", page.Items)
				}
				if f == sheetio.SheetCSV && !bytes.Contains(exported, []byte(`"'=HYPERLINK(""https://evil.example"",""click"")"`)) {
					t.Fatalf("export does not neutralise the formula:\n%s", exported)
				}
			})
		}
	}
}

func TestUnreadableFilesAreInvalid(t *testing.T) {
	svc, _ := newService(t, testdb.Open(t, store.SQLite))
	cases := []struct {
		name, body string
		format     sheetio.SheetFormat
		want       string // field: message of the first error
	}{
		{"not a workbook", "supplier_name\nA\n", sheetio.SheetXLSX, "body: is not an XLSX workbook"},
		{"no header", "", sheetio.SheetCSV, "body: has no header row"},
		{"unknown column", "supplier_name,colour\n", sheetio.SheetCSV, "header: is not a column"},
		{"stray value", "supplier_name\nA,b\n", sheetio.SheetCSV, "rows[2]: has a value but no column name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.ImportSheet(context.Background(), editor, strings.NewReader(tc.body), tc.format, false)
			var de *register.Error
			if !errors.As(err, &de) || de.Code != register.CodeInvalid || len(de.Fields) == 0 ||
				!strings.HasPrefix(de.Fields[0].Field+": "+de.Fields[0].Message, tc.want) {
				t.Fatalf("err %v, want %s", err, tc.want)
			}
		})
	}
}

// BenchmarkImport10000Rows imports 10,000 rows (2,500 suppliers with four holdings
// each) into an empty register: parsing, validation, batched writes and audit.
func BenchmarkImport10000Rows(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(header)
	cats := []string{"contact_details", "financial", "health", "political_opinions"}
	for i := 0; i < 10000; i++ {
		s := i / 4
		fmt.Fprintf(&sb, "Supplier %05d,high,active,GB,services,https://s%d.example,sec@s%d.example,24,2024-01-01,2027-12-31,2024-02-01,"+
			"iso27001:2027-06-30,notes,%s,members; supporters,%d,purpose,GB; US,idta,P7Y,2030-01-01,2024-03-01\n", s, s, s, cats[i%4], 1000+i)
	}
	csv := sb.String()
	for _, d := range testdb.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st := testdb.Open(b, d)
				reg := register.New(st, nil)
				svc := services{reg, sheetio.New(reg, st)}
				b.StartTimer()
				res, err := svc.ImportSheet(context.Background(), editor, strings.NewReader(csv), sheetio.SheetCSV, false)
				if err != nil || res.Holdings.Created != 10000 {
					b.Fatalf("%+v, %v", res, err)
				}
			}
		})
	}
}

// A file with more problems than sheet.MaxProblems lists that many and says how
// many more there are; a number written ambiguously is one of them.
func TestImportProblemsAreCapped(t *testing.T) {
	svc, _ := newService(t, testdb.Open(t, store.SQLite))
	var b strings.Builder
	b.WriteString("supplier_name,criticality,category,data_subjects,record_count\n")
	for i := 0; i < 700; i++ {
		fmt.Fprintf(&b, "S%d,severe,health,patients,600.000\n", i)
	}
	_, err := importCSV(t, svc, b.String(), true)
	var de *register.Error
	if !errors.As(err, &de) || len(de.Fields) != 1001 {
		t.Fatalf("err %v", err)
	}
	if f := de.Fields[0]; f.Field != "rows[2].record_count" || !strings.HasPrefix(f.Message, "is ambiguous") {
		t.Errorf("first problem %+v", f)
	}
	if last := de.Fields[1000]; last.Field != "body" || last.Message != "has 400 more problems not listed here; correct those listed and import the file again" {
		t.Errorf("last problem %+v", last)
	}
}
