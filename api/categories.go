package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// CategoryService is what the catalogue handlers need.
type CategoryService interface {
	ListCategories(ctx context.Context, since *time.Time, cursor string, limit int) (register.Page[register.Category], error)
	GetCategory(ctx context.Context, key string) (register.Category, error)
	CreateCategory(ctx context.Context, a register.Actor, key string, f register.CategoryFields) (register.Category, error)
	PatchCategory(ctx context.Context, a register.Actor, key string, ifMatch func(int) bool,
		apply func(register.Category) (register.CategoryFields, error)) (register.Category, error)
	DeleteCategory(ctx context.Context, a register.Actor, key string, ifMatch func(int) bool) error
}

type categoryHandlers struct {
	svc CategoryService
	log *slog.Logger
}

type categoryWrite struct {
	Name            string `json:"name"`
	Description     string `json:"description,omitempty"`
	Sensitivity     int    `json:"sensitivity"`
	SpecialCategory bool   `json:"special_category"`
	CriminalOffence bool   `json:"criminal_offence"`
}

type categoryCreate struct {
	Key string `json:"key"`
	categoryWrite
}

type categoryJSON struct {
	ID              string    `json:"id"`
	Version         int       `json:"version"`
	Key             string    `json:"key"`
	Name            string    `json:"name"`
	Description     string    `json:"description"`
	Sensitivity     int       `json:"sensitivity"`
	SpecialCategory bool      `json:"special_category"`
	CriminalOffence bool      `json:"criminal_offence"`
	BuiltIn         bool      `json:"built_in"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

func toCategoryJSON(c register.Category) categoryJSON {
	return categoryJSON{ID: c.ID, Version: c.Version, Key: c.Key, Name: c.Name, Description: c.Description,
		Sensitivity: c.Sensitivity, SpecialCategory: c.SpecialCategory, CriminalOffence: c.CriminalOffence,
		BuiltIn: c.BuiltIn, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func (h *categoryHandlers) list(c *gin.Context) {
	since, cur, limit, ok := pageSinceQuery(c)
	if !ok {
		return
	}
	page, err := h.svc.ListCategories(c.Request.Context(), since, cur, limit)
	answerPage(c, h.log, page, err, toCategoryJSON)
}

func (h *categoryHandlers) get(c *gin.Context) {
	if !noQuery(c) {
		return
	}
	cat, err := h.svc.GetCategory(c.Request.Context(), c.Param("key"))
	answer(c, h.log, http.StatusOK, cat.Version, toCategoryJSON(cat), err)
}

func (h *categoryHandlers) create(c *gin.Context) {
	var in categoryCreate
	if !bindJSON(c, &in) {
		return
	}
	cat, err := h.svc.CreateCategory(c.Request.Context(), actor(c), in.Key, register.CategoryFields(in.categoryWrite))
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	created(c, "/api/v1/data-categories/"+cat.Key, cat.Version, toCategoryJSON(cat))
}

func (h *categoryHandlers) patch(c *gin.Context) {
	raw, ok := readBody(c, "application/merge-patch+json", "application/json")
	if !ok {
		return
	}
	cat, err := h.svc.PatchCategory(c.Request.Context(), actor(c), c.Param("key"), ifMatch(c),
		mergePatchOf(raw, func(cur register.Category) categoryWrite { return categoryWrite(cur.CategoryFields) },
			func(w categoryWrite) register.CategoryFields { return register.CategoryFields(w) }))
	answer(c, h.log, http.StatusOK, cat.Version, toCategoryJSON(cat), err)
}

func (h *categoryHandlers) delete(c *gin.Context) {
	noContent(c, h.log, h.svc.DeleteCategory(c.Request.Context(), actor(c), c.Param("key"), ifMatch(c)))
}

// noQuery rejects query parameters on routes that take none.
func noQuery(c *gin.Context) bool {
	if q := newQuery(c.Request.URL.Query()); q.errs != nil {
		invalid(c, q.errs...)
		return false
	}
	return true
}
