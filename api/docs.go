package api

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// docsPage is GET /docs, the API reference without scripts, rendered once from
// openapi.yaml at start-up into one self-contained page (no external assets): every
// operation, and the problem types, which the `type` of every problem document names
// (/docs#problem-…). It links the interactive reference, /docs/reference.
var docsPage = template.Must(template.New("docs").Funcs(template.FuncMap{"text": inlineCode}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{{.Title}} — API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#1b1f24}
h1{margin-bottom:0}code,pre{font:13px ui-monospace,monospace;background:#f4f5f7;padding:.1rem .3rem;border-radius:3px}
.op{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
.m{display:inline-block;min-width:4.5rem;font-weight:700}.GET{color:#0a6}.POST{color:#06c}.PATCH{color:#a60}.DELETE{color:#c22}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;text-align:left;padding:.2rem .4rem;vertical-align:top}
.role{float:right;color:#57606a;font-size:13px}
.try{border:2px solid #06c;border-radius:6px;padding:.6rem 1rem;background:#f3f8ff}
</style></head><body>
<h1>{{.Title}}</h1><p>Version {{.Version}} · <a href="/openapi.yaml">openapi.yaml</a></p>
<p class="try"><strong><a href="/docs/reference">Interactive API reference</a></strong>: every
operation with its schemas and examples, a search box, and a console that sends requests
to this service with your API key. This page is the same reference without scripts, and
describes the <a href="#problems">problem types</a>.</p>
<div>{{text .Description}}</div>
<h2>Operations</h2>
{{range .Ops}}<div class="op" id="{{.ID}}"><div><span class="m {{.Method}}">{{.Method}}</span><code>{{.Path}}</code>
<span class="role">{{.Security}}</span></div>
<p><strong>{{.Summary}}</strong></p>{{if .Description}}<p>{{text .Description}}</p>{{end}}
{{if .Params}}<table><tr><th>Parameter</th><th>In</th><th>Description</th></tr>
{{range .Params}}<tr><td><code>{{.Name}}</code>{{if .Required}} *{{end}}</td><td>{{.In}}</td><td>{{text .Description}}</td></tr>{{end}}</table>{{end}}
<p>Responses: {{range .Responses}}<code>{{.}}</code> {{end}}</p></div>{{end}}
<h2 id="problems">Problems</h2>
<p>Every error is <code>application/problem+json</code> (RFC 9457) with <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code>, <code>request_id</code> and, for validation failures, <code>errors</code> listing each field and what is wrong with it.</p>
<dl>
<dt id="problem-invalid">400 invalid</dt><dd>The request breaks a rule; <code>errors</code> names each field by the JSON path the client sent, such as <code>certifications[0].expires_at</code>.</dd>
<dt id="problem-unauthenticated">401 unauthenticated</dt><dd>The API key is missing, unknown, expired or revoked.</dd>
<dt id="problem-forbidden">403 forbidden</dt><dd>The key's role does not allow this.</dd>
<dt id="problem-not-found">404 not found</dt><dd>No such resource or route.</dd>
<dt id="problem-method-not-allowed">405 method not allowed</dt><dd>The route exists but not with this method.</dd>
<dt id="problem-conflict">409 conflict</dt><dd>A duplicate, or a state that forbids the change.</dd>
<dt id="problem-precondition-failed">412 precondition failed</dt><dd>If-Match names a version that is no longer current; fetch again.</dd>
<dt id="problem-too-large">413 too large</dt><dd>The body exceeds the limit: 1 MiB of JSON, 32 MiB for an import, 20 MiB for an evidence file (and 200 MiB for all of an assessment's files).</dd>
<dt id="problem-unsupported-media-type">415 unsupported media type</dt><dd>Send JSON (or a JSON merge patch for PATCH), or an upload as multipart/form-data; an evidence file whose content is not PDF, PNG, JPEG, UTF-8 text, CSV, XLSX or DOCX is refused with this status too.</dd>
<dt id="problem-idempotency-mismatch">422 idempotency mismatch</dt><dd>The <code>Idempotency-Key</code> was first sent with another request (method, path or body) by this API key within the last 24 hours: use a new key for a new request. The one exception to "every validation failure is 400".</dd>
<dt id="problem-rate-limited">429 too many requests</dt><dd>The key's request budget is spent; wait Retry-After seconds.</dd>
<dt id="problem-internal">500 internal</dt><dd>Logged on the server; quote the request id.</dd>
<dt id="problem-unavailable">503 unavailable</dt><dd>The database cannot be reached at the moment, or the stored risk figures are being computed after an upgrade; nothing was changed. Send the request again after the <code>Retry-After</code> seconds. For <code>/readyz</code>, also: migrations are pending.</dd>
</dl></body></html>`))

// docsCSP is the Content-Security-Policy of the service's HTML pages (/, /docs,
// /docs/reference): scripts, styles, fonts and requests from this origin only, images
// from it or inline (data:, Swagger UI's icons), inline styles (ours and Swagger UI's
// syntax highlighting); no inline script, no eval, no other origin; no <base>, forms
// posting to this origin only, and never framed (clickjacking). One policy for every
// page: / and /docs load no script, and a stricter policy would protect little
// on them, since their markup is the server's own (the contract's text escaped).
const docsCSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

type docsOp struct {
	ID, Method, Path, Summary, Description, Security string
	Params                                           []*openapi3.Parameter
	Responses                                        []string
}

// newDocsHandler renders the reference once; a spec that fails to parse yields a
// page that says so rather than a failed start (the contract tests catch that).
func newDocsHandler(spec []byte) gin.HandlerFunc {
	page := renderDocs(spec)
	return func(c *gin.Context) {
		c.Header("Content-Security-Policy", docsCSP)
		c.Data(http.StatusOK, "text/html; charset=utf-8", page)
	}
}

func renderDocs(spec []byte) []byte {
	data := struct {
		Title, Version, Description string
		Ops                         []docsOp
	}{Title: "weaklink"}
	if doc, err := openapi3.NewLoader().LoadFromData(spec); err == nil && doc.Info != nil {
		data.Title, data.Version, data.Description = doc.Info.Title, doc.Info.Version, doc.Info.Description
		for _, path := range doc.Paths.InMatchingOrder() {
			item := doc.Paths.Value(path)
			for method, op := range item.Operations() {
				o := docsOp{ID: op.OperationID, Method: method, Path: path, Summary: op.Summary, Description: op.Description,
					Security: "public"}
				switch {
				case strings.HasPrefix(path, "/portal/i/"):
					o.Security = "invitation link"
				case op.Security != nil && len(*op.Security) > 0 && (*op.Security)[0]["invitationLink"] != nil:
					o.Security = "invitation link secret (bearer)"
				case op.Security != nil && len(*op.Security) > 0 && (*op.Security)[0]["portalSession"] != nil:
					o.Security = "portal session"
				case op.Security == nil || len(*op.Security) > 0:
					o.Security = "API key"
					if role, ok := op.Extensions["x-min-role"].(string); ok {
						o.Security = "API key, role " + role
					}
				}
				for _, p := range append(item.Parameters, op.Parameters...) {
					o.Params = append(o.Params, p.Value)
				}
				for code := range op.Responses.Map() {
					o.Responses = append(o.Responses, code)
				}
				sort.Strings(o.Responses)
				data.Ops = append(data.Ops, o)
			}
		}
		sort.Slice(data.Ops, func(i, j int) bool {
			if data.Ops[i].Path != data.Ops[j].Path {
				return data.Ops[i].Path < data.Ops[j].Path
			}
			return strings.Compare(data.Ops[i].Method, data.Ops[j].Method) < 0
		})
	}
	var buf bytes.Buffer
	_ = docsPage.Execute(&buf, data)
	return buf.Bytes()
}

// referenceFiles are the interactive API reference: our page and start-up script, and
// Swagger UI's files, copied unchanged from the pinned npm package swagger-ui-dist by
// `make docs-assets` (reference/swagger-ui/README.md names the version).
//
//go:embed reference/reference.html reference/reference.js
//go:embed reference/swagger-ui/swagger-ui-bundle.js reference/swagger-ui/swagger-ui.css
//go:embed reference/swagger-ui/LICENSE reference/swagger-ui/NOTICE reference/swagger-ui/swagger-ui-bundle.js.LICENSE.txt
var referenceFiles embed.FS

// referenceAssets maps each file name GET /docs/assets/{file} serves (the enum of
// openapi.yaml's `file` parameter) to its embedded file and content type.
var referenceAssets = map[string]struct{ path, contentType string }{
	"reference.js":                     {"reference/reference.js", "text/javascript; charset=utf-8"},
	"swagger-ui-bundle.js":             {"reference/swagger-ui/swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
	"swagger-ui.css":                   {"reference/swagger-ui/swagger-ui.css", "text/css; charset=utf-8"},
	"LICENSE":                          {"reference/swagger-ui/LICENSE", "text/plain; charset=utf-8"},
	"NOTICE":                           {"reference/swagger-ui/NOTICE", "text/plain; charset=utf-8"},
	"swagger-ui-bundle.js.LICENSE.txt": {"reference/swagger-ui/swagger-ui-bundle.js.LICENSE.txt", "text/plain; charset=utf-8"},
}

// mustEmbedded reads an embedded file; the go:embed patterns above guarantee each
// exists, so failing is a programming error.
func mustEmbedded(path string) []byte {
	b, err := referenceFiles.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return b
}

// reference serves GET /docs/reference: the static page that loads Swagger UI, which
// renders /openapi.yaml in the browser.
func reference(c *gin.Context) {
	c.Header("Content-Security-Policy", docsCSP)
	c.Data(http.StatusOK, "text/html; charset=utf-8", mustEmbedded("reference/reference.html"))
}

// newAssetsHandler serves GET /docs/assets/:file from referenceAssets, with a strong
// ETag (a hash of the bytes) and Cache-Control: no-cache: a browser keeps the 2 MB
// bundle and asks whether it is still current (304), so an upgraded binary is never
// served stale. Any other name is a 404 problem.
func newAssetsHandler() gin.HandlerFunc {
	type asset struct {
		body              []byte
		contentType, etag string
	}
	assets := make(map[string]asset, len(referenceAssets))
	for name, a := range referenceAssets {
		body := mustEmbedded(a.path)
		sum := sha256.Sum256(body)
		assets[name] = asset{body: body, contentType: a.contentType, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
	}
	return func(c *gin.Context) {
		a, ok := assets[c.Param("file")]
		if !ok {
			writeProblem(c, http.StatusNotFound, "No such file of the API reference.")
			return
		}
		c.Header("ETag", a.etag)
		c.Header("Cache-Control", "no-cache")
		if etagListed(c.GetHeader("If-None-Match"), a.etag) {
			c.Status(http.StatusNotModified)
			return
		}
		c.Data(http.StatusOK, a.contentType, a.body)
	}
}

// etagListed reports whether an If-None-Match value ("*" or a list of entity tags)
// names tag, by the weak comparison RFC 9110 §13.1.2 prescribes for it.
func etagListed(ifNoneMatch, tag string) bool {
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

// inlineCode escapes a contract description for HTML and sets its `code spans`
// (CommonMark's backtick spans, the only markup the contract's descriptions use in
// running text) as <code>; an unpaired backtick stays as it is.
func inlineCode(s string) template.HTML {
	parts := strings.Split(s, "`")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i%2 == 0:
			b.WriteString(template.HTMLEscapeString(p))
		case i == len(parts)-1: // no closing backtick
			b.WriteString("`" + template.HTMLEscapeString(p))
		default:
			b.WriteString("<code>" + template.HTMLEscapeString(p) + "</code>")
		}
	}
	return template.HTML(b.String())
}
