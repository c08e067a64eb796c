package api_test

import (
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
	"github.com/weaklink/weaklink/migrations"
)

// draftAssessment creates a supplier and a draft assessment of it against the
// baseline, and returns the assessment's id.
func draftAssessment(t *testing.T, h *harness, name string) string {
	t.Helper()
	sup := h.validRequest(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor,
		body: map[string]any{"name": name, "criticality": "high"}}).status(201).object()["id"].(string)
	return h.validRequest(request{method: "POST", path: "/api/v1/suppliers/" + sup + "/assessments", role: register.RoleEditor,
		body: map[string]any{"questionnaire_id": migrations.BaselineID}}).status(201).object()["id"].(string)
}

// An invitation's lifecycle through the API: created for a draft with its link
// shown once (relative without WEAKLINK_PUBLIC_URL); listed without its secret; a
// second live one refused; overdue after due_at, expired after expires_at (and then
// no longer live); revoked once; every rule of its fields checked; never for an
// unknown assessment; its secret absent from lists and the audit trail; a retry
// with the same Idempotency-Key never shows the secret again.
func TestInvitationLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		asm := draftAssessment(t, h, "Quayside Mail")
		path := "/api/v1/assessments/" + asm + "/invitations"
		due, exp := t0.Add(14*24*time.Hour), t0.Add(30*24*time.Hour)
		body := map[string]any{"contact_email": "security@quayside.example", "contact_name": "Priya Shah",
			"due_at": due.Format(time.RFC3339), "expires_at": exp.Format(time.RFC3339)}
		send := request{method: "POST", path: path, role: register.RoleEditor, body: body,
			header: map[string]string{"Idempotency-Key": "send-1"}}

		res := h.validRequest(send).status(201)
		inv := res.object()
		url, _ := inv["url"].(string)
		m := regexp.MustCompile(`^/portal/i/(wli_[A-Za-z0-9_-]{43})$`).FindStringSubmatch(url)
		if m == nil || inv["status"] != "sent" || inv["secret_prefix"] != m[1][:10] || inv["overdue"] != false ||
			res.Header().Get("Location") != path || inv["created_by"] != h.ids[register.RoleEditor] {
			t.Fatalf("created: %v (Location %q)", inv, res.Header().Get("Location"))
		}
		secret, id := m[1], inv["id"].(string)

		// The secret is shown once: not in lists, not in a replay, not in the audit trail.
		list := h.validRequest(request{method: "GET", path: path, role: register.RoleViewer}).status(200)
		replay := h.validRequest(send).status(409)
		audit := h.validRequest(request{method: "GET", path: "/api/v1/audit-events?resource_type=invitation", role: register.RoleAdmin}).status(200)
		for what, b := range map[string]string{"list": list.Body.String(), "replay": replay.Body.String(), "audit": audit.Body.String()} {
			if strings.Contains(b, secret) || strings.Contains(b, `"url"`) {
				t.Errorf("the %s shows the secret: %s", what, b)
			}
		}
		if replay.Header().Get("Location") != path || strings.Contains(audit.Body.String(), secret[:10]) ||
			!strings.Contains(audit.Body.String(), `"resource_id":"`+id+`"`) {
			t.Fatalf("replay Location %q; audit %s", replay.Header().Get("Location"), audit.Body.String())
		}

		// One live invitation per assessment.
		h.validRequest(request{method: "POST", path: path, role: register.RoleEditor, body: body}).status(409)

		// The rules of each field, all reported at once.
		bad := h.do(request{method: "POST", path: path, role: register.RoleEditor, body: map[string]any{
			"contact_email": "not an address", "contact_name": " ", "due_at": t0.Add(-time.Hour).Format(time.RFC3339),
			"expires_at": t0.Add(91 * 24 * time.Hour).Format(time.RFC3339)}}).status(400)
		for _, f := range []string{"contact_email", "contact_name", "due_at", "expires_at"} {
			if !strings.Contains(strings.Join(bad.fieldErrors(), " "), f) {
				t.Errorf("no error for %s: %v", f, bad.fieldErrors())
			}
		}
		h.do(request{method: "POST", path: path, role: register.RoleEditor, body: map[string]any{
			"contact_email": "a@b.example", "contact_name": "A", "due_at": exp.Format(time.RFC3339), "expires_at": due.Format(time.RFC3339)}}).status(400)
		h.validRequest(request{method: "POST", path: "/api/v1/assessments/01900000-0000-7000-8000-000000000000/invitations",
			role: register.RoleEditor, body: body}).status(404)
		h.validRequest(request{method: "POST", path: path, role: register.RoleViewer, body: body}).status(403)

		ids := func(query string) []string {
			t.Helper()
			var page struct{ Items []struct{ ID, Status string } }
			h.validRequest(request{method: "GET", path: "/api/v1/invitations" + query, role: register.RoleViewer}).status(200).json(&page)
			var out []string
			for _, it := range page.Items {
				out = append(out, it.ID+":"+it.Status)
			}
			return out
		}
		if got := ids("?status=sent"); len(got) != 1 || got[0] != id+":sent" {
			t.Fatalf("sent: %v", got)
		}
		if got := ids("?overdue=true"); len(got) != 0 {
			t.Fatalf("overdue before due_at: %v", got)
		}
		h.clock.Advance(15 * 24 * time.Hour) // past due_at
		if got := ids("?overdue=true"); len(got) != 1 || got[0] != id+":sent" {
			t.Fatalf("overdue after due_at: %v", got)
		}
		h.clock.Advance(16 * 24 * time.Hour) // past expires_at
		if got := ids("?status=expired"); len(got) != 1 || got[0] != id+":expired" {
			t.Fatalf("expired: %v", got)
		}
		if got := ids("?overdue=true"); len(got) != 0 {
			t.Fatalf("an expired link is no longer one to chase: %v", got)
		}
		h.do(request{method: "GET", path: "/api/v1/invitations?status=late", role: register.RoleViewer}).status(400)

		// Expired is not live: a new invitation may be sent, and revoked once.
		due2, exp2 := h.clock.Now().Add(7*24*time.Hour), h.clock.Now().Add(10*24*time.Hour)
		second := h.validRequest(request{method: "POST", path: path, role: register.RoleEditor, body: map[string]any{
			"contact_email": "ciso@quayside.example", "contact_name": "Sam Okafor",
			"due_at": due2.Format(time.RFC3339), "expires_at": exp2.Format(time.RFC3339)}}).status(201).object()["id"].(string)
		h.validRequest(request{method: "DELETE", path: "/api/v1/invitations/" + second, role: register.RoleEditor,
			header: map[string]string{"If-Match": `"2"`}}).status(412)
		h.validRequest(request{method: "DELETE", path: "/api/v1/invitations/" + second, role: register.RoleEditor,
			header: map[string]string{"If-Match": `"1"`}}).status(204)
		h.validRequest(request{method: "DELETE", path: "/api/v1/invitations/" + second, role: register.RoleEditor}).status(409)
		if got := ids("?status=revoked"); len(got) != 1 || got[0] != second+":revoked" {
			t.Fatalf("revoked: %v", got)
		}
		if got := ids(""); len(got) != 2 || got[0] != second+":revoked" || got[1] != id+":expired" {
			t.Fatalf("all, newest first: %v", got)
		}
	})
}

// With WEAKLINK_PUBLIC_URL the link is absolute.
func TestInvitationURLIsAbsoluteWithAPublicURL(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite), func(o *options) { o.publicURL = "https://risk.example.org" })
	asm := draftAssessment(t, h, "Harbour Print")
	url := h.validRequest(request{method: "POST", path: "/api/v1/assessments/" + asm + "/invitations", role: register.RoleEditor,
		body: map[string]any{"contact_email": "it@harbour.example", "contact_name": "Lee Chan",
			"due_at": t0.Add(24 * time.Hour).Format(time.RFC3339), "expires_at": t0.Add(48 * time.Hour).Format(time.RFC3339)}}).
		status(201).object()["url"].(string)
	if !regexp.MustCompile(`^https://risk\.example\.org/portal/i/wli_[A-Za-z0-9_-]{43}$`).MatchString(url) {
		t.Fatalf("url %q", url)
	}
}

// The limits are inclusive (due_at equal to expires_at; expires_at exactly 90 days
// ahead), times come back in UTC, and the link's secret appears in no log line.
func TestInvitationBoundariesAndLogs(t *testing.T) {
	var logs syncLog
	h := newHarness(t, testdb.Open(t, store.SQLite), func(o *options) {
		o.logs = slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})
	})
	create := func(asm string, due, exp string) *response {
		return h.do(request{method: "POST", path: "/api/v1/assessments/" + asm + "/invitations", role: register.RoleEditor,
			body: map[string]any{"contact_email": "it@harbour.example", "contact_name": "Lee Chan", "due_at": due, "expires_at": exp}})
	}
	limit := t0.Add(register.MaxInvitationLife)
	create(draftAssessment(t, h, "Alder Print"), limit.Format(time.RFC3339), limit.Add(time.Second).Format(time.RFC3339)).status(400)
	res := create(draftAssessment(t, h, "Birch Mail"), limit.Format(time.RFC3339), limit.Format(time.RFC3339)).status(201)
	got := res.object()
	if got["due_at"] != limit.UTC().Format(time.RFC3339) || got["expires_at"] != got["due_at"] {
		t.Fatalf("at the limits: %v", got)
	}
	inUTC := create(draftAssessment(t, h, "Cedar Hosting"), "2026-11-30T12:00:00+02:00", "2026-12-01T12:00:00+02:00").status(201).object()
	if inUTC["due_at"] != "2026-11-30T10:00:00Z" || inUTC["expires_at"] != "2026-12-01T10:00:00Z" {
		t.Fatalf("times not in UTC: %v", inUTC)
	}
	for _, r := range []map[string]any{got, inUTC} {
		secret := strings.TrimPrefix(r["url"].(string), "/portal/i/")
		if strings.Contains(logs.String(), secret) || strings.Contains(logs.String(), secret[10:]) {
			t.Fatalf("the secret is in the logs:\n%s", logs.String())
		}
	}
	if !strings.Contains(logs.String(), "/api/v1/assessments/:id/invitations") {
		t.Fatalf("the requests were not logged:\n%s", logs.String())
	}
}

// syncLog is a log sink for concurrent writers.
type syncLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *syncLog) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }
