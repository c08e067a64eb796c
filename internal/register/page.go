package register

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Page is one page of a list and the cursor of the next (empty on the last page).
type Page[T any] struct {
	Items      []T
	NextCursor string
}

// Paging limits shared by every list.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// cursor is the opaque position a client sends back for the next page. It names
// the list and sort it belongs to, so a cursor cannot be replayed against another.
type cursor struct {
	Kind  string `json:"k"`
	Value string `json:"v"`
	ID    string `json:"i,omitempty"`
}

// maxCursorLen bounds a cursor; one holding a 200-character name of four-byte
// characters, in a descending order (each byte written as two hex digits), fits.
const maxCursorLen = 4096

func encodeCursor(c cursor) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(c)
	return base64.RawURLEncoding.EncodeToString(bytes.TrimSpace(buf.Bytes()))
}

func decodeCursor(s, kind string) (cursor, error) {
	var c cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > maxCursorLen || json.Unmarshal(raw, &c) != nil || c.Kind != kind ||
		!utf8.ValidString(c.Value) || !utf8.ValidString(c.ID) || strings.ContainsRune(c.ID, 0) {
		return cursor{}, invalidCursor()
	}
	return c, nil
}

// sqlCursorValue is a cursor's value as a keyset query compares it: PostgreSQL text
// holds no NUL, so the separator NUL of positions issued before the risk orders were
// stored becomes the \x01 they are stored with (a cursor of those pages on from the
// same place), and no client text can make the statement fail.
func sqlCursorValue(v string) string { return storedKey(v) }

func invalidCursor() error {
	return Invalid(FieldError{Field: "cursor", Message: "is not a cursor this list issued (start again without it, with the same sort)"})
}

// checkLimit applies the default and rejects out-of-range page sizes.
func checkLimit(limit int) (int, error) {
	switch {
	case limit == 0:
		return DefaultLimit, nil
	case limit < 0 || limit > MaxLimit:
		return 0, Invalid(FieldError{Field: "limit", Message: "must be between 1 and " + strconv.Itoa(MaxLimit)})
	}
	return limit, nil
}

// pageOf turns up to limit+1 rows into a page: the extra row only says that a next
// page exists, and the cursor points after the last row kept.
func pageOf[R, T any](rows []R, limit int, conv func(R) T, next func(last R) cursor) Page[T] {
	var p Page[T]
	if len(rows) > limit {
		rows = rows[:limit]
		p.NextCursor = encodeCursor(next(rows[len(rows)-1]))
	}
	p.Items = make([]T, len(rows))
	for i, r := range rows {
		p.Items[i] = conv(r)
	}
	return p
}

func itoa(i int) string { return strconv.Itoa(i) }

// PageSlice pages a list computed in memory (small lists such as the catalogue, or
// answers assembled from a fixed number of queries), for this package and the ones
// layered on it. kind names the list, so a cursor of one list is refused by another. pos gives each item's place
// in the list's order as text that sorts the same way; the cursor carries the
// last position seen, so items added meanwhile never make a page repeat or skip.
func PageSlice[T any](items []T, kind, cur string, limit int, pos func(T) string) (Page[T], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[T]{}, err
	}
	after := ""
	if cur != "" {
		c, err := decodeCursor(cur, kind)
		if err != nil {
			return Page[T]{}, err
		}
		after = c.Value
	}
	start := sort.Search(len(items), func(i int) bool { return pos(items[i]) > after })
	rest := items[start:]
	var p Page[T]
	if len(rest) > limit {
		rest = rest[:limit]
		p.NextCursor = encodeCursor(cursor{Kind: kind, Value: pos(rest[len(rest)-1])})
	}
	p.Items = append(make([]T, 0, len(rest)), rest...)
	return p, nil
}

// newestFirst gives the position of an item in a newest-first list: the time is
// inverted so that the position text still sorts ascending, and the id breaks ties.
func newestFirst[T any](key func(T) (time.Time, string)) func(T) string {
	return func(v T) string {
		t, id := key(v)
		return fmt.Sprintf("%020d%s", math.MaxInt64-t.UnixNano(), id)
	}
}

// updatedSinceKind ties a cursor to a list's updated_since filter, so that a cursor
// of the list filtered from one moment never pages the list filtered from another.
func updatedSinceKind(t *time.Time) string {
	if t == nil {
		return ""
	}
	return ":since:" + t.UTC().Format(time.RFC3339Nano)
}

// changedSince keeps the items updated at or after since (all when since is nil),
// in their order: the updated_since filter of lists paged in memory.
func changedSince[T any](items []T, since *time.Time, updated func(T) time.Time) []T {
	if since == nil {
		return items
	}
	return slices.DeleteFunc(items, func(it T) bool { return updated(it).Before(*since) })
}

// ChangedSince is changedSince for the packages layered on the register.
func ChangedSince[T any](items []T, since *time.Time, updated func(T) time.Time) []T {
	return changedSince(items, since, updated)
}

// UpdatedSinceKind is updatedSinceKind for the packages layered on the register.
func UpdatedSinceKind(t *time.Time) string { return updatedSinceKind(t) }
