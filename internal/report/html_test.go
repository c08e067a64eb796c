package report

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestHTML(t *testing.T) {
	s := testSnapshot()
	b, err := Render(s, "html")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	// Sections in order, each a heading.
	last := -1
	for _, title := range sectionTitles {
		i := strings.Index(page, "<h2>"+title+"</h2>")
		if i < 0 {
			t.Errorf("no section %q", title)
			continue
		}
		if i < last {
			t.Errorf("section %q out of order", title)
		}
		last = i
	}
	for _, l := range s.Suppliers {
		if !strings.Contains(page, html.EscapeString(l.Name)) {
			t.Errorf("supplier %q missing", l.Name)
		}
	}
	for _, want := range []string{"@page { size: A4; margin: 15mm }", "2026-Q4", "2026-12-31T17:45:00Z", s.AuditHeadHash, "4812",
		"Methodology", RendererVersion, "&lt;Ltd&gt;", "Brûlée Analytics SAS", "Łódź Logistics",
		"<title id=\"chart-tiers-title\">Suppliers by risk tier</title>", "Posture histogram", "Inherent risk versus posture",
		"Flagged suppliers by quarter", ">80–100<", ">unassessed<", ">2026-Q2<", ">61*<", provisionalNote} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<svg"); n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
	if strings.Contains(page, "<Ltd>") {
		t.Error("a name is not escaped")
	}
	assertOffline(t, page)
}

func TestHTMLEmptySectionsSaySo(t *testing.T) {
	s := testSnapshot()
	s.Incidents, s.Accepted, s.Changes, s.Trend = nil, nil, nil, nil
	s.NoComparison = "No report of 2026-Q3 is stored: nothing to compare with."
	s.Expiring.Contracts, s.Expiring.Certifications = nil, nil
	b, err := Render(s, "html")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"No incidents were reported this quarter.", "No contract expires next quarter.",
		"No certification expires next quarter.", "No risks were accepted when the report was generated.",
		"No report of 2026-Q3 is stored: nothing to compare with.", "No stored quarters to compare yet."} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := bytes.Count(b, []byte("<svg")); n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
}

var attrRe = regexp.MustCompile(`\s([a-zA-Z][a-zA-Z0-9:-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)

// assertOffline checks statically that the page cannot make a network request:
// no scripts, no URL other than a fragment in any attribute, and no url() or
// @import in its CSS. Running a browser with --dump-dom would not show requests
// that failed or were never visible in the DOM, so the page is read instead.
func assertOffline(t *testing.T, page string) {
	t.Helper()
	lower := strings.ToLower(page)
	for _, bad := range []string{"http://", "https://", "<script", "url(", "@import", "<iframe", "<img", "<link", "<object", "<embed", "javascript:", "srcset"} {
		if strings.Contains(lower, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	urlAttrs := map[string]bool{"href": true, "src": true, "xlink:href": true, "action": true, "formaction": true,
		"poster": true, "data": true, "background": true, "cite": true, "longdesc": true, "usemap": true, "manifest": true,
		"ping": true, "codebase": true, "profile": true}
	for _, m := range attrRe.FindAllStringSubmatch(page, -1) {
		name, value := strings.ToLower(m[1]), strings.Trim(m[2], `"'`)
		if strings.Contains(strings.ToLower(value), "http") {
			t.Errorf("attribute %s=%q mentions http", name, value)
		}
		if urlAttrs[name] && !strings.HasPrefix(value, "#") {
			t.Errorf("attribute %s=%q is not a fragment", name, value)
		}
		if strings.HasPrefix(name, "on") {
			t.Errorf("event handler attribute %s", name)
		}
	}
}

// TestHTMLScreenshot renders the page in a headless browser and checks that it
// paints something.
func TestHTMLScreenshot(t *testing.T) {
	browser := tool(t, "chromium")
	b, err := Render(testSnapshot(), "html")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--screenshot="+shot, "--window-size=1200,1600", "file://"+file)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, out)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if n := colours(img, 10); n < 2 {
		t.Fatalf("screenshot is blank (%d colour)", n)
	}
}

// colours counts distinct colours in an image, stopping at limit.
func colours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			c0, c1, c2, c3 := img.At(x, y).RGBA()
			seen[[4]uint32{c0, c1, c2, c3}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
