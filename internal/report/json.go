package report

import (
	"bytes"
	"encoding/json"
)

// renderJSON is the snapshot itself: indented, with <, > and & left as they are
// (the file is data, never embedded in a page), and a final newline.
func renderJSON(s Snapshot) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
