package quarterly

import (
	"sort"
	"strconv"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/report"
	"github.com/weaklink/weaklink/internal/store"
)

// buildSummaryAndLines fills the portfolio summary, the supplier lines (ranked by
// register.Portfolio.RankKey, as /weak-links ranks) and the top weakest links.
func buildSummaryAndLines(snap *report.Snapshot, p register.Portfolio) {
	sm := report.Summary{Suppliers: len(p.Order)}
	status, tier, crit := map[string]int{}, map[string]int{}, map[string]int{}
	hist := make([]int, 11)
	records := map[string]int64{}
	holders := map[string]int{}
	names := map[string]string{}
	special := map[string]bool{}
	specialSuppliers := map[string]bool{}
	for _, h := range p.Holdings {
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
	all, byCategory := p.PeopleHeld()
	sm.People = report.People(all)
	var lines []report.SupplierLine
	for _, id := range p.Order {
		sup, r := p.Suppliers[id], p.Risks[id]
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
	// One ranking for every table: the order of GET /api/v1/weak-links.
	rank := make(map[string]string, len(lines))
	for _, l := range lines {
		rank[l.ID] = p.RankKey(l.ID)
	}
	sort.SliceStable(lines, func(i, j int) bool { return rank[lines[i].ID] < rank[lines[j].ID] })
	snap.Suppliers = lines
	for _, k := range register.SupplierStatuses {
		sm.ByStatus = append(sm.ByStatus, report.Count{Key: k, Count: status[k]})
	}
	for _, k := range register.Tiers {
		sm.ByTier = append(sm.ByTier, report.Count{Key: k, Count: tier[k]})
	}
	for _, k := range []string{"critical", "high", "medium", "low"} {
		sm.ByCriticality = append(sm.ByCriticality, report.Count{Key: k, Count: crit[k]})
	}
	for i := 0; i < 10; i++ {
		label := strconv.Itoa(i*10) + "–" + strconv.Itoa(i*10+9)
		if i == 9 {
			label = "90–100"
		}
		sm.PostureHistogram = append(sm.PostureHistogram, report.Count{Key: label, Count: hist[i]})
	}
	sm.PostureHistogram = append(sm.PostureHistogram, report.Count{Key: "unassessed", Count: hist[10]})
	sm.ByCategory = categoryTotals(byCategory, records, holders, names, special)
	snap.Summary = sm
	// The weakest links: the suppliers with an unaccepted flag, in the appendix's order
	// (which is the order of /weak-links).
	for _, l := range lines {
		if len(snap.WeakLinks) == topWeakLinks {
			break
		}
		if hasOpenFlag(l) {
			l.Rank = len(snap.WeakLinks) + 1
			snap.WeakLinks = append(snap.WeakLinks, l)
		}
	}
}

func hasOpenFlag(l report.SupplierLine) bool {
	for _, f := range l.Flags {
		if !f.Accepted {
			return true
		}
	}
	return false
}

func supplierLine(p register.Portfolio, id string) report.SupplierLine {
	sup, r := p.Suppliers[id], p.Risks[id]
	l := report.SupplierLine{ID: id, Name: sup.Name, Status: sup.Status, Criticality: sup.Criticality, Tier: r.Tier,
		InherentTier: r.InherentTier, Inherent: r.Inherent.Value, Posture: r.Posture.Value, PostureProvisional: r.PostureProvisional,
		EffectivePosture: p.Flags[id].EffectivePosture, Residual: r.Residual.Value, Categories: []string{}, Flags: []report.FlagLine{}}
	if r.NextReassessment != "" {
		due := r.NextReassessment
		l.NextReassessment = &due
	}
	if sup.Country != nil {
		l.Country = *sup.Country
	}
	if r.Assessment != nil && r.Assessment.SubmittedAt != nil {
		l.LastAssessed = r.Assessment.SubmittedAt.Format(time.DateOnly)
	}
	// What a breach there would expose: its data in care, held and received.
	l.Categories = append(l.Categories, p.CategoriesInCare(id)...)
	l.Records, l.People = r.InCare.Records, report.People(r.InCare.People)
	for _, v := range p.FlagViews(id) {
		l.Flags = append(l.Flags, report.FlagLine{Code: v.Code, Severity: v.Severity, Message: v.Message, Accepted: v.Accepted != nil})
	}
	return l
}

// categoryTotals totals each category's direct holdings: suppliers, records and the
// people those records are about.
func categoryTotals(people map[string]register.People, records map[string]int64, holders map[string]int, names map[string]string,
	special map[string]bool) []report.CategoryTotal {
	var out []report.CategoryTotal
	for k := range records {
		out = append(out, report.CategoryTotal{Key: k, Name: names[k], SpecialCategory: special[k], Suppliers: holders[k],
			Records: records[k], People: report.People(people[k])})
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
func exposureMatrix(p register.Portfolio) report.ExposureMatrix {
	records, holders, names, special := map[string]int64{}, map[string]int{}, map[string]string{}, map[string]bool{}
	bySupplier := map[string]map[string]int64{}
	for _, h := range p.Holdings {
		records[h.CategoryKey] += h.RecordCount
		holders[h.CategoryKey]++
		names[h.CategoryKey] = h.CategoryName
		special[h.CategoryKey] = h.SpecialCategory || h.CriminalOffence
		if bySupplier[h.SupplierID] == nil {
			bySupplier[h.SupplierID] = map[string]int64{}
		}
		bySupplier[h.SupplierID][h.CategoryKey] += h.RecordCount
	}
	_, byCategory := p.PeopleHeld()
	m := report.ExposureMatrix{Categories: categoryTotals(byCategory, records, holders, names, special), Rows: []report.ExposureRow{}}
	for _, id := range p.Order { // name order
		held := bySupplier[id]
		if held == nil {
			continue
		}
		row := report.ExposureRow{SupplierID: id, Name: p.Suppliers[id].Name, Records: make([]int64, len(m.Categories))}
		for i, c := range m.Categories {
			row.Records[i] = held[c.Key]
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

func assessmentsSection(p register.Portfolio, done []store.AssessmentRow) report.AssessmentsSection {
	sec := report.AssessmentsSection{Completed: []report.AssessmentLine{}, Overdue: []report.DueLine{}, NeverAssessed: []report.SupplierRef{}}
	for _, a := range done {
		sup, ok := p.Suppliers[a.SupplierID]
		if !ok || a.SubmittedAt == nil {
			continue
		}
		sec.Completed = append(sec.Completed, report.AssessmentLine{SupplierID: a.SupplierID, Name: sup.Name,
			SubmittedOn: a.SubmittedAt.UTC().Format(time.DateOnly), Status: a.Status, Score: a.Score})
	}
	for _, id := range p.Order {
		r := p.Risks[id]
		switch {
		case r.Assessment == nil && len(p.Categories[id]) > 0:
			sec.NeverAssessed = append(sec.NeverAssessed, report.SupplierRef{ID: id, Name: p.Suppliers[id].Name})
		case r.ReassessOverdue:
			sec.Overdue = append(sec.Overdue, report.DueLine{SupplierID: id, Name: p.Suppliers[id].Name, Tier: r.InherentTier, DueOn: r.NextReassessment})
		}
	}
	return sec
}

// incidentLines gives each incident of the quarter its impact, computed from the
// portfolio already loaded (no query per incident).
func incidentLines(p register.Portfolio, incidents []store.IncidentRow) []report.IncidentLine {
	ids := make([]string, len(incidents))
	for i, in := range incidents {
		ids[i] = in.SupplierID
	}
	reach := p.ReachOf(ids)
	out := []report.IncidentLine{}
	for _, in := range incidents {
		line := report.IncidentLine{ID: in.ID, SupplierID: in.SupplierID, Summary: in.Summary, Status: in.Status,
			AwareAt: in.AwareAt.UTC(), RegulatorDeadline: in.AwareAt.UTC().Add(register.RegulatorDeadline),
			Categories: []string{}, Subprocessors: []string{}}
		if t := in.RegulatorNotifiedAt; t != nil {
			u := t.UTC()
			line.RegulatorNotifiedAt = &u
		}
		line.SupplierName = p.Suppliers[in.SupplierID].Name
		r, live := reach[in.SupplierID]
		if !live {
			out = append(out, line) // archived: the register records no data there
			continue
		}
		for c, n := range r.Records {
			line.Categories = append(line.Categories, c)
			line.Records += n
		}
		sort.Strings(line.Categories)
		line.People = report.People(r.People)
		line.SpecialCategory, line.Subprocessors = r.SpecialCategory, r.Subprocessors
		out = append(out, line)
	}
	return out
}

// expiringSection lists contracts and certifications ending in the quarter after this one.
func expiringSection(p register.Portfolio, nextStart time.Time) report.ExpiringSection {
	from, to := nextStart.Format(time.DateOnly), nextStart.AddDate(0, 3, -1).Format(time.DateOnly)
	sec := report.ExpiringSection{From: from, To: to, Contracts: []report.Expiry{}, Certifications: []report.Expiry{}}
	for _, id := range p.Order {
		sup := p.Suppliers[id]
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

func acceptedRisks(p register.Portfolio) []report.AcceptedRisk {
	out := []report.AcceptedRisk{}
	for _, id := range p.Order {
		var codes []string
		for c := range p.Accepted[id] {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			a := p.Accepted[id][c]
			out = append(out, report.AcceptedRisk{SupplierID: id, Name: p.Suppliers[id].Name, Flag: c, Reason: a.Reason, ExpiresAt: *a.ExpiresAt})
		}
	}
	return out
}
