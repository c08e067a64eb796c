package register

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/store"
)

// ResourceEvidence is the audit resource type of evidence files.
const ResourceEvidence = "evidence_file"

// Evidence limits: a file, all the files of one assessment, the files of one
// question, and the chunks files are stored in (so that a file is written and read
// a chunk at a time, whatever its size).
const (
	MaxEvidenceFile          = 20 << 20
	MaxEvidencePerAssessment = 200 << 20
	MaxEvidencePerQuestion   = 20
	EvidenceChunkSize        = 1 << 20
)

// Evidence media types: decided from the content, never from the name or the
// declared type.
const (
	MediaPDF  = "application/pdf"
	MediaPNG  = "image/png"
	MediaJPEG = "image/jpeg"
	MediaText = "text/plain"
	MediaCSV  = "text/csv"
	MediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MediaDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// EvidenceFile is a file attached to a question of an assessment.
type EvidenceFile struct {
	ID, AssessmentID, QuestionKey string
	FileName                      string // as uploaded, without any directory
	MediaType                     string // one of the Media… types
	Size                          int64  // bytes
	SHA256                        string // hex
	UploadedBy                    string // API key id; "" when uploaded through an invitation link
	UploadedByInvitation          string
	UploadedByName                string
	CreatedAt                     time.Time
}

// UploadEvidence stores a file for a question of a draft assessment, reading body a
// chunk at a time: at most EvidenceChunkSize bytes of it are in memory at once. The
// type is decided from the content (PDF, PNG, JPEG, XLSX and DOCX by their
// signatures, the last two told apart by the main part their [Content_Types].xml
// names; otherwise valid UTF-8 without NUL is text/plain, or text/csv for a name
// ending in .csv); anything else is CodeUnsupportedType. Over MaxEvidenceFile, or
// over MaxEvidencePerAssessment with the assessment's other files, is CodeTooLarge;
// an empty file, an unknown question or a bad name is CodeInvalid; an assessment
// that is not a draft, or a link that no longer accepts answers, is CodeConflict.
// A file uploaded with the name of one already on the question replaces it. The
// upload is audited with its digest, in the transaction that makes it visible; a
// failed upload leaves nothing behind.
func (s *Service) UploadEvidence(ctx context.Context, a Actor, assessmentID, questionKey, fileName string, body io.Reader) (EvidenceFile, error) {
	if !ValidID(assessmentID) {
		return EvidenceFile{}, assessmentNotFound()
	}
	name, err := evidenceName(fileName)
	if err != nil {
		return EvidenceFile{}, err
	}
	// The room left for the assessment's files, known before anything is written, so
	// that a file that cannot fit is refused as soon as it passes the room rather
	// than after it was stored (the last transaction checks again).
	var room int64
	err = s.st.Read(ctx, func(tx *store.Tx) error {
		if _, err := s.evidenceTarget(tx, a, assessmentID, questionKey); err != nil {
			return err
		}
		others, err := tx.EvidenceFilesOf(assessmentID)
		total, _, _ := evidenceUse(others, questionKey, name)
		room = MaxEvidencePerAssessment - total
		return err
	})
	if err != nil {
		return EvidenceFile{}, err
	}
	if room <= 0 {
		return EvidenceFile{}, Errorf(CodeTooLarge, "The assessment's files already come to the limit of %s; remove a file first.",
			mib(MaxEvidencePerAssessment))
	}
	uploader := a.Name
	f := EvidenceFile{ID: s.newID(), AssessmentID: assessmentID, QuestionKey: questionKey, FileName: name,
		UploadedBy: a.KeyID, UploadedByInvitation: a.InvitationID, UploadedByName: uploader, CreatedAt: s.now()}
	row := store.EvidenceFileRow{ID: f.ID, AssessmentID: assessmentID, QuestionKey: questionKey, FileName: name,
		MediaType: "", UploadedByName: uploader, CreatedAt: f.CreatedAt}
	if a.KeyID != "" {
		row.UploadedBy = &a.KeyID
	}
	if a.InvitationID != "" {
		row.UploadedByInvitation = &a.InvitationID
	}
	if err := s.st.Write(ctx, func(tx *store.Tx) error { return tx.InsertEvidenceFile(row) }); err != nil {
		return EvidenceFile{}, err
	}
	done := false
	defer func() {
		if !done { // nothing of a failed upload stays; a crash leaves it to PurgeStaleEvidence
			_ = s.st.Write(context.WithoutCancel(ctx), func(tx *store.Tx) error { return tx.DeleteEvidenceFile(f.ID) })
		}
	}()

	sniff, err := s.receiveChunks(ctx, f.ID, body, room)
	if err != nil {
		return EvidenceFile{}, err
	}
	f.Size, f.SHA256 = sniff.size, hex.EncodeToString(sniff.hash.Sum(nil))
	if f.MediaType, err = s.evidenceType(ctx, f.ID, name, sniff); err != nil {
		return EvidenceFile{}, err
	}
	err = s.write(ctx, func(tx *store.Tx) error {
		q, err := s.evidenceTarget(tx, a, assessmentID, questionKey)
		if err != nil {
			return err
		}
		others, err := tx.EvidenceFilesOf(assessmentID)
		if err != nil {
			return err
		}
		total, onQuestion, replaced := evidenceUse(others, q.Key, name)
		if total+f.Size > MaxEvidencePerAssessment {
			return Errorf(CodeTooLarge, "The assessment's files would come to %s, over the limit of %s; remove a file first.",
				mib(total+f.Size), mib(MaxEvidencePerAssessment))
		}
		if onQuestion >= MaxEvidencePerQuestion {
			return Errorf(CodeConflict, "The question already has %d files, the most it may have; remove one first.", onQuestion)
		}
		now := s.now()
		changes := map[string]Change{"assessment_id": {After: assessmentID}, "question_key": {After: q.Key},
			"file_name": {After: name}, "media_type": {After: f.MediaType}, "size_bytes": {After: f.Size}, "sha256": {After: f.SHA256}}
		if replaced != nil {
			if err := tx.DeleteEvidenceFile(replaced.ID); err != nil {
				return err
			}
			changes["replaces"] = Change{Before: replaced.ID + " (sha256 " + replaced.SHA256 + ")"}
		}
		if err := tx.CompleteEvidenceFile(f.ID, f.MediaType, f.SHA256, f.Size); err != nil {
			return err
		}
		return s.record(tx, a, ActionCreate, ResourceEvidence, f.ID, changes, now)
	})
	if err != nil {
		return EvidenceFile{}, err
	}
	done = true
	return f, nil
}

// evidenceUse is what an assessment's files (others) leave for a new one named name
// on the question: the bytes and the question's files that stay, and the file the
// new one replaces (nil if none).
func evidenceUse(others []store.EvidenceFileRow, question, name string) (total int64, onQuestion int, replaced *store.EvidenceFileRow) {
	for i, o := range others {
		if o.QuestionKey == question && o.FileName == name {
			replaced = &others[i]
			continue
		}
		total += o.SizeBytes
		if o.QuestionKey == question {
			onQuestion++
		}
	}
	return total, onQuestion, replaced
}

// sniffed is what is learnt of a file while it is received.
type sniffed struct {
	head     []byte // the first bytes, for the signatures
	size     int64
	hash     interface{ Sum([]byte) []byte }
	textLike bool // valid UTF-8 without NUL so far
}

// receiveChunks writes body to the file's chunks, one short transaction per chunk,
// hashing it and checking whether it is text as it goes.
func (s *Service) receiveChunks(ctx context.Context, fileID string, body io.Reader, room int64) (sniffed, error) {
	h := sha256.New()
	out := sniffed{hash: h}
	text := textCheck{ok: true}
	buf := make([]byte, EvidenceChunkSize)
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(body, buf)
		if n > 0 {
			out.size += int64(n)
			if out.size > MaxEvidenceFile {
				return out, Errorf(CodeTooLarge, "Evidence files are limited to 20 MiB each.")
			}
			if out.size > room {
				return out, Errorf(CodeTooLarge, "The assessment's files would come to more than %s; remove a file first.",
					mib(MaxEvidencePerAssessment))
			}
			chunk := buf[:n]
			h.Write(chunk)
			if seq == 0 {
				out.head = bytes.Clone(chunk[:min(n, 512)])
			}
			text.feed(chunk)
			// The chunk is written before buf is read into again.
			if werr := s.st.Write(ctx, func(tx *store.Tx) error { return tx.InsertEvidenceChunk(fileID, seq, chunk) }); werr != nil {
				return out, werr
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return out, Errorf(CodeTooLarge, "Evidence files are limited to 20 MiB each.")
			}
			return out, fmt.Errorf("receive evidence: %w", err)
		}
	}
	out.textLike = text.done()
	if out.size == 0 {
		return out, Invalid(FieldError{Field: "file", Message: "is empty"})
	}
	return out, nil
}

// textCheck follows whether a file received in chunks is valid UTF-8 without NUL,
// keeping only the few bytes of a character split between two chunks.
type textCheck struct {
	ok    bool
	carry []byte // the start of a character the next chunk completes (at most 3 bytes)
}

func (t *textCheck) feed(b []byte) {
	if !t.ok {
		return
	}
	if bytes.IndexByte(b, 0) >= 0 {
		t.ok = false
		return
	}
	if len(t.carry) > 0 {
		joined := append(bytes.Clone(t.carry), b[:min(len(b), utf8.UTFMax)]...)
		if !utf8.FullRune(joined) {
			t.carry = joined // still incomplete: b was shorter than the character
			return
		}
		r, size := utf8.DecodeRune(joined)
		if r == utf8.RuneError && size <= 1 {
			t.ok = false
			return
		}
		b = b[size-len(t.carry):]
		t.carry = nil
	}
	cut := len(b)
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				cut = i
			}
			break
		}
	}
	if !utf8.Valid(b[:cut]) {
		t.ok = false
		return
	}
	t.carry = bytes.Clone(b[cut:])
}

// done reports whether the whole file was text.
func (t *textCheck) done() bool { return t.ok && len(t.carry) == 0 }

// evidenceType decides a received file's type from its content.
func (s *Service) evidenceType(ctx context.Context, fileID, name string, f sniffed) (string, error) {
	switch http.DetectContentType(f.head) { // the WHATWG MIME sniffing signatures
	case MediaPDF:
		return MediaPDF, nil
	case MediaPNG:
		return MediaPNG, nil
	case MediaJPEG:
		return MediaJPEG, nil
	case "application/zip":
		var t string
		err := s.st.Read(ctx, func(tx *store.Tx) error {
			var err error
			t, err = officeType(&chunkReader{tx: tx, fileID: fileID}, f.size)
			return err
		})
		return t, err
	}
	if f.textLike {
		if strings.HasSuffix(strings.ToLower(name), ".csv") {
			return MediaCSV, nil
		}
		return MediaText, nil
	}
	return "", unsupportedEvidence()
}

func unsupportedEvidence() error {
	return Errorf(CodeUnsupportedType, "Evidence files may be PDF, PNG, JPEG, plain text, CSV, XLSX or DOCX; "+
		"this file's content is none of these (its name and declared type are not considered).")
}

// Bounds on what officeType reads of a zip: a legitimate workbook or document has
// at most a few thousand parts, and its [Content_Types].xml is a few KiB.
const (
	maxOfficeParts        = 10000
	maxContentTypesBytes  = 64 << 10
	zipEndRecordSignature = 0x06054b50
)

// officeType tells an XLSX from a DOCX by the main part its [Content_Types].xml
// names (ECMA-376 Part 2, Open Packaging Conventions), which must be in the
// package; anything else, macro-enabled documents included, is unsupported. The
// work is bounded whatever the file: the zip's directory is refused past
// maxOfficeParts entries before it is read, and one [Content_Types].xml (a second
// is refused) is read up to maxContentTypesBytes.
func officeType(r io.ReaderAt, size int64) (string, error) {
	if n, ok := zipEntries(r, size); !ok || n > maxOfficeParts {
		return "", unsupportedEvidence()
	}
	z, err := zip.NewReader(r, size)
	if err != nil {
		return "", unsupportedEvidence()
	}
	var types *zip.File
	parts := make(map[string]bool, len(z.File))
	for _, f := range z.File {
		if parts[f.Name] {
			return "", unsupportedEvidence() // a part listed twice: not a package
		}
		parts[f.Name] = true
		if f.Name == "[Content_Types].xml" {
			types = f
		}
	}
	if types == nil || types.UncompressedSize64 > maxContentTypesBytes {
		return "", unsupportedEvidence()
	}
	rc, err := types.Open()
	if err != nil {
		return "", unsupportedEvidence()
	}
	var ct struct {
		Overrides []struct {
			PartName    string `xml:"PartName,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	err = xml.NewDecoder(io.LimitReader(rc, maxContentTypesBytes)).Decode(&ct)
	rc.Close()
	if err != nil {
		return "", unsupportedEvidence()
	}
	for _, o := range ct.Overrides {
		if !parts[strings.TrimPrefix(o.PartName, "/")] {
			continue
		}
		switch o.ContentType {
		case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":
			return MediaXLSX, nil
		case "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":
			return MediaDOCX, nil
		}
	}
	return "", unsupportedEvidence()
}

// zipEntries reads the number of entries from a zip's end of central directory
// record (APPNOTE.TXT 4.3.16) in its last 64 KiB + 22 bytes, without reading the
// directory; false when there is none, or for ZIP64 (a 20 MiB office file never
// needs it).
func zipEntries(r io.ReaderAt, size int64) (int, bool) {
	tail := min(size, 65535+22)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && !errors.Is(err, io.EOF) {
		return 0, false
	}
	for i := len(buf) - 22; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == zipEndRecordSignature {
			n := binary.LittleEndian.Uint16(buf[i+10:])
			return int(n), n != 0xffff
		}
	}
	return 0, false
}

// chunkReader reads a stored file at any offset, a chunk at a time (the last one
// read is kept), for the zip reader.
type chunkReader struct {
	tx     *store.Tx
	fileID string
	seq    int
	data   []byte
	loaded bool
}

func (c *chunkReader) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		seq, at := int((off+int64(n))/EvidenceChunkSize), int((off+int64(n))%EvidenceChunkSize)
		if !c.loaded || c.seq != seq {
			data, err := c.tx.EvidenceChunk(c.fileID, seq)
			if errors.Is(err, store.ErrNotFound) {
				return n, io.EOF
			}
			if err != nil {
				return n, err
			}
			c.seq, c.data, c.loaded = seq, data, true
		}
		if at >= len(c.data) {
			return n, io.EOF
		}
		n += copy(p[n:], c.data[at:])
	}
	return n, nil
}

// evidenceTarget checks, in tx, that the actor may change the assessment's evidence
// for the question now, and returns the question.
func (s *Service) evidenceTarget(tx *store.Tx, a Actor, assessmentID, questionKey string) (Question, error) {
	r, q, err := loadAssessment(tx, assessmentID)
	if err != nil {
		return Question{}, err
	}
	if err := s.linkMayChange(tx, a, assessmentID); err != nil {
		return Question{}, err
	}
	if r.Status != "draft" {
		return Question{}, Errorf(CodeConflict, "The assessment is %s; its evidence can no longer change.", r.Status)
	}
	question, ok := q.question(questionKey)
	if !ok {
		return Question{}, Invalid(FieldError{Field: "question_key", Message: "is not a question of this questionnaire"})
	}
	return question, nil
}

// linkMayChange checks that an actor acting through an invitation link acts on its
// own assessment and that the link still accepts answers.
func (s *Service) linkMayChange(tx *store.Tx, a Actor, assessmentID string) error {
	if a.InvitationID == "" {
		return nil
	}
	r, err := tx.GetInvitation(a.InvitationID)
	if err != nil {
		return err
	}
	if r.AssessmentID != assessmentID {
		return evidenceNotFound()
	}
	if inv := invitationFromRow(r, s.now()); !inv.Live() {
		return Errorf(CodeConflict, "%s", inv.ClosedMessage())
	}
	return nil
}

// ListEvidence pages an assessment's files by question, then upload time.
func (s *Service) ListEvidence(ctx context.Context, assessmentID, cur string, limit int) (Page[EvidenceFile], error) {
	if !ValidID(assessmentID) {
		return Page[EvidenceFile]{}, assessmentNotFound()
	}
	rows, err := rowsOfAssessment(ctx, s, assessmentID, (*store.Tx).EvidenceFilesOf)
	if err != nil {
		return Page[EvidenceFile]{}, err
	}
	out := make([]EvidenceFile, len(rows))
	for i, r := range rows {
		out[i] = evidenceFromRow(r)
	}
	return PageSlice(out, "evidence:"+assessmentID, cur, limit, func(f EvidenceFile) string {
		return fmt.Sprintf("%s\x00%020d%s", f.QuestionKey, f.CreatedAt.UnixNano(), f.ID)
	})
}

// GetEvidence returns a file's record.
func (s *Service) GetEvidence(ctx context.Context, id string) (EvidenceFile, error) {
	if !ValidID(id) {
		return EvidenceFile{}, evidenceNotFound()
	}
	var r store.EvidenceFileRow
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		var err error
		r, err = tx.GetEvidenceFile(id)
		if errors.Is(err, store.ErrNotFound) {
			return evidenceNotFound()
		}
		return err
	})
	return evidenceFromRow(r), err
}

// CopyEvidence writes a file's bytes to w a chunk at a time, each read on its own,
// so a download holds one chunk in memory and no transaction open while the client
// reads. Files are never changed once complete, only deleted: a file deleted during
// the copy ends it with an error.
func (s *Service) CopyEvidence(ctx context.Context, f EvidenceFile, w io.Writer) error {
	for seq := 0; int64(seq)*EvidenceChunkSize < f.Size; seq++ {
		data, err := s.st.NoTx(ctx).EvidenceChunk(f.ID, seq)
		if err != nil {
			return fmt.Errorf("copy evidence %s chunk %d: %w", f.ID, seq, err)
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// DeleteEvidence removes a file from a draft assessment (through the link, only
// from the link's own assessment while it accepts answers), audited.
func (s *Service) DeleteEvidence(ctx context.Context, a Actor, id string) error {
	if !ValidID(id) {
		return evidenceNotFound()
	}
	return s.write(ctx, func(tx *store.Tx) error {
		r, err := tx.GetEvidenceFile(id)
		if errors.Is(err, store.ErrNotFound) {
			return evidenceNotFound()
		}
		if err != nil {
			return err
		}
		if _, err := s.evidenceTarget(tx, a, r.AssessmentID, r.QuestionKey); err != nil {
			return err
		}
		if err := tx.DeleteEvidenceFile(id); err != nil {
			return err
		}
		return s.record(tx, a, ActionDelete, ResourceEvidence, id, map[string]Change{
			"file_name": {Before: r.FileName}, "sha256": {Before: r.SHA256}, "question_key": {Before: r.QuestionKey}}, s.now())
	})
}

// PurgeStaleEvidence deletes uploads left incomplete for over an hour (a crash, or
// a connection lost mid-upload) and returns how many.
func (s *Service) PurgeStaleEvidence(ctx context.Context) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *store.Tx) error {
		ids, err := tx.StaleEvidenceUploads(s.now().Add(-time.Hour))
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := tx.DeleteEvidenceFile(id); err != nil {
				return err
			}
		}
		n = int64(len(ids))
		return nil
	})
	return n, err
}

func evidenceNotFound() error { return Errorf(CodeNotFound, "No evidence file has this id.") }

// evidenceName keeps the last element of an uploaded file's name (browsers on some
// systems send a path), at most 255 characters without control characters.
func evidenceName(name string) (string, error) {
	name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, `\`, "/")))
	switch {
	case name == "" || name == "." || name == ".." || name == "/":
		return "", Invalid(FieldError{Field: "file", Message: "needs a file name"})
	case utf8.RuneCountInString(name) > 255 || !utf8.ValidString(name) ||
		strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0:
		// Format characters (U+202E RIGHT-TO-LEFT OVERRIDE and the like) would make
		// "evidence\u202efdp.hta" read as "evidenceath.pdf".
		return "", Invalid(FieldError{Field: "file", Message: "needs a name of at most 255 characters without control or format characters"})
	}
	return name, nil
}

// extensions are the file name endings of each evidence type; the first is the one
// a download gets when its name ends otherwise.
var extensions = map[string][]string{MediaPDF: {".pdf"}, MediaPNG: {".png"}, MediaJPEG: {".jpg", ".jpeg"},
	MediaText: {".txt", ".text", ".md", ".log"}, MediaCSV: {".csv"}, MediaXLSX: {".xlsx"}, MediaDOCX: {".docx"}}

// DownloadName is the name a download carries: the uploaded name, with the type's
// extension added when it ends otherwise, so that a reviewer's computer opens the
// file as what its content is ("soc2-report.hta" that is text downloads as
// "soc2-report.hta.txt", "certificate.png" that is a PDF as "certificate.png.pdf").
func (f EvidenceFile) DownloadName() string {
	lower := strings.ToLower(f.FileName)
	for _, ext := range extensions[f.MediaType] {
		if strings.HasSuffix(lower, ext) {
			return f.FileName
		}
	}
	if exts := extensions[f.MediaType]; len(exts) > 0 {
		return f.FileName + exts[0]
	}
	return f.FileName
}

func evidenceFromRow(r store.EvidenceFileRow) EvidenceFile {
	f := EvidenceFile{ID: r.ID, AssessmentID: r.AssessmentID, QuestionKey: r.QuestionKey, FileName: r.FileName,
		MediaType: r.MediaType, Size: r.SizeBytes, SHA256: r.SHA256, UploadedByName: r.UploadedByName, CreatedAt: r.CreatedAt.UTC()}
	if r.UploadedBy != nil {
		f.UploadedBy = *r.UploadedBy
	}
	if r.UploadedByInvitation != nil {
		f.UploadedByInvitation = *r.UploadedByInvitation
	}
	return f
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
