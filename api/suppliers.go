package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// SupplierService is what the supplier handlers need from the register.
type SupplierService interface {
	CreateSupplier(ctx context.Context, a register.Actor, f register.SupplierFields) (register.Supplier, error)
	GetSupplier(ctx context.Context, id string) (register.Supplier, error)
	ListSuppliers(ctx context.Context, f register.SupplierFilter) (register.Page[register.Supplier], error)
	PatchSupplier(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool,
		apply func(register.Supplier) (register.SupplierFields, error)) (register.Supplier, error)
	ArchiveSupplier(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool) error
}

type supplierHandlers struct {
	svc SupplierService
	log *slog.Logger
}

// certificationJSON is a certification on the wire.
type certificationJSON struct {
	Scheme    string `json:"scheme"`
	Reference string `json:"reference,omitempty"`
	ExpiresAt string `json:"expires_at"`
}

// supplierWrite is the writable part of a supplier: the create body, and the
// document a merge patch applies to.
type supplierWrite struct {
	Name                    string              `json:"name"`
	Criticality             string              `json:"criticality"`
	Status                  string              `json:"status,omitempty"`
	Country                 *string             `json:"country,omitempty"`
	Services                string              `json:"services,omitempty"`
	Website                 string              `json:"website,omitempty"`
	SecurityContact         string              `json:"security_contact,omitempty"`
	BreachNotificationHours *int                `json:"breach_notification_hours,omitempty"`
	ContractStart           *string             `json:"contract_start,omitempty"`
	ContractEnd             *string             `json:"contract_end,omitempty"`
	DPASignedAt             *string             `json:"dpa_signed_at,omitempty"`
	Certifications          []certificationJSON `json:"certifications,omitempty"`
	Notes                   string              `json:"notes,omitempty"`
}

// supplierJSON is a supplier in responses.
type supplierJSON struct {
	ID                      string              `json:"id"`
	Version                 int                 `json:"version"`
	Name                    string              `json:"name"`
	Criticality             string              `json:"criticality"`
	Status                  string              `json:"status"`
	Country                 *string             `json:"country"`
	Services                string              `json:"services"`
	Website                 string              `json:"website"`
	SecurityContact         string              `json:"security_contact"`
	BreachNotificationHours *int                `json:"breach_notification_hours"`
	ContractStart           *string             `json:"contract_start"`
	ContractEnd             *string             `json:"contract_end"`
	DPASignedAt             *string             `json:"dpa_signed_at"`
	Certifications          []certificationJSON `json:"certifications"`
	Notes                   string              `json:"notes"`
	Risk                    *riskSummaryJSON    `json:"risk"`
	Archived                bool                `json:"archived"`
	ArchivedAt              *time.Time          `json:"archived_at"`
	CreatedAt               time.Time           `json:"created_at"`
	UpdatedAt               time.Time           `json:"updated_at"`
}

// riskSummaryJSON is a supplier's risk as of the request (see /suppliers/{id}/risk for the breakdown).
type riskSummaryJSON struct {
	DataInCare         dataInCareJSON `json:"data_in_care"`
	Inherent           float64        `json:"inherent"`
	Posture            *float64       `json:"posture"`
	PostureProvisional bool           `json:"posture_provisional"`
	Residual           float64        `json:"residual"`
	Tier               string         `json:"tier"`
}

func toRiskSummaryJSON(r *register.RiskSummary) *riskSummaryJSON {
	if r == nil {
		return nil
	}
	return &riskSummaryJSON{DataInCare: toDataInCareJSON(r.InCare), Inherent: r.Inherent, Posture: r.Posture,
		PostureProvisional: r.PostureProvisional, Residual: r.Residual, Tier: r.Tier}
}

func toSupplierJSON(s register.Supplier) supplierJSON {
	w := toSupplierWrite(s.SupplierFields)
	certs := w.Certifications
	if certs == nil {
		certs = []certificationJSON{}
	}
	return supplierJSON{
		ID: s.ID, Version: s.Version, Name: s.Name, Criticality: s.Criticality, Status: s.Status, Country: s.Country,
		Services: s.Services, Website: s.Website, SecurityContact: s.SecurityContact,
		BreachNotificationHours: s.BreachNotificationHours, ContractStart: s.ContractStart, ContractEnd: s.ContractEnd,
		DPASignedAt: s.DPASignedAt, Certifications: certs, Notes: s.Notes,
		Archived: s.ArchivedAt != nil, ArchivedAt: s.ArchivedAt, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
		Risk: toRiskSummaryJSON(s.Risk),
	}
}

func toSupplierWrite(f register.SupplierFields) supplierWrite {
	w := supplierWrite{Name: f.Name, Criticality: f.Criticality, Status: f.Status, Country: f.Country,
		Services: f.Services, Website: f.Website, SecurityContact: f.SecurityContact,
		BreachNotificationHours: f.BreachNotificationHours, ContractStart: f.ContractStart, ContractEnd: f.ContractEnd,
		DPASignedAt: f.DPASignedAt, Notes: f.Notes}
	for _, c := range f.Certifications {
		w.Certifications = append(w.Certifications, certificationJSON(c))
	}
	return w
}

func (w supplierWrite) fields() register.SupplierFields {
	f := register.SupplierFields{Name: w.Name, Criticality: w.Criticality, Status: w.Status, Country: w.Country,
		Services: w.Services, Website: w.Website, SecurityContact: w.SecurityContact,
		BreachNotificationHours: w.BreachNotificationHours, ContractStart: w.ContractStart, ContractEnd: w.ContractEnd,
		DPASignedAt: w.DPASignedAt, Notes: w.Notes, Certifications: []register.Certification{}}
	for _, c := range w.Certifications {
		f.Certifications = append(f.Certifications, register.Certification(c))
	}
	return f
}

func (h *supplierHandlers) create(c *gin.Context) {
	var in supplierWrite
	if !bindJSON(c, &in) {
		return
	}
	s, err := h.svc.CreateSupplier(c.Request.Context(), actor(c), in.fields())
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	created(c, "/api/v1/suppliers/"+s.ID, s.Version, toSupplierJSON(s))
}

func (h *supplierHandlers) get(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	s, err := h.svc.GetSupplier(c.Request.Context(), c.Param("id"))
	answer(c, h.log, http.StatusOK, s.Version, toSupplierJSON(s), err)
}

func (h *supplierHandlers) list(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "q", "status", "criticality", "country", "category", "special_category",
		"holds_personal_data", "tier", "flag", "include_archived", "updated_since", "sort", "cursor", "limit")
	f := register.SupplierFilter{Q: q.str("q"), Statuses: q.list("status"), Criticalities: q.list("criticality"),
		Countries: q.list("country"), Categories: q.list("category"), SpecialCategory: q.optBool("special_category"),
		HoldsData: q.optBool("holds_personal_data"), Tiers: q.list("tier"), Flags: q.list("flag"), IncludeArchived: q.boolean("include_archived"),
		UpdatedSince: q.time("updated_since"), Sort: q.str("sort"),
		Cursor: q.str("cursor"), Limit: q.limit()}
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	page, err := h.svc.ListSuppliers(c.Request.Context(), f)
	answerPage(c, h.log, page, err, toSupplierJSON)
}

func (h *supplierHandlers) patch(c *gin.Context) {
	raw, ok := readBody(c, "application/merge-patch+json", "application/json")
	if !ok {
		return
	}
	s, err := h.svc.PatchSupplier(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c),
		mergePatchOf(raw, func(cur register.Supplier) supplierWrite { return toSupplierWrite(cur.SupplierFields) }, supplierWrite.fields))
	answer(c, h.log, http.StatusOK, s.Version, toSupplierJSON(s), err)
}

func (h *supplierHandlers) archive(c *gin.Context) {
	noContent(c, h.log, h.svc.ArchiveSupplier(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c)))
}
