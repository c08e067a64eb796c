package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// MaxJSONBody is the largest JSON request body accepted (PRODUCT: 1 MiB).
const MaxJSONBody = 1 << 20

// readOnlyFields may appear in responses but never in a request body.
var readOnlyFields = map[string]bool{
	"id": true, "version": true, "created_at": true, "updated_at": true, "archived_at": true,
	"last_used_at": true, "revoked_at": true, "prefix": true, "secret": true, "created_by": true,
	"archived": true, "state": true, "risk": true,
}

// readBody reads a JSON body of an accepted media type, answering 415 or 413 itself.
func readBody(c *gin.Context, mediaTypes ...string) ([]byte, bool) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	ok := err == nil
	if ok {
		ok = false
		for _, m := range mediaTypes {
			ok = ok || mt == m
		}
	}
	if !ok {
		writeProblem(c, http.StatusUnsupportedMediaType, "Send the body as "+strings.Join(mediaTypes, " or ")+".")
		return nil, false
	}
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProblem(c, http.StatusRequestEntityTooLarge, fmt.Sprintf("JSON bodies are limited to %d bytes.", MaxJSONBody))
			return nil, false
		}
		writeProblem(c, http.StatusBadRequest, "The request body could not be read.")
		return nil, false
	}
	// PostgreSQL text cannot hold NUL, and no field of the register needs it: refuse it
	// here, once, rather than let it fail deep in a query.
	if bytes.Contains(bytes.ToLower(raw), []byte(`\u0000`)) || bytes.IndexByte(raw, 0) >= 0 {
		invalid(c, register.FieldError{Field: "body", Message: "must not contain NUL characters (\\u0000)"})
		return nil, false
	}
	return raw, true
}

// bindJSON reads a JSON object body into dst, answering 413, 415 or 400 itself.
func bindJSON(c *gin.Context, dst any) bool {
	raw, ok := readBody(c, "application/json")
	if !ok {
		return false
	}
	if fe := decodeObject(raw, dst); fe != nil {
		invalid(c, fe...)
		return false
	}
	return true
}

// decodeObject checks that raw is a JSON object whose keys are all writable fields
// of dst, then decodes it into dst. Every problem becomes a field-level error.
func decodeObject(raw []byte, dst any) []register.FieldError {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return []register.FieldError{{Field: "body", Message: "must be a JSON object" + syntaxHint(raw, err)}}
	}
	if fe := checkKeys(obj, reflect.TypeOf(dst).Elem()); len(fe) > 0 {
		return fe
	}
	if fe := checkTimes(obj, reflect.TypeOf(dst).Elem()); len(fe) > 0 {
		return fe
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return []register.FieldError{decodeError(err)}
	}
	return nil
}

// checkKeys reports read-only and unknown top-level keys, in a stable order.
func checkKeys(obj map[string]json.RawMessage, t reflect.Type) []register.FieldError {
	allowed := jsonFields(t)
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var fe []register.FieldError
	for _, k := range keys {
		switch {
		case allowed[k]:
		case readOnlyFields[k]:
			fe = append(fe, register.FieldError{Field: k, Message: "is read-only and cannot be set"})
		default:
			fe = append(fe, register.FieldError{Field: k, Message: "is not a known field"})
		}
	}
	return fe
}

var timeType = reflect.TypeOf(time.Time{})

// checkTimes gives timestamp fields a clear error: the JSON decoder's own message
// for a bad time names neither the field nor the expected format.
func checkTimes(obj map[string]json.RawMessage, t reflect.Type) []register.FieldError {
	var fe []register.FieldError
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft != timeType {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		raw, ok := obj[name]
		if !ok || string(raw) == "null" {
			continue
		}
		var v time.Time
		if json.Unmarshal(raw, &v) != nil {
			fe = append(fe, register.FieldError{Field: name, Message: "must be an RFC 3339 timestamp such as 2026-10-29T09:00:00Z"})
		}
	}
	return fe
}

func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			for k := range jsonFields(f.Type) {
				out[k] = true
			}
			continue
		}
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

// decodeError turns a decoding failure into a field error without leaking Go types.
func decodeError(err error) register.FieldError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "body"
		}
		return register.FieldError{Field: field, Message: "must be " + jsonKind(te.Type)}
	}
	if strings.HasPrefix(err.Error(), "json: unknown field ") {
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return register.FieldError{Field: name, Message: "is not a known field"}
	}
	var pe *parseError
	if errors.As(err, &pe) {
		return register.FieldError{Field: pe.field, Message: pe.msg}
	}
	return register.FieldError{Field: "body", Message: "is not valid JSON"}
}

// parseError is returned by custom UnmarshalJSON methods to name the failing field.
type parseError struct{ field, msg string }

func (e *parseError) Error() string { return e.field + ": " + e.msg }

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		if t.Name() == "Time" {
			return "an RFC 3339 timestamp"
		}
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "an array"
	case reflect.Struct:
		if t.Name() == "Time" {
			return "an RFC 3339 timestamp"
		}
		return "an object"
	}
	return "of another type"
}

func syntaxHint(raw []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf(" (syntax error at byte %d)", se.Offset)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return " (the body is empty)"
	}
	return ""
}

// mergePatch applies an RFC 7396 JSON merge patch to a document.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

// applyMergePatch patches the JSON form of current with raw and decodes the result
// into dst, so a patch is validated by exactly the rules of a create.
func applyMergePatch(current any, raw []byte, dst any) []register.FieldError {
	var patch map[string]any
	if err := json.Unmarshal(raw, &patch); err != nil || patch == nil {
		return []register.FieldError{{Field: "body", Message: "must be a JSON merge patch object" + syntaxHint(raw, err)}}
	}
	var obj map[string]json.RawMessage
	_ = json.Unmarshal(raw, &obj)
	if fe := checkKeys(obj, reflect.TypeOf(dst).Elem()); len(fe) > 0 {
		return fe
	}
	if fe := checkTimes(obj, reflect.TypeOf(dst).Elem()); len(fe) > 0 {
		return fe
	}
	curRaw, _ := json.Marshal(current)
	var doc any
	_ = json.Unmarshal(curRaw, &doc)
	merged, _ := json.Marshal(mergePatch(doc, patch))
	dec := json.NewDecoder(bytes.NewReader(merged))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return []register.FieldError{decodeError(err)}
	}
	return nil
}
