package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"regexp"
	"strconv"
)

// samplePDF is a small valid PDF, in ASCII: Prism's proxy reads request bodies and
// non-JSON response bodies as UTF-8 text and sends that text on, so a byte that is
// not valid UTF-8 is replaced by U+FFFD both ways (a PNG uploaded through it arrives
// with a broken signature and is refused, 415; one downloaded through it arrives
// with other bytes and another length), with no violation reported.
const samplePDF = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// maxEvidence is the largest evidence file the contract accepts (20 MiB).
const maxEvidence = 20 << 20

// evidenceCSP is the Content-Security-Policy of every evidence download.
const evidenceCSP = "default-src 'none'; sandbox"

// part is one part of a multipart/form-data body: a field, or a file when fileName
// is given (of contentType, application/octet-stream when empty).
type part struct {
	name, fileName, contentType string
	data                        []byte
}

func field(name, value string) part { return part{name: name, data: []byte(value)} }

// multipartBody encodes the parts, in order, and gives the body's Content-Type.
func multipartBody(parts ...part) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		var pw io.Writer
		var err error
		if p.fileName != "" && p.contentType != "" {
			// As CreateFormFile writes it, name first and both quoted: Prism's
			// multipart parser (parse-multipart-data 1.5.0) reads the second
			// parameter as the file name and JSON-parses each value, so an
			// unquoted one (as mime.FormatMediaType writes a token) ends the
			// proxy's process with an uncaught SyntaxError.
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%s; filename=%s`, strconv.Quote(p.name), strconv.Quote(p.fileName)))
			h.Set("Content-Type", p.contentType)
			pw, err = w.CreatePart(h)
		} else if p.fileName != "" {
			pw, err = w.CreateFormFile(p.name, p.fileName)
		} else {
			pw, err = w.CreateFormField(p.name)
		}
		if err == nil {
			_, err = pw.Write(p.data)
		}
		if err != nil {
			panic(err) // writes to a bytes.Buffer do not fail
		}
	}
	_ = w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

// bigUpload is an uploadEvidence body for the question whose file has size bytes (a
// PDF header, then spaces), written to the request as it is sent rather than held in
// memory; it gives the Content-Type and a function making the stream (once per
// attempt, see call.body).
func bigUpload(questionKey string, size int64) (string, func() io.Reader) {
	boundary := multipart.NewWriter(io.Discard).Boundary()
	stream := func() io.Reader {
		r, w := io.Pipe()
		go func() {
			mw := multipart.NewWriter(w)
			_ = mw.SetBoundary(boundary)
			err := mw.WriteField("question_key", questionKey)
			var fw io.Writer
			if err == nil {
				fw, err = mw.CreateFormFile("file", "too-large.pdf")
			}
			if err == nil {
				_, err = io.WriteString(fw, "%PDF-1.4\n")
			}
			chunk := bytes.Repeat([]byte{' '}, 64<<10)
			for left := size - int64(len("%PDF-1.4\n")); err == nil && left > 0; {
				n := min(left, int64(len(chunk)))
				_, err = fw.Write(chunk[:n])
				left -= n
			}
			if err == nil {
				err = mw.Close()
			}
			// The service may answer (413) and close before reading it all; the
			// client then closes r, and this write ends with that error.
			w.CloseWithError(err)
		}()
		return r
	}
	return "multipart/form-data; boundary=" + boundary, stream
}

// evidenceFile is the part of an EvidenceFile the scenario checks.
type evidenceFile struct {
	ID           string `json:"id"`
	AssessmentID string `json:"assessment_id"`
	QuestionKey  string `json:"question_key"`
	FileName     string `json:"file_name"`
	MediaType    string `json:"media_type"`
	SizeBytes    int64  `json:"size_bytes"`
	SHA256       string `json:"sha256"`
}

var portalEvidenceLocation = regexp.MustCompile(`^/portal/api/assessment/evidence/([0-9a-f-]{36})$`)

// uploaded checks uploadEvidence's 201: its Location, and that the file it describes
// is the one sent, typed from its content.
func (s *scenario) uploaded(res answer, questionKey, fileName, mediaType string, data []byte) evidenceFile {
	var f evidenceFile
	if res.status != 201 {
		return f
	}
	if err := res.decode(&f); err != nil {
		s.faults = append(s.faults, fmt.Sprintf("uploadEvidence (%s) → 201 that is not an EvidenceFile: %v", fileName, err))
		return f
	}
	sum := sha256.Sum256(data)
	want := evidenceFile{ID: f.ID, AssessmentID: f.AssessmentID, QuestionKey: questionKey, FileName: fileName,
		MediaType: mediaType, SizeBytes: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	if f != want {
		s.faults = append(s.faults, fmt.Sprintf("uploadEvidence (%s) → %+v, want %+v", fileName, f, want))
	}
	if m := portalEvidenceLocation.FindStringSubmatch(res.header.Get("Location")); m == nil || m[1] != f.ID {
		s.faults = append(s.faults, fmt.Sprintf("uploadEvidence (%s) → Location %q, want /portal/api/assessment/evidence/%s",
			fileName, res.header.Get("Location"), f.ID))
	}
	return f
}

// downloaded checks an evidence download's 200: the bytes uploaded, with the type
// decided from them, as an attachment of their name that no browser runs.
func (s *scenario) downloaded(label string, res answer, f evidenceFile, data []byte) {
	if res.status != 200 {
		return
	}
	var wrong []string
	if !bytes.Equal(res.body, data) {
		wrong = append(wrong, fmt.Sprintf("%d bytes that are not the %d uploaded: %q", len(res.body), len(data), truncate(res.body)))
	}
	if mt, _, err := mime.ParseMediaType(res.header.Get("Content-Type")); err != nil || mt != f.MediaType {
		wrong = append(wrong, fmt.Sprintf("Content-Type %q, want %s", res.header.Get("Content-Type"), f.MediaType))
	}
	if d, params, err := mime.ParseMediaType(res.header.Get("Content-Disposition")); err != nil || d != "attachment" || params["filename"] != f.FileName {
		wrong = append(wrong, fmt.Sprintf("Content-Disposition %q, want an attachment named %s", res.header.Get("Content-Disposition"), f.FileName))
	}
	if got := res.header.Get("X-Content-Type-Options"); got != "nosniff" {
		wrong = append(wrong, fmt.Sprintf("X-Content-Type-Options %q, want nosniff", got))
	}
	if got := res.header.Get("Content-Security-Policy"); got != evidenceCSP {
		wrong = append(wrong, fmt.Sprintf("Content-Security-Policy %q, want %q", got, evidenceCSP))
	}
	for _, w := range wrong {
		s.faults = append(s.faults, label+" → 200 with "+w)
	}
}

var removeButton = regexp.MustCompile(`formaction="/portal/assessment\?remove=([0-9a-f-]{36})"`)

// formFiles are the ids of the files a portal form page lists (their Remove buttons).
func formFiles(page answer) []string {
	var ids []string
	for _, m := range removeButton.FindAllStringSubmatch(string(page.body), -1) {
		ids = append(ids, m[1])
	}
	return ids
}
