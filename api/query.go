package api

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/register"
)

// query reads documented query parameters and collects errors for the rest.
type query struct {
	values url.Values
	errs   []register.FieldError
}

// newQuery rejects parameters outside allowed, so a misspelt filter is a 400 rather
// than a silently unfiltered list, and values that are not text (NUL, invalid UTF-8),
// as the JSON bodies do.
func newQuery(values url.Values, allowed ...string) *query {
	q := &query{values: values}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	var names []string
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range values[k] {
			if strings.IndexByte(v, 0) >= 0 {
				q.fail(k, "must not contain NUL characters")
			}
			if !utf8.ValidString(v) {
				q.fail(k, "must be valid UTF-8 text (percent-encode its UTF-8 bytes)")
			}
		}
		if !ok[k] {
			q.fail(k, "is not a supported query parameter (supported: "+strings.Join(allowed, ", ")+")")
		}
	}
	return q
}

func (q *query) fail(field, msg string) {
	q.errs = append(q.errs, register.FieldError{Field: field, Message: msg})
}

// str returns a single-valued parameter.
func (q *query) str(name string) string {
	v := q.values[name]
	if len(v) > 1 {
		q.fail(name, "must be given once")
	}
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// list returns a parameter given several times or comma-separated.
func (q *query) list(name string) []string {
	var out []string
	for _, v := range q.values[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// limit returns the page size; 0 means "not given" (the default applies).
func (q *query) limit() int {
	if _, given := q.values["limit"]; !given {
		return 0
	}
	s := q.str("limit")
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > register.MaxLimit {
		q.fail("limit", "must be a whole number between 1 and "+strconv.Itoa(register.MaxLimit))
		return 0
	}
	return n
}

func (q *query) boolean(name string) bool {
	s := q.str(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.fail(name, "must be true or false")
	}
	return b
}

// optBool returns nil when the parameter is absent, so "not asked" differs from false.
func (q *query) optBool(name string) *bool {
	if q.str(name) == "" {
		return nil
	}
	b := q.boolean(name)
	return &b
}

func (q *query) time(name string) *time.Time {
	s := q.str(name)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		q.fail(name, "must be an RFC 3339 timestamp such as 2026-10-29T09:00:00Z (in a URL, write + as %2B)")
		return nil
	}
	return &t
}
