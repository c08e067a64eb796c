package register

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// The risk projection: every supplier's figures, flags and data in care per category,
// stored (store.RiskRow) and kept current inside the write transaction that changes
// their inputs, so that reading a supplier's risk, a page of weak links or a
// risk-ordered list is a few indexed reads however large the register. The figures
// are computed by the same code as ever (loadPortfolio, scoring); the projection only
// decides which suppliers to recompute:
//
//   - the suppliers a write names (the supplier, both ends of a link);
//   - every supplier upstream of one whose name, posture, liveness or onward links
//     changed (they list it among their sub-processors: fingerprint_up);
//   - every supplier downstream of one whose name, liveness, onward links or data in
//     care changed (what reaches them comes through it: fingerprint_down);
//   - when the portfolio statistics move, every supplier whose portfolio-relative
//     flags can flip, found by indexed range reads, whose relative flags are
//     re-evaluated from the inputs stored with its figures.
//
// Dates take effect without a write: each row carries valid_until, the earliest
// moment one of its inputs changes by date (a certification expiring, here or at a
// sub-processor downstream; a retention date or a reassessment falling due; an
// acceptance expiring; an open incident's age reaching the next hour). Reads recompute
// rows past that moment, and serve's background task stores them.

// storedRisk is what a projection row keeps of a supplier's risk, as JSON.
type storedRisk struct {
	Risk Risk
}

// relativeInputs are what the portfolio-relative flags and statistics read of a
// supplier: its status and posture (trails_portfolio), its data in care per category
// (concentration), and its direct holdings per category (the category totals).
type relativeInputs struct {
	Status  string
	Posture *float64
	Care    []scoring.HoldingFacts // aggregated per category and received/held
	Held    []scoring.HoldingFacts // aggregated per category
}

// projected is one supplier's computed projection before it is stored.
type projected struct {
	sup      Supplier
	live     bool
	risk     Risk // Flags and EffectivePosture filled
	rel      relativeInputs
	accepted map[string]Acceptance // flag code → acceptance in force
	care     []store.RiskCareRow
	up, down string // fingerprints
	valid    *time.Time
	inputs   string // the report's inputs, JSON (reportInputs)
}

// errRiskNotBuilt answers reads while the projection has not been built yet.
func errRiskNotBuilt() error {
	return Errorf(CodeUnavailable, "Risk figures are being computed (after an upgrade or a change of scoring settings); retry in a few seconds.")
}

// figuresKey names what stored figures were computed under: the methodology version
// and every scoring and flag setting. Figures stored under another key are stale:
// reads answer as if unbuilt and serve's upkeep (or BuildRiskIfNeeded) recomputes
// them, so a changed setting never leaves figures computed with the old one.
func (s *Service) figuresKey() string {
	return MethodologyVersion + " " + fingerprint(projectionFormat, mustJSON(s.scoring), mustJSON(s.flagCfg))
}

// projectionFormat versions what a stored row holds (storedRisk, relativeInputs,
// reportInputs, the statistics): a release that changes it changes this, and the
// figures are recomputed when it starts.
const projectionFormat = "2"

// projectionCurrent says whether stored figures built under methodology can be
// served by this service: built, and under its methodology and settings (an empty
// methodology is the empty register the migration built).
func (s *Service) projectionCurrent(built bool, methodology string) bool {
	return built && (methodology == "" || methodology == s.figuresKey())
}

// riskState reads the projection's state and statistics: built only when built under
// this service's methodology and settings.
func (s *Service) riskState(tx *store.Tx) (built bool, st scoring.Statistics, err error) {
	row, err := tx.RiskState()
	if err != nil {
		return false, st, err
	}
	if !s.projectionCurrent(row.Built, row.Methodology) {
		return false, st, nil
	}
	if err := json.Unmarshal([]byte(row.Statistics), &st); err != nil {
		return false, st, fmt.Errorf("risk statistics: %w", err)
	}
	return true, st, nil
}

// computeProjection computes the projection of the given suppliers (archived ones
// included) against the given statistics, from the part of the register their
// figures depend on: everything upstream of them (their data in care: names, edges
// and holdings) and everything downstream (their sub-processors: names, edges and
// postures). A posture downstream comes from fresh (projections computed earlier in
// the same write), else from its stored row while valid, else is computed here.
func (s *Service) computeProjection(tx *store.Tx, now time.Time, ids []string, stats scoring.Statistics,
	fresh map[string]*projected) (map[string]*projected, error) {
	up, err := tx.SupplyChain(ids, store.Upstream)
	if err != nil {
		return nil, err
	}
	down, err := tx.SupplyChain(ids, store.Downstream)
	if err != nil {
		return nil, err
	}
	target := make(map[string]bool, len(ids))
	for _, id := range ids {
		target[id] = true
	}
	part := &partLoad{scope: unionOf(up, down), full: append([]string(nil), ids...), postures: map[string]*float64{}}
	var others []string
	for _, id := range down {
		if target[id] {
			continue
		}
		if pr := fresh[id]; pr != nil {
			part.postures[id] = pr.risk.Posture.Value
			continue
		}
		others = append(others, id)
	}
	stored, err := tx.StoredPostures(others)
	if err != nil {
		return nil, err
	}
	valid := make(map[string]bool, len(stored))
	for _, r := range stored {
		if r.ValidUntil == nil || r.ValidUntil.After(now) {
			part.postures[r.SupplierID], valid[r.SupplierID] = r.Posture, true
		}
	}
	for _, id := range others {
		if !valid[id] {
			part.full = append(part.full, id) // no valid stored figures: computed here
		}
	}
	part.held = unionOf(up, part.full)
	p, err := s.loadPortfolio(tx, now, part, &stats)
	if err != nil {
		return nil, err
	}
	rows, err := tx.SuppliersIn(ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*projected, len(rows))
	for _, r := range rows {
		out[r.ID] = s.projectOne(p, supplierFromRow(r), now)
	}
	return out, nil
}

// projectOne builds one supplier's projection from a portfolio that holds everything
// upstream and downstream of it (or, for an archived supplier, from nothing).
func (s *Service) projectOne(p Portfolio, sup Supplier, now time.Time) *projected {
	pr := &projected{sup: sup, accepted: map[string]Acceptance{}}
	today := now.Format(time.DateOnly)
	if _, live := p.Suppliers[sup.ID]; !live || sup.ArchivedAt != nil {
		pr.risk = s.riskOf(sup, riskInputs{}, today)
		pr.risk.Flags = []FlagView{}
		pr.rel = relativeInputs{Status: sup.Status, Care: []scoring.HoldingFacts{}, Held: []scoring.HoldingFacts{}}
		pr.up = fingerprint("archived", sup.ID)
		pr.down = pr.up
		pr.inputs = mustJSON(reportInputs{Supplier: reportSupplier{ID: sup.ID, Name: sup.Name, Criticality: sup.Criticality,
			Status: sup.Status}, Holdings: []heldInput{}, InCare: []string{}, Accepted: map[string]Acceptance{}})
		return pr
	}
	pr.live = true
	pr.risk = p.Risks[sup.ID]
	pr.risk.Flags, pr.risk.EffectivePosture = p.FlagViews(sup.ID), p.Flags[sup.ID].EffectivePosture
	pr.risk.Assessment = trimAssessment(pr.risk.Assessment)
	for code, a := range p.Accepted[sup.ID] {
		pr.accepted[code] = a
	}
	f := p.facts[sup.ID]
	pr.rel = relativeInputs{Status: sup.Status, Posture: pr.risk.Posture.Value, Care: aggregate(f.InCare, true), Held: aggregate(f.Holdings, false)}
	recs := map[string]int64{}
	var cats []string
	for _, h := range f.InCare {
		if _, ok := recs[h.Category]; !ok {
			cats = append(cats, h.Category)
		}
		recs[h.Category] = satAdd(recs[h.Category], max(0, h.Records))
	}
	for _, c := range cats {
		pr.care = append(pr.care, store.RiskCareRow{SupplierID: sup.ID, CategoryKey: c, Records: recs[c]})
	}
	out := p.edgesFrom[sup.ID]
	onward := make([]string, 0, len(out))
	for _, e := range out {
		cap := "all"
		if e.RecordCount != nil {
			cap = fmt.Sprint(*e.RecordCount)
		}
		auth := ""
		if e.AuthorisedAt != nil {
			auth = *e.AuthorisedAt
		}
		onward = append(onward, e.To+"/"+e.Category+"/"+cap+"/"+auth)
	}
	sort.Strings(onward)
	posture := "none"
	if v := pr.risk.Posture.Value; v != nil {
		posture = fmt.Sprint(*v)
	}
	pr.up = fingerprint("live", sup.Name, posture, strings.Join(onward, ","))
	items := make([]string, 0, len(p.care.items[sup.ID]))
	for _, it := range p.care.items[sup.ID] {
		items = append(items, fmt.Sprintf("%s/%s/%d/%s", it.HoldingID, it.Category, it.Arriving, strings.Join(it.DataSubjects, ";")))
	}
	pr.down = fingerprint("live", sup.Name, strings.Join(onward, ","), strings.Join(items, ","))
	pr.valid = validUntil(p, sup.ID, now)
	pr.inputs = mustJSON(reportInputsOf(p, sup))
	return pr
}

// mustJSON encodes what the register itself built (maps, slices, strings, numbers):
// it cannot fail.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("encode %T: %v", v, err))
	}
	return string(b)
}

// trimAssessment keeps of the latest assessment what the risk answer shows: no
// answers, comments or evidence, and of its score the figure, the failed critical
// controls and the domains (not each answer's score, nor the breakdown).
func trimAssessment(a *Assessment) *Assessment {
	if a == nil {
		return nil
	}
	out := &Assessment{AssessmentFields: AssessmentFields{QuestionnaireID: a.QuestionnaireID}, ID: a.ID,
		SupplierID: a.SupplierID, Status: a.Status, SubmittedAt: a.SubmittedAt}
	if sc := a.Score; sc != nil {
		out.Score = &AssessmentScore{Score: sc.Score, Raw: sc.Raw, FailedCritical: sc.FailedCritical, Domains: sc.Domains,
			Methodology: sc.Methodology}
	}
	return out
}

// aggregate sums holding facts per category (and, when byReceived, per held or
// received), keeping what the relative flags and the category totals read. Data in
// care keeps its order of first appearance (the flag messages list categories in
// that order; the data in care's order is fixed); direct holdings are sorted.
func aggregate(hs []scoring.HoldingFacts, byReceived bool) []scoring.HoldingFacts {
	idx := map[string]int{}
	out := []scoring.HoldingFacts{}
	for _, h := range hs {
		key := h.Category
		if byReceived {
			key += fmt.Sprint("/", h.Received)
		}
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, scoring.HoldingFacts{Category: h.Category, CategoryName: h.CategoryName, Received: byReceived && h.Received})
		}
		out[i].Special = out[i].Special || h.Special
		out[i].Records = satAdd(out[i].Records, max(0, h.Records))
	}
	if !byReceived { // direct holdings come in no particular order
		sort.Slice(out, func(i, j int) bool { return out[i].Category < out[j].Category })
	}
	return out
}

func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// validUntil is the earliest moment after now at which one of the supplier's inputs
// changes by date alone; nil when none does.
func validUntil(p Portfolio, id string, now time.Time) *time.Time {
	var best *time.Time
	consider := func(t time.Time) {
		if t.After(now) && (best == nil || t.Before(*best)) {
			best = &t
		}
	}
	dayAfter := func(date string) {
		if d, err := time.Parse(time.DateOnly, date); err == nil {
			consider(d.AddDate(0, 0, 1))
		}
	}
	f := p.facts[id]
	certsOf := func(sid string) {
		for _, c := range p.Suppliers[sid].Certifications {
			dayAfter(c.ExpiresAt) // a certificate is valid on its expiry date
		}
	}
	certsOf(id)
	for _, d := range f.Downstream {
		certsOf(d.SupplierID)
	}
	for _, h := range f.Holdings {
		dayAfter(h.RetentionUntil)
	}
	if r := p.Risks[id]; r.NextReassessment != "" {
		dayAfter(r.NextReassessment)
	}
	for _, a := range p.Accepted[id] {
		if a.ExpiresAt != nil {
			consider(*a.ExpiresAt)
		}
	}
	for _, in := range f.OpenIncidents {
		// the message says how long it has been open, in whole hours
		open := now.Sub(in.AwareAt)
		if open < 0 {
			consider(in.AwareAt.Add(time.Hour))
			continue
		}
		consider(in.AwareAt.Add((open/time.Hour + 1) * time.Hour))
	}
	return best
}

// rowOf derives the stored row, flag rows and care rows of a projection.
func rowOf(pr *projected, now time.Time) (store.RiskRow, []store.RiskFlagRow, error) {
	r := pr.risk
	if r.Flags == nil {
		r.Flags = []FlagView{}
	}
	sum := r.summary()
	figures, err := json.Marshal(storedRisk{Risk: r})
	if err != nil {
		return store.RiskRow{}, nil, err
	}
	summary, err := json.Marshal(listSummary{RiskSummary: sum, EffectivePosture: r.EffectivePosture, Flags: r.Flags})
	if err != nil {
		return store.RiskRow{}, nil, err
	}
	rel, err := json.Marshal(pr.rel)
	if err != nil {
		return store.RiskRow{}, nil, err
	}
	row := store.RiskRow{SupplierID: pr.sup.ID, Live: pr.live, Residual: r.Residual.Value, Inherent: r.Inherent.Value,
		Posture: r.Posture.Value, Tier: r.Tier, ValidUntil: pr.valid, Summary: string(summary), Figures: string(figures),
		RelativeInputs: string(rel), ReportInputs: pr.inputs, FingerprintUp: pr.up, FingerprintDown: pr.down, ComputedAt: now}
	if pr.live && scoring.InOutlierPopulation(pr.sup.Status, r.Posture.Value) {
		row.OutlierPosture = r.Posture.Value
	}
	worst := 0
	var flags []store.RiskFlagRow
	for _, v := range r.Flags {
		flags = append(flags, store.RiskFlagRow{SupplierID: pr.sup.ID, Code: v.Code, Severity: v.Severity, Accepted: v.Accepted != nil})
		if v.Accepted == nil {
			row.OpenFlags++
			worst = max(worst, scoring.SeverityRank(v.Severity))
		}
	}
	sr := supplierToRow(pr.sup)
	row.RankKey = storedKey(rankKey(r.Residual.Value, worst, pr.sup.Name, pr.sup.ID))
	row.PosResidual = storedKey(riskPosition("residual_risk", false, sum, sr))
	row.PosResidualDesc = storedKey(riskPosition("residual_risk", true, sum, sr))
	row.PosInherent = storedKey(riskPosition("inherent_risk", false, sum, sr))
	row.PosInherentDesc = storedKey(riskPosition("inherent_risk", true, sum, sr))
	row.PosPosture = storedKey(riskPosition("posture", false, sum, sr))
	row.PosPostureDesc = storedKey(riskPosition("posture", true, sum, sr))
	return row, flags, nil
}

// storedKey makes an ordering key storable on PostgreSQL, whose text holds no NUL:
// the separator becomes \x01, which sorts the same way against every character a
// name may hold.
func storedKey(k string) string { return strings.ReplaceAll(k, "\x00", "\x01") }

// rankKey is RankKey's string from its parts.
func rankKey(residual float64, worst int, name, id string) string {
	res := min(max(int64(math.Round(residual*100)), 0), 10_000)
	return fmt.Sprintf("%05d%d\x00%s\x00%s", 10_000-res, 9-worst, strings.ToLower(name), id)
}

// riskFromRow decodes a stored row's risk.
func riskFromRow(row store.RiskRow) (Risk, error) {
	var sr storedRisk
	if err := decodeStored(row.Figures, &sr); err != nil {
		return Risk{}, fmt.Errorf("stored risk of %s: %w", row.SupplierID, err)
	}
	if sr.Risk.Flags == nil {
		sr.Risk.Flags = []FlagView{}
	}
	return sr.Risk, nil
}

// decodeStored decodes a stored row's JSON column, which encoding/json wrote, with
// github.com/go-json-experiment/json (BSD-3-Clause; the decoder proposed as
// encoding/json/v2): about four times faster on these columns, which every list page
// decodes fifty of. Its defaults read what encoding/json writes for these types
// (exact Go field names, embedded structs inlined, RFC 3339 times, no durations);
// TestStoredColumnsDecodeAsEncodingJSONWould holds the two decoders equal on them.
func decodeStored(column string, v any) error {
	return jsonv2.Unmarshal([]byte(column), v)
}

// listSummary is a stored row's summary column: what a supplier list shows of each
// supplier's risk, and what a weak-links item shows beside it, so that neither
// decodes the whole figures.
type listSummary struct {
	RiskSummary
	EffectivePosture *float64
	Flags            []FlagView
}

// summaryFromRow decodes a stored row's list summary.
func summaryFromRow(row store.RiskRow) (RiskSummary, error) {
	var sum RiskSummary // the flags beside it are skipped, not decoded
	if err := decodeStored(row.Summary, &sum); err != nil {
		return sum, fmt.Errorf("stored risk summary of %s: %w", row.SupplierID, err)
	}
	return sum, nil
}

// listSummaryFromRow decodes a stored row's summary column.
func listSummaryFromRow(row store.RiskRow) (listSummary, error) {
	var ls listSummary
	if err := decodeStored(row.Summary, &ls); err != nil {
		return ls, fmt.Errorf("stored risk summary of %s: %w", row.SupplierID, err)
	}
	if ls.Flags == nil {
		ls.Flags = []FlagView{}
	}
	return ls, nil
}

func unionOf(lists ...[]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, id := range l {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// requireBuilt answers CodeUnavailable while the projection is unbuilt.
func (s *Service) requireBuilt(tx *store.Tx) error {
	row, err := tx.RiskState() // the statistics are not needed: not decoded
	if err == nil && !s.projectionCurrent(row.Built, row.Methodology) {
		return errRiskNotBuilt()
	}
	return err
}

// riskSummaries reads the list summaries of the given suppliers from the projection,
// recomputing those past their valid_until.
func (s *Service) riskSummaries(tx *store.Tx, ids []string, now time.Time) (map[string]RiskSummary, error) {
	built, stats, err := s.riskState(tx)
	if err != nil {
		return nil, err
	}
	if !built {
		return nil, errRiskNotBuilt()
	}
	rows, err := tx.RiskRowsOf(ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]RiskSummary, len(ids))
	var stale []string
	for _, r := range rows {
		if r.ValidUntil != nil && !r.ValidUntil.After(now) {
			stale = append(stale, r.SupplierID)
			continue
		}
		if out[r.SupplierID], err = summaryFromRow(r); err != nil {
			return nil, err
		}
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok && !slices.Contains(stale, id) {
			stale = append(stale, id)
		}
	}
	if len(stale) > 0 {
		prs, err := s.computeProjection(tx, now, stale, stats, nil)
		if err != nil {
			return nil, err
		}
		for id, pr := range prs {
			out[id] = pr.risk.summary()
		}
	}
	return out, nil
}

// refreshIfExpired brings every stored row past its valid_until up to date before a
// list or ranking is read (one indexed read when none is).
func (s *Service) refreshIfExpired(ctx context.Context) error {
	var expired bool
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		ids, err := tx.RiskExpired(s.now(), 1)
		expired = len(ids) > 0
		return err
	})
	if err != nil || !expired {
		return err
	}
	_, err = s.RefreshRisk(ctx)
	return err
}
