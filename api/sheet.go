package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/answersheet"
	"github.com/weaklink/weaklink/internal/register"
)

// xlsxMediaType is the media type of an Excel workbook.
const xlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// AssessmentViewer reads an assessment as its questionnaire workbook shows it.
type AssessmentViewer interface {
	GetAssessmentView(ctx context.Context, assessmentID string) (register.PortalView, error)
}

// sendSheet answers with the questionnaire workbook of v, as an attachment.
func sendSheet(c *gin.Context, v register.PortalView, err error, log *slog.Logger) {
	if err == nil {
		err = writeSheet(c, v, "questionnaire-"+v.AssessmentID+".xlsx")
	}
	if err != nil {
		writeError(c, log, err)
	}
}

// writeSheet answers 200 with the workbook of v as an attachment named name; it
// writes nothing when the workbook cannot be made.
func writeSheet(c *gin.Context, v register.PortalView, name string) error {
	var buf bytes.Buffer
	if err := answersheet.Write(&buf, v); err != nil {
		return err
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Length", strconv.Itoa(buf.Len()))
	c.Data(http.StatusOK, xlsxMediaType, buf.Bytes())
	return nil
}

// readSheet reads a workbook body (at most 32 MiB) and what it says about v.
func readSheet(c *gin.Context, v register.PortalView) (answersheet.Filled, error) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != xlsxMediaType {
		return answersheet.Filled{}, register.Errorf(register.CodeUnsupportedType, "Send the workbook as "+xlsxMediaType+".")
	}
	raw, err := answersheet.ReadBody(http.MaxBytesReader(c.Writer, c.Request.Body, answersheet.MaxBytes+1))
	var tooBig *http.MaxBytesError
	if errors.Is(err, answersheet.ErrTooLarge) || errors.As(err, &tooBig) {
		return answersheet.Filled{}, register.Errorf(register.CodeTooLarge, "Workbooks are limited to 32 MiB.")
	}
	if err != nil {
		return answersheet.Filled{}, register.Invalid(register.FieldError{Field: "body", Message: "could not be read"})
	}
	return answersheet.Read(raw, v)
}

// getSheet is GET /api/v1/assessments/{id}/sheet: the questionnaire as a workbook
// with the current answers, to send to a supplier by other means.
func (h *assessmentHandlers) getSheet(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "format")
	if f := q.str("format"); f != "" && f != "xlsx" {
		invalid(c, register.FieldError{Field: "format", Message: "must be xlsx"})
		return
	}
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	v, err := h.svc.GetAssessmentView(c.Request.Context(), c.Param("id"))
	sendSheet(c, v, err, h.log)
}

// putSheet is PUT /api/v1/assessments/{id}/sheet: the filled workbook saves the
// answers and comments of the questions it lists, all or nothing, as a save of the
// draft does (If-Match honoured).
func (h *assessmentHandlers) putSheet(c *gin.Context) {
	ctx := c.Request.Context()
	v, err := h.svc.GetAssessmentView(ctx, c.Param("id"))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	filled, err := readSheet(c, v)
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	a, err := h.svc.PatchAssessment(ctx, actor(c), c.Param("id"), ifMatch(c), func(cur register.Assessment) (register.AssessmentFields, error) {
		f := cur.AssessmentFields
		next := filled.Apply(register.PortalAnswers{Answers: f.Answers, Comments: f.Comments})
		f.Answers, f.Comments = next.Answers, next.Comments
		return f, nil
	})
	answer(c, h.log, http.StatusOK, a.Version, toAssessmentJSON(a), err)
}

// getSheetJSON is GET /portal/api/assessment/sheet.
func (h *portalHandlers) getSheetJSON(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	v, err := h.svc.GetPortalView(c.Request.Context(), invitationActorOf(c).InvitationID)
	sendSheet(c, v, err, h.log)
}

// putSheetJSON is PUT /portal/api/assessment/sheet.
func (h *portalHandlers) putSheetJSON(c *gin.Context) {
	a := invitationActorOf(c)
	v, err := h.svc.GetPortalView(c.Request.Context(), a.InvitationID)
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	filled, err := readSheet(c, v)
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	v, err = h.svc.SavePortalAnswers(c.Request.Context(), a, ifMatch(c), func(cur register.PortalAnswers) (register.PortalAnswers, error) {
		return filled.Apply(cur), nil
	})
	h.answerPortal(c, v, err)
}

// sheetPage is GET /portal/assessment/sheet: the workbook, for the browser.
func (h *portalHandlers) sheetPage(c *gin.Context) {
	v, _, ok := h.sessionView(c)
	if !ok {
		return
	}
	portalHeaders(c)
	if err := writeSheet(c, v, "questionnaire.xlsx"); err != nil {
		h.pageError(c, err)
	}
}

// postSheetPage is POST /portal/assessment/sheet: the filled workbook uploaded from
// the page (multipart: csrf_token, then the file named sheet). Its answers are saved
// all or nothing; a refused workbook comes back as the form with every wrong cell
// named by row and column.
func (h *portalHandlers) postSheetPage(c *gin.Context) {
	inv, a, token, ok := h.session(c)
	if !ok {
		return
	}
	if !inv.Live() {
		portalMessage(c, http.StatusGone, closedTitle(inv), inv.ClosedMessage(), closedKind(inv))
		return
	}
	ctx := c.Request.Context()
	v, err := h.svc.GetPortalView(ctx, inv.ID)
	if err != nil {
		h.pageError(c, err)
		return
	}
	var raw []byte
	err = streamUpload(c, "sheet", answersheet.MaxBytes, "Send the form from the questionnaire page.",
		func(fields map[string]string, _ string, r io.Reader) error {
			if !csrfValid(token, fields["csrf_token"]) { // before the file is read
				return register.Errorf(register.CodeForbidden, "The form did not come from your questionnaire page, or the page is "+
					"from an earlier session. Reload the page and try again.")
			}
			var err error
			if raw, err = io.ReadAll(r); err != nil {
				return register.Invalid(register.FieldError{Field: "sheet", Message: "could not be read; upload it again"})
			}
			return nil
		})
	if err == nil && len(raw) == 0 {
		err = register.Invalid(register.FieldError{Field: "sheet", Message: "Choose the filled workbook first."})
	}
	var filled answersheet.Filled
	if err == nil {
		filled, err = answersheet.Read(raw, v)
	}
	if err == nil {
		_, err = h.svc.SavePortalAnswers(ctx, a, nil, func(cur register.PortalAnswers) (register.PortalAnswers, error) {
			return filled.Apply(cur), nil
		})
	}
	if err != nil {
		de, ok := register.AsError(err)
		status, known := statusByCode[de.Code]
		if !ok || !known || de.Code == register.CodeUnavailable || de.Code == register.CodeUnauthenticated {
			h.pageError(c, err)
			return
		}
		if de.Code == register.CodeForbidden {
			portalMessage(c, http.StatusForbidden, "The form was not accepted", de.Message, "error")
			return
		}
		var list []formError
		for _, f := range de.Fields {
			text := f.Message
			if f.Row > 0 {
				text = "Row " + strconv.Itoa(f.Row) + ", column " + f.Column + ": " + f.Message
			}
			list = append(list, formError{Anchor: "sheet", Text: text})
		}
		notice := "The workbook was not saved: " + de.Message
		if de.Code == register.CodeInvalid {
			notice = "The workbook was not saved, and nothing in it was: correct what is listed here and upload it again."
		}
		renderPortal(c, status, "form", portalPage{Title: v.Questionnaire.Name, CSRF: csrfToken(token), Version: v.Version,
			Notice: notice, NoticeKind: "error", Errors: list, SheetOpen: true,
			Domains: formDomains(v, v.Answers, v.Comments, nil)}.withInvitation(v))
		return
	}
	c.Redirect(http.StatusSeeOther, portalFormPath+"?saved=1")
}
