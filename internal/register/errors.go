// Package register holds the domain: suppliers, API keys, the audit trail and the
// use cases over them. Each exported use case is one transaction; every mutation
// appends its audit event inside that transaction. It knows nothing of HTTP or gorm.
package register

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/weaklink/weaklink/internal/store"
)

// Code classifies a domain error; the HTTP edge maps each code to one status.
type Code string

// Error codes.
const (
	CodeInvalid            Code = "invalid"             // the input breaks a rule; Fields says which
	CodeNotFound           Code = "not_found"           // no such resource
	CodeConflict           Code = "conflict"            // duplicate or a state that forbids the change
	CodePreconditionFailed Code = "precondition_failed" // If-Match names a version that is no longer current
	CodeUnauthenticated    Code = "unauthenticated"     // no usable credentials
	CodeForbidden          Code = "forbidden"           // authenticated but not allowed
	CodeUnavailable        Code = "unavailable"         // the database cannot be reached now; retry later
	CodeTooLarge           Code = "too_large"           // a file, or all of an assessment's files, over the limit
	CodeUnsupportedType    Code = "unsupported_type"    // a file whose content is none of the accepted types
)

// FieldError names one invalid field (JSON name or query parameter) and why. Errors
// in an imported spreadsheet also carry the row number and column name.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
}

// Error is the one domain error type. Message is safe to show to a client.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf builds a domain error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid builds a validation error from field errors.
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: CodeInvalid, Message: "The request is not valid.", Fields: fields}
}

// errUnavailable is what a client is told while the database cannot be reached.
var errUnavailable = &Error{Code: CodeUnavailable,
	Message: "The database cannot be reached at the moment; retry after the number of seconds in Retry-After."}

// AsError returns the domain error err is or wraps. An error that wraps
// store.ErrUnavailable (a database that refuses or drops connections, or a pool
// with no connection free in time), from any use case of the register or of the
// packages layered on it, is a CodeUnavailable error. ok is false for anything
// else: an unexpected error.
func AsError(err error) (e *Error, ok bool) {
	if errors.As(err, &e) {
		return e, true
	}
	if errors.Is(err, store.ErrUnavailable) {
		return errUnavailable, true
	}
	return nil, false
}

// ErrorCode returns the code of a domain error (see AsError), or "" for anything else.
func ErrorCode(err error) Code {
	if e, ok := AsError(err); ok {
		return e.Code
	}
	return ""
}

// fieldErrors collects validation failures in order.
type fieldErrors []FieldError

func (fe *fieldErrors) add(field, format string, args ...any) {
	*fe = append(*fe, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// allowed checks each of a filter's values against its allowlist and adds one
// error per value that is not on it ("must be one of …", listing the allowlist).
func (fe *fieldErrors) allowed(field string, values, allowlist []string) {
	for _, v := range values {
		if !oneOf(v, allowlist) {
			fe.add(field, "must be one of %s", strings.Join(allowlist, ", "))
		}
	}
}

func (fe fieldErrors) err() error {
	if len(fe) == 0 {
		return nil
	}
	return Invalid(fe...)
}

// sortFieldErrors orders errors by field so that answers are deterministic when
// they were collected from a map.
func sortFieldErrors(fe fieldErrors) {
	sort.SliceStable(fe, func(i, j int) bool { return fe[i].Field < fe[j].Field })
}
