package main

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// baseline is the built-in questionnaire that ships published.
const baseline = "01900000-0000-7000-8000-0000000000b1"

// run drives the contract: every operation with its success status, then the error
// statuses. Later issues add their operations here.
func (s *scenario) run() error {
	a := s.admin
	now := time.Now().UTC()
	suffix := now.Format("150405.000")
	s.public()

	// Suppliers.
	supplier := s.send(call{method: "POST", path: "/api/v1/suppliers", key: a, want: 201, body: map[string]any{
		"name": "Quayside Mail " + suffix, "criticality": "high", "country": "GB", "services": "bulk email",
		"dpa_signed_at": "2024-02-01", "security_contact": "security@quayside.example", "breach_notification_hours": 24,
		"certifications": []map[string]any{{"scheme": "iso27001", "expires_at": now.AddDate(1, 0, 0).Format("2006-01-02")}}}})
	sid := supplier.field("id")
	if sid == "" {
		return fmt.Errorf("createSupplier gave no id: %s", truncate(supplier.body))
	}
	printer := s.send(call{method: "POST", path: "/api/v1/suppliers", key: a, want: 201,
		body: map[string]any{"name": "Harbour Print " + suffix, "criticality": "low", "country": "IE"}})
	pid := printer.field("id")
	s.send(call{method: "GET", path: "/api/v1/suppliers?limit=10&sort=name", key: a, want: 200})
	got := s.send(call{method: "GET", path: "/api/v1/suppliers/" + sid, key: a, want: 200})
	patched := s.send(call{method: "PATCH", path: "/api/v1/suppliers/" + sid, key: a, want: 200,
		contentType: "application/merge-patch+json", header: map[string]string{"If-Match": got.header.Get("ETag")},
		body: `{"notes": "Contract renewed.", "breach_notification_hours": null}`})
	if strings.Contains(string(patched.body), `"breach_notification_hours":24`) {
		s.faults = append(s.faults, "patchSupplier: null did not clear breach_notification_hours")
	}

	// Data categories.
	s.send(call{method: "GET", path: "/api/v1/data-categories", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/data-categories/political_opinions", key: a, want: 200})
	s.send(call{method: "POST", path: "/api/v1/data-categories", key: a, want: 201, body: map[string]any{
		"key": "volunteer_availability", "name": "Volunteer availability", "sensitivity": 2}})
	s.send(call{method: "PATCH", path: "/api/v1/data-categories/volunteer_availability", key: a, want: 200,
		contentType: "application/merge-patch+json", body: map[string]any{"sensitivity": 3, "description": nil}})
	s.send(call{method: "DELETE", path: "/api/v1/data-categories/volunteer_availability", key: a, want: 204})

	// Data holdings and sub-processors.
	holding := s.send(call{method: "POST", path: "/api/v1/suppliers/" + sid + "/data-holdings", key: a, want: 201, body: map[string]any{
		"category": "political_opinions", "data_subjects": []string{"members"}, "record_count": 48000,
		"purpose": "membership newsletters", "locations": []string{"GB"}, "retention_period": "P2Y"}})
	hid := holding.field("id")
	s.send(call{method: "POST", path: "/api/v1/suppliers/" + sid + "/data-holdings", key: a, want: 201, body: map[string]any{
		"category": "contact_details", "data_subjects": []string{"members"}, "record_count": 48000}})
	s.send(call{method: "GET", path: "/api/v1/suppliers/" + sid + "/data-holdings", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/data-holdings/" + hid, key: a, want: 200})
	s.send(call{method: "PATCH", path: "/api/v1/data-holdings/" + hid, key: a, want: 200,
		contentType: "application/merge-patch+json", body: map[string]any{"locations": []string{"GB", "US"}, "transfer_mechanism": "idta"}})
	s.send(call{method: "POST", path: "/api/v1/suppliers/" + sid + "/subprocessors", key: a, want: 201, body: map[string]any{
		"subprocessor_id": pid, "categories": []string{"political_opinions", "contact_details"}, "authorised_at": "2024-03-01"}})
	s.send(call{method: "GET", path: "/api/v1/suppliers/" + sid + "/subprocessors", key: a, want: 200})
	s.send(call{method: "PATCH", path: "/api/v1/suppliers/" + sid + "/subprocessors/" + pid, key: a, want: 200,
		contentType: "application/merge-patch+json", body: map[string]any{"record_count": 20000}})
	s.send(call{method: "GET", path: "/api/v1/suppliers/" + sid + "/data-flows", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/suppliers/" + pid + "/data-flows", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/exposure?category=political_opinions", key: a, want: 200})

	// Questionnaires.
	draft := s.send(call{method: "POST", path: "/api/v1/questionnaires", key: a, want: 201, body: map[string]any{
		"name": "Ransomware resilience " + suffix, "questions": []map[string]any{{
			"key": "offline_backups", "domain": "backup_recovery", "weight": 3, "critical": true,
			"text":    "Do you keep at least one recent copy of your backups offline or immutable?",
			"options": []map[string]any{{"value": "yes", "score": 1.0}, {"value": "no", "score": 0.0}}}}}})
	qid := draft.field("id")
	s.send(call{method: "GET", path: "/api/v1/questionnaires", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/questionnaires/" + qid, key: a, want: 200})
	s.send(call{method: "PATCH", path: "/api/v1/questionnaires/" + qid, key: a, want: 200,
		contentType: "application/merge-patch+json", body: map[string]any{"description": "For suppliers whose outage would stop membership services."}})
	s.send(call{method: "POST", path: "/api/v1/questionnaires/" + qid + "/publish", key: a, want: 200, body: map[string]any{}})
	s.send(call{method: "POST", path: "/api/v1/questionnaires/" + qid + "/versions", key: a, want: 201, body: map[string]any{}})

	// Assessments: every baseline question answered with its first (best) option,
	// submitted with the admin key and reviewed with another.
	var q struct {
		Questions []struct {
			Key      string
			Optional bool
			Options  []struct{ Value string }
		}
	}
	if err := s.send(call{method: "GET", path: "/api/v1/questionnaires/" + baseline, key: a, want: 200}).decode(&q); err != nil {
		return fmt.Errorf("the baseline questionnaire: %w", err)
	}
	answers := map[string]string{}
	var required []string // the questions a submit needs answered
	for _, question := range q.Questions {
		if len(question.Options) > 0 {
			answers[question.Key] = question.Options[0].Value
		}
		if !question.Optional {
			required = append(required, question.Key)
		}
	}
	if len(required) == 0 {
		return fmt.Errorf("the baseline questionnaire has no required question")
	}
	assessment := s.send(call{method: "POST", path: "/api/v1/suppliers/" + sid + "/assessments", key: a, want: 201,
		body: map[string]any{"questionnaire_id": baseline, "answers": answers}})
	aid := assessment.field("id")
	s.send(call{method: "GET", path: "/api/v1/suppliers/" + sid + "/assessments", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/assessments/" + aid, key: a, want: 200})
	s.send(call{method: "PATCH", path: "/api/v1/assessments/" + aid, key: a, want: 200, contentType: "application/merge-patch+json",
		body: map[string]any{"comments": map[string]any{"offline_backups": "Immutable copies for the mailing database."}}})
	s.send(call{method: "POST", path: "/api/v1/assessments/" + aid + "/submit", key: a, want: 200, body: map[string]any{}})
	reviewer := s.send(call{method: "POST", path: "/api/v1/api-keys", key: a, want: 201,
		body: map[string]any{"name": "reviewer " + suffix, "role": "editor"}})
	editorKey := reviewer.field("secret")
	s.send(call{method: "POST", path: "/api/v1/assessments/" + aid + "/review", key: editorKey, want: 200,
		body: map[string]any{"decision": "approve", "comment": "Evidence checked."}})

	// Risk, weak links and acceptances: the printer receives data and was never
	// assessed, so it carries the unassessed flag.
	s.send(call{method: "GET", path: "/api/v1/suppliers/" + sid + "/risk", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/suppliers/" + pid + "/risk", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/suppliers/" + sid + "/risk/history", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/weak-links", key: a, want: 200})
	acceptance := s.send(call{method: "POST", path: "/api/v1/suppliers/" + pid + "/risk-acceptances", key: a, want: 201, body: map[string]any{
		"flag": "unassessed", "reason": "Assessment booked for next month; signed off by the DPO",
		"expires_at": now.AddDate(0, 2, 0).Format(time.RFC3339)}})
	s.send(call{method: "GET", path: "/api/v1/suppliers/" + pid + "/risk-acceptances", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/weak-links?limit=5", key: a, want: 200})
	s.send(call{method: "DELETE", path: "/api/v1/risk-acceptances/" + acceptance.field("id"), key: a, want: 204})

	// Invitations: a second draft assessment, sent to the supplier's contact, listed,
	// then revoked.
	toSend := s.send(call{method: "POST", path: "/api/v1/suppliers/" + sid + "/assessments", key: a, want: 201,
		body: map[string]any{"questionnaire_id": baseline}})
	invitations := "/api/v1/assessments/" + toSend.field("id") + "/invitations"
	invitation := s.send(call{method: "POST", path: invitations, key: a, want: 201, body: map[string]any{
		"contact_email": "security@quayside.example", "contact_name": "Priya Shah",
		"due_at": now.Add(14 * 24 * time.Hour).Format(time.RFC3339), "expires_at": now.Add(30 * 24 * time.Hour).Format(time.RFC3339)}})
	s.send(call{method: "GET", path: invitations, key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/invitations?status=sent", key: a, want: 200})
	s.send(call{method: "DELETE", path: "/api/v1/invitations/" + invitation.field("id"), key: a, want: 204})

	// The supplier portal, through links of new invitations.
	if err := s.portal(sid, linkSecret(invitation.field("url")), answers, required); err != nil {
		return err
	}

	// Incidents.
	incident := s.send(call{method: "POST", path: "/api/v1/incidents", key: a, want: 201, body: map[string]any{
		"supplier_id": sid, "aware_at": now.Add(-2 * time.Hour).Format(time.RFC3339), "summary": "data rendered inaccessible"}})
	iid := incident.field("id")
	s.send(call{method: "GET", path: "/api/v1/incidents", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/incidents/" + iid, key: a, want: 200})
	s.send(call{method: "PATCH", path: "/api/v1/incidents/" + iid, key: a, want: 200, contentType: "application/merge-patch+json",
		body: map[string]any{"status": "contained", "description": nil}})
	s.send(call{method: "GET", path: "/api/v1/incidents/" + iid + "/impact", key: a, want: 200})

	// Spreadsheets and reports.
	s.send(call{method: "GET", path: "/api/v1/imports/template?format=csv", key: a, want: 200})
	s.send(call{method: "POST", path: "/api/v1/imports?dry_run=true", key: a, want: 200, contentType: "text/csv",
		body: "supplier_name,criticality,country\nKestrel Payroll " + suffix + ",medium,GB\n"})
	s.send(call{method: "GET", path: "/api/v1/exports?format=csv", key: a, want: 200})
	quarter := fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())+2)/3)
	report := s.send(call{method: "POST", path: "/api/v1/reports", key: a, want: 201, body: map[string]any{"quarter": quarter}})
	s.send(call{method: "GET", path: "/api/v1/reports", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/reports/" + report.field("id") + "?format=json", key: a, want: 200})

	// API keys and the audit trail.
	viewer := s.send(call{method: "POST", path: "/api/v1/api-keys", key: a, want: 201,
		body: map[string]any{"name": "viewer " + suffix, "role": "viewer"}})
	viewerKey := viewer.field("secret")
	s.send(call{method: "GET", path: "/api/v1/api-keys", key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/api-keys/" + viewer.field("id"), key: a, want: 200})
	s.send(call{method: "GET", path: "/api/v1/audit-events?limit=20", key: a, want: 200})

	s.errorStatuses(sid, viewerKey)

	// Removals last.
	s.send(call{method: "DELETE", path: "/api/v1/suppliers/" + sid + "/subprocessors/" + pid, key: a, want: 204})
	s.send(call{method: "DELETE", path: "/api/v1/data-holdings/" + hid, key: a, want: 204})
	s.send(call{method: "DELETE", path: "/api/v1/suppliers/" + pid, key: a, want: 204})
	s.send(call{method: "DELETE", path: "/api/v1/api-keys/" + viewer.field("id"), key: a, want: 204})
	return nil
}

// portal drives the supplier portal: the HTML flow (link, form, save, submit) on one
// invitation and the JSON flow on another, each on a draft assessment of its own so
// that both reach their success statuses, with the portal's error statuses. revoked
// is the secret of a revoked invitation's link.
func (s *scenario) portal(sid, revoked string, answers map[string]string, required []string) error {
	// Links: one that names nothing is a 404 page, a revoked one a 410 page.
	s.send(call{method: "GET", path: "/portal/i/wli_" + strings.Repeat("A", 43), want: 404})
	s.send(call{method: "GET", path: "/portal/i/" + revoked, want: 410})

	// The HTML flow: the link gives the session cookie; the form, its token and version.
	secret, err := s.invite(sid, "Priya Shah")
	if err != nil {
		return err
	}
	link := s.send(call{method: "GET", path: "/portal/i/" + secret, want: 200})
	session := link.cookie("weaklink_portal")
	if session == nil || session.Value == "" {
		return fmt.Errorf("openInvitationLink set no weaklink_portal cookie: %q", link.header.Values("Set-Cookie"))
	}
	if session.Path != "/" || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode {
		s.faults = append(s.faults, fmt.Sprintf("openInvitationLink: the session cookie is not Path=/; HttpOnly; SameSite=Strict: %q",
			link.header.Values("Set-Cookie")))
	}
	cookie := map[string]string{"Cookie": "weaklink_portal=" + session.Value}
	// 401: a session the service does not know. (Without any cookie Prism answers 401
	// itself, before the service sees the request.)
	ended := map[string]string{"Cookie": "weaklink_portal=" + strings.Repeat("A", 43)}
	s.send(call{method: "GET", path: "/portal/assessment", header: ended, want: 401})
	form := s.send(call{method: "GET", path: "/portal/assessment", header: cookie, want: 200})
	csrf, version := hiddenField(form, "csrf_token"), hiddenField(form, "version")
	if csrf == "" || version == "" {
		return fmt.Errorf("getPortalForm gave no csrf_token or version: %s", truncate(form.body))
	}
	// Saved with one required question answered, then submitted with them all.
	first := map[string]string{required[0]: answers[required[0]]}
	comments := map[string]string{required[0]: "Answered from the portal form."}
	// A 303 (location given) is asked of the service itself, as Prism's proxy would
	// follow it (call.direct); the scenario checks its Location and X-Request-Id.
	post := func(token, version, action string, answers map[string]string, want int, location string) {
		res := s.send(call{method: "POST", path: "/portal/assessment", header: cookie, want: want, direct: location != "",
			contentType: "application/x-www-form-urlencoded", body: portalForm(token, version, action, answers, comments)})
		if location == "" || res.status != want {
			return
		}
		if got := res.header.Get("Location"); got != location {
			s.faults = append(s.faults, fmt.Sprintf("postPortalForm (%s) → Location %q, want %q", action, got, location))
		}
		if res.header.Get("X-Request-Id") == "" {
			s.faults = append(s.faults, fmt.Sprintf("postPortalForm (%s) → %d without X-Request-Id", action, want))
		}
	}
	post("not-the-token", version, "save", first, 403, "")
	post(csrf, version, "save", first, 303, "/portal/assessment?saved=1")
	saved := s.send(call{method: "GET", path: "/portal/assessment?saved=1", header: cookie, want: 200})
	post(csrf, version, "submit", answers, 409, "") // the form shown before the save
	post(csrf, hiddenField(saved, "version"), "submit", answers, 303, "/portal/assessment")
	s.send(call{method: "GET", path: "/portal/assessment", header: cookie, want: 200})
	s.send(call{method: "GET", path: "/portal/i/" + secret, want: 410})

	// The JSON flow: the link's secret as the bearer token.
	bearer, err := s.invite(sid, "Tomasz Nowak")
	if err != nil {
		return err
	}
	s.send(call{method: "GET", path: "/portal/api/assessment", key: "wli_" + strings.Repeat("A", 43), want: 401})
	s.send(call{method: "GET", path: "/portal/api/assessment", key: bearer, want: 200})
	missing := s.send(call{method: "POST", path: "/portal/api/assessment/submit", key: bearer, want: 400})
	if !strings.Contains(string(missing.body), "answers."+required[0]) {
		s.faults = append(s.faults, fmt.Sprintf("submitPortalAnswers with no answers does not name answers.%s: %s",
			required[0], truncate(missing.body)))
	}
	s.send(call{method: "PATCH", path: "/portal/api/assessment", key: bearer, want: 400, contentType: "application/merge-patch+json",
		body: map[string]any{"answers": map[string]string{required[0]: "not-an-option"}}})
	s.send(call{method: "PATCH", path: "/portal/api/assessment", key: bearer, want: 200, contentType: "application/merge-patch+json",
		body: map[string]any{"answers": answers, "comments": comments}})
	s.send(call{method: "POST", path: "/portal/api/assessment/submit", key: bearer, want: 200})
	s.send(call{method: "POST", path: "/portal/api/assessment/submit", key: bearer, want: 409})
	return nil
}

// invite starts a draft assessment of the supplier against the baseline, invites its
// contact to answer it, and returns the link's secret.
func (s *scenario) invite(sid, contact string) (string, error) {
	now := time.Now().UTC()
	draft := s.send(call{method: "POST", path: "/api/v1/suppliers/" + sid + "/assessments", key: s.admin, want: 201,
		body: map[string]any{"questionnaire_id": baseline}})
	invitation := s.send(call{method: "POST", path: "/api/v1/assessments/" + draft.field("id") + "/invitations", key: s.admin, want: 201,
		body: map[string]any{"contact_email": "security@quayside.example", "contact_name": contact,
			"due_at": now.Add(14 * 24 * time.Hour).Format(time.RFC3339), "expires_at": now.Add(30 * 24 * time.Hour).Format(time.RFC3339)}})
	secret := linkSecret(invitation.field("url"))
	if secret == "" {
		return "", fmt.Errorf("createInvitation gave no link: %s", truncate(invitation.body))
	}
	return secret, nil
}

// linkSecret is the secret of an invitation link: what follows /portal/i/.
func linkSecret(link string) string {
	_, secret, _ := strings.Cut(link, "/portal/i/")
	return secret
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// hiddenField reads a hidden field of a portal page's form.
func hiddenField(page answer, name string) string {
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page.body), -1) {
		if m[1] == name {
			return html.UnescapeString(m[2])
		}
	}
	return ""
}

// portalForm is what the portal's form sends: its token and version, the action, and
// an answer and a comment per question given.
func portalForm(csrf, version, action string, answers, comments map[string]string) string {
	f := url.Values{"csrf_token": {csrf}, "version": {version}, "action": {action}}
	for k, v := range answers {
		f.Set("answer."+k, v)
		f.Set("comment."+k, comments[k])
	}
	return f.Encode()
}

// public drives the routes that need no key.
func (s *scenario) public() {
	for _, p := range []string{"/", "/healthz", "/readyz", "/metrics", "/openapi.yaml", "/docs", "/docs/reference",
		"/docs/assets/swagger-ui.css"} {
		s.send(call{method: "GET", path: p, want: 200})
	}
}

// errorStatuses meets each error status of wantErrors through the lenient proxy.
func (s *scenario) errorStatuses(sid, viewerKey string) {
	a := s.admin
	// 400: a limit over 500.
	s.send(call{method: "GET", path: "/api/v1/suppliers?limit=501", key: a, want: 400, lenient: true})
	// 401: a key the service does not know. (Without any Authorization header Prism
	// answers 401 itself, before the service sees the request.)
	s.send(call{method: "GET", path: "/api/v1/suppliers", key: "wl_" + strings.Repeat("x", 43), want: 401, lenient: true})
	// 403: a viewer writing.
	s.send(call{method: "POST", path: "/api/v1/suppliers", key: viewerKey, want: 403, lenient: true,
		body: map[string]any{"name": "Not allowed", "criticality": "low"}})
	// 404: an id that names nothing.
	s.send(call{method: "GET", path: "/api/v1/suppliers/01900000-0000-7000-8000-00000000dead", key: a, want: 404, lenient: true})
	// 409: a name another live supplier has.
	var existing struct{ Name string }
	_ = s.send(call{method: "GET", path: "/api/v1/suppliers/" + sid, key: a, want: 200}).decode(&existing)
	s.send(call{method: "POST", path: "/api/v1/suppliers", key: a, want: 409, lenient: true,
		body: map[string]any{"name": existing.Name, "criticality": "low"}})
	// 412: a stale If-Match.
	s.send(call{method: "PATCH", path: "/api/v1/suppliers/" + sid, key: a, want: 412, lenient: true,
		contentType: "application/merge-patch+json", header: map[string]string{"If-Match": `"1"`},
		body: map[string]any{"notes": "stale"}})
	// 413: a body over 1 MiB.
	s.send(call{method: "POST", path: "/api/v1/suppliers", key: a, want: 413, lenient: true,
		body: `{"name": "Big", "criticality": "low", "notes": "` + strings.Repeat("x", 1<<20+1) + `"}`})
	// 415: another media type.
	s.send(call{method: "POST", path: "/api/v1/suppliers", key: a, want: 415, lenient: true, contentType: "text/plain",
		body: "name=Plain"})
	// 429: one key past its bucket, in a bounded burst.
	for i := 0; i < 3*rateBurst; i++ {
		res := s.once(call{method: "GET", path: "/api/v1/data-categories/contact_details", key: viewerKey, lenient: true})
		if v := res.header.Get("sl-violations"); v != "" {
			s.faults = append(s.faults, fmt.Sprintf("rate-limit burst → %d: Prism reports violations: %s", res.status, v))
			break
		}
		if res.status == 429 {
			s.errors[429] = true
			break
		}
		if res.status != 200 {
			s.faults = append(s.faults, fmt.Sprintf("rate-limit burst: %d: %s", res.status, truncate(res.body)))
			break
		}
	}
}
