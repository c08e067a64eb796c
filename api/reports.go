package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
)

// ReportService is what the report handlers need (internal/quarterly).
type ReportService interface {
	GenerateReport(ctx context.Context, a register.Actor, quarter string, regenerate bool) (quarterly.Report, bool, error)
	ListReports(ctx context.Context, year int, since *time.Time, cursor string, limit int) (register.Page[quarterly.ReportSummary], error)
	RenderReport(ctx context.Context, id, format string) (quarterly.Rendering, error)
	RecordReportDownload(ctx context.Context, a register.Actor, id, format string) error
}

type reportHandlers struct {
	svc ReportService
	log *slog.Logger
}

type reportWrite struct {
	Quarter    string `json:"quarter"`
	Regenerate bool   `json:"regenerate,omitempty"`
}

type reportJSON struct {
	ID               string            `json:"id"`
	Version          int               `json:"version"`
	Quarter          string            `json:"quarter"`
	Revision         int               `json:"revision"`
	AsOf             time.Time         `json:"as_of"`
	RendererVersion  string            `json:"renderer_version"`
	Hashes           map[string]string `json:"sha256"`
	FlaggedSuppliers int               `json:"flagged_suppliers"`
	Mislabelled      bool              `json:"mislabelled"`
	GeneratedBy      *string           `json:"generated_by"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        time.Time         `json:"updated_at"`
}

func toReportJSON(r quarterly.ReportSummary) reportJSON {
	return reportJSON{ID: r.ID, Version: r.Version, Quarter: r.Quarter, Revision: r.Revision, AsOf: r.AsOf,
		RendererVersion: r.RendererVersion, Hashes: r.Hashes, FlaggedSuppliers: r.FlaggedSuppliers, Mislabelled: r.Mislabelled,
		GeneratedBy: optString(r.GeneratedBy), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func summaryOf(r quarterly.Report, generatedBy string) quarterly.ReportSummary {
	s := r.Snapshot
	return quarterly.ReportSummary{ID: s.ID, Quarter: s.Quarter, Revision: s.Revision, AsOf: s.AsOf, RendererVersion: r.RendererVersion,
		Hashes: r.Hashes, FlaggedSuppliers: s.Summary.FlaggedSuppliers, Mislabelled: s.Mislabelled, GeneratedBy: generatedBy, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// generate answers 201 with a new report, or 200 with the stored one of that quarter.
func (h *reportHandlers) generate(c *gin.Context) {
	var in reportWrite
	if !bindJSON(c, &in) {
		return
	}
	r, created, err := h.svc.GenerateReport(c.Request.Context(), actor(c), in.Quarter, in.Regenerate)
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	out := toReportJSON(summaryOf(r, r.GeneratedBy))
	c.Header("Location", "/api/v1/reports/"+r.Snapshot.ID)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeResource(c, status, r.Version, out)
}

func (h *reportHandlers) list(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "year", "updated_since", "cursor", "limit")
	year := 0
	if y := q.str("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2999 {
			q.fail("year", "must be a year such as 2026")
		}
		year = n
	}
	since, cur, limit := q.time("updated_since"), q.str("cursor"), q.limit()
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	page, err := h.svc.ListReports(c.Request.Context(), year, since, cur, limit)
	answerPage(c, h.log, page, err, toReportJSON)
}

// get renders a stored report; every download is an audit event.
func (h *reportHandlers) get(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "format")
	format := q.str("format")
	if format == "" {
		format = "json"
	}
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	ctx := c.Request.Context()
	out, err := h.svc.RenderReport(ctx, c.Param("id"), format)
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	// Every format is tagged as conditional.go tags JSON: the rendering's hash after
	// the report's version. A client that has this rendering gets 304, which is not a
	// download.
	tag := representationTag(etag(out.Report.Version), out.Body)
	c.Header("ETag", tag)
	if (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) && noneMatch(c.GetHeader("If-None-Match"), tag) {
		c.Status(http.StatusNotModified)
		return
	}
	if c.Request.Method != http.MethodHead { // HEAD sends no rendering: not a download
		if err := h.svc.RecordReportDownload(ctx, actor(c), out.Report.Snapshot.ID, format); err != nil {
			writeError(c, h.log, err)
			return
		}
	}
	c.Header("X-Report-Renderer", out.Report.RendererVersion)
	if format != "json" {
		c.Header("Content-Disposition", `attachment; filename="`+out.FileName+`"`)
	}
	c.Data(http.StatusOK, out.ContentType, out.Body)
}
