package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type      string                `json:"type"`
	Title     string                `json:"title"`
	Status    int                   `json:"status"`
	Detail    string                `json:"detail"`
	Errors    []register.FieldError `json:"errors,omitempty"`
	RequestID string                `json:"request_id,omitempty"`
}

const problemContentType = "application/problem+json"

// statusByCode is the one table mapping domain error codes to HTTP statuses.
var statusByCode = map[register.Code]int{
	register.CodeInvalid:            http.StatusBadRequest,
	register.CodeNotFound:           http.StatusNotFound,
	register.CodeConflict:           http.StatusConflict,
	register.CodePreconditionFailed: http.StatusPreconditionFailed,
	register.CodeUnauthenticated:    http.StatusUnauthorized,
	register.CodeForbidden:          http.StatusForbidden,
	register.CodeUnavailable:        http.StatusServiceUnavailable,
	register.CodeTooLarge:           http.StatusRequestEntityTooLarge,
	register.CodeUnsupportedType:    http.StatusUnsupportedMediaType,
}

// problemTypes name each kind of problem; they resolve to sections of the API reference.
var problemTypes = map[int]string{
	http.StatusBadRequest:            "/docs#problem-invalid",
	http.StatusUnauthorized:          "/docs#problem-unauthenticated",
	http.StatusForbidden:             "/docs#problem-forbidden",
	http.StatusNotFound:              "/docs#problem-not-found",
	http.StatusMethodNotAllowed:      "/docs#problem-method-not-allowed",
	http.StatusConflict:              "/docs#problem-conflict",
	http.StatusPreconditionFailed:    "/docs#problem-precondition-failed",
	http.StatusRequestEntityTooLarge: "/docs#problem-too-large",
	http.StatusUnsupportedMediaType:  "/docs#problem-unsupported-media-type",
	http.StatusUnprocessableEntity:   "/docs#problem-idempotency-mismatch",
	http.StatusTooManyRequests:       "/docs#problem-rate-limited",
	http.StatusInternalServerError:   "/docs#problem-internal",
	http.StatusServiceUnavailable:    "/docs#problem-unavailable",
}

// writeProblem answers with a problem document and stops the handler chain.
func writeProblem(c *gin.Context, status int, detail string, fields ...register.FieldError) {
	t, ok := problemTypes[status]
	if !ok {
		t = "about:blank"
	}
	p := Problem{Type: t, Title: http.StatusText(status), Status: status, Detail: detail, Errors: fields,
		RequestID: c.GetString(ctxRequestID)}
	c.Abort()
	c.Header("Content-Type", problemContentType)
	c.Status(status)
	_ = jsonEncode(c.Writer, p)
}

// writeError answers with the problem for err. Domain errors carry client-safe
// messages; a database that cannot be reached is a 503 with Retry-After, reported
// to the outage log; a failure after the client hung up (its request context is
// done) is recorded as a client-closed request (499) and logged with the request,
// at debug level — a statement the driver interrupted because the client left
// included, which looks like a broken connection but says nothing about the
// database; anything else is logged with the request id and hidden behind a generic
// 500.
func writeError(c *gin.Context, log *slog.Logger, err error) {
	var de *register.Error
	if c.Request.Context().Err() != nil && (!errors.As(err, &de) || de.Code == register.CodeUnavailable) {
		log.DebugContext(c.Request.Context(), "request abandoned by its client", "request_id", c.GetString(ctxRequestID),
			"route", c.FullPath(), "error", err)
		c.AbortWithStatus(statusClientClosed)
		return
	}
	if de, ok := register.AsError(err); ok {
		if status, ok := statusByCode[de.Code]; ok {
			if de.Code == register.CodeUnavailable {
				unavailable(c, err, de.Message)
				return
			}
			writeProblem(c, status, de.Message, de.Fields...)
			return
		}
	}
	log.ErrorContext(c.Request.Context(), "request failed", "request_id", c.GetString(ctxRequestID),
		"route", c.FullPath(), "error", err)
	writeProblem(c, http.StatusInternalServerError,
		"An internal error occurred. It has been logged; quote the request id when reporting it.")
}

// invalid answers 400 with field errors.
func invalid(c *gin.Context, fields ...register.FieldError) {
	writeProblem(c, http.StatusBadRequest, "The request is not valid.", fields...)
}
