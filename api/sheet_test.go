package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

const xlsxMedia = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// editSheet opens a workbook, lets edit change it, and returns the bytes.
func editSheet(t *testing.T, raw []byte, edit func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	edit(f)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rowOf finds the row of a question key on the Questionnaire sheet.
func rowOf(t *testing.T, f *excelize.File, key string) int {
	t.Helper()
	rows, err := f.GetRows("Questionnaire")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == key {
			return i + 1
		}
	}
	t.Fatalf("no row for %s", key)
	return 0
}

// The questionnaire as a workbook: a row per question with a drop-down of its
// options that refers to a hidden sheet; downloading and uploading it unchanged
// changes nothing; a filled one saves every answer and comment it lists, all or
// nothing, and a wrong cell (an unknown option, a formula, a question twice) is a
// 400 naming its row and column, with nothing saved; another assessment's workbook
// and other media types are refused; If-Match is honoured.
func TestAssessmentSheetRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		asm := draftAssessment(t, h, "Quayside Mail")
		all := answersWhere(loadBaseline(t), true)
		h.validRequest(request{method: "PATCH", path: "/api/v1/assessments/" + asm, role: register.RoleEditor,
			body: map[string]any{"answers": map[string]string{"offline_backups": all["offline_backups"]},
				"comments": map[string]string{"offline_backups": "=SUM(A1) is text here, not a formula"}}}).status(200)
		path := "/api/v1/assessments/" + asm + "/sheet"
		dl := h.validRequest(request{method: "GET", path: path + "?format=xlsx", role: register.RoleViewer}).status(200)
		if dl.Header().Get("Content-Type") != xlsxMedia || !strings.HasPrefix(dl.Header().Get("Content-Disposition"), "attachment; filename=questionnaire-") {
			t.Fatalf("download: %v", dl.Header())
		}
		raw := dl.Body.Bytes()
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		visible, _ := f.GetSheetVisible("Options")
		dvs, _ := f.GetDataValidations("Questionnaire")
		row := rowOf(t, f, "offline_backups")
		answer, _ := f.GetCellValue("Questionnaire", "F"+itoa(row))
		comment, _ := f.GetCellValue("Questionnaire", "G"+itoa(row))
		if visible || len(dvs) != 40 || !strings.HasPrefix(dvs[0].Formula1, "Options!$A$") || answer != all["offline_backups"] ||
			comment != "=SUM(A1) is text here, not a formula" || f.GetSheetList()[0] != "Instructions" {
			t.Fatalf("workbook: options visible %v, %d validations (%+v), answer %q, comment %q, sheets %v",
				visible, len(dvs), dvs[:1], answer, comment, f.GetSheetList())
		}
		f.Close()
		h.do(request{method: "GET", path: path + "?format=csv", role: register.RoleViewer}).status(400)

		// Unchanged: nothing changes.
		before := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm, role: register.RoleViewer}).status(200).object()
		same := h.do(request{method: "PUT", path: path, role: register.RoleEditor, body: raw, contentType: xlsxMedia}).status(200).object()
		if same["version"] != before["version"] {
			t.Fatalf("an unchanged workbook changed the assessment: version %v → %v", before["version"], same["version"])
		}

		// Refused: nothing saved.
		for _, tc := range []struct {
			name      string
			edit      func(f *excelize.File)
			row       int
			col, text string
		}{
			{"not an option", func(f *excelize.File) {
				_ = f.SetCellStr("Questionnaire", "F5", "sometimes")
			}, 5, "F", "is not an option"},
			{"a formula", func(f *excelize.File) {
				_ = f.SetCellFormula("Questionnaire", "G3", "CONCATENATE(\"a\",\"b\")")
			}, 3, "G", "formula"},
			{"a question twice", func(f *excelize.File) {
				_ = f.SetCellStr("Questionnaire", "A4", "security_certification")
			}, 4, "A", "again"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				bad := editSheet(t, raw, func(f *excelize.File) {
					for k, v := range all {
						_ = f.SetCellStr("Questionnaire", "F"+itoa(rowOf(t, f, k)), v)
					}
					tc.edit(f)
				})
				res := h.do(request{method: "PUT", path: path, role: register.RoleEditor, body: bad, contentType: xlsxMedia}).status(400)
				var p struct {
					Errors []register.FieldError `json:"errors"`
				}
				res.json(&p)
				if len(p.Errors) != 1 || p.Errors[0].Row != tc.row || p.Errors[0].Column != tc.col || !strings.Contains(p.Errors[0].Message, tc.text) {
					t.Fatalf("errors %+v", p.Errors)
				}
			})
		}
		if a := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm, role: register.RoleViewer}).status(200).object(); a["version"] != before["version"] {
			t.Fatalf("a refused workbook changed the assessment: %v", a)
		}
		other := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + draftAssessment(t, h, "Harbour Print") + "/sheet",
			role: register.RoleViewer}).status(200).Body.Bytes()
		h.do(request{method: "PUT", path: path, role: register.RoleEditor, body: other, contentType: xlsxMedia}).status(400)
		h.do(request{method: "PUT", path: path, role: register.RoleEditor, body: []byte("not a workbook"), contentType: xlsxMedia}).status(400)
		h.do(request{method: "PUT", path: path, role: register.RoleEditor, body: raw, contentType: "text/csv"}).status(415)
		h.do(request{method: "PUT", path: path, role: register.RoleEditor, body: raw, contentType: xlsxMedia,
			header: map[string]string{"If-Match": `"1"`}}).status(412)

		// Filled: every answer and the comments saved; an emptied comment cleared.
		filled := editSheet(t, raw, func(f *excelize.File) {
			for k, v := range all {
				_ = f.SetCellStr("Questionnaire", "F"+itoa(rowOf(t, f, k)), v)
			}
			_ = f.SetCellStr("Questionnaire", "G"+itoa(rowOf(t, f, "offline_backups")), "")
			_ = f.SetCellStr("Questionnaire", "G"+itoa(rowOf(t, f, "restore_testing")), "Full restore in March")
		})
		got := h.do(request{method: "PUT", path: path, role: register.RoleEditor, body: filled, contentType: xlsxMedia}).status(200).object()
		comments := got["comments"].(map[string]any)
		if len(got["answers"].(map[string]any)) != len(all) || comments["restore_testing"] != "Full restore in March" || comments["offline_backups"] != nil {
			t.Fatalf("after the filled workbook: %v", got)
		}
		h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + asm + "/submit", role: register.RoleEditor}).status(200)
		h.do(request{method: "PUT", path: path, role: register.RoleEditor, body: filled, contentType: xlsxMedia}).status(409)
	})
}

// The supplier's contact gets and sends the same workbook: as JSON with the link's
// secret, and from the page, where a refused workbook lists its wrong cells.
func TestPortalSheet(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		asm := draftAssessment(t, h, "Quayside Mail")
		_, secret := invite(t, h, asm)
		all := answersWhere(loadBaseline(t), true)
		raw := h.validRequest(request{method: "GET", path: "/portal/api/assessment/sheet", key: secret}).status(200).Body.Bytes()
		filled := editSheet(t, raw, func(f *excelize.File) {
			for k, v := range all {
				_ = f.SetCellStr("Questionnaire", "F"+itoa(rowOf(t, f, k)), v)
			}
		})
		v := h.do(request{method: "PUT", path: "/portal/api/assessment/sheet", key: secret, body: filled, contentType: xlsxMedia}).status(200).object()
		if len(v["answers"].(map[string]any)) != len(all) {
			t.Fatalf("after the workbook: %v", v["answers"])
		}

		b := &browser{h: h}
		b.open(secret).status(200)
		page := b.page().status(200).Body.String()
		if !strings.Contains(page, `href="/portal/assessment/sheet"`) || !strings.Contains(page, `action="/portal/assessment/sheet"`) {
			t.Fatalf("no workbook controls:\n%s", page)
		}
		sheet := h.do(request{method: "GET", path: "/portal/assessment/sheet", header: map[string]string{"Cookie": "weaklink_portal=" + b.cookie}}).status(200)
		if sheet.Header().Get("Content-Type") != xlsxMedia {
			t.Fatalf("page download: %v", sheet.Header())
		}
		send := func(csrf string, content []byte) *response {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("csrf_token", csrf)
			w, _ := mw.CreateFormFile("sheet", "questionnaire.xlsx")
			_, _ = w.Write(content)
			_ = mw.Close()
			return h.do(request{method: "POST", path: "/portal/assessment/sheet", body: buf.Bytes(), contentType: mw.FormDataContentType(),
				header: map[string]string{"Cookie": "weaklink_portal=" + b.cookie}})
		}
		wrong := editSheet(t, sheet.Body.Bytes(), func(f *excelize.File) {
			_ = f.SetCellStr("Questionnaire", "F7", "perhaps")
			_ = f.SetCellStr("Questionnaire", "G9", "my comment")
		})
		res := send(b.csrf, wrong).status(http.StatusBadRequest)
		if !strings.Contains(res.Body.String(), "Row 7, column F:") || !strings.Contains(res.Body.String(), "<details class=\"sheet\" id=\"sheet\" open>") {
			t.Fatalf("refused workbook:\n%s", res.Body.String())
		}
		send("forged", filled).status(http.StatusForbidden)
		right := editSheet(t, sheet.Body.Bytes(), func(f *excelize.File) {
			_ = f.SetCellStr("Questionnaire", "G9", "my comment")
		})
		if loc := send(b.csrf, right).status(http.StatusSeeOther).Header().Get("Location"); loc != "/portal/assessment?saved=1" {
			t.Fatalf("Location %q", loc)
		}
		if !strings.Contains(b.page().status(200).Body.String(), ">my comment</textarea>") {
			t.Fatal("the workbook's comment is not on the form")
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
