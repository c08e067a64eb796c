package api

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

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
// Weak tags never match (If-Match uses strong comparison), so they end in 412.
func ifMatch(c *gin.Context) func(int) bool {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" {
		return nil
	}
	if h == "*" {
		return func(int) bool { return true }
	}
	var tags []string
	for _, t := range strings.Split(h, ",") {
		tags = append(tags, strings.TrimSpace(t))
	}
	return func(version int) bool {
		want := etag(version)
		for _, t := range tags {
			if t == want {
				return true
			}
		}
		return false
	}
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
