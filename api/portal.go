package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// PortalService is what the supplier portal needs: invitation links and sessions,
// and the link holder's view of, and changes to, their one assessment.
type PortalService interface {
	OpenPortalLink(ctx context.Context, secret string, meta register.Actor) (register.Invitation, string, error)
	PortalSession(ctx context.Context, token string, meta register.Actor) (register.Invitation, register.Actor, error)
	AuthenticateInvitation(ctx context.Context, secret string, meta register.Actor) (register.Invitation, register.Actor, error)
	GetPortalView(ctx context.Context, invitationID string) (register.PortalView, error)
	SavePortalAnswers(ctx context.Context, a register.Actor, ifMatch func(int) bool,
		apply func(register.PortalAnswers) (register.PortalAnswers, error)) (register.PortalView, error)
	SubmitPortalAnswers(ctx context.Context, a register.Actor, ifMatch func(int) bool) (register.PortalView, error)
}

// portalHandlers serve the supplier portal: HTML pages reached through an invitation
// link and its session cookie, and the same actions as JSON under /portal/api with
// the link's secret as a bearer token.
type portalHandlers struct {
	svc      PortalService
	evidence EvidenceService
	log      *slog.Logger
	proxies  proxyNets    // whose X-Forwarded-Proto is believed
	failures *rateLimiter // failed link and session attempts per client address; nil: no limit
}

// Keys under which the portal's middleware leaves the link holder on the context.
const (
	ctxInvitation = "weaklink.invitation"
	ctxLogPath    = "weaklink.log_path" // a path safe to log, where the route template says too little
)

// portalAccess says how a portal path is reached: "link" (the invitation link
// itself), "session" (the browser session cookie) or "bearer" (the link's secret as
// a bearer token); "" for paths outside the portal.
func portalAccess(path string) string {
	switch {
	case strings.HasPrefix(path, "/portal/i/"):
		return "link"
	case strings.HasPrefix(path, "/portal/api/"):
		return "bearer"
	case strings.HasPrefix(path, "/portal/"):
		return "session"
	}
	return ""
}

func requestMeta(c *gin.Context) register.Actor {
	return register.Actor{RequestID: c.GetString(ctxRequestID), ClientIP: c.ClientIP()}
}

// guessing answers 429 when the client address has spent its failed attempts, and
// reports whether it did.
func (h *portalHandlers) guessing(c *gin.Context, html bool) bool {
	if h.failures == nil || !h.failures.exhausted("ip:"+c.ClientIP()) {
		return false
	}
	const msg = "Too many attempts with links that do not work came from this address. Wait a minute and try again."
	if html {
		c.Header("Retry-After", "1")
		portalMessage(c, http.StatusTooManyRequests, "Too many attempts", msg, "error")
		c.Abort()
	} else {
		h.failures.reject(c, msg)
	}
	return true
}

func (h *portalHandlers) failed(c *gin.Context) {
	if h.failures != nil {
		h.failures.spend("ip:" + c.ClientIP())
	}
}

// openLink is GET /portal/i/{secret}: it exchanges the link's secret for a session
// cookie and answers a page that moves on to the form, whose address holds no
// secret. Not a redirect: a browser does not send a SameSite=Strict cookie on a
// redirect of a navigation that began on another site (a webmail page), so the
// move must start from this page, by its meta refresh or its link.
func (h *portalHandlers) openLink(c *gin.Context) {
	secret := c.Param("secret")
	c.Set(ctxLogPath, "/portal/i/"+secret[:min(6, len(secret))])
	if h.guessing(c, true) {
		return
	}
	inv, token, err := h.svc.OpenPortalLink(c.Request.Context(), secret, requestMeta(c))
	switch {
	case register.ErrorCode(err) == register.CodeUnauthenticated:
		h.failed(c)
		de, _ := register.AsError(err)
		portalMessage(c, http.StatusNotFound, "This link does not work", de.Message, "error")
	case err != nil:
		h.pageError(c, err)
	case token == "":
		portalMessage(c, http.StatusGone, closedTitle(inv), inv.ClosedMessage(), closedKind(inv))
	default:
		setSessionCookie(c, h.proxies.https(c.Request), token)
		renderPortal(c, http.StatusOK, "link", portalPage{Title: "Your questionnaire", Next: portalFormPath})
	}
}

// session resolves the session cookie, answering a page itself when there is none.
func (h *portalHandlers) session(c *gin.Context) (register.Invitation, register.Actor, string, bool) {
	if h.guessing(c, true) {
		return register.Invitation{}, register.Actor{}, "", false
	}
	token := sessionToken(c, h.proxies.https(c.Request))
	inv, a, err := h.svc.PortalSession(c.Request.Context(), token, requestMeta(c))
	if register.ErrorCode(err) == register.CodeUnauthenticated {
		if token != "" {
			h.failed(c)
		}
		de, _ := register.AsError(err)
		portalMessage(c, http.StatusUnauthorized, "Open your link again", de.Message, "error")
		return inv, a, "", false
	}
	if err != nil {
		h.pageError(c, err)
		return inv, a, "", false
	}
	c.Set(ctxInvitation, a)
	return inv, a, token, true
}

// sessionView reads what the session's holder may still see (their questionnaire
// while the link lives, and once it was submitted), answering a page itself, and
// false, otherwise.
func (h *portalHandlers) sessionView(c *gin.Context) (register.PortalView, string, bool) {
	inv, _, token, ok := h.session(c)
	if !ok {
		return register.PortalView{}, "", false
	}
	if !inv.Live() && inv.Status != "submitted" {
		portalMessage(c, http.StatusGone, closedTitle(inv), inv.ClosedMessage(), closedKind(inv))
		return register.PortalView{}, "", false
	}
	v, err := h.svc.GetPortalView(c.Request.Context(), inv.ID)
	if err != nil {
		h.pageError(c, err)
		return register.PortalView{}, "", false
	}
	return v, token, true
}

// form is GET /portal/assessment: the questionnaire with the saved answers, or the
// confirmation once it was submitted.
func (h *portalHandlers) form(c *gin.Context) {
	v, token, ok := h.sessionView(c)
	if !ok {
		return
	}
	if v.Status != "draft" {
		h.submittedPage(c, v)
		return
	}
	p := portalPage{Title: v.Questionnaire.Name, CSRF: csrfToken(token), Version: v.Version,
		Domains: formDomains(v, v.Answers, v.Comments, nil)}.withInvitation(v)
	if c.Query("saved") == "1" {
		p.Notice, p.NoticeKind = "Saved: your answers, and any file you uploaded (listed beside its question). "+
			"You can come back to them with the same link until it expires.", "done"
	}
	renderPortal(c, http.StatusOK, "form", p)
}

func (h *portalHandlers) submittedPage(c *gin.Context, v register.PortalView) {
	msg := v.Invitation.ClosedMessage()
	if v.Invitation.Status != "submitted" {
		msg = "The questionnaire was submitted. Thank you: the team will review the answers."
	}
	p := portalPage{Title: v.Questionnaire.Name, Message: msg, Domains: formDomains(v, v.Answers, v.Comments, nil)}.withInvitation(v)
	p.Due = "" // answered: the due date no longer concerns the contact
	renderPortal(c, http.StatusOK, "submitted", p)
}

// post is POST /portal/assessment: save the form's answers and comments, and then,
// as the button pressed says, submit them (action=submit), upload the file chosen
// for one question (?upload=<key>, the question's Upload button) or remove a file
// (?remove=<id>). Files travel only with their own question's button. Nothing the
// contact typed is lost: a refused form comes back filled in as it was sent, with
// what to change.
func (h *portalHandlers) post(c *gin.Context) {
	inv, a, token, ok := h.session(c)
	if !ok {
		return
	}
	if !inv.Live() {
		if inv.Status == "submitted" {
			c.Redirect(http.StatusSeeOther, portalFormPath)
			return
		}
		portalMessage(c, http.StatusGone, closedTitle(inv), inv.ClosedMessage(), closedKind(inv))
		return
	}
	upload, remove := c.Query("upload"), c.Query("remove")
	pf, ok := h.readForm(c, token, a, inv.AssessmentID, upload)
	if !ok {
		return
	}
	form := pf.values
	version, err := strconv.Atoi(form.Get("version"))
	action := form.Get("action")
	switch {
	case upload != "":
		action = "upload"
	case remove != "":
		action = "remove"
	}
	if err != nil || (action != "save" && action != "submit" && action != "upload" && action != "remove") {
		portalMessage(c, http.StatusBadRequest, "The form could not be read", "Send the form from the questionnaire page.", "error")
		return
	}
	answers, comments := map[string]string{}, map[string]string{}
	for k, vs := range form {
		if q, ok := strings.CutPrefix(k, "answer."); ok && vs[0] != "" {
			answers[q] = vs[0]
		}
		if q, ok := strings.CutPrefix(k, "comment."); ok && strings.TrimSpace(vs[0]) != "" {
			comments[q] = vs[0]
		}
	}
	ctx := c.Request.Context()
	v, err := h.svc.SavePortalAnswers(ctx, a, func(cur int) bool { return cur == version },
		func(register.PortalAnswers) (register.PortalAnswers, error) {
			return register.PortalAnswers{Answers: answers, Comments: comments}, nil
		})
	if err != nil {
		h.refused(c, inv, token, answers, comments, err, pf.outcome())
		return
	}
	again := func(status int, notice string, errs []formError, missing map[string]bool) {
		if v, err = h.svc.GetPortalView(ctx, inv.ID); err != nil {
			h.pageError(c, err)
			return
		}
		renderPortal(c, status, "form", portalPage{Title: v.Questionnaire.Name, CSRF: csrfToken(token), Version: v.Version,
			Notice: notice, NoticeKind: "error", Errors: errs, Domains: formDomains(v, v.Answers, v.Comments, missing)}.withInvitation(v))
	}
	switch action {
	case "upload":
		switch {
		case pf.uploadErr != nil:
			de, ok := register.AsError(pf.uploadErr)
			status, known := statusByCode[de.Code]
			if !ok || !known || de.Code == register.CodeUnavailable {
				h.pageError(c, pf.uploadErr)
				return
			}
			again(status, "Your answers are saved, but the file was not stored: "+de.Message,
				[]formError{{Anchor: "q-" + upload, Text: "Choose the file again, or another one"}}, nil)
		case pf.uploaded == nil:
			again(http.StatusBadRequest, "Your answers are saved. Choose a file for the question first, then press its Upload button.",
				[]formError{{Anchor: "q-" + upload, Text: "No file was chosen"}}, nil)
		default:
			c.Redirect(http.StatusSeeOther, portalFormPath+"?saved=1#q-"+pf.uploaded.QuestionKey)
		}
		return
	case "remove":
		if err := h.evidence.DeleteEvidence(ctx, a, remove); err != nil {
			h.pageError(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, portalFormPath+"?saved=1")
		return
	}
	if len(pf.ignored) > 0 {
		verb := "saved"
		if action == "submit" {
			verb = "saved, but not submitted"
		}
		again(http.StatusBadRequest, "Your answers are "+verb+": files are stored only with the Upload button beside their question, "+
			"and these were not: "+strings.Join(pf.ignored, ", ")+". Choose each again and upload it.", nil, nil)
		return
	}
	if action == "save" {
		c.Redirect(http.StatusSeeOther, portalFormPath+"?saved=1")
		return
	}
	if _, err := h.svc.SubmitPortalAnswers(ctx, a, func(cur int) bool { return cur == v.Version }); err != nil {
		de, ok := register.AsError(err)
		if !ok || de.Code != register.CodeInvalid {
			h.refused(c, inv, token, answers, comments, err, "")
			return
		}
		list, missing := missingQuestions(v, de.Fields)
		again(http.StatusBadRequest, "Your answers are saved, but they cannot be submitted yet: these required questions have no answer.",
			list, missing)
		return
	}
	c.Redirect(http.StatusSeeOther, portalFormPath)
}

// maxFormParts bounds the parts of a form post: the form has four per question
// (answer, comment, file, and at most one button) for up to 200 questions.
const maxFormParts = 1000

// postedForm is what a form post carried: its text fields, and the file stored for
// the question whose Upload button was pressed, or why it was not.
type postedForm struct {
	values    url.Values
	uploaded  *register.EvidenceFile
	uploadErr error
	ignored   []string // names of files chosen for other questions, not stored
}

// outcome says what became of a file when the answers sent with it are refused.
func (p postedForm) outcome() string {
	if p.uploaded != nil {
		return "The file " + p.uploaded.FileName + " was stored."
	}
	return ""
}

// readForm reads a form post, urlencoded or multipart, answering a page itself (and
// false) when it cannot be read or its token is wrong. A multipart form is streamed:
// the file for the question named by upload goes to the register a chunk at a time
// as it arrives (after the form's token, which comes first, was checked); other
// files are read and dropped.
func (h *portalHandlers) readForm(c *gin.Context, token string, a register.Actor, assessmentID, upload string) (postedForm, bool) {
	unreadable := func() {
		portalMessage(c, http.StatusBadRequest, "The form could not be read", "Send the form from the questionnaire page.", "error")
	}
	tooLarge := func() {
		portalMessage(c, http.StatusRequestEntityTooLarge, "The form is too large",
			"A file is over 20 MiB, or the answers and comments are over 1 MiB together. Nothing was saved: go back, "+
				"and choose a smaller file (or shorten the longest comments).", "error")
	}
	forged := func() {
		portalMessage(c, http.StatusForbidden, "The form was not accepted",
			"The form did not come from your questionnaire page, or the page is from an earlier session. Reload the page and enter your answers again.", "error")
	}
	var tooBig *http.MaxBytesError
	pf := postedForm{values: url.Values{}}
	// Text fields are bounded as an urlencoded form is (1 MiB together), and parts
	// in number, whatever room the body leaves for a file.
	textBytes, parts := 0, 0
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch {
	case err == nil && mt == "application/x-www-form-urlencoded":
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody)
		if err := c.Request.ParseForm(); err != nil {
			if errors.As(err, &tooBig) {
				tooLarge()
			} else {
				unreadable()
			}
			return pf, false
		}
		pf.values = c.Request.PostForm
	case err == nil && mt == "multipart/form-data":
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, register.MaxEvidenceFile+MaxJSONBody)
		mr, err := c.Request.MultipartReader()
		if err != nil {
			unreadable()
			return pf, false
		}
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if errors.As(err, &tooBig) {
					tooLarge()
				} else {
					unreadable()
				}
				return pf, false
			}
			if parts++; parts > maxFormParts {
				tooLarge()
				return pf, false
			}
			key, isFile := strings.CutPrefix(p.FormName(), "file.")
			if !isFile {
				v, err := io.ReadAll(io.LimitReader(p, 16<<10)) // a 4,000-character comment is at most 16 KiB
				if err != nil {
					unreadable()
					return pf, false
				}
				if textBytes += len(v) + len(p.FormName()); textBytes > MaxJSONBody {
					tooLarge()
					return pf, false
				}
				pf.values.Add(p.FormName(), string(v))
				continue
			}
			if !csrfValid(token, pf.values.Get("csrf_token")) {
				forged()
				return pf, false
			}
			if key == upload && p.FileName() != "" && pf.uploaded == nil && pf.uploadErr == nil {
				f, err := h.evidence.UploadEvidence(c.Request.Context(), a, assessmentID, key, p.FileName(), p)
				if errors.As(err, &tooBig) || register.ErrorCode(err) == register.CodeTooLarge && c.Request.ContentLength > register.MaxEvidenceFile+MaxJSONBody {
					tooLarge()
					return pf, false
				}
				if err != nil {
					pf.uploadErr = err
				} else {
					pf.uploaded = &f
				}
				continue
			}
			n, err := io.Copy(io.Discard, p)
			if err != nil {
				if errors.As(err, &tooBig) {
					tooLarge()
				} else {
					unreadable()
				}
				return pf, false
			}
			if n > 0 && p.FileName() != "" {
				pf.ignored = append(pf.ignored, p.FileName())
			}
		}
	default:
		portalMessage(c, http.StatusUnsupportedMediaType, "The form could not be read", "Send the form from the questionnaire page.", "error")
		return pf, false
	}
	if !csrfValid(token, pf.values.Get("csrf_token")) {
		forged()
		return pf, false
	}
	return pf, true
}

// refused answers a save or submit the register refused, with the form as sent
// when the contact can act on it.
func (h *portalHandlers) refused(c *gin.Context, inv register.Invitation, token string, answers, comments map[string]string, err error, also string) {
	de, ok := register.AsError(err)
	if !ok || (de.Code != register.CodeInvalid && de.Code != register.CodePreconditionFailed) {
		h.pageError(c, err)
		return
	}
	v, verr := h.svc.GetPortalView(c.Request.Context(), inv.ID)
	if verr != nil {
		h.pageError(c, verr)
		return
	}
	p := portalPage{Title: v.Questionnaire.Name, CSRF: csrfToken(token), Version: v.Version, NoticeKind: "error",
		Domains: formDomains(v, answers, comments, nil)}.withInvitation(v)
	status := http.StatusBadRequest
	if de.Code == register.CodePreconditionFailed {
		status = http.StatusConflict
		p.Notice = "These answers were changed elsewhere (in another window, or by the team) since this page was opened, so nothing was saved. " +
			"The form below still holds what you entered: check it and save again."
	} else {
		p.Notice = "Nothing was saved: correct the answers below and save again."
		p.Errors = fieldProblems(v, de.Fields)
	}
	if also != "" {
		p.Notice += " " + also
	}
	renderPortal(c, status, "form", p)
}

// pageError answers an error as a page: the register's own message for the errors
// it names, a generic one (logged, with the request id to quote) otherwise.
func (h *portalHandlers) pageError(c *gin.Context, err error) {
	if de, ok := register.AsError(err); ok {
		if status, ok := statusByCode[de.Code]; ok && de.Code != register.CodeUnavailable {
			portalMessage(c, status, "This could not be done", de.Message, "error")
			return
		}
		if de.Code == register.CodeUnavailable {
			c.Header("Retry-After", "5")
			portalMessage(c, http.StatusServiceUnavailable, "Please try again shortly",
				"The questionnaire cannot be reached just now. Nothing was lost: try again in a minute.", "error")
			return
		}
	}
	h.log.ErrorContext(c.Request.Context(), "portal request failed", "request_id", c.GetString(ctxRequestID),
		"route", c.FullPath(), "error", err)
	portalMessage(c, http.StatusInternalServerError, "Something went wrong",
		"An internal error occurred. It has been logged; quote reference "+c.GetString(ctxRequestID)+" if you contact the team.", "error")
}

func closedTitle(inv register.Invitation) string {
	if inv.Status == "submitted" {
		return "Questionnaire submitted"
	}
	return "This link no longer works"
}

func closedKind(inv register.Invitation) string {
	if inv.Status == "submitted" {
		return "done"
	}
	return "error"
}
