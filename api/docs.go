package api

import (
	"bytes"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// docsPage is the API reference, rendered once from openapi.yaml at start-up into one
// self-contained page (no scripts, no external assets).
var docsPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} — API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#1b1f24}
h1{margin-bottom:0}code,pre{font:13px ui-monospace,monospace;background:#f4f5f7;padding:.1rem .3rem;border-radius:3px}
.op{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
.m{display:inline-block;min-width:4.5rem;font-weight:700}.GET{color:#0a6}.POST{color:#06c}.PATCH{color:#a60}.DELETE{color:#c22}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;text-align:left;padding:.2rem .4rem;vertical-align:top}
.role{float:right;color:#57606a;font-size:13px}
</style></head><body>
<h1>{{.Title}}</h1><p>Version {{.Version}} · <a href="/openapi.yaml">openapi.yaml</a></p>
<div>{{.Description}}</div>
<h2>Operations</h2>
{{range .Ops}}<div class="op" id="{{.ID}}"><div><span class="m {{.Method}}">{{.Method}}</span><code>{{.Path}}</code>
<span class="role">{{.Security}}</span></div>
<p><strong>{{.Summary}}</strong></p>{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Params}}<table><tr><th>Parameter</th><th>In</th><th>Description</th></tr>
{{range .Params}}<tr><td><code>{{.Name}}</code>{{if .Required}} *{{end}}</td><td>{{.In}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
<p>Responses: {{range .Responses}}<code>{{.}}</code> {{end}}</p></div>{{end}}
<h2>Problems</h2>
<p>Every error is <code>application/problem+json</code> (RFC 9457) with <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code>, <code>request_id</code> and, for validation failures, <code>errors</code> listing each field and what is wrong with it.</p>
<dl>
<dt id="problem-invalid">400 invalid</dt><dd>The request breaks a rule; <code>errors</code> names each field by the JSON path the client sent, such as <code>certifications[0].expires_at</code>.</dd>
<dt id="problem-unauthenticated">401 unauthenticated</dt><dd>The API key is missing, unknown, expired or revoked.</dd>
<dt id="problem-forbidden">403 forbidden</dt><dd>The key's role does not allow this.</dd>
<dt id="problem-not-found">404 not found</dt><dd>No such resource or route.</dd>
<dt id="problem-method-not-allowed">405 method not allowed</dt><dd>The route exists but not with this method.</dd>
<dt id="problem-conflict">409 conflict</dt><dd>A duplicate, or a state that forbids the change.</dd>
<dt id="problem-precondition-failed">412 precondition failed</dt><dd>If-Match names a version that is no longer current; fetch again.</dd>
<dt id="problem-too-large">413 too large</dt><dd>The body exceeds the limit.</dd>
<dt id="problem-unsupported-media-type">415 unsupported media type</dt><dd>Send JSON (or a JSON merge patch for PATCH).</dd>
<dt id="problem-rate-limited">429 too many requests</dt><dd>The key's request budget is spent; wait Retry-After seconds.</dd>
<dt id="problem-internal">500 internal</dt><dd>Logged on the server; quote the request id.</dd>
<dt id="problem-unavailable">503 unavailable</dt><dd>The database cannot be reached at the moment, or the stored risk figures are being computed after an upgrade; nothing was changed. Send the request again after the <code>Retry-After</code> seconds. For <code>/readyz</code>, also: migrations are pending.</dd>
</dl></body></html>`))

// docsCSP is the Content-Security-Policy of the service's HTML pages: nothing loads
// but their inline styles.
const docsCSP = "default-src 'none'; style-src 'unsafe-inline'"

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
				if op.Security == nil || len(*op.Security) > 0 {
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
