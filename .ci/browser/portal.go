package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// The supplier portal's screenshots, by file name in --out.
const portalFormShot, portalSubmittedShot = "portal-form.png", "portal-submitted.png"

// The portal tab's viewport: a phone's (the link comes by mail, often read on a
// phone), at twice the pixel density, as phones have it. The screenshots are taken
// on a desktop's, where the form's column (46rem) shows more than one question.
const (
	portalWidth, portalHeight, portalScale = 390, 844, 2
	shotWidth, shotHeight                  = 960, 1600
)

// The form's two buttons, in its bar of actions (the form may have other buttons
// with the same name and value, such as a hidden default button).
const (
	saveButton   = `form .actions button[name="action"][value="save"]`
	submitButton = `form .actions button[name="action"][value="submit"]`
)

// savedNotice begins the notice on the form after a save (Save draft, an upload, a
// workbook).
const savedNotice = "Saved: your answers"

// baselineQuestionnaire is the built-in questionnaire the invitation is for.
const baselineQuestionnaire = "01900000-0000-7000-8000-0000000000b1"

// The supplier, its contact, and the comment the contact types.
const (
	portalSupplier = "Northgate Print Ltd"
	portalContact  = "Sam Okafor"
	portalEmail    = "security@supplier.example"
	portalComment  = "ISO/IEC 27001:2022, certificate IS 712345; the scope covers our print sites and the customer portal."
)

// The evidence file the contact attaches: the smallest of PDFs, named .png, so that
// the type the portal shows and the API stores is seen to come from the content,
// not from the name.
const (
	evidenceName    = "certificate.png"
	evidenceContent = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
	evidenceType    = "application/pdf"
	evidenceKind    = "PDF" // as the portal names the type
)

// The portal's addresses and its session cookie (api/portal.go, api/portal_pages.go).
const (
	portalLinkPrefix = "/portal/i/wli_"
	portalFormPath   = "/portal/assessment"
	sheetPath        = "/portal/assessment/sheet" // the workbook: GET downloads it, POST uploads it filled
	portalCookieName = "weaklink_portal"
)

// The webmail's two mails: the invitation, and a forwarded note that links to the
// form's address itself (for the counter-check).
const inboxPath, forwardedPath = "/", "/forwarded"

// checkPortal follows an invitation as the supplier's contact does. The team's
// side through the API, from Go: a supplier, a draft assessment of the baseline
// questionnaire, an invitation. The contact's side in the browser: the link clicked
// on a webmail page of another site; the link's page, its SameSite=Strict cookie
// and its meta refresh to the form; half the questions answered by clicking their
// first option's label, a comment typed; an evidence file (a PDF named .png)
// chosen in a question's file input and sent with its Upload button, which saves
// the answers with it: the page lists the file as a PDF and still shows the
// answers, and the API has the file as application/pdf with its size and SHA-256,
// and the answers; a few questions of the other half answered in the
// questionnaire's workbook (downloaded with the page's link, filled with excelize,
// uploaded with the page's workbook form), the rest of them clicked; Save draft, a
// reload that shows what was saved, the file included; Submit for review, and the
// confirmation with every answer and the file read-only. Then the API shows the
// assessment submitted by the invitation, every question answered. Throughout, on
// the tab's events: no request but to the service and the one webmail page, no
// console error, failed load, 4xx/5xx (a /favicon.ico included) or CSP violation.
// Afterwards, in tabs of their own: the same cookie withheld when the form's
// address itself is opened from the other site (what makes the link's page
// necessary), and the CSP canary on a portal page. The files are written into dir.
// It returns what it checked and the two screenshots taken so far.
func checkPortal(browserCtx context.Context, srv *service, dir string) (report []string, shots map[string][]byte, err error) {
	shots = map[string][]byte{}
	say := func(format string, args ...any) { report = append(report, fmt.Sprintf(format, args...)) }
	api := apiClient{base: srv.base(), key: srv.key}

	// The team's side, from Go.
	var q questionnaire
	if err := api.call(browserCtx, "GET", "/api/v1/questionnaires/"+baselineQuestionnaire, nil, 200, &q); err != nil {
		return nil, shots, err
	}
	if len(q.Questions) == 0 {
		return nil, shots, fmt.Errorf("the questionnaire %s has no questions", baselineQuestionnaire)
	}
	var sup struct {
		ID string `json:"id"`
	}
	if err := api.call(browserCtx, "POST", "/api/v1/suppliers", map[string]any{"name": portalSupplier, "criticality": "high"}, 201, &sup); err != nil {
		return nil, shots, err
	}
	var asm assessment
	if err := api.call(browserCtx, "POST", "/api/v1/suppliers/"+sup.ID+"/assessments",
		map[string]any{"questionnaire_id": baselineQuestionnaire}, 201, &asm); err != nil {
		return nil, shots, err
	}
	if asm.Status != "draft" {
		return nil, shots, fmt.Errorf("the new assessment is %q, not a draft", asm.Status)
	}
	now := time.Now().UTC().Truncate(time.Second)
	due := now.Add(14 * 24 * time.Hour)
	var inv invitation
	if err := api.call(browserCtx, "POST", "/api/v1/assessments/"+asm.ID+"/invitations", map[string]any{
		"contact_email": portalEmail, "contact_name": portalContact,
		"due_at": due.Format(time.RFC3339), "expires_at": now.Add(30 * 24 * time.Hour).Format(time.RFC3339),
	}, 201, &inv); err != nil {
		return nil, shots, err
	}
	if !strings.HasPrefix(inv.URL, portalLinkPrefix) || inv.Status != "sent" || inv.AssessmentID != asm.ID {
		return nil, shots, fmt.Errorf("the invitation: status %q, assessment %s, url %q; want sent, %s, %s…",
			inv.Status, inv.AssessmentID, mask(inv.URL, strings.TrimPrefix(inv.URL, "/portal/i/")), asm.ID, portalLinkPrefix)
	}
	secret := strings.TrimPrefix(inv.URL, "/portal/i/")
	// The secret is not printed: the service itself logs its first six characters.
	defer func() {
		if err != nil {
			err = errors.New(mask(err.Error(), secret))
		}
	}()
	link := srv.base() + inv.URL
	say("API (from Go, the demo key): supplier %q, a draft assessment of %q (%d questions), invitation %s to %s: 201, link %s",
		portalSupplier, q.Name, len(q.Questions), inv.ID, portalEmail, mask(inv.URL, secret))

	// The contact's webmail, on another site.
	mail, err := startWebmail(map[string]mail{
		inboxPath: {From: "Procurement <procurement@members.example>", Subject: "Security questionnaire for " + portalSupplier,
			Body:   "Please answer our security questionnaire by following this link.",
			LinkID: "invitation", LinkText: "Open the questionnaire", Link: link},
		forwardedPath: {From: "A colleague <colleague@supplier.example>", Subject: "Fwd: the questionnaire form",
			Body:   "Here is the form's address, without the link from the mail.",
			LinkID: "form-address", LinkText: "The questionnaire form", Link: srv.base() + portalFormPath},
	})
	if err != nil {
		return nil, shots, err
	}
	defer mail.close()

	m := newMonitor(srv.addr)
	m.allow(mail.url(inboxPath), "the webmail page on another site")
	tab, closeTab, err := openTab(browserCtx, m)
	if err != nil {
		return nil, shots, err
	}
	defer closeTab()

	resp, err := step(tab, time.Minute, "open the webmail page "+mail.url(inboxPath),
		chromedp.EmulateViewport(portalWidth, portalHeight, chromedp.EmulateScale(portalScale)),
		chromedp.NavigateResponse(mail.url(inboxPath)))
	if err != nil {
		return nil, shots, err
	}
	if resp.Status != 200 || mail.opened(inboxPath) != 1 {
		return nil, shots, fmt.Errorf("the webmail page answered %d (fetched %d times)", resp.Status, mail.opened(inboxPath))
	}

	// A click on the link: a navigation from another site to the link, whose page
	// gives the cookie and moves on to the form.
	if _, err := step(tab, time.Minute, "click the link in the mail", nil,
		chromedp.Steps(clickVisible(`a#invitation`))); err != nil {
		return nil, shots, err
	}
	if err := waitForPage(tab, time.Minute, srv.addr, portalFormPath); err != nil {
		return nil, shots, fmt.Errorf("after the click on the link in the mail: %w; the tab's navigations: %s", err, describeHops(m.navigations()))
	}
	line, err := checkCrossSite(tab, m, srv, mail, link)
	if err != nil {
		return nil, shots, err
	}
	say("%s", line)

	// The form, as the questionnaire says it should be.
	form, err := readPortalPage(tab)
	if err != nil {
		return nil, shots, err
	}
	if err := checkForm(form, q, portalSupplier, due); err != nil {
		return nil, shots, err
	}
	say("the form: %q for %s, due %s; two forms: before the questionnaire, a closed <details> %q with a link to %s and its form of upload "+
		"(POST %s, multipart/form-data: csrf_token first, a labelled .xlsx file input, %q); the questionnaire's (POST %s, multipart/form-data): "+
		"%d questions, each a fieldset with its options and \"No answer yet\" as labelled radios, "+
		"a labelled comment, a labelled file input and its Upload button; a hidden default Save draft first, then Save draft and Submit for review; "+
		"no script element; document.cookie empty (the cookie is HttpOnly)",
		form.Title, portalSupplier, dueText(due), form.Sheet.Summary, sheetPath, sheetPath, form.Sheet.Buttons[0].Text, portalFormPath, len(form.Questions))

	// Answer the first half of the questions (a click on each one's first option's
	// label) and type a comment; the upload saves them, the other half comes after it.
	want := map[string]string{}
	half := len(q.Questions) / 2
	if err := answerQuestions(tab, q.Questions[:half], want); err != nil {
		return nil, shots, err
	}
	commented := q.Questions[0].Key
	typed, err := step(tab, time.Minute, "type a comment on "+commented,
		chromedp.Steps(clickVisible("#c-"+commented), chromedp.KeyEvent(portalComment)),
		chromedp.Evaluate[string](`document.activeElement.id + ' ' + document.activeElement.value`))
	if err != nil {
		return nil, shots, err
	}
	if typed != "c-"+commented+" "+portalComment {
		return nil, shots, fmt.Errorf("typing into the comment on %s left the focused element as %q", commented, typed)
	}
	if form, err = readPortalPage(tab); err != nil {
		return nil, shots, err
	}
	if bad := answersShown(form, want, commented); len(bad) > 0 {
		return nil, shots, fmt.Errorf("after the clicks, the form does not show the answers: %s", strings.Join(bad, "; "))
	}

	// Evidence: a file chosen in the question's file input, and its Upload button.
	attached := commented
	line, file, err := checkUpload(tab, m, api, dir, asm.ID, inv.ID, attached, want, commented)
	if err != nil {
		return nil, shots, err
	}
	say("%s", line)

	// A few questions of the other half answered in the workbook: downloaded from
	// the page, filled, uploaded on the page.
	var sheetQuestions, rest []question
	for i, qu := range q.Questions[half:] {
		if i%7 == 0 {
			sheetQuestions = append(sheetQuestions, qu)
		} else {
			rest = append(rest, qu)
		}
	}
	line, err = checkSheet(tab, m, api, srv.base(), dir, asm.ID, q, sheetQuestions, rest[len(rest)-1], want, commented, attached, file)
	if err != nil {
		return nil, shots, err
	}
	say("%s", line)

	// The rest of the other half, clicked.
	if err := answerQuestions(tab, rest, want); err != nil {
		return nil, shots, err
	}
	if len(want) != len(q.Questions) {
		return nil, shots, fmt.Errorf("the check answered %d of the %d questions", len(want), len(q.Questions))
	}
	if form, err = readPortalPage(tab); err != nil {
		return nil, shots, err
	}
	if bad := answersShown(form, want, commented); len(bad) > 0 {
		return nil, shots, fmt.Errorf("after the clicks, the form does not show the answers: %s", strings.Join(bad, "; "))
	}

	// Save draft: 303 to the form with the notice; a reload shows what was saved.
	saved, err := step(tab, time.Minute, "Save draft", nil,
		navigation(clickVisible(saveButton)))
	if err != nil {
		return nil, shots, err
	}
	if err := lastHops(m, "POST "+portalFormPath+" 303", "GET "+portalFormPath+"?saved=1 200"); err != nil {
		return nil, shots, fmt.Errorf("Save draft: %w", err)
	}
	if saved.Status != 200 {
		return nil, shots, fmt.Errorf("Save draft: the form after it answered %d", saved.Status)
	}
	reloaded, err := step(tab, time.Minute, "reload the saved form", nil, navigation(reload()))
	if err != nil {
		return nil, shots, err
	}
	if reloaded.Status != 200 || reloaded.URL != srv.base()+portalFormPath+"?saved=1" {
		return nil, shots, fmt.Errorf("the reload: %d %s", reloaded.Status, reloaded.URL)
	}
	if form, err = readPortalPage(tab); err != nil {
		return nil, shots, err
	}
	if !strings.HasPrefix(form.Notice, savedNotice) {
		return nil, shots, fmt.Errorf("after Save draft and a reload the page says %q, not that the answers are saved", form.Notice)
	}
	if bad := answersShown(form, want, commented); len(bad) > 0 {
		return nil, shots, fmt.Errorf("after Save draft and a reload, the form does not show the saved answers: %s", strings.Join(bad, "; "))
	}
	if err := filesShown(form, attached, file); err != nil {
		return nil, shots, fmt.Errorf("after Save draft and a reload: %w", err)
	}
	var draft assessment
	if err := api.call(browserCtx, "GET", "/api/v1/assessments/"+asm.ID, nil, 200, &draft); err != nil {
		return nil, shots, err
	}
	if draft.Status != "draft" || !maps.Equal(draft.Answers, want) || draft.Comments[commented] != portalComment || len(draft.Comments) != 1 {
		return nil, shots, fmt.Errorf("after Save draft the API shows the assessment %s with %d answers (want the %d clicked) and comments %v",
			draft.Status, len(draft.Answers), len(want), draft.Comments)
	}
	say("the other %d answers clicked; Save draft: POST %s 303 → GET %s?saved=1 200 %q; "+
		"after a reload the %d radios are checked, the comment is there and %s is listed under %s; the API shows the draft with the same answers and comment",
		len(rest), portalFormPath, portalFormPath, firstSentence(form.Notice), len(want), file.Name, attached)

	reflow, err := checkReflow(tab)
	if err != nil {
		return nil, shots, err
	}
	say("%s", reflow)

	shot, look, err := portalScreenshot(tab, "the saved form")
	if shot != nil {
		shots[portalFormShot] = shot
	}
	if err != nil {
		return nil, shots, err
	}
	say("screenshot of the saved form, %d×%d, not blank: %s", shotWidth, shotHeight, look)

	// Submit for review: 303 to the form's address, now the confirmation.
	labels := form.chosenLabels()
	done, err := step(tab, time.Minute, "Submit for review", nil,
		navigation(clickVisible(submitButton)))
	if err != nil {
		return nil, shots, err
	}
	if err := lastHops(m, "POST "+portalFormPath+" 303", "GET "+portalFormPath+" 200"); err != nil {
		return nil, shots, fmt.Errorf("Submit for review: %w", err)
	}
	if done.Status != 200 {
		return nil, shots, fmt.Errorf("Submit for review: the page after it answered %d", done.Status)
	}
	confirmation, err := readPortalPage(tab)
	if err != nil {
		return nil, shots, err
	}
	var sent assessment
	if err := api.call(browserCtx, "GET", "/api/v1/assessments/"+asm.ID, nil, 200, &sent); err != nil {
		return nil, shots, err
	}
	if sent.Status != "submitted" || sent.SubmittedByInvitation == nil || *sent.SubmittedByInvitation != inv.ID ||
		sent.SubmittedBy != nil || sent.SubmittedAt == nil || !maps.Equal(sent.Answers, want) || sent.Comments[commented] != portalComment {
		return nil, shots, fmt.Errorf("after Submit for review the API shows the assessment %s, submitted_by_invitation %v (want %s), "+
			"submitted_by %v, %d answers, comments %v", sent.Status, deref(sent.SubmittedByInvitation), inv.ID,
			deref(sent.SubmittedBy), len(sent.Answers), sent.Comments)
	}
	if err := checkConfirmation(confirmation, q, labels, commented, attached, file, *sent.SubmittedAt); err != nil {
		return nil, shots, err
	}
	var invs struct {
		Items []invitation `json:"items"`
	}
	if err := api.call(browserCtx, "GET", "/api/v1/assessments/"+asm.ID+"/invitations", nil, 200, &invs); err != nil {
		return nil, shots, err
	}
	if len(invs.Items) != 1 || invs.Items[0].ID != inv.ID || invs.Items[0].Status != "submitted" ||
		invs.Items[0].OpenedAt == nil || invs.Items[0].SubmittedAt == nil {
		return nil, shots, fmt.Errorf("after Submit for review the assessment's invitations are %+v; want %s submitted, with opened_at and submitted_at", invs.Items, inv.ID)
	}
	say("Submit for review: POST %s 303 → GET %s 200 %q, the %d answers, the comment and \"File: %s (%s)\" read-only (no form control on the page), "+
		"no due date any more; the API: the assessment submitted, submitted_by_invitation %s (submitted_by null), the answers and comment as entered; the invitation submitted",
		portalFormPath, portalFormPath, firstSentence(confirmation.Notice), len(confirmation.Answers), file.Name, file.Meta, inv.ID)

	shot, look, err = portalScreenshot(tab, "the confirmation")
	if shot != nil {
		shots[portalSubmittedShot] = shot
	}
	if err != nil {
		return nil, shots, err
	}
	say("screenshot of the confirmation, %d×%d, not blank: %s", shotWidth, shotHeight, look)

	seen, err := m.result()
	if err != nil {
		return nil, shots, fmt.Errorf("the portal: %w", err)
	}
	say("on the tab's events: %s", seen)

	line, err = checkCookieWithheld(browserCtx, srv, mail)
	if err != nil {
		return nil, shots, err
	}
	say("%s", line)

	canary, err := checkCanary(browserCtx, srv, portalFormPath)
	if err != nil {
		return nil, shots, fmt.Errorf("CSP canary: %w", err)
	}
	say("CSP canary: %s", canary)
	return report, shots, nil
}

// answerQuestions answers each question with a click on its first option's label,
// as a person would, and records the answers in want.
func answerQuestions(tab context.Context, qs []question, want map[string]string) error {
	for _, qu := range qs {
		if len(qu.Options) == 0 {
			return fmt.Errorf("the question %s has no options", qu.Key)
		}
		if _, err := step(tab, time.Minute, "answer "+qu.Key, nil,
			chromedp.Steps(clickVisible(fmt.Sprintf(`label[for=%q]`, "a-"+qu.Key+"-"+qu.Options[0].Value)))); err != nil {
			return err
		}
		want[qu.Key] = qu.Options[0].Value
	}
	return nil
}

// checkUpload attaches the evidence file to the question key as a person does: the
// file (written into dir) chosen in the question's file input, and a click on the
// question's Upload button, with the answers in want and the comment on commented
// typed but not saved yet. The post is answered 303 to the form at the question,
// which lists the file under it as a PDF (its content's type, not its name's) with
// its size and a Remove button, and still shows every answer and the comment: they
// were saved with the upload. The API shows it too: the file, application/pdf, of
// the size and SHA-256 sent, uploaded by the invitation, downloaded byte for byte;
// and the draft with the answers and the comment. It returns what it checked and
// the file as the page lists it.
func checkUpload(tab context.Context, m *monitor, api apiClient, dir, assessmentID, invitationID, key string,
	want map[string]string, commented string) (string, pageFile, error) {
	var none pageFile
	path := filepath.Join(dir, evidenceName)
	if err := os.WriteFile(path, []byte(evidenceContent), 0o644); err != nil {
		return "", none, err
	}
	input := fmt.Sprintf(`input[type=file][id=%q]`, "f-"+key)
	chosen, err := step(tab, time.Minute, "choose "+evidenceName+" in the file input of "+key,
		chromedp.SetUploadFiles(chromedp.CSS(input), []string{path}),
		chromedp.Evaluate[string](fmt.Sprintf(`Array.from(document.querySelector(%q).files, f => f.name + ' ' + f.size).join(', ')`, input)))
	if err != nil {
		return "", none, err
	}
	if want := fmt.Sprintf("%s %d", evidenceName, len(evidenceContent)); chosen != want {
		return "", none, fmt.Errorf("the file input of %s holds %q after the file was chosen; want %q", key, chosen, want)
	}
	upload := portalFormPath + "?upload=" + key
	resp, err := step(tab, time.Minute, "Upload "+evidenceName+" for "+key, nil,
		navigation(clickVisible(fmt.Sprintf(`fieldset[id=%q] button[formaction=%q]`, "q-"+key, upload))))
	if err != nil {
		return "", none, err
	}
	if err := lastHops(m, "POST "+upload+" 303", "GET "+portalFormPath+"?saved=1 200"); err != nil {
		return "", none, fmt.Errorf("Upload: %w", err)
	}
	if resp.Status != 200 {
		return "", none, fmt.Errorf("Upload: the form after it answered %d", resp.Status)
	}
	form, err := readPortalPage(tab)
	if err != nil {
		return "", none, err
	}
	if at := "?saved=1#q-" + key; !strings.HasSuffix(form.Location, portalFormPath+at) {
		return "", none, fmt.Errorf("after Upload the tab is at %s, not the form at the question (%s%s)", form.Location, portalFormPath, at)
	}
	if !strings.HasPrefix(form.Notice, savedNotice) {
		return "", none, fmt.Errorf("after Upload the page says %q, not that the answers are saved", form.Notice)
	}
	if bad := answersShown(form, want, commented); len(bad) > 0 {
		return "", none, fmt.Errorf("after Upload the form does not show the answers typed before it: %s", strings.Join(bad, "; "))
	}
	top, err := step(tab, time.Minute, "where the question is after Upload", nil, chromedp.Evaluate[float64](
		fmt.Sprintf(`document.getElementById(%q).getBoundingClientRect().top`, "q-"+key)))
	if err != nil {
		return "", none, err
	}
	if top < -1 || top > 1 {
		return "", none, fmt.Errorf("after Upload the question %s is %.0f px from the top of the viewport, not scrolled to", key, top)
	}

	var list struct {
		Items      []evidenceFile `json:"items"`
		NextCursor *string        `json:"next_cursor"`
	}
	if err := api.call(tab, "GET", "/api/v1/assessments/"+assessmentID+"/evidence", nil, 200, &list); err != nil {
		return "", none, err
	}
	sum := sha256.Sum256([]byte(evidenceContent))
	digest := hex.EncodeToString(sum[:])
	if len(list.Items) != 1 || list.NextCursor != nil {
		return "", none, fmt.Errorf("after Upload the API lists %d evidence files for the assessment (next cursor %v); want 1", len(list.Items), list.NextCursor)
	}
	f := list.Items[0]
	if f.AssessmentID != assessmentID || f.QuestionKey != key || f.FileName != evidenceName || f.MediaType != evidenceType ||
		f.SizeBytes != int64(len(evidenceContent)) || f.SHA256 != digest || f.UploadedBy != nil ||
		f.UploadedByInvitation == nil || *f.UploadedByInvitation != invitationID {
		return "", none, fmt.Errorf("after Upload the API has the file as %+v (uploaded_by %s, uploaded_by_invitation %s); "+
			"want question %s, %s, %s, %d bytes, sha256 %s, uploaded by the invitation %s",
			f, deref(f.UploadedBy), deref(f.UploadedByInvitation), key, evidenceName, evidenceType, len(evidenceContent), digest, invitationID)
	}
	listed := pageFile{Name: evidenceName, Meta: fmt.Sprintf("%s, %d bytes", evidenceKind, len(evidenceContent)),
		Remove: portalFormPath + "?remove=" + f.ID, RemoveLabel: "Remove " + evidenceName}
	if err := filesShown(form, key, listed); err != nil {
		return "", none, fmt.Errorf("after Upload: %w", err)
	}
	hdr, body, err := api.download(tab, "/api/v1/evidence/"+f.ID)
	if err != nil {
		return "", none, err
	}
	if string(body) != evidenceContent || hdr.Get("Content-Type") != evidenceType || hdr.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(hdr.Get("Content-Disposition"), "attachment") {
		return "", none, fmt.Errorf("GET /api/v1/evidence/%s: %d bytes (want the %d sent), Content-Type %q, X-Content-Type-Options %q, Content-Disposition %q",
			f.ID, len(body), len(evidenceContent), hdr.Get("Content-Type"), hdr.Get("X-Content-Type-Options"), hdr.Get("Content-Disposition"))
	}
	var draft assessment
	if err := api.call(tab, "GET", "/api/v1/assessments/"+assessmentID, nil, 200, &draft); err != nil {
		return "", none, err
	}
	if draft.Status != "draft" || !maps.Equal(draft.Answers, want) || draft.Comments[commented] != portalComment || len(draft.Comments) != 1 {
		return "", none, fmt.Errorf("after Upload the API shows the assessment %s with %d answers (want the %d clicked) and comments %v: "+
			"the answers typed in the form were not saved with the file", draft.Status, len(draft.Answers), len(want), draft.Comments)
	}
	return fmt.Sprintf("%d answers clicked (each question's first option, by its label) and a comment typed; then %s (a PDF, %d bytes) chosen in the file input of %s "+
		"and its Upload button clicked: POST %s 303 → GET %s?saved=1#q-%s 200 %q, scrolled to the question, which lists %q, %q with its Remove button; "+
		"the %d answers and the comment still there; the API: the file %s, %s, %d bytes, sha256 %s…, uploaded by the invitation, "+
		"downloaded byte for byte as an attachment (nosniff); the draft with the %d answers and the comment, saved with the upload",
		len(want), evidenceName, len(evidenceContent), key, upload, portalFormPath, key, firstSentence(form.Notice), listed.Name, listed.Meta,
		len(want), f.ID, f.MediaType, f.SizeBytes, digest[:12], len(want)), listed, nil
}

// The workbook's questionnaire sheet, its header row and the column of the answers
// (internal/answersheet), and the name the download is saved under.
const (
	sheetName       = "Questionnaire"
	sheetAnswerCol  = "F"
	sheetDownloaded = "questionnaire.xlsx"
	sheetFilled     = "questionnaire-filled.xlsx"
	sheetWrong      = "questionnaire-wrong.xlsx"   // filled, and one cell not an option
	wrongAnswer     = "sometimes"                  // what that cell says
	sheetRefused    = "The workbook was not saved" // the notice on the form after a refused workbook
)

var sheetHeader = []string{"question_key", "domain", "question", "guidance", "required", "answer", "comment"}

// checkSheet answers the questions qs in the questionnaire's workbook, as a contact
// who prefers a spreadsheet does, after the answers in want and the comment on
// commented were saved and the file listed under attached: the <details> opened
// with a click on its summary; its link clicked, answered 200 with the workbook as
// an attachment, which the browser saves; the saved workbook read with excelize:
// its Questionnaire sheet with the header row, a row per question in order, the
// saved answers in column F and the comment in G; each of qs given its last option
// (which no click chooses) in column F, saved under another name; a copy of it
// with a word that is not an option in wrongQuestion's row. The copy first, chosen
// in the file input of the page's workbook form and sent with Upload workbook:
// refused, 400 (which the tab's monitor is told to expect, and then requires), the
// form again with the <details> open and the cell named by row and column, and
// nothing saved. Then the right one, from that page: POST /portal/assessment/sheet
// 303 → GET /portal/assessment?saved=1 200, the form with those answers checked
// besides the others, the comment, the file still listed and the <details> closed
// again; the API has the draft with them. It adds the answers to want and returns
// what it checked.
func checkSheet(tab context.Context, m *monitor, api apiClient, base, dir, assessmentID string, q questionnaire, qs []question,
	wrongQuestion question, want map[string]string, commented, attached string, file pageFile) (string, error) {
	m.expect(base+sheetPath, 400, "a workbook with a cell that is not an option, refused")
	opened, err := step(tab, time.Minute, "open \"Answer in a spreadsheet instead\"", clickVisible(`details#sheet > summary`),
		chromedp.Evaluate[bool](`document.getElementById('sheet').open`))
	if err != nil {
		return "", err
	}
	if !opened {
		return "", errors.New("a click on the summary of #sheet left it closed")
	}

	// The download: the link clicked, the answer saved by the browser.
	saved, err := downloadByClick(tab, fmt.Sprintf(`details#sheet a[href=%q]`, sheetPath), dir)
	if err != nil {
		return "", fmt.Errorf("download the workbook with the page's link: %w", err)
	}
	if err := lastHops(m, "GET "+sheetPath+" 200"); err != nil {
		return "", fmt.Errorf("the workbook's link: %w", err)
	}
	resp := m.response(base + sheetPath)
	if resp == nil || resp.Status != 200 || resp.MimeType != xlsxType ||
		!strings.HasPrefix(header(resp.Headers, "Content-Disposition"), "attachment") || filepath.Base(saved) != sheetDownloaded ||
		header(resp.Headers, "X-Content-Type-Options") != "nosniff" || header(resp.Headers, "Cache-Control") != "no-store" {
		var status int64
		var mt, cd, nosniff, cache string
		if resp != nil {
			status, mt, cd = resp.Status, resp.MimeType, header(resp.Headers, "Content-Disposition")
			nosniff, cache = header(resp.Headers, "X-Content-Type-Options"), header(resp.Headers, "Cache-Control")
		}
		return "", fmt.Errorf("the workbook's link answered %d %s, Content-Disposition %q, X-Content-Type-Options %q, Cache-Control %q, saved as %s; "+
			"want 200 %s, an attachment named %s, nosniff, no-store (it holds the answers)",
			status, mt, cd, nosniff, cache, filepath.Base(saved), xlsxType, sheetDownloaded)
	}
	where, err := step(tab, time.Minute, "where the tab is after the download", nil, chromedp.Evaluate[string](`location.pathname + location.search`))
	if err != nil {
		return "", err
	}
	if where != portalFormPath+"?saved=1" {
		return "", fmt.Errorf("after the workbook's download the tab is at %s, not on the form any more", where)
	}

	// The workbook, read and filled as a spreadsheet program would; and a copy of
	// it with one more cell wrong, a word that is not an option.
	filled, wrong := filepath.Join(dir, sheetFilled), filepath.Join(dir, sheetWrong)
	rows, wrongRow, err := fillSheet(saved, filled, wrong, q, qs, wrongQuestion, want, commented)
	if err != nil {
		return "", err
	}

	// The wrong one first: refused as a whole, 400, the form again with the cell
	// named by row and column, and nothing saved.
	if err := uploadSheet(tab, wrong); err != nil {
		return "", err
	}
	if err := lastHops(m, "POST "+sheetPath+" 400"); err != nil {
		return "", fmt.Errorf("Upload workbook, a wrong one: %w", err)
	}
	form, err := readPortalPage(tab)
	if err != nil {
		return "", err
	}
	wantError := pageLink{Href: "#sheet", Text: fmt.Sprintf("Row %d, column %s: %q is not an option of %s", wrongRow, sheetAnswerCol, wrongAnswer, wrongQuestion.Key)}
	if !strings.HasPrefix(form.Notice, sheetRefused) || len(form.Errors) != 1 || form.Errors[0].Href != wantError.Href ||
		!strings.HasPrefix(form.Errors[0].Text, wantError.Text) {
		return "", fmt.Errorf("after Upload workbook, a wrong one, the page says %q with the errors %+v; want %q… and one error %+v…",
			form.Notice, form.Errors, sheetRefused, wantError)
	}
	if form.Sheet == nil || !form.Sheet.Open {
		return "", fmt.Errorf("after Upload workbook, a wrong one, #sheet is %+v; want the details open, at its error", form.Sheet)
	}
	if bad := answersShown(form, want, commented); len(bad) > 0 {
		return "", fmt.Errorf("after Upload workbook, a wrong one, the form does not show the answers saved before it: %s", strings.Join(bad, "; "))
	}
	var draft assessment
	if err := api.call(tab, "GET", "/api/v1/assessments/"+assessmentID, nil, 200, &draft); err != nil {
		return "", err
	}
	if !maps.Equal(draft.Answers, want) {
		return "", fmt.Errorf("after Upload workbook, a wrong one, the API shows %d answers, want the %d saved before: "+
			"a refused workbook must save nothing", len(draft.Answers), len(want))
	}
	refused := fmt.Sprintf("%q, listing %q", firstSentence(form.Notice), form.Errors[0].Text)

	// The right one, from the page that refused the other.
	if err := uploadSheet(tab, filled); err != nil {
		return "", err
	}
	if err := lastHops(m, "POST "+sheetPath+" 303", "GET "+portalFormPath+"?saved=1 200"); err != nil {
		return "", fmt.Errorf("Upload workbook: %w", err)
	}
	var keys []string
	for _, qu := range qs {
		want[qu.Key] = qu.Options[len(qu.Options)-1].Value
		keys = append(keys, qu.Key+" = "+want[qu.Key])
	}
	if form, err = readPortalPage(tab); err != nil {
		return "", err
	}
	if !strings.HasSuffix(form.Location, portalFormPath+"?saved=1") || !strings.HasPrefix(form.Notice, savedNotice) {
		return "", fmt.Errorf("after Upload workbook the tab is at %s and says %q; want the form at ?saved=1 and %q…", form.Location, form.Notice, savedNotice)
	}
	if bad := answersShown(form, want, commented); len(bad) > 0 {
		return "", fmt.Errorf("after Upload workbook the form does not show the workbook's answers with the others: %s", strings.Join(bad, "; "))
	}
	if err := filesShown(form, attached, file); err != nil {
		return "", fmt.Errorf("after Upload workbook: %w", err)
	}
	if form.Sheet == nil || form.Sheet.Open {
		return "", fmt.Errorf("after Upload workbook, a workbook saved, #sheet is %+v; want the details closed", form.Sheet)
	}
	if err := api.call(tab, "GET", "/api/v1/assessments/"+assessmentID, nil, 200, &draft); err != nil {
		return "", err
	}
	if draft.Status != "draft" || !maps.Equal(draft.Answers, want) || draft.Comments[commented] != portalComment || len(draft.Comments) != 1 {
		return "", fmt.Errorf("after Upload workbook the API shows the assessment %s with %d answers (want %d) and comments %v",
			draft.Status, len(draft.Answers), len(want), draft.Comments)
	}
	return fmt.Sprintf("workbook: the summary clicked opens #sheet; its link clicked: GET %s 200 %s, an attachment (nosniff, no-store), which the browser saved as %s; "+
		"its %s sheet: the header row and %d question rows in order, the %d saved answers in column %s and the comment; %d answers written into column %s "+
		"(%s), saved as %s; a copy with %q for %s too, chosen in #sheet-file, Upload workbook: POST %s 400 (expected), %s, #sheet open, "+
		"nothing saved; then %s chosen, Upload workbook: POST %s 303 → GET %s?saved=1 200 %q; "+
		"the %d answers checked, the comment and %s still there, #sheet closed; the API shows the draft with them",
		sheetPath, xlsxType, sheetDownloaded, sheetName, rows, len(want)-len(qs), sheetAnswerCol, len(qs), sheetAnswerCol,
		strings.Join(keys, ", "), sheetFilled, wrongAnswer, wrongQuestion.Key, sheetPath, refused,
		sheetFilled, sheetPath, portalFormPath, firstSentence(form.Notice), len(want), file.Name), nil
}

// uploadSheet chooses the workbook at path in the page's workbook form and clicks
// Upload workbook, and waits for the page that answers it.
func uploadSheet(tab context.Context, path string) error {
	name := filepath.Base(path)
	chosen, err := step(tab, time.Minute, "choose "+name+" in the workbook's file input",
		chromedp.SetUploadFiles(chromedp.CSS(`#sheet-file`), []string{path}),
		chromedp.Evaluate[string](`Array.from(document.getElementById('sheet-file').files, f => f.name).join(', ')`))
	if err != nil {
		return err
	}
	if chosen != name {
		return fmt.Errorf("the workbook's file input holds %q after %s was chosen", chosen, name)
	}
	_, err = step(tab, time.Minute, "Upload workbook "+name, nil,
		navigation(clickVisible(fmt.Sprintf(`details#sheet form[action=%q] button[type=submit]`, sheetPath))))
	return err
}

// xlsxType is the media type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// fillSheet reads the workbook at from: its questionnaire sheet, the header row
// and a row per question of q, in order, with the answers in want in column F (and
// nothing for the others), and the comment on commented. It writes each of qs's
// last option into its row's column F and saves the workbook as to; then it writes
// wrongAnswer into wrongQ's row too and saves that as wrong. It returns the number
// of question rows and wrongQ's row.
func fillSheet(from, to, wrong string, q questionnaire, qs []question, wrongQ question, want map[string]string, commented string) (rows, wrongRow int, err error) {
	f, err := excelize.OpenFile(from)
	if err != nil {
		return 0, 0, fmt.Errorf("the downloaded workbook: %w", err)
	}
	defer f.Close()
	cells, err := f.GetRows(sheetName)
	if err != nil {
		return 0, 0, fmt.Errorf("the downloaded workbook (sheets %v): %w", f.GetSheetList(), err)
	}
	if len(cells) == 0 || !slices.Equal(cells[0], sheetHeader) {
		return 0, 0, fmt.Errorf("the downloaded workbook's header row is %q; want %q", cells[:min(len(cells), 1)], sheetHeader)
	}
	if len(cells)-1 != len(q.Questions) {
		return 0, 0, fmt.Errorf("the downloaded workbook has %d rows under its header for %d questions", len(cells)-1, len(q.Questions))
	}
	rowOf := map[string]int{}
	for i, qu := range q.Questions {
		row := cells[i+1]
		cell := func(col int) string {
			if col < len(row) {
				return row[col]
			}
			return "" // GetRows leaves out a row's empty cells at its end
		}
		wantComment := ""
		if qu.Key == commented {
			wantComment = portalComment
		}
		if cell(0) != qu.Key || cell(2) != qu.Text || cell(5) != want[qu.Key] || cell(6) != wantComment {
			return 0, 0, fmt.Errorf("the downloaded workbook's row %d: key %q, question %q, answer %q, comment %q; want %q, %q, %q (as saved), %q",
				i+2, cell(0), cell(2), cell(5), cell(6), qu.Key, qu.Text, want[qu.Key], wantComment)
		}
		rowOf[qu.Key] = i + 2
	}
	for _, qu := range qs {
		if len(qu.Options) < 2 || rowOf[qu.Key] == 0 {
			return 0, 0, fmt.Errorf("the question %s has fewer than two options, or no row", qu.Key)
		}
		if err := f.SetCellStr(sheetName, fmt.Sprintf("%s%d", sheetAnswerCol, rowOf[qu.Key]), qu.Options[len(qu.Options)-1].Value); err != nil {
			return 0, 0, err
		}
	}
	if err := f.SaveAs(to); err != nil {
		return 0, 0, fmt.Errorf("save the filled workbook: %w", err)
	}
	wrongRow = rowOf[wrongQ.Key]
	if wrongRow == 0 || slices.Contains(wrongQ.Options, option{Value: wrongAnswer}) {
		return 0, 0, fmt.Errorf("the question %s has no row, or %q is one of its options", wrongQ.Key, wrongAnswer)
	}
	if err := f.SetCellStr(sheetName, fmt.Sprintf("%s%d", sheetAnswerCol, wrongRow), wrongAnswer); err != nil {
		return 0, 0, err
	}
	if err := f.SaveAs(wrong); err != nil {
		return 0, 0, fmt.Errorf("save the wrong workbook: %w", err)
	}
	return len(cells) - 1, wrongRow, nil
}

// downloadByClick clicks the link sel of the tab's page and waits until the
// browser has saved its answer, a file, into a new folder under dir; it returns
// the saved file's path.
func downloadByClick(tab context.Context, sel, dir string) (string, error) {
	ctx, cancel := context.WithTimeout(tab, time.Minute)
	defer cancel()
	into, err := os.MkdirTemp(dir, "downloads-")
	if err != nil {
		return "", err
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: into, EventsEnabled: new(true)}); err != nil {
		return "", err
	}
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress) // before the click: nothing is missed
	if err := chromedp.Do(ctx, clickVisible(sel)); err != nil {
		return "", err
	}
	for ev, err := range progress {
		if err != nil {
			return "", err
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			if ev.FilePath == "" {
				return "", errors.New("the download completed without a file path")
			}
			return ev.FilePath, nil
		case browser.DownloadProgressStateCanceled:
			return "", errors.New("the download was canceled")
		}
	}
	return "", errors.New("no end of the download")
}

// filesShown checks that the form lists the one file under the question key, and
// no file under any other question.
func filesShown(p portalPage, key string, want pageFile) error {
	found := false
	for _, f := range p.Questions {
		switch {
		case f.Fieldset == "q-"+key:
			found = true
			if len(f.Files) != 1 || f.Files[0] != want {
				return fmt.Errorf("the question %s lists the files %+v; want %+v", key, f.Files, want)
			}
		case len(f.Files) > 0:
			return fmt.Errorf("the question %s lists the files %+v; want none", strings.TrimPrefix(f.Fieldset, "q-"), f.Files)
		}
	}
	if !found {
		return fmt.Errorf("the page has no question %s", key)
	}
	return nil
}

// dueText is a due date as the portal writes it.
func dueText(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") }

// checkCrossSite checks the navigations that took the tab from the webmail page to
// the form, on what the network stack reported: the link requested across sites
// (Sec-Fetch-Site: cross-site), answered 200 with the session cookie, HttpOnly and
// SameSite=Strict, which the browser stored; then the form requested from the
// link's page (Sec-Fetch-Site: same-origin, its meta refresh) with that cookie,
// answered 200. A redirect would not do: the browser withholds a SameSite=Strict
// cookie from a navigation that began on another site, redirected or not.
func checkCrossSite(tab context.Context, m *monitor, srv *service, mail *webmail, link string) (string, error) {
	navs := m.navigations()
	if len(navs) != 3 || navs[0].URL != mail.url(inboxPath) || navs[1].URL != link || navs[2].URL != srv.base()+portalFormPath {
		return "", fmt.Errorf("from the webmail page to the form the tab went through %s; want the webmail page, the link, the form",
			describeHops(navs))
	}
	mailHop, linkHop, formHop := navs[0], navs[1], navs[2]
	if mailHop.Status != 200 {
		return "", fmt.Errorf("the webmail page: %d", mailHop.Status)
	}
	switch {
	case linkHop.Sent == nil:
		return "", fmt.Errorf("the link's request: the browser reported no headers as sent (Network.requestWillBeSentExtraInfo)")
	case header(linkHop.Sent, "Sec-Fetch-Site") != "cross-site":
		return "", fmt.Errorf("the link's request was sent with Sec-Fetch-Site %q, not cross-site: the webmail page is not another site to the browser",
			header(linkHop.Sent, "Sec-Fetch-Site"))
	case linkHop.Status != 200:
		return "", fmt.Errorf("the link answered %d", linkHop.Status)
	case len(linkHop.Refused) > 0:
		return "", fmt.Errorf("the browser refused a cookie of the link's answer: %s %v", linkHop.Refused[0].CookieLine, linkHop.Refused[0].BlockedReasons)
	}
	setCookie := header(linkHop.Received, "Set-Cookie")
	for _, part := range []string{portalCookieName + "=", "HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(setCookie, part) {
			return "", fmt.Errorf("the link's answer: Set-Cookie %q lacks %s", mask(setCookie, cookieValue(setCookie)), part)
		}
	}
	sentCookie := false
	for _, c := range formHop.Cookies {
		if c.Cookie != nil && c.Cookie.Name == portalCookieName {
			if len(c.BlockedReasons) > 0 {
				return "", fmt.Errorf("the form's request, from the link's page, withheld the cookie: %v", c.BlockedReasons)
			}
			sentCookie = true
		}
	}
	switch {
	case header(formHop.Sent, "Sec-Fetch-Site") != "same-origin":
		return "", fmt.Errorf("the form's request was sent with Sec-Fetch-Site %q, not same-origin (from the link's page)",
			header(formHop.Sent, "Sec-Fetch-Site"))
	case !sentCookie:
		return "", fmt.Errorf("the form's request did not carry the cookie %s", portalCookieName)
	case formHop.Status != 200:
		return "", fmt.Errorf("the form answered %d", formHop.Status)
	}
	// The pages run no script at all: their policy allows none.
	csp := header(formHop.Received, "Content-Security-Policy")
	if !strings.HasPrefix(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		return "", fmt.Errorf("the form's Content-Security-Policy is %q; want default-src 'none' and no script-src", csp)
	}
	stored, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{URLs: []string{srv.base() + portalFormPath}})
	if err != nil {
		return "", err
	}
	var c *network.Cookie
	for _, sc := range stored.Cookies {
		if sc.Name == portalCookieName {
			c = sc
		}
	}
	if c == nil || !c.HTTPOnly || c.SameSite != network.CookieSameSiteStrict || !c.Session || c.Path != "/" {
		return "", fmt.Errorf("the browser's cookie store for the service: %s is %+v; want HttpOnly, SameSite=Strict, a session cookie, Path=/",
			portalCookieName, c)
	}
	return fmt.Sprintf("cross-site: the link clicked on the webmail page %s (another site to the browser): GET %s sent with Sec-Fetch-Site: cross-site, "+
		"200 with Set-Cookie %s (HttpOnly, SameSite=Strict; stored so, a session cookie); its meta refresh: GET %s with Sec-Fetch-Site: same-origin "+
		"and the cookie, 200, the form, whose address holds no secret; its Content-Security-Policy: %s", mail.url(inboxPath),
		mask(strings.TrimPrefix(link, srv.base()), strings.TrimPrefix(link, srv.base()+"/portal/i/")), portalCookieName, portalFormPath, csp), nil
}

// checkCookieWithheld is the counter-check, in a tab of its own: the form's
// address itself, clicked on another site's page while the session cookie is
// there, is requested without it (the browser reports it withheld for
// SameSiteStrict) and answered 401 "Open your link again". So the cross-site
// check above has teeth: a link answered by a redirect to the form would end
// here too. The 401, and the browser's log line about it, are the only problems
// this tab may have (and it must have them).
func checkCookieWithheld(browserCtx context.Context, srv *service, mail *webmail) (string, error) {
	m := newMonitor(srv.addr)
	m.allow(mail.url(forwardedPath), "the webmail page on another site")
	m.expect(srv.base()+portalFormPath, 401, "the form's address opened from another site, without the cookie")
	tab, closeTab, err := openTab(browserCtx, m)
	if err != nil {
		return "", err
	}
	defer closeTab()
	if _, err := step(tab, time.Minute, "open the forwarded mail", nil, chromedp.NavigateResponse(mail.url(forwardedPath))); err != nil {
		return "", err
	}
	if _, err := step(tab, time.Minute, "click the form's address in the forwarded mail", nil,
		chromedp.Steps(clickVisible(`a#form-address`))); err != nil {
		return "", err
	}
	if err := waitForPage(tab, time.Minute, srv.addr, portalFormPath); err != nil {
		return "", fmt.Errorf("after the click on the form's address: %w", err)
	}
	navs := m.navigations()
	if len(navs) != 2 || navs[1].URL != srv.base()+portalFormPath {
		return "", fmt.Errorf("counter-check: the tab went through %s; want the forwarded mail, the form's address", describeHops(navs))
	}
	h := navs[1]
	// The browser names the exclusion SameSiteStrict, or SchemefulSameSiteStrict
	// (Chromium 156 says the latter here, for two http origins): either way the
	// cookie's SameSite=Strict.
	var withheld []string
	for _, c := range h.Cookies {
		if c.Cookie != nil && c.Cookie.Name == portalCookieName {
			for _, r := range c.BlockedReasons {
				if r == network.CookieBlockedReasonSameSiteStrict || r == network.CookieBlockedReasonSchemefulSameSiteStrict {
					withheld = append(withheld, r.String())
				}
			}
			if len(withheld) == 0 {
				return "", fmt.Errorf("counter-check: the browser did not withhold the cookie for SameSite=Strict (blocked reasons %v)", c.BlockedReasons)
			}
		}
	}
	switch {
	case header(h.Sent, "Sec-Fetch-Site") != "cross-site":
		return "", fmt.Errorf("counter-check: the form's address was requested with Sec-Fetch-Site %q, not cross-site", header(h.Sent, "Sec-Fetch-Site"))
	case len(withheld) == 0:
		return "", fmt.Errorf("counter-check: the browser reported no %s cookie for the form's address (sent or withheld)", portalCookieName)
	case h.Status != 401:
		return "", fmt.Errorf("counter-check: the form's address, without the cookie, answered %d, not 401", h.Status)
	}
	p, err := readPortalPage(tab)
	if err != nil {
		return "", err
	}
	if p.H1 != "Open your link again" || p.Forms != 0 {
		return "", fmt.Errorf("counter-check: the page without the cookie is %q with %d forms, not \"Open your link again\"", p.H1, p.Forms)
	}
	seen, err := m.result()
	if err != nil {
		return "", fmt.Errorf("counter-check: %w", err)
	}
	return fmt.Sprintf("counter-check, in another tab: the form's address %s clicked on the webmail's other page is sent with Sec-Fetch-Site: cross-site "+
		"and without the cookie (the browser: blocked, %s), and answered 401 %q: why the link answers a page, not a redirect; on the tab's events: %s",
		portalFormPath, strings.Join(withheld, ", "), p.H1, seen), nil
}

// checkReflow sets the viewport to 320 CSS px, the width WCAG's reflow criterion
// (1.4.10) names, checks that the form needs no horizontal scrolling there, and
// sets the phone's viewport back.
func checkReflow(tab context.Context) (string, error) {
	const narrow = 320
	widths, err := step(tab, time.Minute, "the form at 320 px", chromedp.EmulateViewport(narrow, portalHeight, chromedp.EmulateScale(portalScale)),
		chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
	if err != nil {
		return "", err
	}
	if _, err := step(tab, time.Minute, "the phone's viewport again", nil,
		chromedp.EmulateViewport(portalWidth, portalHeight, chromedp.EmulateScale(portalScale))); err != nil {
		return "", err
	}
	if len(widths) != 2 || widths[0] > widths[1] {
		return "", fmt.Errorf("at %d CSS px the form is %v px wide: it scrolls sideways", narrow, widths)
	}
	return fmt.Sprintf("at %d CSS px wide the form needs no horizontal scrolling (%d px of content in %d)", narrow, widths[0], widths[1]), nil
}

// portalScreenshot takes the screenshot of the top of the tab's page in a
// desktop's viewport, checks that it is not blank, and sets the phone's viewport
// back.
func portalScreenshot(tab context.Context, what string) (shot []byte, look string, err error) {
	shot, err = step(tab, time.Minute, "screenshot of "+what, chromedp.Steps(
		chromedp.EmulateViewport(shotWidth, shotHeight),
		discard(chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`))), chromedp.CaptureScreenshot())
	if err != nil {
		return nil, "", err
	}
	if _, err := step(tab, time.Minute, "the phone's viewport again", nil,
		chromedp.EmulateViewport(portalWidth, portalHeight, chromedp.EmulateScale(portalScale))); err != nil {
		return shot, "", err
	}
	look, err = notBlank(shot, shotWidth, shotHeight)
	if err != nil {
		return shot, "", fmt.Errorf("the screenshot of %s: %w", what, err)
	}
	return shot, look, nil
}

// portalPage is what the check reads of a portal page.
type portalPage struct {
	Title     string          `json:"title"`
	H1        string          `json:"h1"`
	Header    string          `json:"header"`
	Notice    string          `json:"notice"`
	Errors    []pageLink      `json:"errors"` // the notice's list of errors, each a link to where it is
	Scripts   int             `json:"scripts"`
	Cookie    string          `json:"cookie"`
	Forms     int             `json:"forms"`
	Enctype   string          `json:"enctype"`
	Action    string          `json:"action"`
	Method    string          `json:"method"`
	Controls  int             `json:"controls"` // inputs but hidden ones, textareas, selects and buttons
	Questions []pageQuestion  `json:"questions"`
	Buttons   []pageButton    `json:"buttons"`
	Answers   []pageAnswer    `json:"answers"` // the confirmation's list
	Location  string          `json:"location"`
	Fields    map[string]bool `json:"fields"` // the names of the form's hidden inputs
	Sheet     *pageSheet      `json:"sheet"`  // the workbook's <details id="sheet">, nil if none
}

// pageSheet is what the check reads of the form's other way to answer: the
// questionnaire as a workbook, in a <details> of its own with its download link and
// its form of upload.
type pageSheet struct {
	Tag        string        `json:"tag"`
	Open       bool          `json:"open"`
	Summary    string        `json:"summary"`
	BeforeForm bool          `json:"beforeForm"` // placed before the questionnaire's form
	Links      []pageLink    `json:"links"`
	Forms      int           `json:"forms"`
	Action     string        `json:"action"`
	Method     string        `json:"method"`
	Enctype    string        `json:"enctype"`
	Elements   []pageElement `json:"elements"` // its form's controls, in order (the order of the multipart parts)
	File       *pageInput    `json:"file"`
	Buttons    []pageButton  `json:"buttons"`
}

type pageLink struct {
	Href string `json:"href"`
	Text string `json:"text"`
}

type pageElement struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	Filled bool   `json:"filled"` // its value is not empty
}

type pageInput struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Label  string `json:"label"`
	Accept string `json:"accept"`
}

type pageQuestion struct {
	Fieldset string       `json:"fieldset"`
	Legend   string       `json:"legend"`
	Radios   []pageRadio  `json:"radios"`
	Comment  *pageComment `json:"comment"`
	File     *pageComment `json:"file"`   // the file input: id, name, label
	Upload   []string     `json:"upload"` // the formaction of each Upload button
	Files    []pageFile   `json:"files"`  // the files listed as attached
}

// pageFile is a file the form lists under a question.
type pageFile struct {
	Name        string `json:"name"`
	Meta        string `json:"meta"`        // its type and size, "PDF, 68 bytes"
	Remove      string `json:"remove"`      // its Remove button's formaction
	RemoveLabel string `json:"removeLabel"` // and that button's aria-label
}

type pageRadio struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Value   string `json:"value"`
	Label   string `json:"label"`
	Checked bool   `json:"checked"`
}

type pageComment struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Value string `json:"value"`
	Label string `json:"label"`
}

type pageButton struct {
	Name       string `json:"name"`
	Value      string `json:"value"`
	Text       string `json:"text"`
	Type       string `json:"type"`
	FormAction string `json:"formaction"` // a button of its own action (an upload, a removal)
	Hidden     bool   `json:"hidden"`     // hidden from people: aria-hidden, or out of the tab order
}

type pageAnswer struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// readPortalPage reads the tab's page, through the DevTools protocol
// (Runtime.evaluate), which the pages' policy, no script at all, does not restrain.
func readPortalPage(tab context.Context) (portalPage, error) {
	return step(tab, time.Minute, "read the portal page", nil, chromedp.Evaluate[portalPage](fmt.Sprintf(`(() => {
  const text = e => e ? e.textContent.replace(/\s+/g, ' ').trim() : '';
  const shown = e => e ? e.innerText.replace(/\s+/g, ' ').trim() : '';
  const label = e => e.labels && e.labels.length === 1 ? text(e.labels[0]) : '';
  const button = b => ({name: b.name, value: b.value, text: text(b), type: b.type,
    formaction: b.getAttribute('formaction') || '', hidden: b.getAttribute('aria-hidden') === 'true' || b.tabIndex < 0});
  const form = document.querySelector('form[action="' + %[1]q + '"]');
  const sheet = document.getElementById('sheet');
  const sheetForm = sheet ? sheet.querySelector('form') : null;
  return {
    title: document.title, h1: text(document.querySelector('h1')), header: text(document.querySelector('header')),
    notice: text(document.getElementById('notice')),
    errors: Array.from(document.querySelectorAll('#notice li'), li => ({href: (a => a ? a.getAttribute('href') || '' : '')(li.querySelector('a')), text: text(li)})),
    scripts: document.scripts.length, cookie: document.cookie,
    forms: document.forms.length, enctype: form ? form.enctype : '', action: form ? form.getAttribute('action') : '', method: form ? form.method : '',
    controls: document.querySelectorAll('input:not([type=hidden]), textarea, select, button').length,
    questions: form ? Array.from(form.querySelectorAll('fieldset'), f => ({
      fieldset: f.id, legend: text(f.querySelector('legend')),
      radios: Array.from(f.querySelectorAll('input[type=radio]'), r => ({id: r.id, name: r.name, value: r.value, label: label(r), checked: r.checked})),
      comment: (t => t ? {id: t.id, name: t.name, value: t.value, label: label(t)} : null)(f.querySelector('textarea')),
      file: (i => i ? {id: i.id, name: i.name, value: '', label: label(i)} : null)(f.querySelector('input[type=file]')),
      upload: Array.from(f.querySelectorAll('button'), b => b).filter(b => text(b) === 'Upload').map(b => b.getAttribute('formaction') || ''),
      files: Array.from(f.querySelectorAll('ul.files > li'), li => (b => ({name: text(li.querySelector('.name')), meta: text(li.querySelector('.meta')),
        remove: b ? b.getAttribute('formaction') || '' : '', removeLabel: b ? b.getAttribute('aria-label') || '' : ''}))(li.querySelector('button'))),
    })) : [],
    buttons: form ? Array.from(form.querySelectorAll('button'), button) : [],
    answers: Array.from(document.querySelectorAll('dl > dt'), dt => ({question: text(dt), answer: shown(dt.nextElementSibling)})),
    location: location.href,
    fields: form ? Object.fromEntries(Array.from(form.querySelectorAll('input[type=hidden]'), i => [i.name, i.value !== ''])) : {},
    sheet: sheet ? {
      tag: sheet.tagName.toLowerCase(), open: !!sheet.open, summary: text(sheet.querySelector('summary')),
      beforeForm: !!form && !!(sheet.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING),
      links: Array.from(sheet.querySelectorAll('a'), a => ({href: a.getAttribute('href') || '', text: text(a)})),
      forms: sheet.querySelectorAll('form').length,
      action: sheetForm ? sheetForm.getAttribute('action') || '' : '', method: sheetForm ? sheetForm.method : '',
      enctype: sheetForm ? sheetForm.enctype : '',
      elements: sheetForm ? Array.from(sheetForm.elements, e => ({type: e.type, name: e.name, filled: e.value !== ''})) : [],
      file: (i => i ? {id: i.id, name: i.name, label: label(i), accept: i.accept} : null)(sheetForm ? sheetForm.querySelector('input[type=file]') : null),
      buttons: sheetForm ? Array.from(sheetForm.querySelectorAll('button'), button) : [],
    } : null,
  };
})()`, portalFormPath)))
}

// checkForm compares the form with the questionnaire: per question, in order, a
// fieldset q-<key> whose legend is the question; a radio answer.<key> per option
// (id a-<key>-<value>) and one with the empty value, "No answer yet", each with
// one label; a textarea comment.<key> (id c-<key>) with its label; a file input
// file.<key> (id f-<key>) with its label and one Upload button of its own action
// (?upload=<key>), and no file yet. Then the buttons: first a hidden default Save
// draft (what Enter presses), then the two actions; the form token and version,
// multipart; the page's two forms, the questionnaire's found by its action, and
// the workbook's as sheetProblems wants it; and the page itself: its header with
// the due date, no script element, and no cookie visible to a script.
func checkForm(p portalPage, q questionnaire, supplier string, due time.Time) error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if p.Title != q.Name || p.H1 != q.Name || !strings.Contains(p.Header, supplier) || !strings.Contains(p.Header, portalContact) ||
		!strings.Contains(p.Header, "answers due by "+dueText(due)) {
		bad("title %q, heading %q, header %q: want the questionnaire %q, the supplier, the contact and \"answers due by %s\"",
			p.Title, p.H1, p.Header, q.Name, dueText(due))
	}
	if p.Forms != 2 || p.Action != portalFormPath || p.Method != "post" || p.Enctype != "multipart/form-data" ||
		!p.Fields["csrf_token"] || !p.Fields["version"] {
		bad("%d forms (want 2: the workbook's and the questionnaire's), the questionnaire's form: action %q, method %q, enctype %q, hidden fields %v",
			p.Forms, p.Action, p.Method, p.Enctype, p.Fields)
	}
	for _, problem := range sheetProblems(p.Sheet) {
		bad("the workbook: %s", problem)
	}
	if p.Scripts != 0 || p.Cookie != "" {
		bad("%d script elements, document.cookie %q", p.Scripts, p.Cookie)
	}
	if len(p.Questions) != len(q.Questions) {
		bad("%d fieldsets for %d questions", len(p.Questions), len(q.Questions))
	}
	for i, qu := range q.Questions[:min(len(q.Questions), len(p.Questions))] {
		f := p.Questions[i]
		if f.Fieldset != "q-"+qu.Key || !strings.HasPrefix(f.Legend, qu.Text) {
			bad("fieldset %d is %q, legend %q; want q-%s, %q", i+1, f.Fieldset, f.Legend, qu.Key, qu.Text)
			continue
		}
		values := []string{}
		for _, o := range qu.Options {
			values = append(values, o.Value)
		}
		values = append(values, "")
		if len(f.Radios) != len(values) {
			bad("%s: %d radios for %d options and \"No answer yet\"", qu.Key, len(f.Radios), len(values)-1)
			continue
		}
		for j, v := range values {
			r := f.Radios[j]
			id := "a-" + qu.Key + "-" + v
			if v == "" {
				id = "a-" + qu.Key + "--"
			}
			if r.ID != id || r.Name != "answer."+qu.Key || r.Value != v || r.Label == "" {
				bad("%s: radio %d is id %q name %q value %q label %q", qu.Key, j+1, r.ID, r.Name, r.Value, r.Label)
			}
		}
		if last := f.Radios[len(f.Radios)-1]; last.Label != "No answer yet" || !last.Checked {
			bad("%s: the last radio is %q, checked %t; want \"No answer yet\", checked on a new draft", qu.Key, last.Label, last.Checked)
		}
		if c := f.Comment; c == nil || c.ID != "c-"+qu.Key || c.Name != "comment."+qu.Key || c.Label == "" {
			bad("%s: the comment is %+v", qu.Key, f.Comment)
		}
		if i := f.File; i == nil || i.ID != "f-"+qu.Key || i.Name != "file."+qu.Key || i.Label == "" {
			bad("%s: the file input is %+v", qu.Key, f.File)
		}
		if want := []string{portalFormPath + "?upload=" + qu.Key}; !slices.Equal(f.Upload, want) || len(f.Files) > 0 {
			bad("%s: Upload buttons of actions %q, files %+v; want %q and no file", qu.Key, f.Upload, f.Files, want)
		}
	}
	if len(p.Buttons) == 0 || p.Buttons[0] != (pageButton{Name: "action", Value: "save", Text: "Save draft", Type: "submit", Hidden: true}) {
		bad("the form's first button is not a hidden default Save draft: %+v", p.Buttons[:min(len(p.Buttons), 1)])
	}
	// The form's two actions, as people see them; other buttons (a hidden default
	// button, those with an action of their own) are not theirs.
	var actions []pageButton
	for _, b := range p.Buttons {
		if b.Name == "action" && !b.Hidden && b.FormAction == "" {
			actions = append(actions, b)
		}
	}
	wantActions := []pageButton{{Name: "action", Value: "save", Text: "Save draft", Type: "submit"},
		{Name: "action", Value: "submit", Text: "Submit for review", Type: "submit"}}
	if !slices.Equal(actions, wantActions) {
		bad("the form's actions are %+v, want %+v", actions, wantActions)
	}
	if len(problems) > 0 {
		return fmt.Errorf("the form (%s): %s", p.Location, strings.Join(problems[:min(len(problems), 10)], "; "))
	}
	return nil
}

// sheetProblems lists where the form's workbook part differs from what the page
// should offer on a draft: a <details id="sheet">, closed (it opens only after a
// refused workbook), before the questionnaire's form, whose summary offers the
// spreadsheet; its one link downloads the workbook (sheetPath); its one form posts
// to sheetPath as multipart/form-data, the session's csrf_token first (the service
// reads it before the file), then the file input sheet (id sheet-file, labelled,
// .xlsx), then its one button, Upload workbook.
func sheetProblems(s *pageSheet) []string {
	if s == nil {
		return []string{"no element with the id sheet"}
	}
	var bad []string
	if s.Tag != "details" || s.Open || !s.BeforeForm || s.Summary != "Answer in a spreadsheet instead" {
		bad = append(bad, fmt.Sprintf("#sheet is a %q, open %t, before the questionnaire's form %t, summary %q; "+
			"want a closed details before the form, summary \"Answer in a spreadsheet instead\"", s.Tag, s.Open, s.BeforeForm, s.Summary))
	}
	if len(s.Links) != 1 || s.Links[0].Href != sheetPath || s.Links[0].Text == "" {
		bad = append(bad, fmt.Sprintf("its links are %+v; want one to %s", s.Links, sheetPath))
	}
	if s.Forms != 1 || s.Action != sheetPath || s.Method != "post" || s.Enctype != "multipart/form-data" {
		bad = append(bad, fmt.Sprintf("%d forms, action %q, method %q, enctype %q; want one form, post %s, multipart/form-data",
			s.Forms, s.Action, s.Method, s.Enctype, sheetPath))
	}
	wantElements := []pageElement{{Type: "hidden", Name: "csrf_token", Filled: true}, {Type: "file", Name: "sheet"}, {Type: "submit"}}
	if !slices.Equal(s.Elements, wantElements) {
		bad = append(bad, fmt.Sprintf("its form's controls are %+v; want %+v: the token first, then the file, then the button", s.Elements, wantElements))
	}
	if f := s.File; f == nil || f.ID != "sheet-file" || f.Name != "sheet" || f.Label == "" || f.Accept != ".xlsx" {
		bad = append(bad, fmt.Sprintf("the file input is %+v; want id sheet-file, name sheet, a label, accept .xlsx", s.File))
	}
	if want := []pageButton{{Text: "Upload workbook", Type: "submit"}}; !slices.Equal(s.Buttons, want) {
		bad = append(bad, fmt.Sprintf("its buttons are %+v; want %+v", s.Buttons, want))
	}
	return bad
}

// answersShown lists where the form differs from the answers (a question not in
// want: "No answer yet") and the one comment.
func answersShown(p portalPage, want map[string]string, commented string) []string {
	var bad []string
	for _, f := range p.Questions {
		key := strings.TrimPrefix(f.Fieldset, "q-")
		var checked []string
		for _, r := range f.Radios {
			if r.Checked {
				checked = append(checked, r.Value)
			}
		}
		if len(checked) != 1 || checked[0] != want[key] {
			bad = append(bad, fmt.Sprintf("%s: checked %q, want %q", key, checked, want[key]))
		}
		wantComment := ""
		if key == commented {
			wantComment = portalComment
		}
		if f.Comment == nil || f.Comment.Value != wantComment {
			bad = append(bad, fmt.Sprintf("%s: comment %+v, want %q", key, f.Comment, wantComment))
		}
	}
	for key := range want {
		if !slices.ContainsFunc(p.Questions, func(f pageQuestion) bool { return f.Fieldset == "q-"+key }) {
			bad = append(bad, fmt.Sprintf("%s: answered, but not on the page", key))
		}
	}
	return bad[:min(len(bad), 10)]
}

// chosenLabels are the labels of the checked options, by question key.
func (p portalPage) chosenLabels() map[string]string {
	out := map[string]string{}
	for _, f := range p.Questions {
		for _, r := range f.Radios {
			if r.Checked {
				out[strings.TrimPrefix(f.Fieldset, "q-")] = r.Label
			}
		}
	}
	return out
}

// checkConfirmation checks the page after the submit: it says so, with the day;
// its header names the contact but no due date any more; it has no form control;
// it lists every question, in order, with the label of the option chosen on the
// form, the comment, and the file attached.
func checkConfirmation(p portalPage, q questionnaire, labels map[string]string, commented, attached string, file pageFile, at time.Time) error {
	want := "The questionnaire was submitted on " + at.UTC().Format("2 January 2006") + "."
	if !strings.HasPrefix(p.Notice, want) {
		return fmt.Errorf("the page after the submit says %q; want %q…", p.Notice, want)
	}
	if !strings.Contains(p.Header, portalContact) || strings.Contains(p.Header, "due") {
		return fmt.Errorf("the confirmation's header is %q; want the contact, and no due date", p.Header)
	}
	if p.Forms != 0 || p.Controls != 0 || p.Scripts != 0 {
		return fmt.Errorf("the confirmation has %d forms, %d controls, %d scripts; want none: the answers read-only", p.Forms, p.Controls, p.Scripts)
	}
	if len(p.Answers) != len(q.Questions) {
		return fmt.Errorf("the confirmation lists %d answers for %d questions", len(p.Answers), len(q.Questions))
	}
	for i, qu := range q.Questions {
		w := labels[qu.Key]
		if qu.Key == commented {
			w += " Comment: " + portalComment
		}
		if qu.Key == attached {
			w += " File: " + file.Name + " (" + file.Meta + ")"
		}
		if a := p.Answers[i]; a.Question != qu.Text || a.Answer != w {
			return fmt.Errorf("the confirmation's answer %d: %q → %q; want %q → %q", i+1, a.Question, a.Answer, qu.Text, w)
		}
	}
	return nil
}

// clickVisible clicks an element with the mouse as a person would: scrolled to the
// middle of the viewport, at the middle of its box (of its first line, for a link
// that wraps), and only if the element is what the click hits there (not, say, the
// sticky bar of buttons over it).
func clickVisible(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		type point struct {
			Found bool    `json:"found"`
			X     float64 `json:"x"`
			Y     float64 `json:"y"`
			Hit   bool    `json:"hit"`
			What  string  `json:"what"`
		}
		var pt point
		deadline := time.Now().Add(20 * time.Second)
		for {
			var err error
			pt, err = chromedp.Evaluate[point](fmt.Sprintf(`(() => {
  const e = document.querySelector(%q);
  if (!e) return {found: false, x: 0, y: 0, hit: false, what: ''};
  e.scrollIntoView({block: 'center', inline: 'nearest'});
  const rs = e.getClientRects(); // an inline element (a link) that wraps has a box per line: the first line's
  const r = rs.length > 1 ? rs[0] : e.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
  const h = document.elementFromPoint(x, y);
  return {found: true, x, y, hit: !!h && (h === e || e.contains(h)), what: h ? h.outerHTML.slice(0, 120) : 'nothing'};
})()`, sel))(ctx, t)
			if err != nil {
				return fmt.Errorf("find %s: %w", sel, err)
			}
			if pt.Found || time.Now().After(deadline) {
				break
			}
			if err := sleep(ctx, 100*time.Millisecond); err != nil {
				return err
			}
		}
		switch {
		case !pt.Found:
			return fmt.Errorf("no element %s on the page", sel)
		case !pt.Hit:
			return fmt.Errorf("%s is covered: a click at its middle would hit %s", sel, pt.What)
		}
		_, err := chromedp.MouseClickXY(pt.X, pt.Y)(ctx, t)
		return err
	})
}

// navigation runs an action that makes the tab navigate (a click on a button of a
// form, a reload), waits until the page has loaded, and returns the response of
// its document, after any redirect.
func navigation(a chromedp.Action[chromedp.Void]) chromedp.Action[*network.Response] {
	return func(ctx context.Context, _ *chromedp.Target) (*network.Response, error) {
		return chromedp.RunResponse(ctx, a)
	}
}

// reload reloads the tab's page; navigation waits for it.
func reload() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.Reload, page.ReloadParams{})
		return err
	})
}

// waitForPage waits until the tab shows a page of host at path, loaded: a click
// can start several navigations (the link's page, then its meta refresh), and
// between them the page cannot be asked.
func waitForPage(tab context.Context, d time.Duration, host, path string) error {
	ctx, cancel := context.WithTimeout(tab, d)
	defer cancel()
	type where struct {
		Host  string `json:"host"`
		Path  string `json:"path"`
		Ready string `json:"ready"`
	}
	var last where
	var lastErr error
	for {
		try, cancelTry := context.WithTimeout(ctx, 5*time.Second)
		w, err := chromedp.Run(try, chromedp.Evaluate[where](`({host: location.host, path: location.pathname, ready: document.readyState})`))
		cancelTry()
		if err == nil {
			last = w
			if w.Host == host && w.Path == path && w.Ready == "complete" {
				return nil
			}
		} else {
			lastErr = err
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("no page %s%s within %s (last seen: %s%s, %s; %v)", host, path, d, last.Host, last.Path, last.Ready, lastErr)
		}
	}
}

// lastHops checks the tab's last navigations: "METHOD path status" each, in order.
func lastHops(m *monitor, want ...string) error {
	navs := m.navigations()
	var got []string
	for _, h := range navs[max(0, len(navs)-len(want)):] {
		got = append(got, fmt.Sprintf("%s %s %d", h.Method, pathOf(h.URL), h.Status))
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("the navigations were %s; want %s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
	return nil
}

// describeHops renders the tab's navigations for an error message.
func describeHops(navs []hopWire) string {
	if len(navs) == 0 {
		return "none"
	}
	parts := make([]string, len(navs))
	for i, h := range navs {
		parts[i] = fmt.Sprintf("%s %s → %d (Sec-Fetch-Site %q)", h.Method, h.URL, h.Status, header(h.Sent, "Sec-Fetch-Site"))
	}
	return strings.Join(parts, ", ")
}

// pathOf is a URL's path and query.
func pathOf(raw string) string {
	if i := strings.Index(raw, "://"); i >= 0 {
		if j := strings.IndexByte(raw[i+3:], '/'); j >= 0 {
			return raw[i+3+j:]
		}
	}
	return raw
}

// mask replaces a secret in s with its first ten characters (wli_ and six) and an
// ellipsis.
func mask(s, secret string) string {
	if len(secret) <= 10 {
		return s
	}
	return strings.ReplaceAll(s, secret, secret[:10]+"…")
}

// cookieValue is the value of the first cookie of a Set-Cookie header.
func cookieValue(setCookie string) string {
	_, v, _ := strings.Cut(setCookie, "=")
	v, _, _ = strings.Cut(v, ";")
	return v
}

// firstSentence is the text up to its first full stop.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
