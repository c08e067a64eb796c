package api_test

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// referenceCSP is the Content-Security-Policy of the service's HTML pages: nothing
// from another origin, no inline script, no eval.
const referenceCSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// referenceFile is where the file GET /docs/assets/{name} serves lives in the
// repository: the service's own script next to the page, Swagger UI's files in the
// folder `make docs-assets` fills.
func referenceFile(name string) string {
	if name == "reference.js" {
		return "reference/reference.js"
	}
	return "reference/swagger-ui/" + name
}

// assetNames is the enum of the `file` parameter of GET /docs/assets/{file}.
func assetNames(t *testing.T) []string {
	t.Helper()
	doc, _, _ := loadContract(t)
	op := doc.Paths.Value("/docs/assets/{file}").Get
	for _, p := range op.Parameters {
		if p.Value.Name == "file" {
			var names []string
			for _, v := range p.Value.Schema.Value.Enum {
				names = append(names, v.(string))
			}
			return names
		}
	}
	t.Fatal("GET /docs/assets/{file} has no file parameter")
	return nil
}

var attrURL = regexp.MustCompile(`(?i)\b(src|href)\s*=\s*"([^"]*)"`)

func TestInteractiveReferencePage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		res := h.validRequest(request{method: "GET", path: "/docs/reference"}).status(200)
		if ct := res.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Fatalf("Content-Type %q", ct)
		}
		if csp := res.Header().Get("Content-Security-Policy"); csp != referenceCSP {
			t.Fatalf("Content-Security-Policy %q, want %q", csp, referenceCSP)
		}
		page := res.Body.String()
		if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
			t.Error("the page names an absolute URL")
		}
		// Every script, stylesheet and link is same-origin and loads from this service.
		urls := attrURL.FindAllStringSubmatch(page, -1)
		if len(urls) == 0 {
			t.Fatal("the page has no src or href")
		}
		for _, m := range urls {
			u := m[2]
			sameOrigin := strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") && !strings.Contains(u, `\`)
			if !sameOrigin && u != "data:," {
				t.Errorf("%s=%q is not a same-origin path", m[1], u)
				continue
			}
			if strings.HasPrefix(u, "/docs/assets/") {
				h.do(request{method: "GET", path: u}).status(200)
			}
		}
		for _, want := range []string{`<script src="/docs/assets/swagger-ui-bundle.js">`, `<script src="/docs/assets/reference.js">`,
			`<link rel="stylesheet" href="/docs/assets/swagger-ui.css">`, `href="/docs"`, `id="swagger-ui"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		// No inline script: the policy would refuse it.
		for _, tag := range regexp.MustCompile(`(?i)<script[^>]*>`).FindAllString(page, -1) {
			if !strings.Contains(tag, "src=") {
				t.Errorf("inline script %s", tag)
			}
		}
		if regexp.MustCompile(`(?i)\son[a-z]+\s*=`).MatchString(page) || strings.Contains(page, "javascript:") {
			t.Error("the page has an inline event handler or a javascript: URL")
		}
	})
}

func TestReferenceAssets(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite))
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	names := assetNames(t)
	if len(names) == 0 {
		t.Fatal("openapi.yaml lists no files")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(referenceFile(name))
			if err != nil {
				t.Fatal(err)
			}
			res := h.validRequest(request{method: "GET", path: "/docs/assets/" + name}).status(200)
			ct := "text/plain; charset=utf-8" // LICENSE, NOTICE, *.LICENSE.txt
			if i := strings.LastIndex(name, "."); i >= 0 && types[name[i:]] != "" {
				ct = types[name[i:]]
			}
			if got := res.Header().Get("Content-Type"); got != ct {
				t.Errorf("Content-Type %q, want %q", got, ct)
			}
			if res.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no X-Content-Type-Options: nosniff")
			}
			if !bytes.Equal(res.Body.Bytes(), want) {
				t.Errorf("served %d bytes, not the %d of %s", res.Body.Len(), len(want), referenceFile(name))
			}
			// A copy the browser holds is revalidated, never served stale.
			tag := res.Header().Get("ETag")
			if res.Header().Get("Cache-Control") != "no-cache" || tag == "" {
				t.Fatalf("Cache-Control %q, ETag %q", res.Header().Get("Cache-Control"), tag)
			}
			for _, inm := range []string{tag, "W/" + tag, `"other", ` + tag, "*"} {
				res := h.validRequest(request{method: "GET", path: "/docs/assets/" + name,
					header: map[string]string{"If-None-Match": inm}}).status(304)
				if res.Body.Len() != 0 || res.Header().Get("ETag") != tag {
					t.Errorf("If-None-Match %s: body %d bytes, ETag %q", inm, res.Body.Len(), res.Header().Get("ETag"))
				}
			}
			h.validRequest(request{method: "GET", path: "/docs/assets/" + name,
				header: map[string]string{"If-None-Match": `"stale"`}}).status(200)
		})
	}
	// Nothing else: no source maps, no other file of the folder, no way out of it.
	for _, path := range []string{"/docs/assets/swagger-ui-bundle.js.map", "/docs/assets/README.md",
		"/docs/assets/reference.html", "/docs/assets/..%2Fdocs.go", "/docs/assets/"} {
		h.do(request{method: "GET", path: path}).status(404)
	}
}

// The start-up script points Swagger UI at the served contract and keeps it from
// asking anyone else about it.
func TestReferenceScriptSettings(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite))
	js := h.do(request{method: "GET", path: "/docs/assets/reference.js"}).status(200).Body.String()
	for _, want := range []string{"url: '/openapi.yaml'", "validatorUrl: null", "filter: true", "deepLinking: true",
		"tryItOutEnabled: true", "persistAuthorization: false", "displayRequestDuration: true", "queryConfigEnabled: false"} {
		if !strings.Contains(js, want) {
			t.Errorf("reference.js lacks %s", want)
		}
	}
	if strings.Contains(js, "http://") || strings.Contains(js, "https://") || strings.Contains(js, "eval(") {
		t.Error("reference.js names another origin or evaluates code")
	}
}

// The committed Swagger UI is there (a Go-only clone builds and serves it), with its
// licence, and is the version package.json pins.
func TestReferenceBundleCommitted(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite))
	bundle := h.do(request{method: "GET", path: "/docs/assets/swagger-ui-bundle.js"}).status(200).Body.String()
	if len(bundle) < 100_000 || !strings.Contains(bundle, "SwaggerUIBundle") {
		t.Fatalf("swagger-ui-bundle.js is %d bytes without SwaggerUIBundle", len(bundle))
	}
	if css := h.do(request{method: "GET", path: "/docs/assets/swagger-ui.css"}).status(200).Body.String(); !strings.Contains(css, ".swagger-ui") {
		t.Fatal("swagger-ui.css is not Swagger UI's stylesheet")
	}
	license := h.do(request{method: "GET", path: "/docs/assets/LICENSE"}).status(200).Body.String()
	if !strings.Contains(license, "Apache License") || !strings.Contains(license, "Version 2.0") {
		t.Fatal("the embedded LICENSE is not the Apache License 2.0")
	}
	raw, err := os.ReadFile("../package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	version := pkg.DevDependencies["swagger-ui-dist"]
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(version) {
		t.Fatalf("package.json pins swagger-ui-dist %q, not one exact version", version)
	}
	readme, err := os.ReadFile("reference/swagger-ui/README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "version "+version) || !strings.Contains(string(readme), "Apache-2.0") {
		t.Fatalf("reference/swagger-ui/README.md does not name swagger-ui-dist %s under Apache-2.0; run make docs-assets", version)
	}
}

// Problem documents name their type as /docs#problem-…: every such URI in the
// contract resolves to a description on /docs, which links the interactive reference.
func TestProblemTypesResolveOnDocs(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite))
	res := h.validRequest(request{method: "GET", path: "/docs"}).status(200)
	if csp := res.Header().Get("Content-Security-Policy"); csp != referenceCSP {
		t.Fatalf("Content-Security-Policy %q", csp)
	}
	docs := res.Body.String()
	if !strings.Contains(docs, `href="/docs/reference"`) {
		t.Error("/docs does not link the interactive reference")
	}
	_, _, raw := loadContract(t)
	anchors := regexp.MustCompile(`/docs#(problem-[a-z-]+)`).FindAllStringSubmatch(string(raw), -1)
	if len(anchors) == 0 {
		t.Fatal("openapi.yaml names no problem type")
	}
	for _, a := range anchors {
		if !strings.Contains(docs, `id="`+a[1]+`"`) {
			t.Errorf("/docs has no anchor %s", a[1])
		}
	}
	for _, id := range []string{"problem-invalid", "problem-unauthenticated", "problem-not-found", "problem-unavailable"} {
		if !strings.Contains(docs, `id="`+id+`"`) {
			t.Errorf("/docs has no anchor %s", id)
		}
	}
}
