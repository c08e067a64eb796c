package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// Conditional requests (RFC 9110 §13) and HEAD for every GET.
//
// Every JSON answer 200 or 201 is held back until its handler returns, so that it
// goes out with a strong ETag covering the whole representation: the SHA-256 of
// the body (its first 128 bits, hex), after the resource's version when the handler
// named one (`"7"` becomes `"7-3f9a…"`). A list's tag therefore changes whenever an
// item on the page, the page's membership or its cursor changes, and a resource's
// whenever a computed figure in it does. A GET or HEAD whose If-None-Match names
// that tag answers 304 with no body. Answers are still `Cache-Control: no-store`: a
// script keeps its own copy and tag. If-Match on writes compares versions only
// (ifMatch), so the tag of any GET can be sent back.
//
// Bodies of other types (spreadsheets, reports, pages) and answers larger than
// maxTaggedBody pass through as they are written, without a tag from here.

// maxTaggedBody bounds the JSON answer held back to compute its tag: 4 MiB, far
// above any page (at most 500 items) or single resource; a larger answer (a big
// report's JSON rendering) streams untagged, so memory stays bounded per request.
const maxTaggedBody = 4 << 20

// conditional is the middleware of conditional requests: on a HEAD it answers
// exactly as the GET would, without the body.
func conditional(c *gin.Context) {
	w := &taggingWriter{ResponseWriter: c.Writer, head: c.Request.Method == http.MethodHead}
	c.Writer = w
	defer func() { c.Writer = w.ResponseWriter }()
	c.Next()
	w.finish(c.Request)
}

// taggingWriter holds back a JSON answer until finish, and drops every body written
// in answer to a HEAD.
type taggingWriter struct {
	gin.ResponseWriter
	head    bool
	status  int
	mode    writerMode
	buf     bytes.Buffer
	written int
}

type writerMode int

const (
	undecided writerMode = iota
	holding              // a JSON 200 or 201: held back in buf until finish
	passing              // anything else: straight through
)

func (w *taggingWriter) WriteHeader(code int) {
	if w.mode == undecided && code > 0 {
		w.status = code
	}
}

func (w *taggingWriter) WriteHeaderNow() {
	w.decide()
	if w.mode == passing {
		w.ResponseWriter.WriteHeaderNow()
	}
}

func (w *taggingWriter) Write(b []byte) (int, error) {
	w.decide()
	if w.mode == holding && w.buf.Len()+len(b) > maxTaggedBody {
		w.release()
	}
	w.written += len(b)
	switch {
	case w.mode == holding:
		return w.buf.Write(b)
	case w.head:
		w.ResponseWriter.WriteHeaderNow()
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *taggingWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

func (w *taggingWriter) Status() int {
	if w.mode == passing {
		return w.ResponseWriter.Status()
	}
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

func (w *taggingWriter) Size() int {
	if w.mode == passing && !w.head {
		return w.ResponseWriter.Size()
	}
	if w.mode == undecided {
		return -1
	}
	return w.written
}

func (w *taggingWriter) Written() bool { return w.mode != undecided }

// Flush sends what is held back first: a handler that flushes streams.
func (w *taggingWriter) Flush() {
	w.decide()
	if w.mode == holding {
		w.release()
	}
	w.ResponseWriter.Flush()
}

// decide chooses, at the first byte or header written, whether to hold back.
func (w *taggingWriter) decide() {
	if w.mode != undecided {
		return
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	ct := w.Header().Get("Content-Type")
	if (w.status == http.StatusOK || w.status == http.StatusCreated) && strings.HasPrefix(ct, "application/json") {
		w.mode = holding
		return
	}
	w.mode = passing
	w.ResponseWriter.WriteHeader(w.status)
}

// release gives up holding back: what is held goes out untagged (a handler's bare
// version tag would not cover computed figures, so it is dropped), the rest streams.
func (w *taggingWriter) release() {
	w.mode = passing
	if t := w.Header().Get("ETag"); t != "" && !strings.Contains(t, "-") {
		w.Header().Del("ETag")
	}
	w.ResponseWriter.WriteHeader(w.status)
	w.ResponseWriter.WriteHeaderNow()
	if !w.head && w.buf.Len() > 0 {
		_, _ = w.ResponseWriter.Write(w.buf.Bytes())
	}
	w.buf = bytes.Buffer{}
}

// finish sends what was held back, tagged, or 304 when the client has it already;
// and the status of a handler that wrote no body.
func (w *taggingWriter) finish(r *http.Request) {
	switch w.mode {
	case undecided:
		if w.status != 0 && !w.ResponseWriter.Written() {
			w.ResponseWriter.WriteHeader(w.status)
			w.ResponseWriter.WriteHeaderNow()
		}
		return
	case passing:
		return
	}
	body := w.buf.Bytes()
	tag := representationTag(w.Header().Get("ETag"), body)
	h := w.Header()
	h.Set("ETag", tag)
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && w.status == http.StatusOK &&
		noneMatch(r.Header.Get("If-None-Match"), tag) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		w.ResponseWriter.WriteHeader(http.StatusNotModified)
		w.ResponseWriter.WriteHeaderNow()
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.ResponseWriter.WriteHeader(w.status)
	w.ResponseWriter.WriteHeaderNow()
	if !w.head {
		_, _ = w.ResponseWriter.Write(body)
	}
}

// representationTag is the strong entity tag of a body: the hash of the body, after
// the version the handler's tag named (`"7"`), if any.
func representationTag(handlerTag string, body []byte) string {
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:16])
	if v, ok := tagVersion(handlerTag); ok {
		return `"` + strconv.Itoa(v) + "-" + hash + `"`
	}
	return `"` + hash + `"`
}

// tagVersion reads the version a strong entity tag begins with: `"7"` and
// `"7-3f9a…"` both name version 7. A weak tag names none.
func tagVersion(tag string) (int, bool) {
	if len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' {
		return 0, false
	}
	inner := tag[1 : len(tag)-1]
	if i := strings.IndexByte(inner, '-'); i >= 0 {
		inner = inner[:i]
	}
	v, err := strconv.Atoi(inner)
	if err != nil || v < 1 || strconv.Itoa(v) != inner {
		return 0, false
	}
	return v, true
}

// noneMatch reports whether an If-None-Match header names tag: `*`, or tag among
// its entity tags compared weakly (RFC 9110 §13.1.2: W/ is ignored).
func noneMatch(header, tag string) bool {
	header = strings.TrimSpace(header)
	if header == "" {
		return false
	}
	if header == "*" {
		return true
	}
	for _, t := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == tag {
			return true
		}
	}
	return false
}
