package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
)

// Keys under which middleware leaves values on the gin context.
const (
	ctxRequestID = "weaklink.request_id"
	ctxActor     = "weaklink.actor"
)

// saneRequestID accepts an incoming X-Request-Id only when it is short and plain,
// so it cannot inject text into logs.
var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// requestID echoes a sane incoming X-Request-Id or generates one, on every response.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if !saneRequestID.MatchString(id) {
			id = uuid.NewString()
		}
		c.Set(ctxRequestID, id)
		c.Header("X-Request-Id", id)
		c.Next()
	}
}

// metrics counts requests and their latency by route template and status.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "weaklink_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "weaklink_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

// observe records metrics and writes one structured log line per request, and
// hands what the request learnt about the database to the outage log. The route
// label is the template (never the raw path), so cardinality stays bounded. A 5xx
// is logged at ERROR except 503, which the outage log already reports; a request
// whose client hung up is status 499 at INFO.
func observe(m *metrics, log *slog.Logger, out *outage) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		elapsed := time.Since(start)
		m.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(c.Request.Method, route).Observe(elapsed.Seconds())
		attrs := []any{"request_id", c.GetString(ctxRequestID), "method", c.Request.Method, "route", route,
			"status", status, "duration_ms", float64(elapsed.Microseconds()) / 1000, "client_ip", c.ClientIP()}
		if a, ok := actorOf(c); ok {
			attrs = append(attrs, "key_id", a.KeyID)
		}
		if a := invitationActorOf(c); a.InvitationID != "" {
			attrs = append(attrs, "invitation_id", a.InvitationID)
		}
		if p := c.GetString(ctxLogPath); p != "" {
			attrs = append(attrs, "path", p) // never the raw path: a portal link's holds its secret
		}
		out.observe(c)
		level := slog.LevelInfo
		if status >= 500 && status != http.StatusServiceUnavailable {
			level = slog.LevelError
		}
		log.Log(c.Request.Context(), level, "http request", attrs...)
	}
}

// recovery turns a panic into a logged 500 problem with nothing internal in it.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				// What the handler set for the answer it did not finish says nothing
				// true of the 500.
				for _, h := range []string{"ETag", "Location", "Content-Disposition", "Content-Length", "X-Report-Renderer"} {
					c.Writer.Header().Del(h)
				}
				writeError(c, log, fmt.Errorf("panic: %v", r))
			}
		}()
		c.Next()
	}
}

// noStore keeps API answers out of shared and browser caches: they carry personal data.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// securityHeaders are cheap defences for anything that renders a response.
func securityHeaders(c *gin.Context) {
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("X-Frame-Options", "DENY")
	c.Header("Referrer-Policy", "no-referrer")
	c.Next()
}
