package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// RetryAfterUnavailable is the Retry-After (RFC 9110 §10.2.3, in seconds) of every
// answer given while the database cannot be reached.
const RetryAfterUnavailable = 5

// OutageLogInterval is the least time between two log lines about one continuing
// database outage.
const OutageLogInterval = 30 * time.Second

// statusClientClosed records a request whose client hung up before the answer
// (nginx's 499 "Client Closed Request"; no RFC defines it, no client receives it).
const statusClientClosed = 499

// Keys under which handlers tell the observing middleware how the database fared.
const (
	ctxUnavailable = "weaklink.db_unavailable" // the error that made the answer a 503
	ctxDBAnswered  = "weaklink.db_answered"    // the database answered this request
)

// unavailable answers that the database cannot be reached now: 503 with
// Retry-After, reported to the outage log rather than logged per request.
func unavailable(c *gin.Context, err error, detail string) {
	c.Set(ctxUnavailable, err)
	c.Header("Retry-After", strconv.Itoa(RetryAfterUnavailable))
	writeProblem(c, http.StatusServiceUnavailable, detail)
}

// databaseAnswered notes that the database answered a query of this request.
func databaseAnswered(c *gin.Context) { c.Set(ctxDBAnswered, true) }

// outage logs a database outage as a handful of lines however many requests it
// fails: one at ERROR when the first request fails, then at most one WARN line per
// OutageLogInterval with the number of requests failed since the previous line, and
// one INFO line when the database answers again.
type outage struct {
	log *slog.Logger
	now func() time.Time

	mu      sync.Mutex
	down    bool
	since   time.Time // when the first request failed
	last    time.Time // when the last line was written
	pending int       // failed requests not yet counted in a line
	total   int       // failed requests of this outage
}

// observe takes the outcome a request left on its context.
func (o *outage) observe(c *gin.Context) {
	if v, ok := c.Get(ctxUnavailable); ok {
		err, _ := v.(error)
		o.failed(c.Request.Context(), err)
	} else if c.GetBool(ctxDBAnswered) {
		o.answered(c.Request.Context())
	}
}

func (o *outage) failed(ctx context.Context, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.now()
	if !o.down {
		o.down, o.since, o.last, o.pending, o.total = true, now, now, 0, 1
		o.log.ErrorContext(ctx, "database unavailable: answering 503 with Retry-After until it returns",
			"retry_after_s", RetryAfterUnavailable, "error", err)
		return
	}
	o.pending++
	o.total++
	if now.Sub(o.last) >= OutageLogInterval {
		o.log.WarnContext(ctx, "database still unavailable", "failed_requests", o.pending,
			"down_for", now.Sub(o.since).Round(time.Second).String(), "error", err)
		o.last, o.pending = now, 0
	}
}

func (o *outage) answered(ctx context.Context) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.down {
		return
	}
	o.down = false
	o.log.InfoContext(ctx, "database available again", "failed_requests", o.total,
		"down_for", o.now().Sub(o.since).Round(time.Second).String())
}
