package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"

	"github.com/weaklink/weaklink/internal/sheet"
)

// csvHeader names the columns of the CSV rendering: one row per supplier.
var csvHeader = []string{"name", "status", "criticality", "country", "tier", "inherent_tier", "inherent", "posture",
	"posture_provisional", "effective_posture", "residual", "records", "people_at_least", "people_at_most", "categories", "flags",
	"last_assessed", "next_reassessment_due"}

// csvNoteColumn is the last column: the report's note about when it was taken
// (timingNote), on every row, so that a file passed on without the rest of the
// report still says it; empty for a report taken during its quarter.
const csvNoteColumn = "report_note"

// renderCSV writes Snapshot.Suppliers as UTF-8 CSV with a byte-order mark (which
// spreadsheet programs need to read UTF-8), CRLF line ends, and every cell
// neutralised against formulas.
func renderCSV(s Snapshot) ([]byte, error) {
	var b bytes.Buffer
	b.Write([]byte{0xEF, 0xBB, 0xBF})
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	header := append(slices.Clip(csvHeader), csvNoteColumn)
	_ = w.Write(header)
	note, _ := timingNote(s)
	row := make([]string, len(header))
	for _, l := range s.Suppliers {
		copy(row, supplierCells(l))
		row[len(row)-1] = note
		for i, v := range row {
			row[i] = sheet.Escape(v)
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// supplierCells are a supplier's values in csvHeader order, unescaped.
func supplierCells(l SupplierLine) []string {
	return []string{l.Name, l.Status, l.Criticality, l.Country, l.Tier, l.InherentTier, num(l.Inherent), optNum(l.Posture),
		strconv.FormatBool(l.Posture != nil && l.PostureProvisional),
		optNum(l.EffectivePosture), num(l.Residual), strconv.FormatInt(l.Records, 10),
		peopleCSV(l.Records, l.People.AtLeast), peopleCSV(l.Records, l.People.AtMost),
		strings.Join(l.Categories, listSep), flagCodes(l.Flags), l.LastAssessed, l.nextDue()}
}

// peopleCSV is one bound of a supplier's people range, empty in a report stored
// before people were counted.
func peopleCSV(records, bound int64) string {
	if records > 0 && bound == 0 {
		return ""
	}
	return strconv.FormatInt(bound, 10)
}
