package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// jsonEncode writes v without escaping <, > and & (the API is not embedded in HTML).
func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeJSON answers with a JSON body.
func writeJSON(c *gin.Context, status int, v any) {
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Status(status)
	_ = jsonEncode(c.Writer, v)
}

// etag is the strong entity tag of a stored resource at a version.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// writeResource answers with a versioned resource and its ETag.
func writeResource(c *gin.Context, status int, version int, v any) {
	c.Header("ETag", etag(version))
	writeJSON(c, status, v)
}

// ifMatch turns an If-Match header into a version test; nil when the header is absent.
// Any strong tag naming the current version matches: the bare `"7"` and the tag of
// any GET of the resource, `"7-3f9a…"` (see conditional.go), so a change of
// computed figures alone never fails a write. Weak tags never match (If-Match uses
// strong comparison), so they end in 412.
func ifMatch(c *gin.Context) func(int) bool {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" {
		return nil
	}
	if h == "*" {
		return func(int) bool { return true }
	}
	var versions []int
	for _, t := range strings.Split(h, ",") {
		if v, ok := tagVersion(strings.TrimSpace(t)); ok {
			versions = append(versions, v)
		}
	}
	return func(version int) bool { return slices.Contains(versions, version) }
}

// listJSON is the envelope of every list.
type listJSON[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// writePage answers 200 with one page of a list, each item converted for the wire.
func writePage[T, J any](c *gin.Context, page register.Page[T], conv func(T) J) {
	l := listJSON[J]{Items: make([]J, len(page.Items))}
	for i, it := range page.Items {
		l.Items[i] = conv(it)
	}
	if page.NextCursor != "" {
		l.NextCursor = &page.NextCursor
	}
	writeJSON(c, http.StatusOK, l)
}

// created answers 201 with Location and the resource.
func created(c *gin.Context, location string, version int, v any) {
	c.Header("Location", location)
	writeResource(c, http.StatusCreated, version, v)
}

// answerPage writes one page of a list, or the problem for err.
func answerPage[T, J any](c *gin.Context, log *slog.Logger, page register.Page[T], err error, conv func(T) J) {
	if err != nil {
		writeError(c, log, err)
		return
	}
	writePage(c, page, conv)
}

// pageQuery reads the cursor and limit of a list that takes no other parameter,
// answering 400 itself for anything else.
func pageQuery(c *gin.Context) (cur string, limit int, ok bool) {
	q := newQuery(c.Request.URL.Query(), "cursor", "limit")
	cur, limit = q.str("cursor"), q.limit()
	if q.errs != nil {
		invalid(c, q.errs...)
		return "", 0, false
	}
	return cur, limit, true
}

// pageSinceQuery reads the cursor, limit and updated_since (RFC 3339, inclusive) of
// a list of resources that have updated_at and take no other parameter, answering
// 400 itself for anything else.
func pageSinceQuery(c *gin.Context) (since *time.Time, cur string, limit int, ok bool) {
	q := newQuery(c.Request.URL.Query(), "updated_since", "cursor", "limit")
	since, cur, limit = q.time("updated_since"), q.str("cursor"), q.limit()
	if q.errs != nil {
		invalid(c, q.errs...)
		return nil, "", 0, false
	}
	return since, cur, limit, true
}

// mergePatchOf returns the apply function a PATCH use case calls with the current
// state: it renders that state in its wire form, applies the RFC 7396 merge patch
// and decodes the result with the create rules, so a patch is validated exactly as
// a create is.
func mergePatchOf[D, W, F any](raw []byte, wire func(D) W, fields func(W) F) func(D) (F, error) {
	return func(cur D) (F, error) {
		var next W
		if fe := applyMergePatch(wire(cur), raw, &next); fe != nil {
			var zero F
			return zero, register.Invalid(fe...)
		}
		return fields(next), nil
	}
}

// answer writes a versioned resource, or the problem for err.
func answer(c *gin.Context, log *slog.Logger, status, version int, v any, err error) {
	if err != nil {
		writeError(c, log, err)
		return
	}
	writeResource(c, status, version, v)
}

// noContent answers 204, or the problem for err.
func noContent(c *gin.Context, log *slog.Logger, err error) {
	if err != nil {
		writeError(c, log, err)
		return
	}
	c.Status(http.StatusNoContent)
}
