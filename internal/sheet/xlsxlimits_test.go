package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// workbook builds a minimal XLSX by hand: rows as inline strings written as given
// (not escaped), and extra parts by name.
func workbook(t testing.TB, extra map[string]string, rows [][]string) []byte {
	t.Helper()
	return workbookStream(t, extra, func(w io.Writer) {
		for i, r := range rows {
			fmt.Fprintf(w, `<row r="%d">`, i+1)
			for _, v := range r {
				fmt.Fprintf(w, `<c t="inlineStr"><is><t>%s</t></is></c>`, v)
			}
			io.WriteString(w, `</row>`)
		}
	})
}

// workbookStream builds a minimal XLSX whose sheet data (the content of
// <sheetData>) sheetData writes, compressed as it is written.
func workbookStream(t testing.TB, extra map[string]string, sheetData func(io.Writer)) []byte {
	t.Helper()
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Suppliers" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	}
	for k, v := range extra {
		parts[k] = v
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} {
		w, _ := zw.Create(name)
		io.WriteString(w, parts[name])
		delete(parts, name)
	}
	for name, v := range parts {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store}) // stored: quick to write
		io.WriteString(w, v)
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	sheetData(w)
	io.WriteString(w, `</sheetData></worksheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHandMadeWorkbookReads(t *testing.T) {
	tb, err := Read(bytes.NewReader(workbook(t, nil, [][]string{{"supplier_name", "notes"}, {"A", "x_x000D_y"}})), XLSX)
	if err != nil || len(tb.Rows) != 1 || tb.Rows[0].Cells[Index("notes")] != "x\ry" {
		t.Fatalf("%+v, %v", tb, err)
	}
}

// Workbooks that would cost memory out of proportion to the rows they can carry
// are refused before excelize opens them, with a message saying why.
func TestXLSXLimits(t *testing.T) {
	head := `<row r="1"><c t="inlineStr"><is><t>supplier_name</t></is></c></row>`
	cases := []struct {
		name string
		file func(t *testing.T) []byte
		want string
	}{
		{"a zip bomb: more decompressed bytes than the limit", func(t *testing.T) []byte {
			// The real limit is exercised by the API's memory tests; here a lower one
			// keeps the test quick.
			maxUnzipped = 8 << 20
			return workbookStream(t, nil, func(w io.Writer) {
				io.WriteString(w, head)
				row := []byte(`<row><c t="inlineStr"><is><t>S</t></is></c></row>`)
				for n := int64(0); n < maxUnzipped; n += int64(len(row)) * 1024 {
					w.Write(bytes.Repeat(row, 1024))
				}
			})
		}, "larger than"},
		{"one cell of 2 MiB", func(t *testing.T) []byte {
			return workbookStream(t, nil, func(w io.Writer) {
				io.WriteString(w, head+`<row r="2"><c t="inlineStr"><is><t>`)
				w.Write(bytes.Repeat([]byte("x"), 2<<20))
				io.WriteString(w, `</t></is></c></row>`)
			})
		}, "more than 1 MiB of XML"},
		{"one row of a million empty cells", func(t *testing.T) []byte {
			return workbookStream(t, nil, func(w io.Writer) {
				io.WriteString(w, head+`<x:row r="2">`)
				w.Write(bytes.Repeat([]byte("<c/>"), 1<<20))
				io.WriteString(w, `</x:row>`)
			})
		}, "more than 1 MiB of XML"},
		{"too many parts", func(t *testing.T) []byte {
			extra := map[string]string{}
			for i := 0; i <= maxZipEntries; i++ {
				extra[fmt.Sprintf("xl/media/p%d.bin", i)] = ""
			}
			return workbook(t, extra, [][]string{{"supplier_name"}})
		}, "more than 10000 parts"},
		{"a large shared string table", func(t *testing.T) []byte {
			return workbook(t, map[string]string{"xl/sharedStrings.xml": `<sst>` + strings.Repeat("<si><t>x</t></si>", maxSharedStrings/17+1) + `</sst>`},
				[][]string{{"supplier_name"}})
		}, "MiB of shared text"},
		{"a large picture", func(t *testing.T) []byte {
			return workbook(t, map[string]string{"xl/media/image1.png": strings.Repeat("p", maxInMemoryParts)}, [][]string{{"supplier_name"}})
		}, "besides its worksheets"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func(old int64) { maxUnzipped = old }(maxUnzipped)
			_, err := Read(bytes.NewReader(tc.file(t)), XLSX)
			var p Problems
			if !errors.As(err, &p) || len(p) != 1 || !strings.Contains(p[0].Message, tc.want) {
				t.Fatalf("err %v, want a problem saying %q", err, tc.want)
			}
		})
	}
}

func TestSpoolRows(t *testing.T) {
	in := "supplier_name,notes,category\nA,\"x\r\ny\",health\n\nB,,\n"
	s, err := SpoolRows(strings.NewReader(in), CSV)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mem, _ := Read(strings.NewReader(in), CSV)
	for pass := 0; pass < 2; pass++ {
		var got []Row
		if err := s.Each(func(r Row) error { got = append(got, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if s.Len() != 2 || fmt.Sprint(got) != fmt.Sprint(mem.Rows) || !s.Has(Index("notes")) || s.Has(Index("country")) {
			t.Fatalf("pass %d: %v, want %v", pass, got, mem.Rows)
		}
	}
	stop := errors.New("stop")
	if err := s.Each(func(Row) error { return stop }); err != stop {
		t.Errorf("Each returned %v, want fn's error", err)
	}
}
