package api_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

func TestReportsThroughAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		d := loadBaseline(t)
		r := newRegister(h)
		r.supplier("Quayside Mail", "critical", "GB", map[string]any{"dpa_signed_at": "2024-02-01"})
		r.holds("Quayside Mail", "political_opinions", 600000, "members")
		failed := answersWhere(d, true)
		failed["offline_backups"] = answersWhere(d, false)["offline_backups"]
		r.assess("Quayside Mail", failed)

		h.do(request{method: "POST", path: "/api/v1/reports", role: register.RoleViewer, body: map[string]any{"quarter": "2026-Q4"}}).status(403)
		h.do(request{method: "POST", path: "/api/v1/reports", role: register.RoleEditor, body: map[string]any{"quarter": "Q4 2026"}}).status(400)
		first := h.validRequest(request{method: "POST", path: "/api/v1/reports", role: register.RoleEditor, body: map[string]any{"quarter": "2026-Q4"}}).status(201)
		rep := first.object()
		id := rep["id"].(string)
		if first.Header().Get("Location") != "/api/v1/reports/"+id || rep["revision"] != 1.0 || len(rep["sha256"].(map[string]any)) != 5 {
			t.Fatalf("report %v", rep)
		}
		if again := h.validRequest(request{method: "POST", path: "/api/v1/reports", role: register.RoleEditor, body: map[string]any{"quarter": "2026-Q4"}}).status(200).object(); again["id"] != id {
			t.Fatalf("stored report not returned: %v", again)
		}
		if re := h.validRequest(request{method: "POST", path: "/api/v1/reports", role: register.RoleEditor, body: map[string]any{"quarter": "2026-Q4", "regenerate": true}}).status(201).object(); re["revision"] != 2.0 {
			t.Fatalf("regenerated %v", re)
		}
		var list struct{ Items []map[string]any }
		h.validRequest(request{method: "GET", path: "/api/v1/reports?year=2026", role: register.RoleViewer}).status(200).json(&list)
		if len(list.Items) != 2 || list.Items[0]["revision"] != 2.0 {
			t.Fatalf("list %v", list)
		}
		for format, ct := range map[string]string{"json": "application/json", "html": "text/html", "pdf": "application/pdf",
			"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"} {
			a := h.validRequest(request{method: "GET", path: "/api/v1/reports/" + id + "?format=" + format, role: register.RoleViewer}).status(200)
			if !strings.HasPrefix(a.Header().Get("Content-Type"), ct) || a.Body.Len() == 0 {
				t.Fatalf("%s: %q, %d bytes", format, a.Header().Get("Content-Type"), a.Body.Len())
			}
			b := h.do(request{method: "GET", path: "/api/v1/reports/" + id + "?format=" + format, role: register.RoleViewer}).status(200)
			if !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
				t.Fatalf("%s renders differ", format)
			}
		}
		h.do(request{method: "GET", path: "/api/v1/reports/" + id + "?format=docx", role: register.RoleViewer}).status(400)
		// Every generation and download is audited.
		var events struct{ Items []map[string]any }
		h.do(request{method: "GET", path: "/api/v1/audit-events?resource_type=report&action=download&limit=500", role: register.RoleAdmin}).status(200).json(&events)
		if len(events.Items) != 10 {
			t.Fatalf("%d download events, want 10", len(events.Items))
		}
	})
}

// A report of an empty register is valid too: every list is empty, not null.
func TestReportOfAnEmptyRegister(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite))
	id := h.validRequest(request{method: "POST", path: "/api/v1/reports", role: register.RoleEditor, body: map[string]any{"quarter": "2026-Q4"}}).status(201).object()["id"].(string)
	body := h.validRequest(request{method: "GET", path: "/api/v1/reports/" + id, role: register.RoleViewer}).status(200).Body.String()
	if strings.Contains(body, "null,") && strings.Contains(body, `"suppliers": null`) {
		t.Fatalf("null list in %s", body[:200])
	}
}
