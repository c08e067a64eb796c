package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

type linkWrite struct {
	SubprocessorID string   `json:"subprocessor_id"`
	Categories     []string `json:"categories"`
	AuthorisedAt   *string  `json:"authorised_at,omitempty"`
	RecordCount    *int64   `json:"record_count,omitempty"`
}

type linkJSON struct {
	ID                   string    `json:"id"`
	Version              int       `json:"version"`
	SupplierID           string    `json:"supplier_id"`
	SubprocessorID       string    `json:"subprocessor_id"`
	SubprocessorName     string    `json:"subprocessor_name"`
	SubprocessorArchived bool      `json:"subprocessor_archived"`
	Categories           []string  `json:"categories"`
	AuthorisedAt         *string   `json:"authorised_at"`
	RecordCount          *int64    `json:"record_count"`
	CreatedAt            time.Time `json:"created_at"`
	UpdatedAt            time.Time `json:"updated_at"`
}

func toLinkJSON(l register.Link) linkJSON {
	return linkJSON{ID: l.ID, Version: l.Version, SupplierID: l.SupplierID, SubprocessorID: l.SubprocessorID,
		SubprocessorName: l.SubprocessorName, SubprocessorArchived: l.SubprocessorArchived, Categories: l.Categories,
		AuthorisedAt: l.AuthorisedAt, RecordCount: l.RecordCount, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt}
}

func (h *inventoryHandlers) listLinks(c *gin.Context) {
	since, cur, limit, ok := pageSinceQuery(c)
	if !ok {
		return
	}
	page, err := h.svc.ListLinks(c.Request.Context(), c.Param("id"), since, cur, limit)
	answerPage(c, h.log, page, err, toLinkJSON)
}

func (h *inventoryHandlers) createLink(c *gin.Context) {
	var in linkWrite
	if !bindJSON(c, &in) {
		return
	}
	l, err := h.svc.CreateLink(c.Request.Context(), actor(c), c.Param("id"), register.LinkFields(in))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	created(c, "/api/v1/suppliers/"+l.SupplierID+"/subprocessors", l.Version, toLinkJSON(l))
}

// patchLink applies a JSON merge patch to the link's authorised_at, categories and
// record_count (subprocessor_id may appear but not change), honouring If-Match.
func (h *inventoryHandlers) patchLink(c *gin.Context) {
	raw, ok := readBody(c, "application/merge-patch+json", "application/json")
	if !ok {
		return
	}
	l, err := h.svc.PatchLink(c.Request.Context(), actor(c), c.Param("id"), c.Param("subprocessor_id"), ifMatch(c),
		mergePatchOf(raw, func(cur register.Link) linkWrite { return linkWrite(cur.LinkFields) },
			func(w linkWrite) register.LinkFields { return register.LinkFields(w) }))
	answer(c, h.log, http.StatusOK, l.Version, toLinkJSON(l), err)
}

func (h *inventoryHandlers) deleteLink(c *gin.Context) {
	noContent(c, h.log, h.svc.DeleteLink(c.Request.Context(), actor(c), c.Param("id"), c.Param("subprocessor_id"), ifMatch(c)))
}

// supplierRefJSON names a supplier inside exposure answers.
type supplierRefJSON struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Criticality string  `json:"criticality"`
	Status      string  `json:"status"`
	Country     *string `json:"country"`
}

func toRef(r register.SupplierRef) supplierRefJSON { return supplierRefJSON(r) }

func toRefs(rs []register.SupplierRef) []supplierRefJSON {
	out := make([]supplierRefJSON, len(rs))
	for i, r := range rs {
		out[i] = toRef(r)
	}
	return out
}

type categoryRefJSON struct {
	Key             string `json:"key"`
	Name            string `json:"name"`
	Sensitivity     int    `json:"sensitivity"`
	SpecialCategory bool   `json:"special_category"`
	CriminalOffence bool   `json:"criminal_offence"`
}

func toCategoryRef(c register.Category) categoryRefJSON {
	return categoryRefJSON{Key: c.Key, Name: c.Name, Sensitivity: c.Sensitivity, SpecialCategory: c.SpecialCategory, CriminalOffence: c.CriminalOffence}
}

type originJSON struct {
	Supplier     supplierRefJSON   `json:"supplier"`
	RecordCount  int64             `json:"record_count"`
	DataSubjects []string          `json:"data_subjects"`
	Path         []supplierRefJSON `json:"path"`
}

type downstreamJSON struct {
	Supplier supplierRefJSON   `json:"supplier"`
	Path     []supplierRefJSON `json:"path"`
}

type categoryFlowJSON struct {
	Category     categoryRefJSON  `json:"category"`
	Direct       *holdingJSON     `json:"direct"`
	ReceivedFrom []originJSON     `json:"received_from"`
	PassedOn     []downstreamJSON `json:"passed_on"`
	Records      int64            `json:"records"`
	DataSubjects []string         `json:"data_subjects"`
}

type flowsJSON struct {
	Supplier        supplierRefJSON    `json:"supplier"`
	Archived        bool               `json:"archived"`
	Categories      []categoryFlowJSON `json:"categories"`
	Records         int64              `json:"records"`
	DataSubjects    []string           `json:"data_subjects"`
	SpecialCategory bool               `json:"special_category"`
	CriminalOffence bool               `json:"criminal_offence"`
	Subprocessors   []supplierRefJSON  `json:"subprocessors"`
}

// flowsPageJSON is one page of a supplier's data flows: the received origins of the
// page, with the own holdings and totals on every page.
type flowsPageJSON struct {
	flowsJSON
	People     peopleJSON `json:"people"`
	NextCursor *string    `json:"next_cursor"`
}

func toFlowsJSON(f register.Flows) flowsJSON {
	out := flowsJSON{Supplier: toRef(f.Supplier), Archived: f.Archived, Records: f.Records, DataSubjects: f.DataSubjects,
		SpecialCategory: f.SpecialCategory, CriminalOffence: f.CriminalOffence, Subprocessors: toRefs(f.Subprocessors),
		Categories: make([]categoryFlowJSON, len(f.Categories))}
	for i, c := range f.Categories {
		cf := categoryFlowJSON{Category: toCategoryRef(c.Category), Records: c.Records, DataSubjects: c.DataSubjects,
			ReceivedFrom: make([]originJSON, len(c.ReceivedFrom)), PassedOn: make([]downstreamJSON, len(c.PassedOn))}
		if c.Direct != nil {
			h := toHoldingJSON(*c.Direct)
			cf.Direct = &h
		}
		for j, o := range c.ReceivedFrom {
			cf.ReceivedFrom[j] = originJSON{Supplier: toRef(o.Supplier), RecordCount: o.RecordCount, DataSubjects: o.DataSubjects, Path: toRefs(o.Path)}
		}
		for j, d := range c.PassedOn {
			cf.PassedOn[j] = downstreamJSON{Supplier: toRef(d.Supplier), Path: toRefs(d.Path)}
		}
		out.Categories[i] = cf
	}
	return out
}

func (h *inventoryHandlers) dataFlows(c *gin.Context) {
	cur, limit, ok := pageQuery(c)
	if !ok {
		return
	}
	f, next, err := h.svc.DataFlows(c.Request.Context(), c.Param("id"), cur, limit)
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	out := flowsPageJSON{flowsJSON: toFlowsJSON(f), People: toPeopleJSON(f.People)}
	if next != "" {
		out.NextCursor = &next
	}
	writeJSON(c, http.StatusOK, out)
}

type viaJSON struct {
	From supplierRefJSON   `json:"from"`
	Path []supplierRefJSON `json:"path"`
}

type exposureItemJSON struct {
	Category     string          `json:"category"`
	Supplier     supplierRefJSON `json:"supplier"`
	Direct       bool            `json:"direct"`
	RecordCount  *int64          `json:"record_count"`
	DataSubjects []string        `json:"data_subjects"`
	Via          *viaJSON        `json:"via"`
}

type categoryExposureJSON struct {
	Category          categoryRefJSON `json:"category"`
	DirectSuppliers   int             `json:"direct_suppliers"`
	IndirectSuppliers int             `json:"indirect_suppliers"`
	Records           int64           `json:"records"`
	People            peopleJSON      `json:"people"`
}

type exposureTotalsJSON struct {
	DirectSuppliers   int                    `json:"direct_suppliers"`
	IndirectSuppliers int                    `json:"indirect_suppliers"`
	Records           int64                  `json:"records"`
	People            peopleJSON             `json:"people"`
	Categories        []categoryExposureJSON `json:"categories"`
}

type exposureJSON struct {
	Totals     exposureTotalsJSON `json:"totals"`
	Items      []exposureItemJSON `json:"items"`
	NextCursor *string            `json:"next_cursor"`
}

func (h *inventoryHandlers) exposure(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "category", "data_subject", "special_category", "cursor", "limit")
	f := register.ExposureFilter{Category: q.str("category"), DataSubject: q.str("data_subject"),
		SpecialCategory: q.boolean("special_category"), Cursor: q.str("cursor"), Limit: q.limit()}
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	ex, err := h.svc.Exposure(c.Request.Context(), f)
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	out := exposureJSON{Totals: exposureTotalsJSON{DirectSuppliers: ex.DirectSuppliers, IndirectSuppliers: ex.IndirectSuppliers,
		Records: ex.Records, People: toPeopleJSON(ex.People), Categories: make([]categoryExposureJSON, len(ex.Categories))},
		Items: make([]exposureItemJSON, len(ex.Page.Items))}
	for i, ce := range ex.Categories {
		out.Totals.Categories[i] = categoryExposureJSON{Category: toCategoryRef(ce.Category), DirectSuppliers: ce.DirectSuppliers,
			IndirectSuppliers: ce.IndirectSuppliers, Records: ce.Records, People: toPeopleJSON(ce.People)}
	}
	for i, it := range ex.Page.Items {
		item := exposureItemJSON{Category: it.Category, Supplier: toRef(it.Supplier), Direct: it.Direct,
			RecordCount: it.RecordCount, DataSubjects: it.DataSubjects}
		if it.Via != nil {
			item.Via = &viaJSON{From: toRef(it.Via.From), Path: toRefs(it.Via.Path)}
		}
		if item.DataSubjects == nil {
			item.DataSubjects = []string{}
		}
		out.Items[i] = item
	}
	if ex.Page.NextCursor != "" {
		out.NextCursor = &ex.Page.NextCursor
	}
	writeJSON(c, http.StatusOK, out)
}
