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
	qs := questions{options: map[string][]string{}}
	for _, question := range q.Questions {
		if len(question.Options) > 0 {
			answers[question.Key] = question.Options[0].Value
		}
		if !question.Optional {
			required = append(required, question.Key)
		}
		qs.keys = append(qs.keys, question.Key)
		for _, o := range question.Options {
			qs.options[question.Key] = append(qs.options[question.Key], o.Value)
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
	evidence, err := s.portal(sid, linkSecret(invitation.field("url")), qs, answers, required)
	if err != nil {
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

	// Evidence the supplier's contact uploaded through the portal, as the team reads
	// it with the least role that may.
	s.teamEvidence(evidence, viewerKey)
	// The questionnaire as a workbook, on a draft of the team's and on the approved
	// assessment.
	s.teamSheet(sid, aid, qs, answers, viewerKey, editorKey)

	s.errorStatuses(sid, viewerKey)

	// Removals last.
	s.send(call{method: "DELETE", path: "/api/v1/suppliers/" + sid + "/subprocessors/" + pid, key: a, want: 204})
	s.send(call{method: "DELETE", path: "/api/v1/data-holdings/" + hid, key: a, want: 204})
	s.send(call{method: "DELETE", path: "/api/v1/suppliers/" + pid, key: a, want: 204})
	s.send(call{method: "DELETE", path: "/api/v1/api-keys/" + viewer.field("id"), key: a, want: 204})
	return nil
}

// portalEvidence is what the portal's JSON flow uploaded and kept, for the team's
// side (teamEvidence).
type portalEvidence struct {
	file evidenceFile
	data []byte
}

// portal drives the supplier portal: the HTML flow (link, form, save, upload, submit)
// on one invitation and the JSON flow (with evidence uploads, downloads and removals)
// on another, each on a draft assessment of its own so that both reach their success
// statuses, with the portal's error statuses. revoked is the secret of a revoked
// invitation's link. It returns the evidence file the JSON flow kept.
func (s *scenario) portal(sid, revoked string, qs questions, answers map[string]string, required []string) (portalEvidence, error) {
	// Links: one that names nothing is a 404 page, a revoked one a 410 page.
	s.send(call{method: "GET", path: "/portal/i/wli_" + strings.Repeat("A", 43), want: 404})
	s.send(call{method: "GET", path: "/portal/i/" + revoked, want: 410})

	// The HTML flow: the link gives the session cookie; the form, its token and version.
	secret, formID, err := s.invite(sid, "Priya Shah")
	if err != nil {
		return portalEvidence{}, err
	}
	link := s.send(call{method: "GET", path: "/portal/i/" + secret, want: 200})
	session := link.cookie("weaklink_portal")
	if session == nil || session.Value == "" {
		return portalEvidence{}, fmt.Errorf("openInvitationLink set no weaklink_portal cookie: %q", link.header.Values("Set-Cookie"))
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
		return portalEvidence{}, fmt.Errorf("getPortalForm gave no csrf_token or version: %s", truncate(form.body))
	}
	// Saved with one required question answered, then submitted with them all.
	first := map[string]string{required[0]: answers[required[0]]}
	comments := map[string]string{required[0]: "Answered from the portal form."}
	// A 303 (location given) is asked of the service itself, as Prism's proxy would
	// follow it (call.direct); the scenario checks its Location and X-Request-Id.
	send := func(query, action, contentType string, body any, want int, location string) {
		res := s.send(call{method: "POST", path: "/portal/assessment" + query, header: cookie, want: want, direct: location != "",
			why: whyRedirect, contentType: contentType, body: body})
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
	post := func(token, version, action string, answers map[string]string, want int, location string) {
		send("", action, "application/x-www-form-urlencoded", portalForm(token, version, action, answers, comments), want, location)
	}
	post("not-the-token", version, "save", first, 403, "")
	post(csrf, version, "save", first, 303, "/portal/assessment?saved=1")
	saved := s.send(call{method: "GET", path: "/portal/assessment?saved=1", header: cookie, want: 200})
	// A file uploaded with its question's Upload button: the form as the browser
	// sends it (multipart/form-data, the token first) to ?upload=<key>; the 303 goes
	// back to the question. The page then lists the file with its Remove button.
	ct, upload := multipartBody(append(formParts(csrf, hiddenField(saved, "version"), "", first, comments),
		part{name: "file." + required[0], fileName: "backup-policy.pdf", data: []byte(samplePDF)})...)
	send("?upload="+required[0], "upload", ct, upload, 303, "/portal/assessment?saved=1#q-"+required[0])
	saved = s.send(call{method: "GET", path: "/portal/assessment?saved=1", header: cookie, want: 200})
	formFile := formFiles(saved)
	if len(formFile) != 1 {
		return portalEvidence{}, fmt.Errorf("the portal form lists %d files after an upload, want 1: %s", len(formFile), truncate(saved.body))
	}
	// The workbook from the page: downloaded, refused, uploaded; the form's version
	// read again after it.
	s.sheetPage(cookie, csrf, formID, qs, first, comments)
	saved = s.send(call{method: "GET", path: "/portal/assessment?saved=1", header: cookie, want: 200})
	post(csrf, version, "submit", answers, 409, "") // the form shown before the save
	post(csrf, hiddenField(saved, "version"), "submit", answers, 303, "/portal/assessment")
	s.send(call{method: "GET", path: "/portal/assessment", header: cookie, want: 200})
	s.send(call{method: "GET", path: "/portal/i/" + secret, want: 410})

	// The JSON flow: the link's secret as the bearer token.
	bearer, bearerID, err := s.invite(sid, "Tomasz Nowak")
	if err != nil {
		return portalEvidence{}, err
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
	kept := s.portalEvidence(bearer, required[0], formFile[0])
	filled := s.portalSheet(bearer, bearerID, qs, required[0])
	s.send(call{method: "POST", path: "/portal/api/assessment/submit", key: bearer, want: 200})
	s.send(call{method: "POST", path: "/portal/api/assessment/submit", key: bearer, want: 409})
	if filled != nil {
		// Once submitted, a workbook saves nothing.
		s.send(call{method: "PUT", path: "/portal/api/assessment/sheet", key: bearer, want: 409, contentType: xlsxType, body: filled})
	}
	if kept.file.ID != "" {
		// Once submitted, the files stay as they were.
		s.send(call{method: "DELETE", path: "/portal/api/assessment/evidence/" + kept.file.ID, key: bearer, want: 409})
	}
	return kept, nil
}

// portalEvidence drives the JSON flow's evidence on the link holder's draft: a PDF
// uploaded and downloaded, a text file uploaded and removed, a file of another
// assessment (other, from the HTML flow) not found, and the refused uploads. It
// returns the PDF, which stays for the team.
func (s *scenario) portalEvidence(bearer, questionKey, other string) portalEvidence {
	const files = "/portal/api/assessment/evidence"
	ct, body := multipartBody(field("question_key", questionKey), part{name: "file", fileName: "immutable-backups.pdf", data: []byte(samplePDF)})
	pdf := s.uploaded(s.send(call{method: "POST", path: files, key: bearer, want: 201, contentType: ct, body: body}),
		questionKey, "immutable-backups.pdf", "application/pdf", []byte(samplePDF))
	if pdf.ID != "" {
		s.downloaded("getPortalEvidenceFile", s.send(call{method: "GET", path: files + "/" + pdf.ID, key: bearer, want: 200}),
			pdf, []byte(samplePDF))
	}
	s.send(call{method: "GET", path: files + "/" + other, key: bearer, want: 404})

	notes := []byte("Backups are copied nightly to immutable storage.\n")
	ct, body = multipartBody(field("question_key", questionKey), part{name: "file", fileName: "notes.txt", data: notes})
	text := s.uploaded(s.send(call{method: "POST", path: files, key: bearer, want: 201, contentType: ct, body: body}),
		questionKey, "notes.txt", "text/plain", notes)
	if text.ID != "" {
		s.send(call{method: "DELETE", path: files + "/" + text.ID, key: bearer, want: 204})
		s.send(call{method: "GET", path: files + "/" + text.ID, key: bearer, want: 404})
	}

	// 415: content that is none of the types accepted, whatever its name says (the
	// start of a Windows executable, its bytes all ASCII so that Prism passes them
	// on as they are, see samplePDF).
	ct, body = multipartBody(field("question_key", questionKey),
		part{name: "file", fileName: "setup.pdf", data: []byte("MZ\x00\x03\x00\x00\x00\x04\x00\x00\x00")})
	s.send(call{method: "POST", path: files, key: bearer, want: 415, lenient: true, contentType: ct, body: body})
	// 413: a file one byte over 20 MiB, streamed, to the service itself: Prism's
	// proxy refuses any body over 10 MB with a 413 of its own before validating or
	// forwarding it (call.direct).
	ct, stream := bigUpload(questionKey, maxEvidence+1)
	s.send(call{method: "POST", path: files, key: bearer, want: 413, direct: true, why: whyOver10MB, contentType: ct, body: stream})
	return portalEvidence{file: pdf, data: []byte(samplePDF)}
}

// teamEvidence reads the portal's evidence as the team does, with key: the
// assessment's files listed, the PDF downloaded, and an unknown file not found.
func (s *scenario) teamEvidence(e portalEvidence, key string) {
	if e.file.ID == "" {
		s.faults = append(s.faults, "no evidence file was kept by the portal for the team to read")
		return
	}
	var list struct {
		Items []evidenceFile `json:"items"`
	}
	res := s.send(call{method: "GET", path: "/api/v1/assessments/" + e.file.AssessmentID + "/evidence", key: key, want: 200})
	if res.status == 200 {
		if err := res.decode(&list); err != nil || len(list.Items) != 1 || list.Items[0] != e.file {
			s.faults = append(s.faults, fmt.Sprintf("listAssessmentEvidence → %s, want the one file kept, %+v", truncate(res.body), e.file))
		}
	}
	s.downloaded("getEvidenceFile", s.send(call{method: "GET", path: "/api/v1/evidence/" + e.file.ID, key: key, want: 200}), e.file, e.data)
	s.send(call{method: "GET", path: "/api/v1/evidence/01900000-0000-7000-8000-00000000dead", key: key, want: 404})
}

// invite starts a draft assessment of the supplier against the baseline, invites its
// contact to answer it, and returns the link's secret and the assessment's id.
func (s *scenario) invite(sid, contact string) (secret, assessmentID string, err error) {
	now := time.Now().UTC()
	draft := s.send(call{method: "POST", path: "/api/v1/suppliers/" + sid + "/assessments", key: s.admin, want: 201,
		body: map[string]any{"questionnaire_id": baseline}})
	invitation := s.send(call{method: "POST", path: "/api/v1/assessments/" + draft.field("id") + "/invitations", key: s.admin, want: 201,
		body: map[string]any{"contact_email": "security@quayside.example", "contact_name": contact,
			"due_at": now.Add(14 * 24 * time.Hour).Format(time.RFC3339), "expires_at": now.Add(30 * 24 * time.Hour).Format(time.RFC3339)}})
	secret = linkSecret(invitation.field("url"))
	if secret == "" {
		return "", "", fmt.Errorf("createInvitation gave no link: %s", truncate(invitation.body))
	}
	return secret, draft.field("id"), nil
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

// formParts is what the portal's form sends as multipart/form-data, its token first:
// its version, the action (none for an Upload or Remove button), and an answer and a
// comment per question given.
func formParts(csrf, version, action string, answers, comments map[string]string) []part {
	parts := []part{field("csrf_token", csrf), field("version", version)}
	if action != "" {
		parts = append(parts, field("action", action))
	}
	for k, v := range answers {
		parts = append(parts, field("answer."+k, v), field("comment."+k, comments[k]))
	}
	return parts
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
