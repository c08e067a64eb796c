package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheetio"
)

// MaxImportBody is the largest spreadsheet an import accepts (PRODUCT: 32 MiB).
const MaxImportBody = 32 << 20

// ImportService is what the import and export handlers need from the register.
type ImportService interface {
	ImportSheet(ctx context.Context, a register.Actor, r io.Reader, f sheetio.SheetFormat, dryRun bool) (sheetio.ImportResult, error)
	ExportSheet(ctx context.Context, w io.Writer, f sheetio.SheetFormat) error
}

type importHandlers struct {
	svc ImportService
	log *slog.Logger
	now func() time.Time
}

type importCountsJSON struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// importResultJSON is the answer to an import.
type importResultJSON struct {
	DryRun       bool             `json:"dry_run"`
	Rows         int              `json:"rows"`
	Suppliers    importCountsJSON `json:"suppliers"`
	DataHoldings importCountsJSON `json:"data_holdings"`
}

// importSheet applies a CSV or XLSX body, all or nothing. It answers 200 rather
// than 201: an import creates no resource of its own to point a Location at, and
// may create nothing at all.
func (h *importHandlers) importSheet(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "dry_run")
	dryRun := q.boolean("dry_run")
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	f, ok := importFormat(c)
	if !ok {
		return
	}
	body, ok := spoolImportBody(c, h.log)
	if !ok {
		return
	}
	defer body.close()
	res, err := h.svc.ImportSheet(c.Request.Context(), actor(c), body.file, f, dryRun)
	if err != nil {
		writeError(c, h.log, err)
		return
	}
	writeJSON(c, http.StatusOK, importResultJSON{DryRun: res.DryRun, Rows: res.Rows,
		Suppliers:    importCountsJSON(res.Suppliers),
		DataHoldings: importCountsJSON(res.Holdings)})
}

// importBody is an import's body in a temporary file, removed by close.
type importBody struct{ file *os.File }

func (b importBody) close() {
	_ = b.file.Close()
	_ = os.Remove(b.file.Name())
}

// spoolImportBody copies the body to a temporary file, so that however large the
// upload, the process holds one buffer of it: a declared length over
// MaxImportBody is refused before anything is read, and a body that turns out
// longer is refused as soon as it passes the limit (413 either way). It answers
// the failures itself.
func spoolImportBody(c *gin.Context, log *slog.Logger) (importBody, bool) {
	tooLarge := func() {
		writeProblem(c, http.StatusRequestEntityTooLarge, fmt.Sprintf("Imports are limited to %d bytes (32 MiB); split the file.", MaxImportBody))
	}
	if c.Request.ContentLength > MaxImportBody {
		tooLarge()
		return importBody{}, false
	}
	file, err := os.CreateTemp("", "weaklink-import-*")
	if err != nil {
		writeError(c, log, fmt.Errorf("spool import body: %w", err))
		return importBody{}, false
	}
	b := importBody{file: file}
	_, err = io.Copy(file, http.MaxBytesReader(c.Writer, c.Request.Body, MaxImportBody))
	if err == nil {
		_, err = file.Seek(0, io.SeekStart)
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		b.close()
		tooLarge()
		return importBody{}, false
	case err != nil:
		b.close()
		writeProblem(c, http.StatusBadRequest, "The request body could not be read.")
		return importBody{}, false
	}
	return b, true
}

// importFormat reads the body's format from its Content-Type, answering 415 itself.
func importFormat(c *gin.Context) (sheetio.SheetFormat, bool) {
	mt, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err == nil {
		for _, f := range sheetio.SheetFormats {
			want, _, _ := mime.ParseMediaType(f.MediaType())
			if mt != want {
				continue
			}
			if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "us-ascii") {
				writeProblem(c, http.StatusUnsupportedMediaType, "Send CSV as UTF-8 (text/csv; charset=utf-8).")
				return "", false
			}
			return f, true
		}
	}
	writeProblem(c, http.StatusUnsupportedMediaType, "Send the spreadsheet as the request body with Content-Type "+
		sheetio.SheetCSV.MediaType()+" or "+sheetio.SheetXLSX.MediaType()+".")
	return "", false
}

// sheetFormat reads ?format=, csv when absent.
func sheetFormat(q *query) sheetio.SheetFormat {
	s := q.str("format")
	if s == "" {
		return sheetio.SheetCSV
	}
	f, ok := sheetio.ParseSheetFormat(s)
	if !ok {
		q.fail("format", "must be csv or xlsx")
	}
	return f
}

func (h *importHandlers) template(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "format")
	f := sheetFormat(q)
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	var buf bytes.Buffer
	if err := sheetio.WriteImportTemplate(&buf, f); err != nil {
		writeError(c, h.log, err)
		return
	}
	attachment(c, "weaklink-import-template."+string(f), f, buf.Bytes())
}

func (h *importHandlers) export(c *gin.Context) {
	q := newQuery(c.Request.URL.Query(), "format")
	f := sheetFormat(q)
	if q.errs != nil {
		invalid(c, q.errs...)
		return
	}
	// The file is built in memory first, so a failure is still a problem document
	// rather than a truncated download.
	var buf bytes.Buffer
	if err := h.svc.ExportSheet(c.Request.Context(), &buf, f); err != nil {
		writeError(c, h.log, err)
		return
	}
	name := "weaklink-register-" + h.now().UTC().Format(time.DateOnly) + "." + string(f)
	attachment(c, name, f, buf.Bytes())
}

// attachment answers 200 with a file to save.
func attachment(c *gin.Context, filename string, f sheetio.SheetFormat, body []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`) // our own names: no quoting needed
	c.Data(http.StatusOK, f.MediaType(), body)
}
