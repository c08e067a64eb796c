package api_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// uploadBody is a multipart/form-data body: question_key, then the file, streamed
// from content through a pipe so that a large file is never whole in memory.
func uploadBody(question, name string, content io.Reader) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		_ = mw.WriteField("question_key", question)
		w, _ := mw.CreateFormFile("file", name)
		if _, err := io.Copy(w, content); err != nil {
			pw.CloseWithError(err)
			return
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType()
}

// upload sends a file through the portal's JSON API with the link's secret.
func (h *harness) upload(secret, question, name string, content io.Reader) *response {
	h.t.Helper()
	body, ct := uploadBody(question, name, content)
	req := httptest.NewRequest("POST", "/portal/api/assessment/evidence", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+secret)
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	res := &response{ResponseRecorder: rec, t: h.t}
	h.validate(req, nil, res)
	return res
}

func docx(t *testing.T, mainType string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("[Content_Types].xml")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="%s"/></Types>`, mainType)
	w, _ = z.Create("word/document.xml")
	fmt.Fprint(w, `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xlsx(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetCellValue("Sheet1", "A1", "restore test")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var minimalPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// Evidence types come from the content, never the name: a PDF named .png is a PDF,
// an executable named .pdf is refused, XLSX and DOCX are told apart by the main part
// of [Content_Types].xml (a macro-enabled workbook is refused), UTF-8 text is text
// (CSV by its name), and anything else is a 415 that stores nothing. The team lists
// and downloads what was stored, byte for byte, as an inert attachment.
func TestEvidenceTypesFromContent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		asm := draftAssessment(t, h, "Quayside Mail")
		_, secret := invite(t, h, asm)
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
		for _, tc := range []struct {
			name     string
			content  []byte
			want     string // media type; "" when refused
			question string
		}{
			{"certificate.png", minimalPDF, register.MediaPDF, "security_certification"},
			{"setup.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0xff, 0}, 100)...), "", "security_certification"},
			{"elf.txt", append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0}, 100)...), "", "security_certification"},
			{"diagram.png", png, register.MediaPNG, "backup_credentials_separated"},
			{"photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"), register.MediaJPEG, "offline_backups"},
			{"restores.xlsx", xlsx(t), register.MediaXLSX, "restore_testing"},
			{"plan.docx", docx(t, "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"), register.MediaDOCX, "incident_response_plan"},
			{"macro.docx", docx(t, "application/vnd.ms-word.document.macroEnabled.main+xml"), "", "incident_response_plan"},
			{"notes.zip", docx(t, "application/xml"), "", "incident_response_plan"},
			{"subprocessors.csv", []byte("name,country\nCloud Host,IE\nMailing House,GB — Wales\n"), register.MediaCSV, "subprocessor_inventory"},
			{"policy.txt", []byte("Reviewed 2026-03-01 by the board — ✓"), register.MediaText, "policy_review"},
			{"latin1.txt", []byte("caf\xe9 au lait"), "", "policy_review"},
			{"nul.txt", []byte("a\x00b"), "", "policy_review"},
		} {
			res := h.upload(secret, tc.question, tc.name, bytes.NewReader(tc.content))
			if tc.want == "" {
				res.status(http.StatusUnsupportedMediaType)
				continue
			}
			f := res.status(http.StatusCreated).object()
			sum := sha256.Sum256(tc.content)
			if f["media_type"] != tc.want || f["file_name"] != tc.name || f["size_bytes"] != float64(len(tc.content)) ||
				f["sha256"] != hex.EncodeToString(sum[:]) || f["uploaded_by"] != nil || f["uploaded_by_invitation"] == nil {
				t.Errorf("%s: %v", tc.name, f)
			}
		}
		h.upload(secret, "no_such_question", "x.txt", strings.NewReader("text")).status(http.StatusBadRequest)
		// Names that would mislead: a right-to-left override, a bare "..".
		h.upload(secret, "policy_review", "evidence\u202efdp.hta", strings.NewReader("text")).status(http.StatusBadRequest)
		h.upload(secret, "policy_review", "..", strings.NewReader("text")).status(http.StatusBadRequest)
		// Zips that are no office file, or would cost unbounded work: more parts than a
		// document has, [Content_Types].xml twice, or an override naming a part the
		// package does not hold.
		many := func() []byte {
			var buf bytes.Buffer
			z := zip.NewWriter(&buf)
			for i := 0; i <= 10000; i++ {
				_, _ = z.Create(fmt.Sprintf("p%d", i))
			}
			_ = z.Close()
			return buf.Bytes()
		}
		twice := func() []byte {
			var buf bytes.Buffer
			z := zip.NewWriter(&buf)
			for range 2 {
				w, _ := z.Create("[Content_Types].xml")
				fmt.Fprint(w, `<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)
			}
			w, _ := z.Create("word/document.xml")
			fmt.Fprint(w, "<w/>")
			_ = z.Close()
			return buf.Bytes()
		}
		hollow := func() []byte {
			var buf bytes.Buffer
			z := zip.NewWriter(&buf)
			w, _ := z.Create("[Content_Types].xml")
			fmt.Fprint(w, `<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`)
			w, _ = z.Create("Main.class")
			fmt.Fprint(w, "\xca\xfe\xba\xbe")
			_ = z.Close()
			return buf.Bytes()
		}
		for name, b := range map[string][]byte{"many.docx": many(), "twice.docx": twice(), "tool.jar": hollow()} {
			if res := h.upload(secret, "policy_review", name, bytes.NewReader(b)); res.Code != http.StatusUnsupportedMediaType {
				t.Errorf("%s: %d, want 415", name, res.Code)
			}
		}
		// Text named as something a computer would run downloads as text.
		hta := h.upload(secret, "policy_review", "soc2-report.hta", strings.NewReader("<script>alert(1)</script>")).status(http.StatusCreated).object()
		if cd := h.do(request{method: "GET", path: "/api/v1/evidence/" + hta["id"].(string), role: register.RoleViewer}).status(200).
			Header().Get("Content-Disposition"); cd != "attachment; filename=soc2-report.hta.txt" {
			t.Errorf("an .hta of text downloads as %q", cd)
		}
		h.do(request{method: "DELETE", path: "/portal/api/assessment/evidence/" + hta["id"].(string), key: secret}).status(204)
		h.upload(secret, "policy_review", "empty.txt", strings.NewReader("")).status(http.StatusBadRequest)

		list := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm + "/evidence", role: register.RoleViewer}).status(200).object()
		items := list["items"].([]any)
		if len(items) != 7 {
			t.Fatalf("%d files listed, want the 7 accepted: %v", len(items), items)
		}
		// Ordered by question: backup_credentials_separated first.
		first := items[0].(map[string]any)
		if first["question_key"] != "backup_credentials_separated" {
			t.Fatalf("first listed: %v", first)
		}
		var pdfID string
		for _, it := range items {
			if m := it.(map[string]any); m["file_name"] == "certificate.png" {
				pdfID = m["id"].(string)
			}
		}
		dl := h.do(request{method: "GET", path: "/api/v1/evidence/" + pdfID, role: register.RoleViewer}).status(200)
		if !bytes.Equal(dl.Body.Bytes(), minimalPDF) || dl.Header().Get("Content-Type") != register.MediaPDF ||
			dl.Header().Get("Content-Disposition") != `attachment; filename=certificate.png.pdf` ||
			dl.Header().Get("X-Content-Type-Options") != "nosniff" || dl.Header().Get("Content-Security-Policy") != "default-src 'none'; sandbox" ||
			dl.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("download: %v %q", dl.Header(), dl.Body.String())
		}
		// The link holder downloads its own files, and removes one while a draft.
		h.do(request{method: "GET", path: "/portal/api/assessment/evidence/" + pdfID, key: secret}).status(200)
		h.do(request{method: "DELETE", path: "/portal/api/assessment/evidence/" + pdfID, key: secret}).status(204)
		h.do(request{method: "GET", path: "/api/v1/evidence/" + pdfID, role: register.RoleViewer}).status(404)
		// Another assessment's link cannot reach them.
		_, other := invite(t, h, draftAssessment(t, h, "Harbour Print"))
		h.do(request{method: "GET", path: "/portal/api/assessment/evidence/" + first["id"].(string), key: other}).status(404)
		h.do(request{method: "DELETE", path: "/portal/api/assessment/evidence/" + first["id"].(string), key: other}).status(404)

		// The audit trail names each upload with its digest and the invitation.
		audit := h.validRequest(request{method: "GET", path: "/api/v1/audit-events?resource_type=evidence_file", role: register.RoleAdmin}).status(200).Body.String()
		if strings.Count(audit, `"action":"create"`) != 8 || strings.Count(audit, `"action":"delete"`) != 2 || !strings.Contains(audit, `"name":"invitation `) {
			t.Fatalf("audit: %s", audit)
		}
	})
}

// A file with the name of one already on the question replaces it; after submit
// nothing can be uploaded, replaced or removed.
func TestEvidenceReplacedUntilSubmit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		asm := draftAssessment(t, h, "Quayside Mail")
		_, secret := invite(t, h, asm)
		old := h.upload(secret, "offline_backups", "backups.txt", strings.NewReader("first")).status(201).object()
		h.upload(secret, "offline_backups", "backups.txt", strings.NewReader("second, corrected")).status(201)
		h.upload(secret, "restore_testing", "backups.txt", strings.NewReader("another question")).status(201)
		items := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm + "/evidence", role: register.RoleViewer}).status(200).object()["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["size_bytes"] != float64(len("second, corrected")) {
			t.Fatalf("after replacing: %v", items)
		}
		h.do(request{method: "GET", path: "/api/v1/evidence/" + old["id"].(string), role: register.RoleViewer}).status(404)

		h.validRequest(request{method: "PATCH", path: "/portal/api/assessment", key: secret, contentType: "application/merge-patch+json",
			body: map[string]any{"answers": answersWhere(loadBaseline(t), true)}}).status(200)
		h.do(request{method: "POST", path: "/portal/api/assessment/submit", key: secret}).status(200)
		h.upload(secret, "offline_backups", "backups.txt", strings.NewReader("after submit")).status(409)
		h.do(request{method: "DELETE", path: "/portal/api/assessment/evidence/" + items[0].(map[string]any)["id"].(string), key: secret}).status(409)
		h.do(request{method: "GET", path: "/portal/api/assessment/evidence/" + items[0].(map[string]any)["id"].(string), key: secret}).status(200)
	})
}

// 20 MiB is accepted and 20 MiB + 1 byte is a 413 that stores nothing, with the
// heap growing by a few MiB whatever the size: the file is streamed to the database
// a chunk at a time and never whole in memory.
func TestEvidenceSizeLimitWithBoundedMemory(t *testing.T) {
	measuresMemory(t)
	// What is measured is what an upload keeps alive, not how late the collector runs:
	// the PostgreSQL driver leaves each chunk's encoding as garbage, and with the
	// default pacing the peak then swings between 2 and 42 MiB from run to run. A
	// collection every 10 % of growth keeps garbage out of the figure; a handler that
	// held the file would still show its 20 MiB.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		asm := draftAssessment(t, h, "Quayside Mail")
		_, secret := invite(t, h, asm)
		var res *response
		growth := peakGrowth(func() {
			res = h.upload(secret, "offline_backups", "big.txt", &countingReader{left: register.MaxEvidenceFile})
		})
		res.status(http.StatusCreated)
		t.Logf("20 MiB upload: peak heap growth %.1f MiB", float64(growth)/MiB)
		if growth > 12*MiB {
			t.Errorf("peak heap growth %.1f MiB for a 20 MiB file, want at most 12 MiB", float64(growth)/MiB)
		}
		growth = peakGrowth(func() {
			res = h.upload(secret, "restore_testing", "over.txt", &countingReader{left: register.MaxEvidenceFile + 1})
		})
		res.status(http.StatusRequestEntityTooLarge)
		t.Logf("20 MiB + 1 byte upload, refused: peak heap growth %.1f MiB", float64(growth)/MiB)
		if growth > 12*MiB {
			t.Errorf("peak heap growth %.1f MiB for a file over the limit, want at most 12 MiB", float64(growth)/MiB)
		}
		items := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm + "/evidence", role: register.RoleViewer}).status(200).object()["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("files after the refused upload: %v", items)
		}
		db, err := testdb.RawDB(st)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var chunks int64
		if err := db.QueryRow("SELECT count(*) FROM evidence_chunks").Scan(&chunks); err != nil {
			t.Fatal(err)
		}
		if chunks != register.MaxEvidenceFile/register.EvidenceChunkSize {
			t.Fatalf("%d chunks stored, want the 20 of the accepted file only", chunks)
		}
		// Download streams it back whole.
		dl := h.do(request{method: "GET", path: "/api/v1/evidence/" + items[0].(map[string]any)["id"].(string), role: register.RoleViewer}).status(200)
		if dl.Body.Len() != register.MaxEvidenceFile || strings.Trim(dl.Body.String(), "x") != "" {
			t.Fatalf("downloaded %d bytes", dl.Body.Len())
		}
	})
}
