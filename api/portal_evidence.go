package api

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// uploadJSON is POST /portal/api/assessment/evidence: one file for one question, as
// multipart/form-data (question_key, then file).
func (h *portalHandlers) uploadJSON(c *gin.Context) {
	a := invitationActorOf(c)
	inv, err := h.svc.GetPortalView(c.Request.Context(), a.InvitationID)
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	var f register.EvidenceFile
	err = streamUpload(c, "file", register.MaxEvidenceFile, "Send the file as multipart/form-data: a part named question_key, then a part named file.",
		func(fields map[string]string, name string, r io.Reader) error {
			var err error
			f, err = h.evidence.UploadEvidence(c.Request.Context(), a, inv.AssessmentID, fields["question_key"], name, r)
			return err
		})
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	c.Header("Location", "/portal/api/assessment/evidence/"+f.ID)
	writeJSON(c, http.StatusCreated, toEvidenceJSON(f))
}

// ownEvidence loads a file of the link holder's own assessment; another
// assessment's is not found.
func (h *portalHandlers) ownEvidence(c *gin.Context) (register.EvidenceFile, bool) {
	a := invitationActorOf(c)
	v, err := h.svc.GetPortalView(c.Request.Context(), a.InvitationID)
	if err != nil {
		writeError(c, h.log, err)
		return register.EvidenceFile{}, false
	}
	for _, f := range v.Evidence {
		if f.ID == c.Param("id") {
			return f, true
		}
	}
	writeProblem(c, http.StatusNotFound, "No evidence file of this assessment has this id.")
	return register.EvidenceFile{}, false
}

// downloadJSON is GET /portal/api/assessment/evidence/{id}: a file of the link
// holder's own assessment, as the team downloads it.
func (h *portalHandlers) downloadJSON(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	if f, ok := h.ownEvidence(c); ok {
		sendEvidence(c, h.evidence, h.log, f)
	}
}

// deleteJSON is DELETE /portal/api/assessment/evidence/{id}: removes a file while
// the questionnaire is a draft.
func (h *portalHandlers) deleteJSON(c *gin.Context) {
	if _, ok := h.ownEvidence(c); ok {
		noContent(c, h.log, h.evidence.DeleteEvidence(c.Request.Context(), invitationActorOf(c), c.Param("id")))
	}
}
