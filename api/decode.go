package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

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
// What the body holds is checked when it is decoded (decodeObject, applyMergePatch).
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

// decodeObject decodes raw, which must be one JSON object, into dst (a pointer to a
// wire struct), strictly: see checkBody for what is refused and strictJSON for the
// decoder's options. Every problem becomes a field error whose field is the JSON
// path the client sent (certifications[0].Scheme), or "body".
func decodeObject(raw []byte, dst any) []register.FieldError {
	if fe := checkBody(raw, reflect.TypeOf(dst), false); fe != nil {
		return fe
	}
	return decodeStrict(raw, dst)
}

// applyMergePatch applies raw, a JSON merge patch (RFC 7396), to the wire form of
// current and decodes the result into dst, so a patch is read as strictly as a create
// body and validated by exactly the rules of a create. Numbers and text are merged
// as the client wrote them, never through a float64.
func applyMergePatch(current any, raw []byte, dst any) []register.FieldError {
	if fe := checkBody(raw, reflect.TypeOf(dst), true); fe != nil {
		return fe
	}
	cur, err := json.Marshal(current, json.Deterministic(true))
	if err != nil {
		return []register.FieldError{{Field: "body", Message: "could not be applied"}}
	}
	merged, err := mergePatch(cur, raw)
	if err != nil {
		return []register.FieldError{{Field: "body", Message: "could not be applied"}}
	}
	return decodeStrict(merged, dst)
}

// mergePatch is RFC 7396 §2 MergePatch on JSON texts: an object patch merges member
// by member (null removes), anything else replaces the target.
func mergePatch(target, patch jsontext.Value) (jsontext.Value, error) {
	if patch.Kind() != '{' {
		return patch, nil
	}
	doc := map[string]jsontext.Value{}
	if target.Kind() == '{' {
		if err := json.Unmarshal(target, &doc); err != nil {
			return nil, fmt.Errorf("merge patch target: %w", err)
		}
	}
	var members map[string]jsontext.Value
	if err := json.Unmarshal(patch, &members, strictJSON); err != nil {
		return nil, fmt.Errorf("merge patch: %w", err)
	}
	for name, v := range members {
		if v.Kind() == 'n' {
			delete(doc, name)
			continue
		}
		merged, err := mergePatch(doc[name], v)
		if err != nil {
			return nil, err
		}
		doc[name] = merged
	}
	return json.Marshal(doc, json.Deterministic(true))
}
