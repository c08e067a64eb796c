package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// InventoryService is what the holdings, links, flows and exposure handlers need.
type InventoryService interface {
	ListHoldings(ctx context.Context, supplierID string, since *time.Time, cursor string, limit int) (register.Page[register.Holding], error)
	GetHolding(ctx context.Context, id string) (register.Holding, error)
	CreateHolding(ctx context.Context, a register.Actor, supplierID string, f register.HoldingFields) (register.Holding, error)
	PatchHolding(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool,
		apply func(register.Holding) (register.HoldingFields, error)) (register.Holding, error)
	DeleteHolding(ctx context.Context, a register.Actor, id string, ifMatch func(int) bool) error
	ListLinks(ctx context.Context, supplierID string, since *time.Time, cursor string, limit int) (register.Page[register.Link], error)
	CreateLink(ctx context.Context, a register.Actor, supplierID string, f register.LinkFields) (register.Link, error)
	DeleteLink(ctx context.Context, a register.Actor, supplierID, subprocessorID string, ifMatch func(int) bool) error
	PatchLink(ctx context.Context, a register.Actor, supplierID, subprocessorID string, ifMatch func(int) bool,
		apply func(register.Link) (register.LinkFields, error)) (register.Link, error)
	DataFlows(ctx context.Context, supplierID, cursor string, limit int) (register.Flows, string, error)
	Exposure(ctx context.Context, f register.ExposureFilter) (register.Exposure, error)
}

type inventoryHandlers struct {
	svc InventoryService
	log *slog.Logger
}

type holdingWrite struct {
	Category          string   `json:"category"`
	DataSubjects      []string `json:"data_subjects"`
	RecordCount       *int64   `json:"record_count"`
	Purpose           string   `json:"purpose,omitempty"`
	Locations         []string `json:"locations,omitempty"`
	TransferMechanism *string  `json:"transfer_mechanism,omitempty"`
	RetentionPeriod   *string  `json:"retention_period,omitempty"`
	RetentionUntil    *string  `json:"retention_until,omitempty"`
	HeldSince         *string  `json:"held_since,omitempty"`
}

type holdingJSON struct {
	ID                string    `json:"id"`
	Version           int       `json:"version"`
	SupplierID        string    `json:"supplier_id"`
	Category          string    `json:"category"`
	DataSubjects      []string  `json:"data_subjects"`
	RecordCount       int64     `json:"record_count"`
	Purpose           string    `json:"purpose"`
	Locations         []string  `json:"locations"`
	OutsideUKEEA      []string  `json:"outside_uk_eea"`
	TransferMechanism *string   `json:"transfer_mechanism"`
	RetentionPeriod   *string   `json:"retention_period"`
	RetentionUntil    *string   `json:"retention_until"`
	HeldSince         *string   `json:"held_since"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

func toHoldingJSON(h register.Holding) holdingJSON {
	out := holdingJSON{ID: h.ID, Version: h.Version, SupplierID: h.SupplierID, Category: h.Category,
		DataSubjects: h.DataSubjects, Purpose: h.Purpose, Locations: h.Locations, OutsideUKEEA: h.OutsideUKEEA(),
		TransferMechanism: h.TransferMechanism, RetentionPeriod: h.RetentionPeriod, RetentionUntil: h.RetentionUntil,
		HeldSince: h.HeldSince, CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt}
	if h.RecordCount != nil {
		out.RecordCount = *h.RecordCount
	}
	if out.OutsideUKEEA == nil {
		out.OutsideUKEEA = []string{}
	}
	return out
}

func (h *inventoryHandlers) listHoldings(c *gin.Context) {
	since, cur, limit, ok := pageSinceQuery(c)
	if !ok {
		return
	}
	page, err := h.svc.ListHoldings(c.Request.Context(), c.Param("id"), since, cur, limit)
	answerPage(c, h.log, page, err, toHoldingJSON)
}

func (h *inventoryHandlers) getHolding(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	hold, err := h.svc.GetHolding(c.Request.Context(), c.Param("id"))
	answer(c, h.log, http.StatusOK, hold.Version, toHoldingJSON(hold), err)
}

func (h *inventoryHandlers) createHolding(c *gin.Context) {
	var in holdingWrite
	if !bindJSON(c, &in) {
		return
	}
	hold, err := h.svc.CreateHolding(c.Request.Context(), actor(c), c.Param("id"), register.HoldingFields(in))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	created(c, "/api/v1/data-holdings/"+hold.ID, hold.Version, toHoldingJSON(hold))
}

func (h *inventoryHandlers) patchHolding(c *gin.Context) {
	raw, ok := readBody(c, "application/merge-patch+json", "application/json")
	if !ok {
		return
	}
	hold, err := h.svc.PatchHolding(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c),
		mergePatchOf(raw, func(cur register.Holding) holdingWrite { return holdingWrite(cur.HoldingFields) },
			func(w holdingWrite) register.HoldingFields { return register.HoldingFields(w) }))
	answer(c, h.log, http.StatusOK, hold.Version, toHoldingJSON(hold), err)
}

func (h *inventoryHandlers) deleteHolding(c *gin.Context) {
	noContent(c, h.log, h.svc.DeleteHolding(c.Request.Context(), actor(c), c.Param("id"), ifMatch(c)))
}
