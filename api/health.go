package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// HealthChecker answers readiness questions about the database.
type HealthChecker interface {
	Ping(ctx context.Context) error
	MigrationsCurrent(ctx context.Context) (bool, error)
}

type healthHandlers struct {
	db  HealthChecker
	log *slog.Logger
}

type healthJSON struct {
	Status string `json:"status"`
}

// live answers as long as the process serves HTTP.
func (h *healthHandlers) live(c *gin.Context) {
	writeJSON(c, http.StatusOK, healthJSON{Status: "ok"})
}

// ready answers 200 only when the database answers and no migration is pending.
// An unreachable database is the 503 with Retry-After of every route, reported to
// the outage log like theirs.
func (h *healthHandlers) ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := h.db.Ping(ctx); err != nil {
		unavailable(c, err, "The database is not reachable.")
		return
	}
	databaseAnswered(c)
	current, err := h.db.MigrationsCurrent(ctx)
	if err != nil {
		h.log.WarnContext(ctx, "readiness: migration check failed", "error", err)
		writeProblem(c, http.StatusServiceUnavailable, "The migration state could not be read.")
		return
	}
	if !current {
		writeProblem(c, http.StatusServiceUnavailable, "Database migrations are pending; run `weaklink migrate up`.")
		return
	}
	writeJSON(c, http.StatusOK, healthJSON{Status: "ready"})
}
