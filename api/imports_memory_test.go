package api_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/weaklink/weaklink/api"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// Memory bounds of an import, whatever the file (PRODUCT §6: memory stays bounded
// under hostile input). Each figure is the peak growth of heap object bytes
// (runtime/metrics) while the request runs, sampled every 2 ms; docs/performance.md
// records the figures measured. The bounds are upper limits, not speed claims.
const (
	MiB = 1 << 20
	// sampleEvery is how often the sampler reads the heap.
	sampleEvery = 2 * time.Millisecond
)

// millionRowXLSX is an 11 MiB workbook of 1,048,576 rows (the most a sheet has),
// made once per test binary with excelize's stream writer.
var millionRowXLSX = sync.OnceValues(func() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", []any{"supplier_name", "criticality"}); err != nil {
		return nil, err
	}
	for i := 2; i <= 1<<20; i++ {
		if err := sw.SetRow("A"+strconv.Itoa(i), []any{"S" + strconv.Itoa(i), "low"}); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
})

// countingReader counts the bytes the handler read from a body of n bytes.
type countingReader struct {
	left, read int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > r.left {
		n = r.left
	}
	for i := range p[:n] {
		p[i] = 'x'
	}
	r.left -= n
	r.read += n
	return int(n), nil
}

// postImport sends a body through the router as an editor and checks the answer
// against the contract. length is the declared Content-Length (-1: none, chunked).
func (h *harness) postImport(contentType string, body io.Reader, length int64) *response {
	h.t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/imports", body)
	req.ContentLength = length
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+h.keys[register.RoleEditor])
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	res := &response{ResponseRecorder: rec, t: h.t}
	h.validate(req, nil, res)
	return res
}

// measuresMemory skips a memory test under the race detector, whose
// instrumentation changes what is allocated (and multiplies the time these large
// files take); CI runs these tests in a step of their own without it.
func measuresMemory(t *testing.T) {
	t.Helper()
	if raceDetector {
		t.Skip("heap figures are measured without the race detector (CI: the import memory step)")
	}
}

// peakGrowth runs f and returns the peak heap growth while it ran, in bytes.
func peakGrowth(f func()) uint64 {
	s := testdb.StartHeapSampler(sampleEvery)
	f()
	return s.Stop()
}

func TestImportMemoryMillionRowWorkbook(t *testing.T) {
	measuresMemory(t)
	x, err := millionRowXLSX()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, testdb.Open(t, store.SQLite))
	var res *response
	growth := peakGrowth(func() { res = h.postImport(xlsxType, bytes.NewReader(x), int64(len(x))) })
	res.status(http.StatusBadRequest)
	if !strings.Contains(res.Body.String(), "more than 100000 data rows") {
		t.Errorf("answer %s", res.Body.String())
	}
	t.Logf("%.1f MiB workbook of 1,048,576 rows: peak heap growth %.1f MiB", float64(len(x))/MiB, float64(growth)/MiB)
	if growth > 64*MiB {
		t.Errorf("peak heap growth %.1f MiB, want at most 64 MiB", float64(growth)/MiB)
	}

	// Four at once.
	var wg sync.WaitGroup
	codes := make([]int, 4)
	growth = peakGrowth(func() {
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := httptest.NewRequest("POST", "/api/v1/imports", bytes.NewReader(x))
				req.Header.Set("Content-Type", xlsxType)
				req.Header.Set("Authorization", "Bearer "+h.keys[register.RoleEditor])
				rec := httptest.NewRecorder()
				h.h.ServeHTTP(rec, req)
				codes[i] = rec.Code
			}()
		}
		wg.Wait()
	})
	t.Logf("four at once: peak heap growth %.1f MiB", float64(growth)/MiB)
	if fmt.Sprint(codes) != "[400 400 400 400]" {
		t.Errorf("statuses %v", codes)
	}
	if growth > 256*MiB {
		t.Errorf("four at once: peak heap growth %.1f MiB, want at most 256 MiB", float64(growth)/MiB)
	}
}

func TestImportMemoryOverlongBody(t *testing.T) {
	measuresMemory(t)
	h := newHarness(t, testdb.Open(t, store.SQLite))
	for _, tc := range []struct {
		name     string
		declared bool
		maxRead  int64
	}{
		{"declared 40 MiB: refused before reading", true, 0},
		{"chunked 40 MiB: refused on passing 32 MiB", false, api.MaxImportBody + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &countingReader{left: 40 * MiB}
			length := int64(-1)
			if tc.declared {
				length = 40 * MiB
			}
			var res *response
			growth := peakGrowth(func() { res = h.postImport(csvType, body, length) })
			res.status(http.StatusRequestEntityTooLarge)
			t.Logf("read %d bytes, peak heap growth %.1f MiB", body.read, float64(growth)/MiB)
			if body.read > tc.maxRead {
				t.Errorf("read %d bytes of the body, want at most %d", body.read, tc.maxRead)
			}
			if growth > 64*MiB {
				t.Errorf("peak heap growth %.1f MiB, want at most 64 MiB", float64(growth)/MiB)
			}
		})
	}
}

// zipBomb is a workbook whose one sheet decompresses to size bytes of rows (or, with
// oneCell, of a single cell's text) from a few hundred KiB.
func zipBomb(t *testing.T, size int64, oneCell bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for name, part := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
		"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Suppliers" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" ` +
			`Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	} {
		w, _ := zw.Create(name)
		io.WriteString(w, part)
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	io.WriteString(w, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>supplier_name</t></is></c></row>`)
	chunk := bytes.Repeat([]byte(`<row><c t="inlineStr"><is><t>Bomb</t></is></c></row>`), 4096)
	if oneCell {
		io.WriteString(w, `<row><c t="inlineStr"><is><t>`)
		chunk = bytes.Repeat([]byte("x"), 256<<10)
	}
	for n := int64(0); n < size; n += int64(len(chunk)) {
		w.Write(chunk)
	}
	if oneCell {
		io.WriteString(w, `</t></is></c></row>`)
	}
	io.WriteString(w, `</sheetData></worksheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportMemoryZipBombs(t *testing.T) {
	measuresMemory(t)
	h := newHarness(t, testdb.Open(t, store.SQLite))
	for _, tc := range []struct {
		name    string
		size    int64
		oneCell bool
		want    string
	}{
		{"1 GiB of rows", 1 << 30, false, "once decompressed"},
		{"150 MiB in one cell", 150 * MiB, true, "more than 1 MiB of XML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bomb := zipBomb(t, tc.size, tc.oneCell)
			var res *response
			growth := peakGrowth(func() { res = h.postImport(xlsxType, bytes.NewReader(bomb), int64(len(bomb))) })
			res.status(http.StatusBadRequest)
			t.Logf("%.1f KiB decompressing to %d MiB: peak heap growth %.1f MiB", float64(len(bomb))/1024, tc.size/MiB, float64(growth)/MiB)
			if !strings.Contains(res.Body.String(), tc.want) {
				t.Errorf("answer %s, want it to say %q", res.Body.String(), tc.want)
			}
			if growth > 64*MiB {
				t.Errorf("peak heap growth %.1f MiB, want at most 64 MiB", float64(growth)/MiB)
			}
		})
	}
}

// A 32 MiB CSV of 100,000 rows whose last row is wrong: every row is read,
// checked against the register and then refused, on both databases. The file is
// sent from disk, so that the test's own copy does not inflate the heap the
// collector paces itself by.
func TestImportMemoryLargeCSVRejectedAtLastRow(t *testing.T) {
	measuresMemory(t)
	path := filepath.Join(t.TempDir(), "large.csv")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	b := bufio.NewWriter(file)
	b.WriteString(importHeader)
	const rows = 100_000
	perRow := (api.MaxImportBody - len(importHeader) - 200) / rows
	for i := 1; i < rows; i++ {
		line := fmt.Sprintf("Supplier %06d,high,active,GB,services %d,https://s%d.example,sec@s%d.example,24,2024-01-01,2027-12-31,2024-02-01,"+
			"iso27001:2027-06-30; soc2:R-%d:2027-01-31,,contact_details,members; supporters,%d,purpose,GB; US,idta,P7Y,2030-01-01,2024-03-01\n",
			i, i, i, i, i, 1000+i)
		notes := strings.Repeat("n", max(0, perRow-len(line)))
		line = strings.Replace(line, "2027-01-31,,", "2027-01-31,"+notes+",", 1)
		b.WriteString(line)
	}
	b.WriteString("Last Supplier,severe,,,,,,,,,,,,,,,,,,,,\n")
	if err := errors.Join(b.Flush(), file.Close()); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Size() > api.MaxImportBody || st.Size() < api.MaxImportBody-1*MiB {
		t.Fatalf("body of %v bytes, %v", st.Size(), err)
	}
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			h := newHarness(t, testdb.Open(t, d))
			body, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer body.Close()
			var res *response
			growth := peakGrowth(func() { res = h.postImport(csvType, body, st.Size()) })
			res.status(http.StatusBadRequest)
			if errs := res.fieldErrors(); len(errs) != 1 || !strings.HasPrefix(errs[0], fmt.Sprintf("rows[%d].criticality", rows+1)) {
				t.Errorf("errors %v", errs)
			}
			t.Logf("%.1f MiB CSV of %d rows: peak heap growth %.1f MiB", float64(st.Size())/MiB, rows, float64(growth)/MiB)
			if growth > 96*MiB {
				t.Errorf("peak heap growth %.1f MiB, want at most 96 MiB", float64(growth)/MiB)
			}
		})
	}
}
