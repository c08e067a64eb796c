package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// EvidenceService is what the evidence handlers need: files attached to the
// questions of an assessment, uploaded through the portal and read by the team.
type EvidenceService interface {
	UploadEvidence(ctx context.Context, a register.Actor, assessmentID, questionKey, fileName string, body io.Reader) (register.EvidenceFile, error)
	ListEvidence(ctx context.Context, assessmentID, cursor string, limit int) (register.Page[register.EvidenceFile], error)
	GetEvidence(ctx context.Context, id string) (register.EvidenceFile, error)
	CopyEvidence(ctx context.Context, f register.EvidenceFile, w io.Writer) error
	DeleteEvidence(ctx context.Context, a register.Actor, id string) error
}

type evidenceHandlers struct {
	svc EvidenceService
	log *slog.Logger
}

type evidenceJSON struct {
	ID                   string    `json:"id"`
	AssessmentID         string    `json:"assessment_id"`
	QuestionKey          string    `json:"question_key"`
	FileName             string    `json:"file_name"`
	MediaType            string    `json:"media_type"`
	SizeBytes            int64     `json:"size_bytes"`
	SHA256               string    `json:"sha256"`
	UploadedBy           *string   `json:"uploaded_by"`
	UploadedByInvitation *string   `json:"uploaded_by_invitation"`
	UploadedByName       string    `json:"uploaded_by_name"`
	CreatedAt            time.Time `json:"created_at"`
}

func toEvidenceJSON(f register.EvidenceFile) evidenceJSON {
	return evidenceJSON{ID: f.ID, AssessmentID: f.AssessmentID, QuestionKey: f.QuestionKey, FileName: f.FileName,
		MediaType: f.MediaType, SizeBytes: f.Size, SHA256: f.SHA256, UploadedBy: optString(f.UploadedBy),
		UploadedByInvitation: optString(f.UploadedByInvitation), UploadedByName: f.UploadedByName, CreatedAt: f.CreatedAt}
}

func (h *evidenceHandlers) list(c *gin.Context) {
	cur, limit, ok := pageQuery(c)
	if !ok {
		return
	}
	page, err := h.svc.ListEvidence(c.Request.Context(), c.Param("id"), cur, limit)
	answerPage(c, h.log, page, err, toEvidenceJSON)
}

// evidenceCSP keeps a downloaded file inert even if a browser renders it in place:
// no script, no plugin, no request anywhere, in a sandbox of its own.
const evidenceCSP = "default-src 'none'; sandbox"

// download is GET /api/v1/evidence/{id}: the file as an attachment, streamed a chunk
// at a time, with its stored type (decided from its content when it was uploaded),
// nosniff and a sandboxing CSP, so no browser runs it as a page of this origin.
func (h *evidenceHandlers) download(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	f, err := h.svc.GetEvidence(c.Request.Context(), c.Param("id"))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	sendEvidence(c, h.svc, h.log, f)
}

// sendEvidence answers with a file.
func sendEvidence(c *gin.Context, svc EvidenceService, log *slog.Logger, f register.EvidenceFile) {
	c.Header("Content-Type", f.MediaType)
	c.Header("Content-Length", strconv.FormatInt(f.Size, 10))
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": f.DownloadName()})
	if disposition == "" { // a name the encoder cannot carry: the type still decides what it is
		disposition = "attachment; filename=evidence"
	}
	c.Header("Content-Disposition", disposition)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Security-Policy", evidenceCSP)
	if c.Request.Method == http.MethodHead {
		c.Status(http.StatusOK)
		return
	}
	c.Status(http.StatusOK)
	if err := svc.CopyEvidence(c.Request.Context(), f, c.Writer); err != nil {
		// The status is sent; the client sees a short body (its Content-Length says so).
		log.ErrorContext(c.Request.Context(), "evidence download failed", "request_id", c.GetString(ctxRequestID),
			"route", c.FullPath(), "error", err)
		c.Abort()
	}
}

// streamUpload streams a multipart/form-data upload: the text parts before the file
// (at most 4 KiB each, 100 parts) into fields, then the part named file to read,
// limited to max bytes (and the request to max and the form). wrongType is the 415
// message for another media type. A missing file part is CodeInvalid; a file or body
// over the limit is CodeTooLarge.
func streamUpload(c *gin.Context, file string, max int64, wrongType string,
	read func(fields map[string]string, name string, r io.Reader) error) error {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return register.Errorf(register.CodeUnsupportedType, "%s", wrongType)
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max+MaxJSONBody)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return register.Errorf(register.CodeUnsupportedType, "%s", wrongType)
	}
	tooLarge := register.Errorf(register.CodeTooLarge, "The file is over the limit of %d MiB.", max>>20)
	readError := func(err error) error {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return tooLarge
		}
		return register.Invalid(register.FieldError{Field: "body", Message: "is not a readable multipart/form-data body"})
	}
	fields := map[string]string{}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return register.Invalid(register.FieldError{Field: file, Message: "is required: send the file as the form's part named " + file})
		}
		if err != nil {
			return readError(err)
		}
		if p.FormName() == file {
			limited := &io.LimitedReader{R: p, N: max + 1}
			if err := read(fields, p.FileName(), limited); err != nil {
				return err // read reports its own errors, the body's included
			}
			if limited.N == 0 {
				return tooLarge
			}
			return nil
		}
		if parts >= 100 {
			return register.Invalid(register.FieldError{Field: "body", Message: "has more parts than the form has"})
		}
		v, err := io.ReadAll(io.LimitReader(p, 4096))
		if err != nil {
			return readError(err)
		}
		fields[p.FormName()] = strings.TrimSpace(string(v))
	}
}
