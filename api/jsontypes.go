package api

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// The JSON shape of the request types: which members a Go type has, how a JSON
// Pointer reads in the contract's path form, and how a type is named to a client.

// jsonPath writes a JSON Pointer (RFC 6901), such as /certifications/0/Scheme, in the
// contract's form, certifications[0].Scheme, using the destination type t to tell an
// array index from a member name; "body" for the whole document.
func jsonPath(p jsontext.Pointer, t reflect.Type) string {
	path := ""
	for tok := range p.Tokens() {
		d := deref(t)
		if d != nil && (d.Kind() == reflect.Slice || d.Kind() == reflect.Array) {
			path, t = path+"["+tok+"]", d.Elem()
			continue
		}
		if _, err := strconv.ParseUint(tok, 10, 64); err == nil && d == nil && path != "" {
			path += "[" + tok + "]" // inside an unknown member: digits are far likelier an index
			continue
		}
		path = memberPath(path, tok)
		t, _ = memberType(t, tok)
	}
	if path == "" {
		return "body"
	}
	return path
}

func memberPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

var timeType = reflect.TypeFor[time.Time]()

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// nullable reports whether null is a value of t: pointers, slices and maps (and
// unknown destinations, which are reported otherwise).
func nullable(t reflect.Type) bool {
	if t == nil {
		return true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return true
	}
	return false
}

// memberType is the type of member name of a value of type t; known is false when
// t is a struct without that member (names match exactly, case included). Other
// types accept any name: a map's keys are data, and a type mismatch is the decoder's
// to report.
func memberType(t reflect.Type, name string) (ft reflect.Type, known bool) {
	t = deref(t)
	switch {
	case t == nil || t == timeType:
		return nil, true
	case t.Kind() == reflect.Map:
		return t.Elem(), true
	case t.Kind() == reflect.Struct:
		ft, known = structFields(t)[name]
		return ft, known
	}
	return nil, true
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// structFields maps the JSON names of a struct's fields, embedded structs' included,
// to their types (nil for anything that is not a struct).
func structFields(t reflect.Type) map[string]reflect.Type {
	if t == nil || t.Kind() != reflect.Struct || t == timeType {
		return nil
	}
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous && name == "" && deref(f.Type).Kind() == reflect.Struct:
			for k, v := range structFields(deref(f.Type)) {
				out[k] = v
			}
		case name == "-" || !f.IsExported():
		case name == "":
			out[f.Name] = f.Type
		default:
			out[name] = f.Type
		}
	}
	fieldCache.Store(t, out)
	return out
}

// jsonKind names what a value of Go type t looks like in JSON.
func jsonKind(t reflect.Type) string {
	t = deref(t)
	if t == nil {
		return "of another type"
	}
	if t == timeType {
		return "an RFC 3339 timestamp"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8,
		reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "of another type"
}
