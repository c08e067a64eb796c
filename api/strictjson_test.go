package api_test

import (
	"strings"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
)

// strictCase is one body the strict decoding refuses, with the field errors it must
// give ("field: message prefix", in order).
type strictCase struct {
	name        string
	method      string
	path        string // {sup}, {holding} and {q} are filled in
	body        string
	contentType string
	want        []string
}

// Every JSON body, created or merge-patched, is read by one strict layer: what it
// refuses is refused whole, nothing is stored, and each error names the member as the
// client sent it.
func TestStrictJSONBodies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		r := newRegister(h)
		sup := r.supplier("Strict Ltd", "low", "GB", map[string]any{"certifications": []any{
			map[string]any{"scheme": "soc2", "expires_at": "2027-01-01"}}})
		holding := r.holds("Strict Ltd", "contact_details", 10, "members")
		q := h.do(request{method: "POST", path: "/api/v1/questionnaires", role: register.RoleAdmin, body: map[string]any{
			"name": "Strict", "questions": []any{map[string]any{"key": "offline_backups", "domain": "backup", "text": "Offline backups?", "weight": 1,
				"options": []any{map[string]any{"value": "yes", "score": 1.0}, map[string]any{"value": "no", "score": 0.0}}}}}}).status(201).object()["id"].(string)
		h.do(request{method: "POST", path: "/api/v1/questionnaires/" + q + "/publish", role: register.RoleAdmin}).status(200)
		asm := h.do(request{method: "POST", path: "/api/v1/suppliers/" + sup + "/assessments", role: register.RoleEditor,
			body: map[string]any{"questionnaire_id": q}}).status(201).object()["id"].(string)
		before := snapshot(h, sup, holding, asm)

		question := `{"name":"Q2","questions":[{"key":"k","domain":"d","text":"t","weight":1,"options":[{"value":"yes","score":1},%s]}]}`
		cases := []strictCase{
			// The inputs of the issue.
			{"duplicate names", "POST", "/api/v1/suppliers", `{"name":"Dup1","name":"Dup2","criticality":"low"}`, "",
				[]string{"name: appears more than once"}},
			{"names match exactly at every depth", "POST", "/api/v1/suppliers",
				`{"name":"Case Co","criticality":"low","certifications":[{"Scheme":"iso27001","EXPIRES_AT":"2027-01-01"}]}`, "",
				[]string{"certifications[0].Scheme: is not a known field (names are case-sensitive: certifications[0].scheme)",
					"certifications[0].EXPIRES_AT: is not a known field (names are case-sensitive: certifications[0].expires_at)"}},
			{"invalid UTF-8", "POST", "/api/v1/suppliers", "{\"name\":\"caf\xe9 x\",\"criticality\":\"low\"}", "",
				[]string{"name: must be valid UTF-8 text"}},
			{"no internal name reaches the client", "POST", "/api/v1/data-categories", `{"key":"k1","name":"n","sensitivity":"low"}`, "",
				[]string{"sensitivity: must be a whole number"}},
			// Siblings: a duplicate spelled with an escape, and one deep in an array.
			{"duplicate name behind an escape", "POST", "/api/v1/suppliers", `{"name":"A","n\u0061me":"B","criticality":"low"}`, "",
				[]string{"name: appears more than once"}},
			{"duplicate name in an array element", "POST", "/api/v1/suppliers",
				`{"name":"A","criticality":"low","certifications":[{"scheme":"soc2","expires_at":"2027-01-01","scheme":"iso27001"}]}`, "",
				[]string{"certifications[0].scheme: appears more than once"}},
			// Siblings: case in a merge patch, at the top and nested.
			{"merge patch: a name in the wrong case", "PATCH", "/api/v1/suppliers/{sup}", `{"Name":"x"}`, "application/merge-patch+json",
				[]string{"Name: is not a known field (names are case-sensitive: name)"}},
			{"merge patch: an unknown member deep in an array", "PATCH", "/api/v1/suppliers/{sup}",
				`{"certifications":[{"scheme":"soc2","expires_at":"2027-01-01","auditor":"x"}]}`, "application/merge-patch+json",
				[]string{"certifications[0].auditor: is not a known field"}},
			{"merge patch: a duplicate name", "PATCH", "/api/v1/data-holdings/{holding}", `{"record_count":1,"record_count":2}`, "",
				[]string{"record_count: appears more than once"}},
			// Siblings: invalid text deep in an array, in a patch, and an escaped lone surrogate.
			{"invalid UTF-8 in an array", "POST", "/api/v1/suppliers/{sup}/data-holdings",
				"{\"category\":\"financial\",\"data_subjects\":[\"members\",\"caf\xe9\"],\"record_count\":1}", "",
				[]string{"data_subjects[1]: must be valid UTF-8 text"}},
			{"merge patch: invalid UTF-8", "PATCH", "/api/v1/suppliers/{sup}", "{\"notes\":\"\xff\"}", "application/merge-patch+json",
				[]string{"notes: must be valid UTF-8 text"}},
			{"a lone surrogate", "POST", "/api/v1/suppliers", `{"name":"\ud800 x","criticality":"low"}`, "",
				[]string{"name: must be valid UTF-8 text"}},
			// Siblings: real NUL characters, in a nested value and in a map key.
			{"NUL deep in an array", "POST", "/api/v1/questionnaires", `{"name":"Q","questions":[{"key":"k","domain":"d","text":"a\u0000b","weight":1,"options":[{"value":"yes","score":1}]}]}`, "",
				[]string{"questions[0].text: must not contain NUL characters"}},
			{"merge patch: NUL in an answer's key", "PATCH", "/api/v1/assessments/{asm}", `{"answers":{"offline\u0000backups":"yes"}}`, "",
				[]string{"answers.offline\x00backups: must not contain NUL characters"}},
			// Siblings: internal names, Go types and offsets never reach the client.
			{"a type error deep in an array", "POST", "/api/v1/questionnaires", strings.Replace(question, "%s", `{"value":"no","score":"low"}`, 1), "",
				[]string{"questions[0].options[1].score: must be a number"}},
			{"a number too large for a whole number", "POST", "/api/v1/suppliers", `{"name":"Big","criticality":"low","breach_notification_hours":99999999999999999999}`, "",
				[]string{"breach_notification_hours: must be a whole number from -9223372036854775808 to 9223372036854775807"}},
			{"a fraction for a whole number", "PATCH", "/api/v1/data-holdings/{holding}", `{"record_count":1.5}`, "application/merge-patch+json",
				[]string{"record_count: must be a whole number"}},
			{"merge patch: a whole number in exponent form, read as a create reads it", "PATCH", "/api/v1/data-holdings/{holding}", `{"record_count":1e3}`, "",
				[]string{"record_count: must be a whole number"}},
			{"create: a whole number in exponent form", "POST", "/api/v1/suppliers/{sup}/data-holdings", `{"category":"financial","data_subjects":["members"],"record_count":1e3}`, "",
				[]string{"record_count: must be a whole number"}},
			{"merge patch: a type error in a map", "PATCH", "/api/v1/assessments/{asm}", `{"answers":{"offline_backups":1}}`, "",
				[]string{"answers.offline_backups: must be a string"}},
			{"trailing data after the value", "POST", "/api/v1/suppliers", `{"name":"Two","criticality":"low"} {"name":"Three"}`, "",
				[]string{"body: must hold one JSON value"}},
			{"merge patch: trailing garbage", "PATCH", "/api/v1/suppliers/{sup}", `{"notes":"x"}]`, "application/merge-patch+json",
				[]string{"body: must hold one JSON value"}},
			{"null for a text field", "POST", "/api/v1/suppliers", `{"name":null,"criticality":"low"}`, "",
				[]string{"name: must be a string, not null"}},
			{"null inside an array", "POST", "/api/v1/suppliers/{sup}/data-holdings", `{"category":"financial","data_subjects":["members",null],"record_count":1}`, "",
				[]string{"data_subjects[1]: must be a string, not null"}},
			{"merge patch: null inside a replaced array", "PATCH", "/api/v1/suppliers/{sup}", `{"certifications":[null]}`, "application/merge-patch+json",
				[]string{"certifications[0]: must be an object, not null"}},
			{"an unknown member holding an array", "POST", "/api/v1/suppliers", `{"name":"U","criticality":"low","extra":[{"a":1}]}`, "",
				[]string{"extra: is not a known field"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				path := strings.NewReplacer("{sup}", sup, "{holding}", holding, "{q}", q, "{asm}", asm).Replace(tc.path)
				res := h.do(request{method: tc.method, path: path, role: register.RoleAdmin, body: []byte(tc.body), contentType: tc.contentType})
				if res.Code != 400 {
					t.Fatalf("status %d, want 400; body %s", res.Code, res.Body.String())
				}
				got := res.fieldErrors()
				if len(got) != len(tc.want) {
					t.Fatalf("errors %q, want %q", got, tc.want)
				}
				for i, w := range tc.want {
					if !strings.HasPrefix(got[i], w) {
						t.Errorf("error %d = %q, want %q…", i, got[i], w)
					}
				}
			})
		}
		if after := snapshot(h, sup, holding, asm); after != before {
			t.Fatal("refused bodies changed the register")
		}
	})
}

// snapshot is the register's suppliers, questionnaires and the given resources as the
// API shows them, to prove that refused requests stored nothing.
func snapshot(h *harness, sup, holding, asm string) string {
	h.t.Helper()
	var b strings.Builder
	for _, p := range []string{"/api/v1/suppliers?limit=500", "/api/v1/questionnaires?limit=500", "/api/v1/data-categories?limit=500",
		"/api/v1/suppliers/" + sup, "/api/v1/data-holdings/" + holding, "/api/v1/assessments/" + asm,
		"/api/v1/suppliers/" + sup + "/data-holdings"} {
		b.WriteString(h.do(request{method: "GET", path: p, role: register.RoleAdmin}).status(200).Body.String())
	}
	return b.String()
}

// The NUL check refuses real NUL characters only: a backslash followed by "u0000" is
// ordinary text, stored and answered exactly as sent, through a create and a patch.
func TestEscapedBackslashBeforeU0000IsText(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		res := h.validRequest(request{method: "POST", path: "/api/v1/suppliers", role: register.RoleEditor,
			body: []byte(`{"name":"C:\\u0000x","criticality":"low","notes":"path C:\\u0000\\u0000"}`)}).status(201).object()
		id := res["id"].(string)
		got := h.do(request{method: "GET", path: "/api/v1/suppliers/" + id, role: register.RoleViewer}).status(200).object()
		if got["name"] != `C:\u0000x` || got["notes"] != `path C:\u0000\u0000` {
			t.Fatalf("stored name %q, notes %q", got["name"], got["notes"])
		}
		patched := h.do(request{method: "PATCH", path: "/api/v1/suppliers/" + id, role: register.RoleEditor,
			contentType: "application/merge-patch+json", body: []byte(`{"services":"\\u0000 mail"}`)}).status(200).object()
		if patched["services"] != `\u0000 mail` || patched["name"] != `C:\u0000x` {
			t.Fatalf("patched %v", patched)
		}
	})
}

// Query parameters are text as strictly as bodies: invalid UTF-8 is refused, not
// searched for and silently matched with nothing.
func TestQueryParametersMustBeUTF8(t *testing.T) {
	h := newHarness(t, testdb.Open(t, store.SQLite))
	for _, p := range []string{"/api/v1/suppliers?q=caf%E9", "/api/v1/audit-events?resource_type=%FF"} {
		got := h.do(request{method: "GET", path: p, role: register.RoleAdmin}).status(400).fieldErrors()
		if len(got) == 0 || !strings.Contains(strings.Join(got, ";"), ": must be valid UTF-8 text") {
			t.Errorf("%s: errors %q", p, got)
		}
	}
}
