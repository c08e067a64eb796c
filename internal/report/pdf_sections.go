package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// pdfTime is an instant in a narrow table column: it wraps at the space.
func pdfTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func (d *pdfDoc) summary() {
	f, sum := d.f, d.s.Summary
	figures := [][3]string{
		{"Suppliers", grouped(int64(sum.Suppliers)), ""},
		{"Personal data records", grouped(sum.Records), "people: " + peopleOf(sum.Records, sum.People) + " (at least – at most)"},
		{"Special-category exposure", grouped(int64(sum.SpecialCategorySuppliers)), "suppliers, " + grouped(sum.SpecialCategoryRecords) + " records"},
		{"Flagged suppliers", grouped(int64(sum.FlaggedSuppliers)), "with an unaccepted flag"},
	}
	w := (d.width() - 3*4) / 4
	// The notes under the figures wrap inside their boxes, which all grow to the
	// tallest so that no note is cut short.
	d.font("", 7.5)
	notes := make([][]string, len(figures))
	lines := 1
	for i, fig := range figures {
		notes[i] = d.wrap(d.t(fig[2]), w-2)
		lines = max(lines, len(notes[i]))
	}
	const noteH = 3.5
	boxH := 16.5 + float64(lines)*noteH
	d.need(boxH + 4)
	y := f.GetY()
	for i, fig := range figures {
		x := pdfMargin + float64(i)*(w+4)
		f.SetDrawColor(pdfRule[0], pdfRule[1], pdfRule[2])
		f.SetLineWidth(0.3)
		f.Rect(x, y, w, boxH, "D")
		f.SetXY(x+1, y+2)
		d.font("", 8)
		d.colour(pdfGrey)
		f.CellFormat(w-2, 4, d.fit(d.t(fig[0]), w-4), "", 0, "L", false, 0, "")
		f.SetXY(x+1, y+8)
		d.font("B", 12)
		d.colour(pdfInk)
		f.CellFormat(w-2, 7, d.fit(d.t(fig[1]), w-4), "", 0, "L", false, 0, "")
		d.font("", 7.5)
		d.colour(pdfGrey)
		for j, l := range notes[i] {
			f.SetXY(x+1, y+15+float64(j)*noteH)
			f.CellFormat(w-2, noteH, l, "", 0, "L", false, 0, "")
		}
	}
	f.SetXY(pdfMargin, y+boxH+4)

	// Three distributions side by side.
	groups := []struct {
		title, head string
		counts      []Count
	}{{"By status", "Status", sum.ByStatus}, {"By risk tier", "Tier", sum.ByTier}, {"By criticality", "Criticality", sum.ByCriticality}}
	rows := 0
	for _, g := range groups {
		rows = max(rows, len(g.counts))
	}
	d.need(12 + float64(rows+1)*5.5)
	y = f.GetY()
	bottom := y
	cw := (d.width() - 2*6) / 3
	for i, g := range groups {
		x := pdfMargin + float64(i)*(cw+6)
		f.SetXY(x, y)
		d.font("B", 10)
		d.colour(pdfInk)
		f.CellFormat(cw, 6, g.title, "", 2, "L", false, 0, "")
		f.SetX(x)
		d.font("B", 8.5)
		f.SetFillColor(pdfShade[0], pdfShade[1], pdfShade[2])
		f.CellFormat(cw*0.6, 5.5, g.head, "", 0, "L", true, 0, "")
		f.CellFormat(cw*0.4, 5.5, "Suppliers", "", 2, "R", true, 0, "")
		d.font("", 8.5)
		if len(g.counts) == 0 {
			f.SetX(x)
			f.CellFormat(cw, 5.5, "No suppliers to count.", "", 2, "L", false, 0, "")
		}
		for _, c := range g.counts {
			f.SetX(x)
			f.CellFormat(cw*0.6, 5.5, d.t(c.Key), "B", 0, "L", false, 0, "")
			f.CellFormat(cw*0.4, 5.5, grouped(int64(c.Count)), "B", 2, "R", false, 0, "")
		}
		bottom = max(bottom, f.GetY())
	}
	f.SetXY(pdfMargin, bottom+5)

	d.charts(reportCharts(d.s))

	d.subheading("Personal data by category")
	if len(sum.ByCategory) == 0 {
		d.empty("No supplier holds personal data.")
		return
	}
	var body [][]string
	for _, c := range sum.ByCategory {
		body = append(body, []string{c.Name + " (" + c.Key + ")", yesNo(c.SpecialCategory), grouped(int64(c.Suppliers)), grouped(c.Records),
			peopleOf(c.Records, c.People)})
	}
	d.table(cols("Category", 80.0, "Special category", 25.0, "Suppliers>", 20.0, "Records>", 25.0, "People>", 30.0), body, pdfTableFont)
}

func (d *pdfDoc) weakLinks() {
	if len(d.s.WeakLinks) == 0 {
		d.empty("No supplier has an unaccepted flag.")
		return
	}
	d.para(rankingNote)
	var body [][]string
	for _, l := range d.s.WeakLinks {
		flags := make([]string, len(l.Flags))
		for i, fl := range l.Flags {
			flags[i] = fmt.Sprintf("[%s] %s: %s", fl.Severity, fl.Code, fl.Message)
			if fl.Accepted {
				flags[i] += " (accepted)"
			}
		}
		body = append(body, []string{strconv.Itoa(l.Rank), l.Name, l.Tier, num(l.Inherent), postureText(l, "unassessed"),
			num(l.Residual), grouped(l.Records), strings.Join(flags, "\n")})
	}
	d.table(cols("Rank>", 10.0, "Supplier", 32.0, "Tier", 14.0, "Inherent>", 16.0, "Posture>", 19.0, "Residual>", 16.0,
		"Records>", 18.0, "Flags", 55.0), body, pdfTableFont)
	if anyProvisional(d.s.WeakLinks) {
		d.empty(provisionalNote)
	}
}

func (d *pdfDoc) exposure() {
	m := d.s.Exposure
	chunks := exposureChunks(m)
	if len(m.Rows) == 0 || len(chunks) == 0 {
		d.empty("No supplier holds personal data.")
		return
	}
	d.para("Records of personal data each supplier holds directly, by category; special categories first and marked *.")
	for _, c := range chunks {
		spec := []any{"Supplier", 47.0}
		colW := min(30, (d.width()-47)/float64(len(c.Categories)))
		for _, cat := range c.Categories {
			name := cat.Name
			if cat.SpecialCategory {
				name += " *"
			}
			spec = append(spec, name+">", colW)
		}
		var body [][]string
		for _, r := range m.Rows {
			row := []string{r.Name}
			for i := c.From; i < c.To; i++ {
				v := "–"
				if n := r.recordsAt(i); n != 0 {
					v = grouped(n)
				}
				row = append(row, v)
			}
			body = append(body, row)
		}
		total := []string{"Total"}
		for _, cat := range c.Categories {
			total = append(total, grouped(cat.Records))
		}
		people := []string{"People"}
		for _, cat := range c.Categories {
			people = append(people, peopleOf(cat.Records, cat.People))
		}
		body = append(body, total, people)
		d.table(cols(spec...), body, pdfTableFont)
	}
}

func (d *pdfDoc) assessments() {
	a := d.s.Assessments
	d.subheading("Completed this quarter")
	if len(a.Completed) == 0 {
		d.empty("No assessments were completed this quarter.")
	} else {
		var body [][]string
		for _, l := range a.Completed {
			body = append(body, []string{l.Name, l.SubmittedOn, l.Status, optNumOr(l.Score, "–")})
		}
		d.table(cols("Supplier", 80.0, "Submitted on", 35.0, "Status", 40.0, "Score>", 25.0), body, pdfTableFont)
	}
	d.subheading("Overdue")
	if len(a.Overdue) == 0 {
		d.empty("No reassessment is overdue.")
	} else {
		var body [][]string
		for _, l := range a.Overdue {
			body = append(body, []string{l.Name, l.Tier, l.DueOn})
		}
		d.table(cols("Supplier", 110.0, "Inherent tier", 35.0, "Due on", 35.0), body, pdfTableFont)
	}
	d.subheading("Never assessed")
	if len(a.NeverAssessed) == 0 {
		d.empty("Every supplier holding personal data has been assessed.")
	} else {
		d.refs("Supplier holding personal data without any assessment", a.NeverAssessed)
	}
}

func (d *pdfDoc) refs(head string, refs []SupplierRef) {
	body := make([][]string, len(refs))
	for i, r := range refs {
		body[i] = []string{r.Name}
	}
	d.table(cols(head, 180.0), body, pdfTableFont)
}

func (d *pdfDoc) incidents() {
	if len(d.s.Incidents) == 0 {
		d.empty("No incidents were reported this quarter.")
		return
	}
	names := categoryNames(d.s)
	var body [][]string
	for _, in := range d.s.Incidents {
		notified := "not notified"
		if in.RegulatorNotifiedAt != nil {
			notified = pdfTime(*in.RegulatorNotifiedAt)
		}
		cats := make([]string, len(in.Categories))
		for i, k := range in.Categories {
			cats[i] = k
			if n, ok := names[k]; ok {
				cats[i] = n
			}
		}
		data := strings.Join(cats, listSep)
		if len(in.Subprocessors) > 0 {
			data += "\nvia " + strings.Join(in.Subprocessors, listSep)
		}
		body = append(body, []string{in.SupplierName, in.Summary, in.Status, pdfTime(in.AwareAt), pdfTime(in.RegulatorDeadline),
			notified, grouped(in.Records) + "\npeople: " + peopleOf(in.Records, in.People), yesNo(in.SpecialCategory), data})
	}
	d.table(cols("Supplier", 24.0, "Summary", 30.0, "Status", 16.0, "Aware at", 18.0, "Regulator deadline", 18.0,
		"Regulator notified", 18.0, "Records>", 15.0, "Special category", 16.0, "Categories and subprocessors", 25.0), body, 7.5)
}

func (d *pdfDoc) expiring() {
	e := d.s.Expiring
	d.para(fmt.Sprintf("From %s to %s.", e.From, e.To))
	for _, part := range []struct {
		title, none string
		list        []Expiry
	}{{"Contracts", "No contract expires next quarter.", e.Contracts},
		{"Certifications", "No certification expires next quarter.", e.Certifications}} {
		d.subheading(part.title)
		if len(part.list) == 0 {
			d.empty(part.none)
			continue
		}
		var body [][]string
		for _, x := range part.list {
			body = append(body, []string{x.Name, x.What, x.On})
		}
		d.table(cols("Supplier", 100.0, "What", 45.0, "On", 35.0), body, pdfTableFont)
	}
}

func (d *pdfDoc) accepted() {
	if len(d.s.Accepted) == 0 {
		d.empty("No risks were accepted when the report was generated.")
		return
	}
	var body [][]string
	for _, r := range d.s.Accepted {
		body = append(body, []string{r.Name, r.Flag, r.Reason, day(r.ExpiresAt)})
	}
	d.table(cols("Supplier", 45.0, "Flag", 44.0, "Reason", 66.0, "Expires", 25.0), body, pdfTableFont)
}

func (d *pdfDoc) changes() {
	c := d.s.Changes
	if c == nil {
		d.empty(noComparison(d.s))
		return
	}
	d.para(fmt.Sprintf("Compared with the stored report for %s (%s).", c.PreviousQuarter, c.PreviousID))
	d.subheading("New suppliers")
	if len(c.NewSuppliers) == 0 {
		d.empty("No new suppliers.")
	} else {
		d.refs("Supplier", c.NewSuppliers)
	}
	d.subheading("Exited suppliers")
	if len(c.ExitedSuppliers) == 0 {
		d.empty("No supplier exited.")
	} else {
		d.refs("Supplier", c.ExitedSuppliers)
	}
	d.subheading("Tier moves")
	if len(c.TierMoves) == 0 {
		d.empty("No supplier moved tier.")
	} else {
		var body [][]string
		for _, m := range c.TierMoves {
			body = append(body, []string{m.Name, m.From, m.To})
		}
		d.table(cols("Supplier", 110.0, "From", 35.0, "To", 35.0), body, pdfTableFont)
	}
	d.subheading("Biggest posture drops")
	if len(c.PostureDrops) == 0 {
		d.empty("No supplier's posture fell.")
	} else {
		var body [][]string
		for _, p := range c.PostureDrops {
			body = append(body, []string{p.Name, num(p.From), num(p.To), num(p.Drop)})
		}
		d.table(cols("Supplier", 105.0, "From>", 25.0, "To>", 25.0, "Drop>", 25.0), body, pdfTableFont)
	}
	for _, part := range []struct {
		title, none string
		list        []FlagChange
	}{{"New flags", "No new flags were raised.", c.NewFlags}, {"Resolved flags", "No flags were resolved.", c.ResolvedFlags}} {
		d.subheading(part.title)
		if len(part.list) == 0 {
			d.empty(part.none)
			continue
		}
		var body [][]string
		for _, fl := range part.list {
			body = append(body, []string{fl.Name, fl.Code})
		}
		d.table(cols("Supplier", 110.0, "Flag", 70.0), body, pdfTableFont)
	}
}

// appendix lists every supplier on landscape pages: the table is wide.
func (d *pdfDoc) appendix() {
	if len(d.s.Suppliers) == 0 {
		d.empty("The register holds no live suppliers.")
		return
	}
	d.para("Every live supplier. " + rankingNote)
	body := make([][]string, len(d.s.Suppliers))
	for i, l := range d.s.Suppliers {
		body[i] = []string{l.Name, l.Status, l.Criticality, l.Country, l.Tier, l.InherentTier, num(l.Inherent), postureText(l, "–"),
			optNumOr(l.EffectivePosture, "–"), num(l.Residual), grouped(l.Records) + "\npeople: " + peopleOf(l.Records, l.People),
			strings.Join(l.Categories, listSep),
			flagCodes(l.Flags), orDash(l.LastAssessed), orDash(l.nextDue())}
	}
	d.table(cols("Supplier", 31.0, "Status", 17.0, "Criticality", 16.0, "Country", 14.0, "Tier", 14.0, "Inherent tier", 14.0,
		"Inherent>", 14.0, "Posture>", 13.0, "Effective (chain)>", 15.0, "Residual>", 14.0, "Records>", 16.0, "Categories", 26.0,
		"Flags", 34.0, "Last assessed", 17.0, "Next due", 17.0), body, 7)
	if anyProvisional(d.s.Suppliers) {
		d.empty(provisionalNote)
	}
}
