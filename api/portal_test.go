package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// invite sends a draft assessment to a contact and returns the invitation's id and
// its link's secret.
func invite(t *testing.T, h *harness, asm string) (id, secret string) {
	t.Helper()
	inv := h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + asm + "/invitations", role: register.RoleEditor,
		body: map[string]any{"contact_email": "security@quayside.example", "contact_name": "Priya Shah",
			"due_at": t0.Add(14 * 24 * time.Hour).Format(time.RFC3339), "expires_at": t0.Add(30 * 24 * time.Hour).Format(time.RFC3339)}}).
		status(201).object()
	return inv["id"].(string), strings.TrimPrefix(inv["url"].(string), "/portal/i/")
}

// browser is a supplier's contact in a browser: the session cookie it was given,
// and the form's token and version from the last page it saw.
type browser struct {
	h       *harness
	cookie  string
	csrf    string
	version string
}

var (
	csrfField    = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	versionField = regexp.MustCompile(`name="version" value="([0-9]+)"`)
)

// open follows the link as a browser would: the page, then its meta refresh.
func (b *browser) open(secret string) *response {
	b.h.t.Helper()
	res := b.h.do(request{method: "GET", path: "/portal/i/" + secret})
	for _, c := range res.Result().Cookies() {
		if c.Name == "weaklink_portal" {
			b.cookie = c.Value
		}
	}
	return res
}

func (b *browser) page() *response {
	b.h.t.Helper()
	res := b.h.do(request{method: "GET", path: "/portal/assessment", header: map[string]string{"Cookie": "weaklink_portal=" + b.cookie}})
	b.read(res)
	return res
}

func (b *browser) read(res *response) {
	if m := csrfField.FindStringSubmatch(res.Body.String()); m != nil {
		b.csrf = m[1]
	}
	if m := versionField.FindStringSubmatch(res.Body.String()); m != nil {
		b.version = m[1]
	}
}

// post sends the form with the given fields over the page's token and version.
func (b *browser) post(action string, fields map[string]string) *response {
	b.h.t.Helper()
	form := url.Values{"csrf_token": {b.csrf}, "version": {b.version}, "action": {action}}
	for k, v := range fields {
		form.Set(k, v)
	}
	res := b.h.do(request{method: "POST", path: "/portal/assessment", body: form.Encode(), contentType: "application/x-www-form-urlencoded",
		header: map[string]string{"Cookie": "weaklink_portal=" + b.cookie}})
	b.read(res)
	return res
}

func formFields(answers map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range answers {
		out["answer."+k] = v
	}
	return out
}

// The whole journey in a browser: the link gives a session and moves on to the form
// (the invitation is then opened); saving keeps a draft that a reload shows; a form
// without its token, with a stale version or an option the question does not offer
// saves nothing and comes back as sent; submitting with required questions missing
// keeps the answers and lists the missing; submitting complete answers scores the
// assessment exactly as a submit through the API does, with the invitation as the
// submitter, audited with the invitation as the actor; then the link and the form
// say it was submitted and accept nothing, and the editor who sent the link reviews.
func TestPortalJourneyInABrowser(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		asm := draftAssessment(t, h, "Quayside Mail")
		invID, secret := invite(t, h, asm)
		all := answersWhere(loadBaseline(t), false)
		b := &browser{h: h}

		link := b.open(secret).status(200)
		if b.cookie == "" || !strings.Contains(link.Body.String(), `<meta http-equiv="refresh" content="0; url=/portal/assessment">`) ||
			!strings.Contains(link.Body.String(), `href="/portal/assessment"`) {
			t.Fatalf("link page: cookie %q\n%s", b.cookie, link.Body.String())
		}
		setCookie := link.Header().Get("Set-Cookie")
		for _, want := range []string{"Path=/", "HttpOnly", "SameSite=Strict"} {
			if !strings.Contains(setCookie, want) {
				t.Errorf("Set-Cookie %q lacks %s", setCookie, want)
			}
		}
		if strings.Contains(setCookie, "Secure") || strings.Contains(setCookie, "Max-Age") || strings.Contains(setCookie, "Expires") {
			t.Errorf("Set-Cookie over HTTP: %q", setCookie)
		}
		checkPortalHeaders(t, link)
		invitation := func() map[string]any {
			return h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm + "/invitations", role: register.RoleViewer}).
				status(200).object()["items"].([]any)[0].(map[string]any)
		}
		if got := invitation(); got["status"] != "opened" || got["opened_at"] != t0.Format(time.RFC3339) {
			t.Fatalf("after the link: %v", got)
		}

		form := b.page().status(200)
		checkPortalHeaders(t, form)
		for _, want := range []string{"Supplier security baseline", "Quayside Mail", "Priya Shah", "Backup and recovery", "ISO/IEC 27001", `name="answer.offline_backups"`,
			`<label for="c-offline_backups">`, "Save draft", "Submit for review"} {
			if !strings.Contains(form.Body.String(), want) {
				t.Errorf("the form lacks %q", want)
			}
		}
		for _, never := range []string{"posture", "residual", "tier", "flag"} {
			if strings.Contains(strings.ToLower(form.Body.String()), never) {
				t.Errorf("the form shows %q", never)
			}
		}

		// Save a part, with a comment; a reload shows it.
		part := map[string]string{"answer.offline_backups": all["offline_backups"], "comment.offline_backups": "Immutable copies <from> January"}
		if res := b.post("save", part).status(303); res.Header().Get("Location") != "/portal/assessment?saved=1" {
			t.Fatalf("save → %s", res.Header().Get("Location"))
		}
		saved := b.h.do(request{method: "GET", path: "/portal/assessment?saved=1", header: map[string]string{"Cookie": "weaklink_portal=" + b.cookie}}).status(200)
		b.read(saved)
		if !strings.Contains(saved.Body.String(), `value="`+all["offline_backups"]+`" checked`) ||
			!strings.Contains(saved.Body.String(), "Immutable copies &lt;from&gt; January") || !strings.Contains(saved.Body.String(), "Saved: your answers") {
			t.Fatalf("the saved answer is not shown:\n%s", saved.Body.String())
		}

		// Refused forms save nothing and lose nothing.
		before := b.version
		good := b.csrf
		b.csrf = ""
		b.post("save", map[string]string{"answer.mfa_remote_and_admin": all["mfa_remote_and_admin"]}).status(403)
		b.csrf = "x" + good[1:]
		b.post("save", map[string]string{"answer.mfa_remote_and_admin": all["mfa_remote_and_admin"]}).status(403)
		b.csrf = good
		stale := b.post("save", map[string]string{"answer.mfa_remote_and_admin": all["mfa_remote_and_admin"], "version": "1",
			"comment.mfa_remote_and_admin": "typed before the conflict"})
		stale.status(409)
		if !strings.Contains(stale.Body.String(), "typed before the conflict") || b.version != before {
			t.Fatalf("a stale form lost what was typed (version %s→%s):\n%s", before, b.version, stale.Body.String())
		}
		bad := b.post("save", map[string]string{"answer.offline_backups": "sometimes", "comment.offline_backups": "kept"}).status(400)
		if !strings.Contains(bad.Body.String(), "must be one of the options") || !strings.Contains(bad.Body.String(), ">kept</textarea>") {
			t.Fatalf("an unknown option:\n%s", bad.Body.String())
		}
		h.do(request{method: "POST", path: "/portal/assessment", body: `{"action":"save"}`,
			header: map[string]string{"Cookie": "weaklink_portal=" + b.cookie}}).status(415)
		if a := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm, role: register.RoleViewer}).status(200).object(); a["version"] != float64(2) {
			t.Fatalf("a refused form changed the assessment: %v", a)
		}

		// Submitting with questions missing keeps the answers and lists the missing.
		some := formFields(all)
		delete(some, "answer.security_owner")
		delete(some, "answer.policy_review")
		missing := b.post("submit", some).status(400)
		if !strings.Contains(missing.Body.String(), `href="#q-security_owner"`) || !strings.Contains(missing.Body.String(), `href="#q-policy_review"`) ||
			strings.Count(missing.Body.String(), `<li><a href="#q-`) != 2 {
			t.Fatalf("missing questions not listed:\n%s", missing.Body.String())
		}
		if a := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm, role: register.RoleViewer}).status(200).object(); len(a["answers"].(map[string]any)) != len(all)-2 || a["status"] != "draft" {
			t.Fatalf("the answers of a refused submit were not kept: %v", a)
		}

		// Submit: scored exactly as through the API.
		if res := b.post("submit", formFields(all)).status(303); res.Header().Get("Location") != "/portal/assessment" {
			t.Fatalf("submit → %s", res.Header().Get("Location"))
		}
		got := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm, role: register.RoleViewer}).status(200).object()
		twin := draftAssessment(t, h, "Harbour Print")
		h.validRequest(request{method: "PATCH", path: "/api/v1/assessments/" + twin, role: register.RoleEditor, body: map[string]any{"answers": all}}).status(200)
		want := h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + twin + "/submit", role: register.RoleEditor}).status(200).object()
		if got["status"] != "submitted" || got["submitted_by"] != nil || got["submitted_by_invitation"] != invID ||
			mustJSON(t, got["score"]) != mustJSON(t, want["score"]) {
			t.Fatalf("portal submit: %v\nAPI submit score: %v", got, want["score"])
		}
		if inv := invitation(); inv["status"] != "submitted" || inv["submitted_at"] == nil {
			t.Fatalf("invitation after submit: %v", inv)
		}
		events := h.validRequest(request{method: "GET", path: "/api/v1/audit-events?resource_id=" + asm, role: register.RoleAdmin}).status(200).Body.String()
		if strings.Count(events, `"actor":{"key_id":null,"name":"invitation `+invID+`: Priya Shah <security@quayside.example>"}`) != 4 {
			t.Fatalf("the audit trail does not name the invitation as the actor:\n%s", events)
		}

		// Afterwards: the confirmation, and nothing accepted.
		done := b.page().status(200)
		if !strings.Contains(done.Body.String(), "The questionnaire was submitted on") || strings.Contains(done.Body.String(), "<form") {
			t.Fatalf("after submit:\n%s", done.Body.String())
		}
		if res := b.post("save", formFields(all)).status(303); res.Header().Get("Location") != "/portal/assessment" {
			t.Fatalf("a form after submit → %s", res.Header().Get("Location"))
		}
		again := (&browser{h: h}).open(secret).status(410)
		if !strings.Contains(again.Body.String(), "The questionnaire was submitted on") || again.Header().Get("Set-Cookie") != "" {
			t.Fatalf("the link after submit:\n%s", again.Body.String())
		}

		// The editor who sent the invitation may review it.
		h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + asm + "/review", role: register.RoleEditor,
			body: map[string]any{"decision": "approve"}}).status(200)
	})
}

func checkPortalHeaders(t *testing.T, res *response) {
	t.Helper()
	csp := res.Header().Get("Content-Security-Policy")
	if res.Header().Get("Cache-Control") != "no-store" || res.Header().Get("Referrer-Policy") != "no-referrer" ||
		!strings.HasPrefix(csp, "default-src 'none'; style-src 'sha256-") || !strings.Contains(csp, "frame-ancestors 'none'") ||
		strings.Contains(csp, "script") {
		t.Errorf("portal headers: %v", res.Header())
	}
}

// The JSON side, for suppliers with their own tooling: the link's secret as a
// bearer token reads the questionnaire without scores, saves by merge patch (null
// removes), submits, and then reads but accepts nothing; unknown secrets are 401 and
// limited per address; a revoked link is a 401 saying so.
func TestPortalJSON(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, func(o *options) { o.rateLimit, o.rateBurst = 100, 100 })
		asm := draftAssessment(t, h, "Quayside Mail")
		invID, secret := invite(t, h, asm)
		all := answersWhere(loadBaseline(t), true)
		call := func(method, path string, body any, header map[string]string) *response {
			return h.validRequest(request{method: method, path: path, key: secret, body: body, contentType: "application/merge-patch+json", header: header})
		}

		view := call("GET", "/portal/api/assessment", nil, nil).status(200)
		v := view.object()
		if v["status"] != "draft" || v["invitation"].(map[string]any)["status"] != "opened" || v["invitation"].(map[string]any)["id"] != invID ||
			len(v["questionnaire"].(map[string]any)["questions"].([]any)) != len(all) || strings.Contains(view.Body.String(), `"score"`) || strings.Contains(view.Body.String(), `"weight"`) ||
			view.Header().Get("Cache-Control") != "no-store" || view.Header().Get("ETag") == "" {
			t.Fatalf("view: %v", v)
		}
		call("PATCH", "/portal/api/assessment", map[string]any{"answers": all, "comments": map[string]any{"offline_backups": "Immutable."}},
			map[string]string{"If-Match": view.Header().Get("ETag")}).status(200)
		res := call("PATCH", "/portal/api/assessment", map[string]any{"answers": map[string]any{"security_owner": nil}}, nil).status(200).object()
		if _, ok := res["answers"].(map[string]any)["security_owner"]; ok || res["comments"].(map[string]any)["offline_backups"] != "Immutable." {
			t.Fatalf("after null: %v", res)
		}
		call("PATCH", "/portal/api/assessment", map[string]any{"answers": map[string]any{"offline_backups": "sometimes"}}, nil).status(400)
		h.do(request{method: "PATCH", path: "/portal/api/assessment", key: secret, body: map[string]any{"score": 100},
			contentType: "application/merge-patch+json"}).status(400)
		call("PATCH", "/portal/api/assessment", map[string]any{}, map[string]string{"If-Match": `"1"`}).status(412)
		fe := h.do(request{method: "POST", path: "/portal/api/assessment/submit", key: secret}).status(400).fieldErrors()
		if len(fe) != 1 || !strings.HasPrefix(fe[0], "answers.security_owner") {
			t.Fatalf("missing: %v", fe)
		}
		call("PATCH", "/portal/api/assessment", map[string]any{"answers": map[string]any{"security_owner": all["security_owner"]}}, nil).status(200)
		sub := h.do(request{method: "POST", path: "/portal/api/assessment/submit", key: secret}).status(200).object()
		if sub["status"] != "submitted" || sub["invitation"].(map[string]any)["status"] != "submitted" || sub["submitted_at"] == nil {
			t.Fatalf("submitted: %v", sub)
		}
		call("GET", "/portal/api/assessment", nil, nil).status(200)
		call("PATCH", "/portal/api/assessment", map[string]any{"comments": map[string]any{"offline_backups": "later"}}, nil).status(409)
		h.do(request{method: "POST", path: "/portal/api/assessment/submit", key: secret}).status(409)

		// A revoked link says so.
		asm2 := draftAssessment(t, h, "Harbour Print")
		inv2, secret2 := invite(t, h, asm2)
		h.validRequest(request{method: "DELETE", path: "/api/v1/invitations/" + inv2, role: register.RoleEditor}).status(204)
		revoked := h.do(request{method: "GET", path: "/portal/api/assessment", key: secret2}).status(401)
		if !strings.Contains(revoked.Body.String(), "withdrew this link") ||
			revoked.Header().Get("WWW-Authenticate") != `Bearer realm="weaklink portal", error="invalid_token"` {
			t.Fatalf("revoked: %s %v", revoked.Body.String(), revoked.Header())
		}
		// An API key is not an invitation secret.
		h.do(request{method: "GET", path: "/portal/api/assessment", role: register.RoleAdmin}).status(401)
	})
}

// Guessing links is limited per client address, on the pages and the JSON alike,
// and the secret never reaches the logs: the request log names a link by its first
// six characters.
func TestPortalGuessingIsLimitedAndSecretsStayOutOfLogs(t *testing.T) {
	var logs syncLog
	h := newHarness(t, testdb.Open(t, store.SQLite), func(o *options) {
		o.rateLimit, o.rateBurst = 100, 100
		o.logs = slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})
	})
	_, secret := invite(t, h, draftAssessment(t, h, "Quayside Mail"))
	b := &browser{h: h}
	b.open(secret).status(200)
	b.page().status(200)
	h.do(request{method: "GET", path: "/portal/api/assessment", key: secret}).status(200)
	if strings.Contains(logs.String(), secret) || strings.Contains(logs.String(), secret[6:]) || strings.Contains(logs.String(), b.cookie) {
		t.Fatalf("a secret is in the logs:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `"path":"/portal/i/`+secret[:6]+`"`) {
		t.Fatalf("the link's request is not logged by its prefix:\n%s", logs.String())
	}

	guess := "wli_" + strings.Repeat("A", 43)
	addr := "192.0.2.7:4000"
	var last int
	for i := 0; i < 30 && last != http.StatusTooManyRequests; i++ {
		last = h.do(request{method: "GET", path: "/portal/i/" + guess, remoteAddr: addr}).Code
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("30 wrong links from one address: last %d", last)
	}
	limited := h.do(request{method: "GET", path: "/portal/api/assessment", key: secret, remoteAddr: addr}).status(429)
	if limited.Header().Get("Retry-After") == "" {
		t.Fatalf("429 without Retry-After: %v", limited.Header())
	}
	// Another address is unaffected.
	h.do(request{method: "GET", path: "/portal/i/" + secret, remoteAddr: "198.51.100.9:4000"}).status(200)
}

// Over HTTPS the session cookie is __Host-prefixed and Secure; X-Forwarded-Proto is
// believed only from a trusted proxy.
func TestPortalCookieOverHTTPS(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite), func(o *options) { o.trustedProxies = []string{"10.0.0.0/8"} })
	_, secret := invite(t, h, draftAssessment(t, h, "Quayside Mail"))
	proxied := h.do(request{method: "GET", path: "/portal/i/" + secret, remoteAddr: "10.1.2.3:5000",
		header: map[string]string{"X-Forwarded-Proto": "https"}}).status(200)
	sc := proxied.Header().Get("Set-Cookie")
	if !strings.HasPrefix(sc, "__Host-weaklink_portal=") || !strings.Contains(sc, "Secure") || !strings.Contains(sc, "Path=/") {
		t.Fatalf("through a trusted proxy: %q", sc)
	}
	token := strings.TrimPrefix(strings.SplitN(sc, ";", 2)[0], "__Host-weaklink_portal=")
	h.do(request{method: "GET", path: "/portal/assessment", remoteAddr: "10.1.2.3:5000",
		header: map[string]string{"X-Forwarded-Proto": "https", "Cookie": "__Host-weaklink_portal=" + token}}).status(200)
	// The plain name is not accepted over HTTPS.
	h.do(request{method: "GET", path: "/portal/assessment", remoteAddr: "10.1.2.3:5000",
		header: map[string]string{"X-Forwarded-Proto": "https", "Cookie": "weaklink_portal=" + token}}).status(401)
	spoofed := h.do(request{method: "GET", path: "/portal/i/" + secret, remoteAddr: "203.0.113.5:5000",
		header: map[string]string{"X-Forwarded-Proto": "https"}}).status(200)
	if sc := spoofed.Header().Get("Set-Cookie"); !strings.HasPrefix(sc, "weaklink_portal=") || strings.Contains(sc, "Secure") {
		t.Fatalf("from an untrusted address: %q", sc)
	}
}

// The link closes when the team does what it was for, when the supplier is
// archived, and when it expires: the link, the form and the JSON then say so and
// accept nothing. A session ends after its life even while the link lives.
func TestPortalLinkCloses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		all := answersWhere(loadBaseline(t), true)

		// The team submits itself.
		asm := draftAssessment(t, h, "Quayside Mail")
		_, secret := invite(t, h, asm)
		b := &browser{h: h}
		b.open(secret).status(200)
		b.page().status(200)
		h.validRequest(request{method: "PATCH", path: "/api/v1/assessments/" + asm, role: register.RoleEditor, body: map[string]any{"answers": all}}).status(200)
		h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + asm + "/submit", role: register.RoleEditor}).status(200)
		inv := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm + "/invitations", role: register.RoleViewer}).status(200).object()["items"].([]any)[0].(map[string]any)
		if inv["status"] != "revoked" {
			t.Fatalf("after the team's submit: %v", inv)
		}
		if p := b.page().status(410); !strings.Contains(p.Body.String(), "withdrew this link") {
			t.Fatalf("form after the team's submit:\n%s", p.Body.String())
		}
		b.post("save", formFields(all)).status(410)
		(&browser{h: h}).open(secret).status(410)

		// The supplier is archived.
		asm2 := draftAssessment(t, h, "Harbour Print")
		_, secret2 := invite(t, h, asm2)
		sup := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm2, role: register.RoleViewer}).status(200).object()["supplier_id"].(string)
		h.validRequest(request{method: "DELETE", path: "/api/v1/suppliers/" + sup, role: register.RoleEditor}).status(204)
		(&browser{h: h}).open(secret2).status(410)
		h.do(request{method: "GET", path: "/portal/api/assessment", key: secret2}).status(401)

		// Expiry, and the session's own end.
		asm3 := draftAssessment(t, h, "Cedar Hosting")
		_, secret3 := invite(t, h, asm3)
		b3 := &browser{h: h}
		b3.open(secret3).status(200)
		b3.page().status(200)
		h.clock.Advance(register.PortalSessionLife + time.Second)
		if p := b3.page().status(401); !strings.Contains(p.Body.String(), "Open the link you were sent again") {
			t.Fatalf("after the session's life:\n%s", p.Body.String())
		}
		b3.open(secret3).status(200)
		b3.page().status(200)
		h.clock.Advance(30 * 24 * time.Hour)
		if p := b3.page().status(401); !strings.Contains(p.Body.String(), "Open the link") {
			t.Fatalf("a session outliving its invitation:\n%s", p.Body.String())
		}
		if p := (&browser{h: h}).open(secret3).status(410); !strings.Contains(p.Body.String(), "This link expired on") {
			t.Fatalf("expired link:\n%s", p.Body.String())
		}
		h.do(request{method: "GET", path: "/portal/api/assessment", key: secret3}).status(401)
		if n, err := h.svc.PurgePortalSessions(t.Context()); err != nil || n != 3 {
			t.Fatalf("purged %d sessions (%v), want the 3 ended", n, err)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// postMultipart sends the form as a browser does (multipart/form-data, fields in
// the page's order: the token first), to /portal/assessment with query, with files
// keyed by field name.
func (b *browser) postMultipart(query string, fields map[string]string, files map[string][2]string) *response {
	b.h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", b.csrf)
	_ = mw.WriteField("version", b.version)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for field, f := range files {
		w, _ := mw.CreateFormFile(field, f[0])
		_, _ = w.Write([]byte(f[1]))
	}
	_ = mw.Close()
	res := b.h.do(request{method: "POST", path: "/portal/assessment" + query, body: buf.Bytes(), contentType: mw.FormDataContentType(),
		header: map[string]string{"Cookie": "weaklink_portal=" + b.cookie}})
	b.read(res)
	return res
}

// Evidence in the form: each question's Upload button stores the file chosen for
// it (typed from its content) and saves the answers with it; a file chosen for
// another question is not stored and the page says so; a file of another type
// comes back as a 415 page with the answers saved; Remove takes a file away; the
// confirmation lists the files.
func TestPortalFormEvidence(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		asm := draftAssessment(t, h, "Quayside Mail")
		_, secret := invite(t, h, asm)
		b := &browser{h: h}
		b.open(secret).status(200)
		form := b.page().status(200)
		if !strings.Contains(form.Body.String(), `enctype="multipart/form-data"`) || !strings.Contains(form.Body.String(), `name="file.offline_backups"`) ||
			!strings.Contains(form.Body.String(), `formaction="/portal/assessment?upload=offline_backups"`) {
			t.Fatalf("no upload controls:\n%s", form.Body.String())
		}
		all := answersWhere(loadBaseline(t), true)

		up := b.postMultipart("?upload=offline_backups", map[string]string{"answer.offline_backups": all["offline_backups"], "comment.offline_backups": "see the certificate"},
			map[string][2]string{"file.offline_backups": {"certificate.png", string(minimalPDF)}, "file.restore_testing": {"", ""}})
		if up.status(303).Header().Get("Location") != "/portal/assessment?saved=1#q-offline_backups" {
			t.Fatalf("upload → %q", up.Header().Get("Location"))
		}
		page := b.page().status(200).Body.String()
		if !strings.Contains(page, "certificate.png") || !strings.Contains(page, fmt.Sprintf("PDF, %d bytes", len(minimalPDF))) || !strings.Contains(page, "see the certificate") {
			t.Fatalf("the uploaded file is not listed:\n%s", page)
		}

		ignored := b.postMultipart("", map[string]string{"action": "save", "answer.security_owner": all["security_owner"]},
			map[string][2]string{"file.restore_testing": {"restore.txt", "restored in March"}})
		if ignored.status(400); !strings.Contains(ignored.Body.String(), "these were not: restore.txt") {
			t.Fatalf("a file sent with Save:\n%s", ignored.Body.String())
		}
		bad := b.postMultipart("?upload=restore_testing", map[string]string{"answer.security_owner": all["security_owner"], "answer.offline_backups": all["offline_backups"]},
			map[string][2]string{"file.restore_testing": {"tool.pdf", "MZ\x90\x00\x03\x00\x00\x00\xff\xff\x00\x00"}})
		if bad.status(415); !strings.Contains(bad.Body.String(), "the file was not stored") {
			t.Fatalf("an executable:\n%s", bad.Body.String())
		}
		a := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm, role: register.RoleViewer}).status(200).object()
		if a["answers"].(map[string]any)["security_owner"] != all["security_owner"] {
			t.Fatalf("the answers sent with a refused file were not saved: %v", a["answers"])
		}
		none := b.postMultipart("?upload=restore_testing", nil, map[string][2]string{"file.restore_testing": {"", ""}})
		none.status(400)

		items := h.validRequest(request{method: "GET", path: "/api/v1/assessments/" + asm + "/evidence", role: register.RoleViewer}).status(200).object()["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["media_type"] != register.MediaPDF {
			t.Fatalf("evidence: %v", items)
		}
		b.postMultipart("?upload=restore_testing", nil, map[string][2]string{"file.restore_testing": {"restore.txt", "restored in March"}}).status(303)
		b.postMultipart("?remove="+items[0].(map[string]any)["id"].(string), nil, nil).status(303)
		fields := formFields(all)
		fields["action"] = "submit"
		b.postMultipart("", fields, nil).status(303)
		done := b.page().status(200).Body.String()
		if !strings.Contains(done, "File: restore.txt (text, 17 bytes)") || strings.Contains(done, "certificate.png") {
			t.Fatalf("confirmation:\n%s", done)
		}
	})
}

// A revoked link used again is no guess: it never spends the address's budget of
// failed attempts. A form post of more parts than a form has is refused (413), as is
// one whose text fields come to more than 1 MiB, before anything is saved.
func TestPortalClosedLinksAndFormBounds(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite), func(o *options) { o.rateLimit, o.rateBurst = 100, 100 })
	inv, secret := invite(t, h, draftAssessment(t, h, "Quayside Mail"))
	h.validRequest(request{method: "DELETE", path: "/api/v1/invitations/" + inv, role: register.RoleEditor}).status(204)
	for i := 0; i < 15; i++ {
		h.do(request{method: "GET", path: "/portal/api/assessment", key: secret, remoteAddr: "192.0.2.44:1000"}).status(http.StatusUnauthorized)
	}

	_, live := invite(t, h, draftAssessment(t, h, "Harbour Print"))
	b := &browser{h: h}
	b.open(live).status(200)
	b.page().status(200)
	fields := map[string]string{"action": "save"}
	for i := 0; i < maxParts; i++ {
		fields[fmt.Sprintf("x%d", i)] = "y"
	}
	b.postMultipart("", fields, nil).status(http.StatusRequestEntityTooLarge)
	big := map[string]string{"action": "save"}
	for i := 0; i < 80; i++ {
		big[fmt.Sprintf("comment.k%d", i)] = strings.Repeat("z", 16<<10)
	}
	b.postMultipart("", big, nil).status(http.StatusRequestEntityTooLarge)
	b.postMultipart("", map[string]string{"action": "save", "comment.offline_backups": "fine"}, nil).status(http.StatusSeeOther)
}

// maxParts is one part more than a form post may have.
const maxParts = 1001
