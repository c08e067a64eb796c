package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/weaklink/weaklink/internal/register"
)

// strictJSON are the options of every request body's decoding, spelled out although
// most are the defaults of github.com/go-json-experiment/json: an unknown member, a
// member name given twice in one object (RFC 8259 §4 leaves that to the parser; RFC
// 7493 forbids it), invalid UTF-8 (RFC 8259 §8.1) and a name that matches a field only
// when case is ignored are all errors.
var strictJSON = json.JoinOptions(
	json.RejectUnknownMembers(true),
	json.MatchCaseInsensitiveNames(false),
	jsontext.AllowDuplicateNames(false),
	jsontext.AllowInvalidUTF8(false),
)

const nulMessage = "must not contain NUL characters (U+0000)"

// checker reads a body token by token against the Go type it is meant for, and
// collects every problem a client should fix at once: unknown and read-only member
// names at any depth, null where the field takes none, and real NUL characters in
// names and text. Field paths are the client's own names, as in
// certifications[0].Scheme. A problem of syntax (a duplicate name, invalid UTF-8, a
// malformed document) stops it and is returned as an error.
type checker struct {
	dec  *jsontext.Decoder
	errs []register.FieldError
}

// checkBody checks raw, a body meant for a value of type t (a pointer type is fine).
// patch says raw is an RFC 7396 merge patch, in which null as a member's value (outside
// arrays, which a patch replaces whole) removes that member.
func checkBody(raw []byte, t reflect.Type, patch bool) []register.FieldError {
	what := "a JSON object"
	if patch {
		what = "a JSON merge patch object"
	}
	c := &checker{dec: jsontext.NewDecoder(bytes.NewReader(raw), strictJSON)}
	switch c.dec.PeekKind() {
	case '{':
	case 0: // an empty body or a syntax error: ReadToken says which
		_, err := c.dec.ReadToken()
		return []register.FieldError{syntaxError(err, raw, t, what)}
	default:
		return []register.FieldError{{Field: "body", Message: "must be " + what}}
	}
	if err := c.value(t, "", patch); err != nil {
		return []register.FieldError{syntaxError(err, raw, t, what)}
	}
	end := c.dec.InputOffset()
	if _, err := c.dec.ReadToken(); err != io.EOF {
		return []register.FieldError{{Field: "body", Message: fmt.Sprintf("must hold one JSON value; more data follows byte %d", end)}}
	}
	return c.errs
}

func (c *checker) add(field, msg string) {
	c.errs = append(c.errs, register.FieldError{Field: field, Message: msg})
}

// value reads one value whose destination has type t (nil when unknown).
func (c *checker) value(t reflect.Type, path string, patchMember bool) error {
	switch c.dec.PeekKind() {
	case '{':
		return c.object(t, path, patchMember)
	case '[':
		return c.array(t, path)
	}
	tok, err := c.dec.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 'n':
		if !patchMember && !nullable(t) {
			c.add(path, "must be "+jsonKind(t)+", not null")
		}
	case '"':
		if strings.IndexByte(tok.String(), 0) >= 0 {
			c.add(path, nulMessage)
		}
	}
	return nil
}

func (c *checker) object(t reflect.Type, path string, patchMember bool) error {
	if _, err := c.dec.ReadToken(); err != nil {
		return err
	}
	for c.dec.PeekKind() != '}' {
		tok, err := c.dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String()
		p := memberPath(path, name)
		ft, known := memberType(t, name)
		if !known {
			c.unknown(t, path, p, name)
			if err := c.dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		if strings.IndexByte(name, 0) >= 0 { // a map key
			c.add(p, nulMessage)
		}
		if err := c.value(ft, p, patchMember); err != nil {
			return err
		}
	}
	_, err := c.dec.ReadToken()
	return err
}

func (c *checker) array(t reflect.Type, path string) error {
	if _, err := c.dec.ReadToken(); err != nil {
		return err
	}
	var et reflect.Type
	if d := deref(t); d != nil && (d.Kind() == reflect.Slice || d.Kind() == reflect.Array) {
		et = d.Elem()
	}
	for i := 0; c.dec.PeekKind() != ']'; i++ {
		if err := c.value(et, path+"["+strconv.Itoa(i)+"]", false); err != nil {
			return err
		}
	}
	_, err := c.dec.ReadToken()
	return err
}

// unknown reports a member name the destination does not have.
func (c *checker) unknown(t reflect.Type, objPath, path, name string) {
	if objPath == "" && readOnlyFields[name] {
		c.add(path, "is read-only and cannot be set")
		return
	}
	for known := range structFields(deref(t)) {
		if strings.EqualFold(known, name) {
			c.add(path, fmt.Sprintf("is not a known field (names are case-sensitive: %s)", memberPath(objPath, known)))
			return
		}
	}
	c.add(path, "is not a known field")
}

// decodeStrict decodes raw, already checked, into dst with the strict options.
func decodeStrict(raw []byte, dst any) []register.FieldError {
	if err := json.Unmarshal(raw, dst, strictJSON); err != nil {
		return []register.FieldError{decodeError(err, raw, reflect.TypeOf(dst))}
	}
	return nil
}

// decodeError turns a decoding failure into a field error that names the member as
// the client sent it and never a Go type.
func decodeError(err error, raw []byte, t reflect.Type) register.FieldError {
	var se *json.SemanticError
	if !errors.As(err, &se) {
		return syntaxError(err, raw, t, "a JSON object")
	}
	field := jsonPath(se.JSONPointer, t)
	gt := deref(se.GoType)
	switch {
	case errors.Is(se.Err, json.ErrUnknownName):
		return register.FieldError{Field: field, Message: "is not a known field"}
	case gt == timeType:
		return register.FieldError{Field: field, Message: "must be an RFC 3339 timestamp such as 2026-10-29T09:00:00Z"}
	case errors.Is(se.Err, strconv.ErrRange) && gt != nil && gt.Kind() >= reflect.Int && gt.Kind() <= reflect.Int64:
		lim := int64(1)<<(gt.Bits()-1) - 1
		return register.FieldError{Field: field, Message: fmt.Sprintf("must be a whole number from %d to %d", -lim-1, lim)}
	case errors.Is(se.Err, strconv.ErrRange):
		return register.FieldError{Field: field, Message: fmt.Sprintf("must be a number no larger in size than %g", math.MaxFloat64)}
	}
	return register.FieldError{Field: field, Message: "must be " + jsonKind(gt)}
}

// syntaxError describes a document the decoder could not read: a repeated member
// name and invalid text name their member; anything else is the body's.
func syntaxError(err error, raw []byte, t reflect.Type, what string) register.FieldError {
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		msg := se.Err.Error()
		switch {
		case errors.Is(se.Err, jsontext.ErrDuplicateName):
			return register.FieldError{Field: jsonPath(se.JSONPointer, t), Message: "appears more than once in its object; give each name once"}
		case strings.Contains(msg, "UTF-8") || strings.Contains(msg, "surrogate"):
			return register.FieldError{Field: jsonPath(se.JSONPointer, t), Message: "must be valid UTF-8 text"}
		}
		return register.FieldError{Field: "body", Message: fmt.Sprintf("must be %s (syntax error at byte %d)", what, se.ByteOffset)}
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return register.FieldError{Field: "body", Message: "must be " + what + " (the body is empty)"}
	}
	return register.FieldError{Field: "body", Message: "must be " + what}
}
