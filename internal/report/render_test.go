package report

import (
	"bytes"
	"encoding/json"
	"html"
	"reflect"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/xuri/excelize/v2"
)

func TestRenderIsDeterministic(t *testing.T) {
	s := testSnapshot()
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			a, err := Render(s, format)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			b, err := Render(testSnapshot(), format)
			if err != nil {
				t.Fatalf("render again: %v", err)
			}
			if len(a) == 0 || !bytes.Equal(a, b) {
				t.Fatalf("two renderings differ (%d and %d bytes)", len(a), len(b))
			}
		})
	}
}

func TestRenderEmptySnapshot(t *testing.T) {
	s := Snapshot{Quarter: "2026-Q1", Revision: 1, AsOf: at("2026-03-31T12:00:00Z")}
	for _, format := range Formats {
		if _, err := Render(s, format); err != nil {
			t.Errorf("%s: %v", format, err)
		}
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	if _, err := Render(testSnapshot(), "docx"); err == nil {
		t.Fatal("want an error for an unknown format")
	}
}

func TestContentTypeAndFileName(t *testing.T) {
	s := testSnapshot()
	tests := []struct {
		format, contentType, name string
	}{
		{"json", "application/json", "weaklink-2026-Q4-r1.json"},
		{"html", "text/html; charset=utf-8", "weaklink-2026-Q4-r1.html"},
		{"pdf", "application/pdf", "weaklink-2026-Q4-r1.pdf"},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "weaklink-2026-Q4-r1.xlsx"},
		{"csv", "text/csv; charset=utf-8", "weaklink-2026-Q4-r1.csv"},
	}
	for _, tc := range tests {
		if got := ContentType(tc.format); got != tc.contentType {
			t.Errorf("ContentType(%q) = %q, want %q", tc.format, got, tc.contentType)
		}
		if got := FileName(s, tc.format); got != tc.name {
			t.Errorf("FileName(%q) = %q, want %q", tc.format, got, tc.name)
		}
	}
	s.Quarter, s.Revision = `2026-Q4"; x=../`, 3
	if got := FileName(s, "pdf"); got != "weaklink-2026-Q4x-r3.pdf" {
		t.Errorf("FileName keeps unsafe characters: %q", got)
	}
}

func TestJSONRoundTrips(t *testing.T) {
	s := testSnapshot()
	b, err := Render(s, "json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("}\n")) || !bytes.Contains(b, []byte("\n  \"quarter\": \"2026-Q4\"")) {
		t.Errorf("not indented by two spaces with a final newline:\n%.200s", b)
	}
	if !bytes.Contains(b, []byte("Pelican Print & Post <Ltd>")) {
		t.Error("HTML escaping is on")
	}
	var got Snapshot
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got, s)
	}
}

// TestFlagMessageSameInEveryFormat: a flag message naming a question (cut with an
// ellipsis by the methodology) prints word for word in every format that shows
// messages; none of them cuts it further. (The CSV lists flag codes only.)
func TestFlagMessageSameInEveryFormat(t *testing.T) {
	text := "Do you keep at least one recent copy of your backups offline or immutable, so that ransomware, " +
		"or an attacker holding administrator rights, cannot encrypt, alter or delete it? Attach evidence."
	msg := "the latest assessment failed a critical control, so its score is capped at 40: " +
		scoring.QuestionLabel(text, "offline_backups")
	if !strings.Contains(msg, "holding… (offline_backups)") {
		t.Fatalf("the label is not cut as the methodology says: %q", msg)
	}
	s := testSnapshot()
	s.WeakLinks[0].Flags = append(s.WeakLinks[0].Flags, FlagLine{Code: "critical_control_failed", Severity: "critical", Message: msg})
	for _, format := range []string{"json", "html", "xlsx", "pdf"} {
		b, err := Render(s, format)
		if err != nil {
			t.Fatal(err)
		}
		var ok bool
		switch format {
		case "json":
			ok = bytes.Contains(b, []byte(msg))
		case "html":
			ok = bytes.Contains(b, []byte(html.EscapeString(msg)))
		case "xlsx":
			book, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := book.GetRows("Weakest links")
			ok = len(rows) > 1 && strings.Contains(rows[1][len(rows[1])-1], msg)
			book.Close()
		case "pdf":
			ok = strings.Contains(squeeze(pdfText(t, tool(t, "pdftotext"), b)), squeeze(msg))
		}
		if !ok {
			t.Errorf("the %s rendering does not show the message %q whole", format, msg)
		}
	}
}
