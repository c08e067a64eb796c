package register

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/report"
	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// buildSummaryAndLines fills the portfolio summary, the supplier lines (worst residual
// first) and the top weakest links.
func buildSummaryAndLines(snap *report.Snapshot, p portfolio) {
	sm := report.Summary{Suppliers: len(p.order)}
	status, tier, crit := map[string]int{}, map[string]int{}, map[string]int{}
	hist := make([]int, 11)
	records := map[string]int64{}
	holders := map[string]int{}
	names := map[string]string{}
	special := map[string]bool{}
	specialSuppliers := map[string]bool{}
	for _, h := range p.holdings {
		records[h.CategoryKey] += h.RecordCount
		holders[h.CategoryKey]++
		names[h.CategoryKey] = h.CategoryName
		sp := h.SpecialCategory || h.CriminalOffence
		special[h.CategoryKey] = sp
		sm.Records += h.RecordCount
		if sp {
			sm.SpecialCategoryRecords += h.RecordCount
			specialSuppliers[h.SupplierID] = true
		}
	}
	sm.SpecialCategorySuppliers = len(specialSuppliers)
	var lines []report.SupplierLine
	for _, id := range p.order {
		sup, r := p.suppliers[id], p.risks[id]
		status[sup.Status]++
		tier[r.Tier]++
		crit[sup.Criticality]++
		pb := 10 // unassessed
		if r.Posture.Value != nil {
			pb = min(9, int(*r.Posture.Value)/10)
		}
		hist[pb]++
		ib := min(4, int(r.Inherent.Value)/20)
		col := 5
		if r.Posture.Value != nil {
			col = min(4, int(*r.Posture.Value)/20)
		}
		sm.Heatmap[ib][col]++
		line := supplierLine(p, id)
		if hasOpenFlag(line) {
			sm.FlaggedSuppliers++
		}
		lines = append(lines, line)
	}
	sort.SliceStable(lines, func(i, j int) bool {
		if lines[i].Residual != lines[j].Residual {
			return lines[i].Residual > lines[j].Residual
		}
		return strings.ToLower(lines[i].Name)+lines[i].ID < strings.ToLower(lines[j].Name)+lines[j].ID
	})
	snap.Suppliers = lines
	for _, k := range SupplierStatuses {
		sm.ByStatus = append(sm.ByStatus, report.Count{Key: k, Count: status[k]})
	}
	for _, k := range Tiers {
		sm.ByTier = append(sm.ByTier, report.Count{Key: k, Count: tier[k]})
	}
	for _, k := range []string{"critical", "high", "medium", "low"} {
		sm.ByCriticality = append(sm.ByCriticality, report.Count{Key: k, Count: crit[k]})
	}
	for i := 0; i < 10; i++ {
		label := itoa(i*10) + "–" + itoa(i*10+9)
		if i == 9 {
			label = "90–100"
		}
		sm.PostureHistogram = append(sm.PostureHistogram, report.Count{Key: label, Count: hist[i]})
	}
	sm.PostureHistogram = append(sm.PostureHistogram, report.Count{Key: "unassessed", Count: hist[10]})
	sm.ByCategory = categoryTotals(records, holders, names, special)
	snap.Summary = sm
	// The weakest links: suppliers with an unaccepted flag, ranked as /weak-links ranks them.
	type ranked struct {
		line report.SupplierLine
		res  float64
		sev  int
		open int
	}
	var weak []ranked
	for _, l := range lines {
		worst, open := 0, 0
		for _, f := range l.Flags {
			if !f.Accepted {
				open++
				worst = max(worst, scoring.SeverityRank(f.Severity))
			}
		}
		if open == 0 {
			continue
		}
		r := p.risks[l.ID]
		res := scoring.Residual(r.Inherent.Value, p.flags[l.ID].EffectivePosture, scoringConfigOf(p)).Value
		weak = append(weak, ranked{l, res, worst, open})
	}
	sort.SliceStable(weak, func(i, j int) bool {
		a, b := weak[i], weak[j]
		if a.res != b.res {
			return a.res > b.res
		}
		if a.sev != b.sev {
			return a.sev > b.sev
		}
		return a.open > b.open
	})
	for i, w := range weak {
		if i == topWeakLinks {
			break
		}
		w.line.Rank = i + 1
		snap.WeakLinks = append(snap.WeakLinks, w.line)
	}
}

// scoringConfigOf returns the thresholds the portfolio was computed with.
func scoringConfigOf(p portfolio) scoring.Config { return p.cfg }

func hasOpenFlag(l report.SupplierLine) bool {
	for _, f := range l.Flags {
		if !f.Accepted {
			return true
		}
	}
	return false
}

func supplierLine(p portfolio, id string) report.SupplierLine {
	sup, r := p.suppliers[id], p.risks[id]
	l := report.SupplierLine{ID: id, Name: sup.Name, Status: sup.Status, Criticality: sup.Criticality, Tier: r.Tier,
		Inherent: r.Inherent.Value, Posture: r.Posture.Value, EffectivePosture: p.flags[id].EffectivePosture,
		Residual: r.Residual.Value, NextReassessment: r.NextReassessment, Categories: []string{}, Flags: []report.FlagLine{}}
	if sup.Country != nil {
		l.Country = *sup.Country
	}
	if r.Assessment != nil && r.Assessment.SubmittedAt != nil {
		l.LastAssessed = r.Assessment.SubmittedAt.Format(time.DateOnly)
	}
	l.Categories = append(l.Categories, p.cats[id]...)
	l.Records = p.records[id]
	sort.Strings(l.Categories)
	for _, v := range p.flagViews(id) {
		l.Flags = append(l.Flags, report.FlagLine{Code: v.Code, Severity: v.Severity, Message: v.Message, Accepted: v.Accepted != nil})
	}
	return l
}

func categoryTotals(records map[string]int64, holders map[string]int, names map[string]string, special map[string]bool) []report.CategoryTotal {
	var out []report.CategoryTotal
	for k := range records {
		out = append(out, report.CategoryTotal{Key: k, Name: names[k], SpecialCategory: special[k], Suppliers: holders[k], Records: records[k]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].SpecialCategory != out[j].SpecialCategory {
			return out[i].SpecialCategory
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// exposureMatrix is category × supplier, records held directly, special categories first.
func exposureMatrix(p portfolio) report.ExposureMatrix {
	records, holders, names, special := map[string]int64{}, map[string]int{}, map[string]string{}, map[string]bool{}
	bySupplier := map[string]map[string]int64{}
	for _, h := range p.holdings {
		records[h.CategoryKey] += h.RecordCount
		holders[h.CategoryKey]++
		names[h.CategoryKey] = h.CategoryName
		special[h.CategoryKey] = h.SpecialCategory || h.CriminalOffence
		if bySupplier[h.SupplierID] == nil {
			bySupplier[h.SupplierID] = map[string]int64{}
		}
		bySupplier[h.SupplierID][h.CategoryKey] += h.RecordCount
	}
	m := report.ExposureMatrix{Categories: categoryTotals(records, holders, names, special), Rows: []report.ExposureRow{}}
	for _, id := range p.order { // name order
		held := bySupplier[id]
		if held == nil {
			continue
		}
		row := report.ExposureRow{SupplierID: id, Name: p.suppliers[id].Name, Records: make([]int64, len(m.Categories))}
		for i, c := range m.Categories {
			row.Records[i] = held[c.Key]
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

func assessmentsSection(p portfolio, done []storeAssessment, today string) report.AssessmentsSection {
	sec := report.AssessmentsSection{Completed: []report.AssessmentLine{}, Overdue: []report.DueLine{}, NeverAssessed: []report.SupplierRef{}}
	for _, a := range done {
		sup, ok := p.suppliers[a.SupplierID]
		if !ok || a.SubmittedAt == nil {
			continue
		}
		sec.Completed = append(sec.Completed, report.AssessmentLine{SupplierID: a.SupplierID, Name: sup.Name,
			SubmittedOn: a.SubmittedAt.UTC().Format(time.DateOnly), Status: a.Status, Score: a.Score})
	}
	for _, id := range p.order {
		r := p.risks[id]
		switch {
		case r.Assessment == nil && len(p.cats[id]) > 0:
			sec.NeverAssessed = append(sec.NeverAssessed, report.SupplierRef{ID: id, Name: p.suppliers[id].Name})
		case r.ReassessOverdue:
			sec.Overdue = append(sec.Overdue, report.DueLine{SupplierID: id, Name: p.suppliers[id].Name, Tier: r.Tier, DueOn: r.NextReassessment})
		}
	}
	_ = today
	return sec
}

// incidentLines gives each incident of the quarter its impact, computed from the
// portfolio already loaded (no query per incident).
func incidentLines(p portfolio, incidents []storeIncident) []report.IncidentLine {
	out := []report.IncidentLine{}
	g := graphOf(p.edges)
	own := map[string]map[string]int64{}
	specialCat := map[string]bool{}
	for _, h := range p.holdings {
		specialCat[h.CategoryKey] = h.SpecialCategory || h.CriminalOffence
		if own[h.SupplierID] == nil {
			own[h.SupplierID] = map[string]int64{}
		}
		own[h.SupplierID][h.CategoryKey] += h.RecordCount
	}
	for id, sup := range p.suppliers {
		if n, ok := g.nodes[id]; ok {
			n.Name, n.NameKey = sup.Name, strings.ToLower(sup.Name)
			g.nodes[id] = n
		} else {
			g.addNode(node{ID: id, Name: sup.Name})
		}
	}
	g.seal()
	for _, in := range incidents {
		line := report.IncidentLine{ID: in.ID, SupplierID: in.SupplierID, Summary: in.Summary, Status: in.Status,
			AwareAt: in.AwareAt.UTC(), RegulatorDeadline: in.AwareAt.UTC().Add(RegulatorDeadline), RegulatorNotifiedAt: utcPtr(in.RegulatorNotifiedAt),
			Categories: []string{}, Subprocessors: []string{}}
		sup, live := p.suppliers[in.SupplierID]
		line.SupplierName = sup.Name
		if !live {
			out = append(out, line) // archived: the register records no data there
			continue
		}
		cats := map[string]int64{}
		for c, n := range own[in.SupplierID] {
			cats[c] += n
		}
		for _, c := range g.categoriesInto(in.SupplierID) {
			for from := range g.pathsTo(c, in.SupplierID) {
				if n, ok := own[from][c]; ok {
					cats[c] += n
				}
			}
		}
		down := map[string]bool{}
		for c := range cats {
			line.Categories = append(line.Categories, c)
			line.Records += cats[c]
			for id := range g.reach(c, []string{in.SupplierID}) {
				if id != in.SupplierID {
					down[id] = true
				}
			}
		}
		for c := range cats {
			line.SpecialCategory = line.SpecialCategory || specialCat[c]
		}
		sort.Strings(line.Categories)
		for id := range down {
			line.Subprocessors = append(line.Subprocessors, g.nodes[id].Name)
		}
		sort.Strings(line.Subprocessors)
		out = append(out, line)
	}
	return out
}

// expiringSection lists contracts and certifications ending in the quarter after this one.
func expiringSection(p portfolio, nextStart time.Time) report.ExpiringSection {
	from, to := nextStart.Format(time.DateOnly), nextStart.AddDate(0, 3, -1).Format(time.DateOnly)
	sec := report.ExpiringSection{From: from, To: to, Contracts: []report.Expiry{}, Certifications: []report.Expiry{}}
	for _, id := range p.order {
		sup := p.suppliers[id]
		if e := sup.ContractEnd; e != nil && *e >= from && *e <= to {
			sec.Contracts = append(sec.Contracts, report.Expiry{SupplierID: id, Name: sup.Name, What: "contract", On: *e})
		}
		for _, c := range sup.Certifications {
			if c.ExpiresAt >= from && c.ExpiresAt <= to {
				sec.Certifications = append(sec.Certifications, report.Expiry{SupplierID: id, Name: sup.Name, What: c.Scheme, On: c.ExpiresAt})
			}
		}
	}
	byDate := func(xs []report.Expiry) {
		sort.SliceStable(xs, func(i, j int) bool { return xs[i].On < xs[j].On })
	}
	byDate(sec.Contracts)
	byDate(sec.Certifications)
	return sec
}

func acceptedRisks(p portfolio) []report.AcceptedRisk {
	out := []report.AcceptedRisk{}
	for _, id := range p.order {
		var codes []string
		for c := range p.accepted[id] {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			a := p.accepted[id][c]
			out = append(out, report.AcceptedRisk{SupplierID: id, Name: p.suppliers[id].Name, Flag: c, Reason: a.Reason, ExpiresAt: *a.ExpiresAt})
		}
	}
	return out
}

// changesSince compares two snapshots: never today's values against a stored one.
func changesSince(prev, cur report.Snapshot) *report.Changes {
	ch := &report.Changes{PreviousID: prev.ID, PreviousQuarter: prev.Quarter, NewSuppliers: []report.SupplierRef{},
		ExitedSuppliers: []report.SupplierRef{}, TierMoves: []report.TierMove{}, PostureDrops: []report.PostureDrop{},
		NewFlags: []report.FlagChange{}, ResolvedFlags: []report.FlagChange{}}
	before := map[string]report.SupplierLine{}
	for _, l := range prev.Suppliers {
		before[l.ID] = l
	}
	now := map[string]report.SupplierLine{}
	for _, l := range cur.Suppliers {
		now[l.ID] = l
	}
	openFlags := func(l report.SupplierLine) map[string]bool {
		m := map[string]bool{}
		for _, f := range l.Flags {
			m[f.Code] = true
		}
		return m
	}
	for _, l := range sortedLines(cur.Suppliers) {
		b, existed := before[l.ID]
		if !existed {
			ch.NewSuppliers = append(ch.NewSuppliers, report.SupplierRef{ID: l.ID, Name: l.Name})
		} else {
			if b.Tier != l.Tier {
				ch.TierMoves = append(ch.TierMoves, report.TierMove{SupplierID: l.ID, Name: l.Name, From: b.Tier, To: l.Tier})
			}
			if b.Posture != nil && l.Posture != nil && *l.Posture < *b.Posture {
				ch.PostureDrops = append(ch.PostureDrops, report.PostureDrop{SupplierID: l.ID, Name: l.Name, From: *b.Posture, To: *l.Posture,
					Drop: math.Round((*b.Posture-*l.Posture)*100) / 100})
			}
		}
		if l.Status == "exited" && (!existed || b.Status != "exited") {
			ch.ExitedSuppliers = append(ch.ExitedSuppliers, report.SupplierRef{ID: l.ID, Name: l.Name})
		}
		was, is := openFlags(b), openFlags(l)
		for _, f := range l.Flags {
			if !was[f.Code] {
				ch.NewFlags = append(ch.NewFlags, report.FlagChange{SupplierID: l.ID, Name: l.Name, Code: f.Code})
			}
		}
		for _, f := range b.Flags {
			if !is[f.Code] {
				ch.ResolvedFlags = append(ch.ResolvedFlags, report.FlagChange{SupplierID: l.ID, Name: l.Name, Code: f.Code})
			}
		}
	}
	for _, b := range sortedLines(prev.Suppliers) {
		if _, still := now[b.ID]; !still { // archived since: gone from the register
			ch.ExitedSuppliers = append(ch.ExitedSuppliers, report.SupplierRef{ID: b.ID, Name: b.Name})
			for _, f := range b.Flags {
				ch.ResolvedFlags = append(ch.ResolvedFlags, report.FlagChange{SupplierID: b.ID, Name: b.Name, Code: f.Code})
			}
		}
	}
	sort.SliceStable(ch.PostureDrops, func(i, j int) bool { return ch.PostureDrops[i].Drop > ch.PostureDrops[j].Drop })
	if len(ch.PostureDrops) > 10 {
		ch.PostureDrops = ch.PostureDrops[:10]
	}
	return ch
}

func sortedLines(ls []report.SupplierLine) []report.SupplierLine {
	out := append([]report.SupplierLine(nil), ls...)
	sort.SliceStable(out, func(i, j int) bool {
		return strings.ToLower(out[i].Name)+out[i].ID < strings.ToLower(out[j].Name)+out[j].ID
	})
	return out
}

// trend is the flagged-supplier count of the last stored report of each of up to
// three earlier quarters, then this one.
func trend(sums []storeReportSummary, cur report.Snapshot) []report.TrendPoint {
	last := map[string]int{}
	var quarters []string
	for _, r := range sums {
		if r.Quarter >= cur.Quarter {
			continue
		}
		if _, ok := last[r.Quarter]; !ok {
			quarters = append(quarters, r.Quarter)
		}
		last[r.Quarter] = r.FlaggedSuppliers // sums are oldest first: the last revision wins
	}
	sort.Strings(quarters)
	if len(quarters) > 3 {
		quarters = quarters[len(quarters)-3:]
	}
	var out []report.TrendPoint
	for _, q := range quarters {
		out = append(out, report.TrendPoint{Quarter: q, FlaggedSuppliers: last[q]})
	}
	return append(out, report.TrendPoint{Quarter: cur.Quarter, FlaggedSuppliers: cur.Summary.FlaggedSuppliers})
}

// Local names for store rows used above, to keep signatures short.
type (
	storeAssessment    = store.AssessmentRow
	storeIncident      = store.IncidentRow
	storeReportSummary = store.ReportSummary
)
