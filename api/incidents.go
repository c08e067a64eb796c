package api

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// IncidentService is what the incident handlers need.
type IncidentService interface {
	CreateIncident(ctx context.Context, a register.Actor, f register.IncidentFields) (register.Incident, error)
	GetIncident(ctx context.Context, id string) (register.Incident, error)
	ListIncidents(ctx context.Context, f register.IncidentFilter) (register.Page[register.Incident], error)
	PatchIncident(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool,
		apply func(register.Incident) (register.IncidentFields, error)) (register.Incident, error)
	IncidentImpact(ctx context.Context, id, cursor string, limit int) (register.Impact, error)
}

type incidentHandlers struct {
	svc IncidentService
	log *slog.Logger
}

type incidentWrite struct {
	SupplierID          string     `json:"supplier_id"`
	Summary             string     `json:"summary"`
	Description         string     `json:"description,omitempty"`
	Status              string     `json:"status,omitempty"`
	AwareAt             *time.Time `json:"aware_at"`
	SupplierAwareAt     *time.Time `json:"supplier_aware_at,omitempty"`
	RegulatorNotifiedAt *time.Time `json:"regulator_notified_at,omitempty"`
	SubjectsNotifiedAt  *time.Time `json:"subjects_notified_at,omitempty"`
}

type incidentJSON struct {
	ID                  string     `json:"id"`
	Version             int        `json:"version"`
	SupplierID          string     `json:"supplier_id"`
	SupplierName        string     `json:"supplier_name"`
	Summary             string     `json:"summary"`
	Description         string     `json:"description"`
	Status              string     `json:"status"`
	AwareAt             time.Time  `json:"aware_at"`
	SupplierAwareAt     *time.Time `json:"supplier_aware_at"`
	RegulatorDeadline   time.Time  `json:"regulator_deadline"`
	RegulatorNotifiedAt *time.Time `json:"regulator_notified_at"`
	SubjectsNotifiedAt  *time.Time `json:"subjects_notified_at"`
	ClosedAt            *time.Time `json:"closed_at"`
	CreatedAt           time.Time  `json:"created_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
}

func toIncidentJSON(i register.Incident) incidentJSON {
	out := incidentJSON{ID: i.ID, Version: i.Version, SupplierID: i.SupplierID, SupplierName: i.SupplierName,
		Summary: i.Summary, Description: i.Description, Status: i.Status,
		SupplierAwareAt: i.SupplierAwareAt, RegulatorNotifiedAt: i.RegulatorNotifiedAt,
		SubjectsNotifiedAt: i.SubjectsNotifiedAt, ClosedAt: i.ClosedAt, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
	if i.AwareAt != nil { // always set on a stored incident; absent only on the zero value of a failed call
		out.AwareAt, out.RegulatorDeadline = *i.AwareAt, i.RegulatorDeadline()
	}
	return out
}

func (h *incidentHandlers) create(c *gin.Context) {
	var in incidentWrite
	if !bindJSON(c, &in) {
		return
	}
	i, err := h.svc.CreateIncident(c.Request.Context(), actor(c), register.IncidentFields(in))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	created(c, "/api/v1/incidents/"+i.ID, i.Version, toIncidentJSON(i))
}

func (h *incidentHandlers) get(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	i, err := h.svc.GetIncident(c.Request.Context(), c.Param("id"))
	answer(c, h.log, http.StatusOK, i.Version, toIncidentJSON(i), err)
}

func (h *incidentHandlers) list(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "supplier_id", "status", "updated_since", "cursor", "limit")
	f := register.IncidentFilter{SupplierID: q.str("supplier_id"), Statuses: q.list("status"),
		UpdatedSince: q.time("updated_since"), Cursor: q.str("cursor"), Limit: q.limit()}
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	page, err := h.svc.ListIncidents(c.Request.Context(), f)
	answerPage(c, h.log, page, err, toIncidentJSON)
}

func (h *incidentHandlers) patch(c *gin.Context) {
	raw, ok := readBody(c, "application/merge-patch+json", "application/json")
	if !ok {
		return
	}
	i, err := h.svc.PatchIncident(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c),
		mergePatchOf(raw, func(cur register.Incident) incidentWrite { return incidentWrite(cur.IncidentFields) },
			func(w incidentWrite) register.IncidentFields { return register.IncidentFields(w) }))
	answer(c, h.log, http.StatusOK, i.Version, toIncidentJSON(i), err)
}

type supplierNoticeJSON struct {
	WindowHours     *int       `json:"window_hours"`
	SupplierAwareAt *time.Time `json:"supplier_aware_at"`
	DelayHours      *float64   `json:"delay_hours"`
	WithinWindow    *bool      `json:"within_window"`
}

type regulatorJSON struct {
	Deadline       time.Time  `json:"deadline"`
	HoursLeft      float64    `json:"hours_left"`
	Overdue        bool       `json:"overdue"`
	NotifiedAt     *time.Time `json:"notified_at"`
	NotifiedInTime *bool      `json:"notified_in_time"`
}

// impactJSON is one page of an incident's impact: every total of the whole chain,
// and this page's received origins, sub-processors and what passes on to them.
type impactJSON struct {
	Incident          incidentJSON       `json:"incident"`
	Summary           string             `json:"summary"`
	People            peopleJSON         `json:"people"`
	Records           int64              `json:"records"`
	DataSubjects      []string           `json:"data_subjects"`
	SpecialCategory   bool               `json:"special_category"`
	CriminalOffence   bool               `json:"criminal_offence"`
	Categories        []categoryFlowJSON `json:"categories"`
	SubprocessorCount int                `json:"subprocessor_count"`
	Subprocessors     []supplierRefJSON  `json:"subprocessors"`
	Regulator         regulatorJSON      `json:"regulator"`
	SupplierNotice    supplierNoticeJSON `json:"supplier_notice"`
	SupplierArchived  bool               `json:"supplier_archived"`
	NextCursor        *string            `json:"next_cursor"`
}

func (h *incidentHandlers) impact(c *gin.Context) {
	cur, limit, ok := pageQuery(c)
	if !ok {
		return
	}
	im, err := h.svc.IncidentImpact(c.Request.Context(), c.Param("id"), cur, limit)
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	fl := toFlowsJSON(im.Flows)
	out := impactJSON{Incident: toIncidentJSON(im.Incident), Summary: im.Summary, People: toPeopleJSON(im.Flows.People), Records: fl.Records,
		DataSubjects: fl.DataSubjects, SpecialCategory: fl.SpecialCategory, CriminalOffence: fl.CriminalOffence,
		Categories: fl.Categories, SubprocessorCount: im.SubprocessorCount, Subprocessors: fl.Subprocessors, SupplierArchived: fl.Archived,
		Regulator: regulatorJSON{Deadline: im.RegulatorDeadline, HoursLeft: hoursDown(im.TimeLeft), Overdue: im.TimeLeft <= 0,
			NotifiedAt: im.Incident.RegulatorNotifiedAt},
		SupplierNotice: supplierNoticeJSON{WindowHours: im.SupplierWindowHours, SupplierAwareAt: im.Incident.SupplierAwareAt,
			WithinWindow: im.SupplierToldUsInTime}}
	if n := im.Incident.RegulatorNotifiedAt; n != nil {
		ok := !n.After(im.RegulatorDeadline)
		out.Regulator.NotifiedInTime = &ok
		out.Regulator.Overdue = false
	}
	if d := im.SupplierDelay; d != nil {
		hrs := hoursNearest(*d)
		out.SupplierNotice.DelayHours = &hrs
	}
	if im.NextCursor != "" {
		out.NextCursor = &im.NextCursor
	}
	writeJSON(c, http.StatusOK, out)
}

// hoursDown expresses a duration in hours to two decimals, rounded down (toward the
// past), so that the time left before a deadline is never overstated: 59 m 46 s left
// is 0.99, and 10 h past is -10.00, not -9.99.
func hoursDown(d time.Duration) float64 {
	return hundredths(math.Floor(float64(d) / float64(36*time.Second)))
}

// hoursNearest expresses a duration in hours to the nearest hundredth, halves away
// from zero, the same for positive and negative durations.
func hoursNearest(d time.Duration) float64 {
	return hundredths(math.Round(float64(d) / float64(36*time.Second)))
}

// hundredths turns a whole number of hundredths into the figure, never -0 (which
// JSON would write as "-0").
func hundredths(n float64) float64 {
	if n == 0 {
		return 0
	}
	return n / 100
}
