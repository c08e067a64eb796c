package register

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// riskChange names what a write changed, for the projection's maintenance.
type riskChange struct {
	suppliers []string    // suppliers whose own inputs changed
	links     [][2]string // links added, changed or removed: from, to
	all       bool        // every supplier (a data category's sensitivity or name changed)
}

// maintainRisk brings the projection up to date with a write, inside the write's
// transaction (see projection.go for which suppliers it recomputes), as of the
// moment read here — after the write lock, so the history's moments follow the order
// in which writes commit. It does nothing while the projection is unbuilt: building
// it computes everything.
func (s *Service) maintainRisk(tx *store.Tx, ch riskChange) error {
	return s.maintainRiskAt(tx, s.now(), ch)
}

// maintainRiskAt is maintainRisk as of a given moment.
func (s *Service) maintainRiskAt(tx *store.Tx, now time.Time, ch riskChange) error {
	built, stats, err := s.riskState(tx)
	if err != nil {
		return err
	}
	if !built {
		return s.supersede(tx)
	}
	if err := s.claimFigures(tx); err != nil {
		return err
	}
	if ch.all {
		_, err := s.rebuildRisk(tx, now)
		return err
	}
	forceUp, forceDown := []string{}, []string{}
	for _, l := range ch.links {
		forceUp, forceDown = append(forceUp, l[0], l[1]), append(forceDown, l[0], l[1])
	}
	first := unionOf(ch.suppliers, forceUp, forceDown)
	if len(first) == 0 {
		return nil
	}
	if len(first) > wholeRegisterAbove {
		return s.recomputeAll(tx, now, stats)
	}
	old, err := storedRows(tx, first)
	if err != nil {
		return err
	}
	prs, err := s.computeProjection(tx, now, first, stats, nil)
	if err != nil {
		return err
	}
	up, down := forceUp, forceDown
	for id, pr := range prs {
		o, had := old[id]
		if !had || o.FingerprintUp != pr.up {
			up = append(up, id)
		}
		if !had || o.FingerprintDown != pr.down {
			down = append(down, id)
		}
	}
	if err := s.propagate(tx, now, stats, prs, old, up, down); err != nil {
		return err
	}
	return s.settle(tx, now, stats, prs, old)
}

// supersede marks figures built under another methodology or other settings (by a
// process configured differently on the same database) as needing a rebuild, since
// this write is not reflected in them: every process then answers figure reads with
// CodeUnavailable until one rebuilds them. The history is kept.
func (s *Service) supersede(tx *store.Tx) error {
	row, err := tx.RiskState()
	if err != nil || !row.Built || row.Methodology == supersededFigures {
		return err
	}
	row.Methodology = supersededFigures
	return tx.SaveRiskState(row)
}

// supersededFigures is the methodology recorded on figures a write could not
// maintain: it matches no process's settings.
const supersededFigures = "superseded"

// claimFigures records this service's methodology and settings on figures built
// while the register was empty (by the migration, which cannot know them).
func (s *Service) claimFigures(tx *store.Tx) error {
	row, err := tx.RiskState()
	if err != nil || row.Methodology != "" {
		return err
	}
	row.Methodology = s.figuresKey()
	return tx.SaveRiskState(row)
}

// propagate computes the suppliers upstream of up and downstream of down that are
// not computed yet.
func (s *Service) propagate(tx *store.Tx, now time.Time, stats scoring.Statistics, prs map[string]*projected,
	old map[string]store.RiskRow, up, down []string) error {
	ups, err := tx.SupplyChain(up, store.Upstream)
	if err != nil {
		return err
	}
	downs, err := tx.SupplyChain(down, store.Downstream)
	if err != nil {
		return err
	}
	var next []string
	for _, id := range unionOf(ups, downs) {
		if prs[id] == nil {
			next = append(next, id)
		}
	}
	if len(next) == 0 {
		return nil
	}
	more, err := s.computeProjection(tx, now, next, stats, prs)
	if err != nil {
		return err
	}
	olds, err := storedRows(tx, next)
	if err != nil {
		return err
	}
	for id, pr := range more {
		prs[id] = pr
	}
	for id, o := range olds {
		old[id] = o
	}
	return nil
}

// settle updates the portfolio statistics with the recomputed suppliers, re-raises
// the portfolio-relative flags wherever they can change, and stores every row that
// differs from what was stored.
func (s *Service) settle(tx *store.Tx, now time.Time, stats scoring.Statistics, prs map[string]*projected, old map[string]store.RiskRow) error {
	next, err := s.nextStatistics(tx, stats, prs, old)
	if err != nil {
		return err
	}
	changed := !reflect.DeepEqual(next, stats)
	if changed {
		today := now.Format(time.DateOnly)
		for _, pr := range prs {
			s.reraiseRelative(pr, next, today)
		}
		cands, err := s.relativeCandidates(tx, stats, next, prs)
		if err != nil {
			return err
		}
		if len(cands) > 0 {
			more, err := s.loadStoredProjections(tx, cands, now)
			if err != nil {
				return err
			}
			for id, pr := range more {
				s.reraiseRelative(pr, next, today)
				prs[id] = pr
			}
			olds, err := storedRows(tx, cands)
			if err != nil {
				return err
			}
			for id, o := range olds {
				old[id] = o
			}
		}
	}
	if err := saveProjections(tx, prs, old, now); err != nil {
		return err
	}
	if changed {
		return s.saveStatistics(tx, next, now)
	}
	return nil
}

// nextStatistics recomputes the outlier statistics when an outlier posture changed,
// and the totals of the categories whose direct holdings changed.
func (s *Service) nextStatistics(tx *store.Tx, stats scoring.Statistics, prs map[string]*projected, old map[string]store.RiskRow) (scoring.Statistics, error) {
	next := scoring.Statistics{Outlier: stats.Outlier, Categories: map[string]scoring.CategoryTotal{}}
	for k, v := range stats.Categories {
		next.Categories[k] = v
	}
	postureMoved := false
	recount := map[string]bool{} // categories whose totals saturate: recomputed from the holdings
	for id, pr := range prs {
		o, had := old[id]
		var was relativeInputs
		if had {
			_ = json.Unmarshal([]byte(o.RelativeInputs), &was)
		}
		var now *float64
		if pr.live && scoring.InOutlierPopulation(pr.sup.Status, pr.risk.Posture.Value) {
			now = pr.risk.Posture.Value
		}
		if !had || !sameFloat(o.OutlierPosture, now) {
			postureMoved = true
		}
		before, after := heldOf(was), heldOf(pr.rel)
		if !reflect.DeepEqual(before, after) {
			for _, h := range append(before, after...) {
				if next.Categories[h.Category].Records == math.MaxInt64 {
					recount[h.Category] = true // saturated before the move
				}
			}
			scoring.MoveCategoryTotals(next.Categories, before, after)
			for _, h := range append(before, after...) {
				if next.Categories[h.Category].Records == math.MaxInt64 || h.Records == math.MaxInt64 {
					recount[h.Category] = true
				}
			}
		}
	}
	if postureMoved {
		except := map[string]bool{}
		var postures []float64
		for id, pr := range prs {
			except[id] = true
			if pr.live && scoring.InOutlierPopulation(pr.sup.Status, pr.risk.Posture.Value) {
				postures = append(postures, *pr.risk.Posture.Value)
			}
		}
		others, err := tx.OutlierPostures(except)
		if err != nil {
			return next, err
		}
		next.Outlier = scoring.OutlierStatisticsOf(append(postures, others...), s.flagCfg)
	}
	if len(recount) > 0 {
		keys := make([]string, 0, len(recount))
		for k := range recount {
			keys = append(keys, k)
			delete(next.Categories, k)
		}
		sort.Strings(keys)
		hs, err := tx.HoldingsOfCategories(keys)
		if err != nil {
			return next, err
		}
		for k, t := range scoring.CategoryTotals(holdingsBySupplier(hs)) {
			next.Categories[k] = t
		}
	}
	return next, nil
}

// heldOf is the direct holdings as the category totals read them, in a fixed order.
func heldOf(r relativeInputs) []scoring.HoldingFacts {
	out := slices.Clone(r.Held)
	sort.Slice(out, func(i, j int) bool { return out[i].Category < out[j].Category })
	if out == nil {
		out = []scoring.HoldingFacts{}
	}
	return out
}

// holdingsBySupplier groups holdings into facts (direct holdings only), in a fixed order.
func holdingsBySupplier(hs []store.RiskHolding) []scoring.SupplierFacts {
	idx := map[string]int{}
	var out []scoring.SupplierFacts
	for _, h := range hs {
		i, ok := idx[h.SupplierID]
		if !ok {
			i = len(out)
			idx[h.SupplierID] = i
			out = append(out, scoring.SupplierFacts{ID: h.SupplierID})
		}
		out[i].Holdings = append(out[i].Holdings, scoring.HoldingFacts{Category: h.CategoryKey, CategoryName: h.CategoryName,
			Special: h.SpecialCategory || h.CriminalOffence, Records: h.RecordCount})
	}
	return out
}

func sameFloat(a, b *float64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// relativeCandidates finds, by indexed range reads, the suppliers not recomputed yet
// whose portfolio-relative flags can change between two sets of statistics: every
// posture that trails or could trail under either, and every supplier holding more
// than the concentration share of a category under either total.
func (s *Service) relativeCandidates(tx *store.Tx, was, next scoring.Statistics, done map[string]*projected) ([]string, error) {
	var out []string
	add := func(ids []string) {
		for _, id := range ids {
			if done[id] == nil {
				out = append(out, id)
			}
		}
	}
	if !reflect.DeepEqual(was.Outlier, next.Outlier) {
		a, b := was.Outlier.TrailsBelow(s.flagCfg), next.Outlier.TrailsBelow(s.flagCfg)
		if a != nil || b != nil {
			bound := math0(a, b)
			ids, err := tx.OutlierPosturesAtMost(bound)
			if err != nil {
				return nil, err
			}
			add(ids)
		}
	}
	keys := unionOf(keysOf(was.Categories), keysOf(next.Categories))
	sort.Strings(keys)
	for _, k := range keys {
		a, b := was.Categories[k], next.Categories[k]
		if a == b {
			continue
		}
		least := min(a.Records, b.Records)
		if a.Records == 0 || b.Records == 0 {
			least = max(a.Records, b.Records)
		}
		threshold := int64(float64(least) * s.flagCfg.ConcentrationShare)
		ids, err := tx.CareAbove(k, max(0, threshold-1))
		if err != nil {
			return nil, err
		}
		add(ids)
	}
	return unionOf(out), nil
}

// math0 is the larger of two optional bounds.
func math0(a, b *float64) float64 {
	switch {
	case a == nil:
		return *b
	case b == nil:
		return *a
	}
	return max(*a, *b)
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// reraiseRelative replaces the portfolio-relative flags of a projection with those
// raised against the statistics.
func (s *Service) reraiseRelative(pr *projected, stats scoring.Statistics, today string) {
	if !pr.live {
		return
	}
	facts := scoring.SupplierFacts{ID: pr.sup.ID, Status: pr.rel.Status, Posture: pr.rel.Posture, InCare: pr.rel.Care}
	fresh := scoring.RelativeFlags(facts, stats, today, s.scoring, s.flagCfg)
	relative := scoring.RelativeFlagCodes()
	kept := []FlagView{}
	for _, v := range pr.risk.Flags {
		if !slices.Contains(relative, v.Code) {
			kept = append(kept, v)
		}
	}
	for _, f := range fresh {
		v := FlagView{Flag: Flag(f)}
		if a, ok := pr.accepted[f.Code]; ok {
			v.Accepted = &a
		}
		kept = append(kept, v)
	}
	order := map[string]int{}
	for i, c := range scoring.FlagCodes() {
		order[c] = i
	}
	sort.SliceStable(kept, func(i, j int) bool { return order[kept[i].Code] < order[kept[j].Code] })
	pr.risk.Flags = kept
}

// loadStoredProjections reads stored projections back (for re-raising their relative
// flags): their figures, relative inputs, acceptances in force and fingerprints.
func (s *Service) loadStoredProjections(tx *store.Tx, ids []string, now time.Time) (map[string]*projected, error) {
	rows, err := tx.RiskRowsOf(ids)
	if err != nil {
		return nil, err
	}
	sups, err := tx.SuppliersIn(ids)
	if err != nil {
		return nil, err
	}
	acc, err := tx.ActiveAcceptancesOf(ids, now)
	if err != nil {
		return nil, err
	}
	bySup := map[string]Supplier{}
	for _, r := range sups {
		bySup[r.ID] = supplierFromRow(r)
	}
	out := map[string]*projected{}
	for _, row := range rows {
		r, err := riskFromRow(row)
		if err != nil {
			return nil, err
		}
		pr := &projected{sup: bySup[row.SupplierID], live: row.Live, risk: r, accepted: map[string]Acceptance{},
			up: row.FingerprintUp, down: row.FingerprintDown, valid: row.ValidUntil, inputs: row.ReportInputs}
		if err := json.Unmarshal([]byte(row.RelativeInputs), &pr.rel); err != nil {
			return nil, fmt.Errorf("stored relative inputs of %s: %w", row.SupplierID, err)
		}
		out[row.SupplierID] = pr
	}
	for _, a := range acc {
		if pr := out[a.SupplierID]; pr != nil {
			pr.accepted[a.FlagCode] = acceptanceFromRow(a)
		}
	}
	care, err := tx.RiskCareOf(ids)
	if err != nil {
		return nil, err
	}
	for _, c := range care {
		if pr := out[c.SupplierID]; pr != nil {
			pr.care = append(pr.care, c)
		}
	}
	return out, nil
}

func storedRows(tx *store.Tx, ids []string) (map[string]store.RiskRow, error) {
	rows, err := tx.RiskRowsOf(ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.RiskRow, len(rows))
	for _, r := range rows {
		out[r.SupplierID] = r
	}
	return out, nil
}

// saveProjections stores the projections whose rows differ from the stored ones, and
// records each change in the risk history at now: the moment of the write, or of the
// date that made it (catchUp computes as of each valid_until in turn).
func saveProjections(tx *store.Tx, prs map[string]*projected, old map[string]store.RiskRow, now time.Time) error {
	return saveProjectionsAs(tx, prs, old, now, false)
}

// saveProjectionsAs is saveProjections; with all, every row is written (after a
// clear), while the history still records only what differs from old.
func saveProjectionsAs(tx *store.Tx, prs map[string]*projected, old map[string]store.RiskRow, now time.Time, all bool) error {
	ids := keysOf(prs)
	sort.Strings(ids)
	var rows []store.RiskRow
	var flags []store.RiskFlagRow
	var care []store.RiskCareRow
	var hist []store.RiskHistoryRow
	for _, id := range ids {
		pr := prs[id]
		row, fl, err := rowOf(pr, now)
		if err != nil {
			return err
		}
		o, had := old[id]
		if had && sameStored(o, row) && !all {
			continue
		}
		rows, flags, care = append(rows, row), append(flags, fl...), append(care, pr.care...)
		if had && sameHistory(o, row) {
			continue // only ordering keys, fingerprints or validity moved
		}
		hist = append(hist, store.RiskHistoryRow{SupplierID: id, EffectiveAt: now, RecordedAt: now, Live: row.Live,
			Residual: row.Residual, Inherent: row.Inherent, Posture: row.Posture, Tier: row.Tier, Figures: historyFigures(pr.risk),
			ReportInputs: row.ReportInputs})
	}
	if err := tx.SaveRisk(rows, flags, care); err != nil {
		return err
	}
	if len(hist) == 0 {
		return nil
	}
	return tx.AppendRiskHistory(hist)
}

// historyFigures is what the risk history keeps of a supplier's figures: everything
// the history's answer and a past quarter's report show, without the breakdowns
// behind each figure or the latest assessment's domain scores.
func historyFigures(r Risk) string {
	r.Inherent.Breakdown, r.Posture.Breakdown, r.Residual.Breakdown = nil, nil, nil
	if a := r.Assessment; a != nil {
		trimmed := *a
		if a.Score != nil {
			sc := *a.Score
			sc.Domains = nil
			trimmed.Score = &sc
		}
		r.Assessment = &trimmed
	}
	if r.Flags == nil {
		r.Flags = []FlagView{}
	}
	return mustJSON(storedRisk{Risk: r})
}

// sameHistory reports whether two rows hold the same figures and report inputs: a
// change of neither is not a change in the risk history.
func sameHistory(a, b store.RiskRow) bool {
	return a.Live == b.Live && a.Figures == b.Figures && a.ReportInputs == b.ReportInputs
}

// sameStored reports whether two rows store the same projection (computed_at aside).
func sameStored(a, b store.RiskRow) bool {
	a.ComputedAt, b.ComputedAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(normRow(a), normRow(b))
}

func normRow(r store.RiskRow) store.RiskRow {
	if r.ValidUntil != nil {
		v := r.ValidUntil.UTC().Truncate(time.Microsecond)
		r.ValidUntil = &v
	}
	return r
}

func (s *Service) saveStatistics(tx *store.Tx, st scoring.Statistics, now time.Time) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	state, err := tx.RiskState()
	if err != nil {
		return err
	}
	state.Built, state.BuiltAt, state.Methodology, state.Statistics = true, &now, s.figuresKey(), string(raw)
	return tx.SaveRiskState(state)
}

// wholeRegisterAbove is the number of suppliers named by one write (an import) above
// which the maintenance recomputes the whole register in a fixed number of
// statements instead of following the supply chain from each.
const wholeRegisterAbove = 500

// recomputeAll recomputes every supplier and stores the rows and statistics that
// differ from what is stored.
func (s *Service) recomputeAll(tx *store.Tx, now time.Time, stored scoring.Statistics) error {
	stats, _, err := s.projectEveryone(tx, now, false)
	if err != nil {
		return err
	}
	if reflect.DeepEqual(normStats(stats), normStats(stored)) {
		return nil
	}
	return s.saveStatistics(tx, stats, now)
}

// rebuildRisk recomputes every supplier's projection and the statistics from
// scratch, rewriting every stored row, and marks the projection built. It returns how
// many suppliers it computed.
func (s *Service) rebuildRisk(tx *store.Tx, now time.Time) (int, error) {
	stats, n, err := s.projectEveryone(tx, now, true)
	if err != nil {
		return 0, err
	}
	// Figures built over a register whose writes were not recorded (never built, or
	// suspended) start the history now; a register built while empty has it all.
	state, err := tx.RiskState()
	if err != nil {
		return 0, err
	}
	if !state.Built {
		state.HistoryFrom = &now
		if err := tx.SaveRiskState(state); err != nil {
			return 0, err
		}
	}
	return n, s.saveStatistics(tx, stats, now)
}

// projectChunk is how many suppliers projectEveryone projects and stores at a time.
const projectChunk = 500

// projectEveryone recomputes every supplier (archived ones included) from one load of
// the whole register, and stores the rows that differ from what is stored (every row
// with all; the history records only what differs), projectChunk suppliers at a
// time: beside the portfolio, only one chunk's projections, stored rows and new rows
// are in memory at once. It returns the portfolio's statistics and how many suppliers
// it computed.
func (s *Service) projectEveryone(tx *store.Tx, now time.Time, all bool) (scoring.Statistics, int, error) {
	p, stats, sups, err := s.loadEveryone(tx, now)
	if err != nil {
		return stats, 0, err
	}
	for start := 0; start < len(sups); start += projectChunk {
		chunk := sups[start:min(start+projectChunk, len(sups))]
		ids := make([]string, len(chunk))
		prs := make(map[string]*projected, len(chunk))
		for i, r := range chunk {
			ids[i] = r.ID
			prs[r.ID] = s.projectOne(p, supplierFromRow(r), now)
		}
		old, err := storedRows(tx, ids)
		if err != nil {
			return stats, 0, err
		}
		if err := saveProjectionsAs(tx, prs, old, now, all); err != nil {
			return stats, 0, err
		}
	}
	return stats, len(sups), nil
}

// computeAll computes every supplier's projection (archived ones included) from the
// whole register, with the whole portfolio's statistics.
func (s *Service) computeAll(tx *store.Tx, now time.Time) (map[string]*projected, scoring.Statistics, error) {
	p, stats, all, err := s.loadEveryone(tx, now)
	if err != nil {
		return nil, stats, err
	}
	prs := make(map[string]*projected, len(all))
	for _, r := range all {
		prs[r.ID] = s.projectOne(p, supplierFromRow(r), now)
	}
	return prs, stats, nil
}

// loadEveryone loads what projecting every supplier needs: the whole register's
// portfolio, its statistics, and every supplier row (archived ones included).
func (s *Service) loadEveryone(tx *store.Tx, now time.Time) (Portfolio, scoring.Statistics, []store.SupplierRow, error) {
	p, err := s.LoadPortfolio(tx, now)
	if err != nil {
		return p, scoring.Statistics{}, nil, err
	}
	pf := scoring.Portfolio{Today: now.Format(time.DateOnly)}
	for _, id := range p.Order {
		pf.Suppliers = append(pf.Suppliers, *p.facts[id])
	}
	stats := scoring.PortfolioStatistics(pf, s.flagCfg)
	all, err := tx.SuppliersMatching(store.SupplierQuery{IncludeArchived: true})
	return p, stats, all, err
}

// RebuildRisk recomputes every supplier's stored figures from scratch (`weaklink risk
// rebuild`, and serve when the projection has never been built): for operators
// after a methodology or configuration change. It returns how many suppliers it
// computed.
func (s *Service) RebuildRisk(ctx context.Context) (int, error) {
	n := 0
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		var err error
		n, err = s.rebuildRisk(tx, s.now())
		return err
	})
	return n, err
}

// BuildRiskIfNeeded builds the stored figures when they have never been built, or
// were built under another methodology or other settings, and says whether it did.
func (s *Service) BuildRiskIfNeeded(ctx context.Context) (bool, error) {
	var built bool
	if err := s.st.Read(ctx, func(tx *store.Tx) (err error) {
		built, _, err = s.riskState(tx)
		return err
	}); err != nil || built {
		return false, err
	}
	did := false
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		built, _, err := s.riskState(tx)
		if err != nil || built {
			return err
		}
		did = true
		_, err = s.rebuildRisk(tx, s.now())
		return err
	})
	return did, err
}

// RiskDifference is one supplier whose stored figures differ from a computation
// from scratch.
type RiskDifference struct {
	SupplierID string
	Name       string
	What       string // which part differs
	// Stored and Computed are the two versions of the stored figures (JSON) when
	// the figures differ.
	Stored, Computed string
}

// RiskVerification is the outcome of RiskVerify.
type RiskVerification struct {
	Suppliers   int              // suppliers compared
	Awaiting    int              // rows past valid_until, not compared: the next read or refresh recomputes them
	Differences []RiskDifference // empty when the projection is exact
	Statistics  bool             // the stored statistics differ from the portfolio's
}

// RiskVerify recomputes every supplier from scratch and reports every difference
// from the stored projection (`weaklink risk verify`). It changes nothing.
func (s *Service) RiskVerify(ctx context.Context) (RiskVerification, error) {
	var out RiskVerification
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		now := s.now()
		built, stored, err := s.riskState(tx)
		if err != nil {
			return err
		}
		if !built {
			return errRiskNotBuilt()
		}
		prs, stats, err := s.computeAll(tx, now)
		if err != nil {
			return err
		}
		statsDiffer := !reflect.DeepEqual(normStats(stats), normStats(stored))
		old, err := storedRows(tx, nil)
		if err != nil {
			return err
		}
		flagRows, err := tx.RiskFlagsOf(nil)
		if err != nil {
			return err
		}
		careRows, err := tx.RiskCareOf(nil)
		if err != nil {
			return err
		}
		flagsBy, careBy := map[string][]store.RiskFlagRow{}, map[string][]store.RiskCareRow{}
		for _, f := range flagRows {
			flagsBy[f.SupplierID] = append(flagsBy[f.SupplierID], f)
		}
		for _, c := range careRows {
			careBy[c.SupplierID] = append(careBy[c.SupplierID], c)
		}
		ids := keysOf(prs)
		sort.Strings(ids)
		for _, id := range ids {
			pr := prs[id]
			o, had := old[id]
			if had && o.ValidUntil != nil && !o.ValidUntil.After(now) {
				out.Awaiting++
				continue
			}
			out.Suppliers++
			row, fl, err := rowOf(pr, now)
			if err != nil {
				return err
			}
			diff := func(what string) {
				out.Differences = append(out.Differences, RiskDifference{SupplierID: id, Name: pr.sup.Name, What: what})
			}
			switch {
			case !had:
				diff("no stored figures")
			case o.Figures != row.Figures:
				out.Differences = append(out.Differences, RiskDifference{SupplierID: id, Name: pr.sup.Name, What: "figures",
					Stored: o.Figures, Computed: row.Figures})
			case !sameStored(o, row):
				diff("stored columns: " + strings.Join(differingColumns(normRow(o), normRow(row)), ", "))
			case !sameFlagRows(flagsBy[id], fl):
				diff("flags")
			case !sameCareRows(careBy[id], pr.care):
				diff("data in care per category")
			}
		}
		// With rows awaiting their refresh the statistics may lag them: not a difference.
		out.Statistics = statsDiffer && out.Awaiting == 0
		for id := range old {
			if prs[id] == nil {
				out.Differences = append(out.Differences, RiskDifference{SupplierID: id, What: "stored figures of a supplier that does not exist"})
			}
		}
		return nil
	})
	return out, err
}

// differingColumns names the fields of two rows that differ (computed_at aside).
func differingColumns(a, b store.RiskRow) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	var out []string
	for i := range va.NumField() {
		name := va.Type().Field(i).Name
		if name != "ComputedAt" && !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, name)
		}
	}
	return out
}

func normStats(st scoring.Statistics) scoring.Statistics {
	if st.Categories == nil {
		st.Categories = map[string]scoring.CategoryTotal{}
	}
	return st
}

func sameFlagRows(a, b []store.RiskFlagRow) bool {
	key := func(f store.RiskFlagRow) string { return fmt.Sprint(f.Code, "/", f.Severity, "/", f.Accepted) }
	return sameSet(a, b, key)
}

func sameCareRows(a, b []store.RiskCareRow) bool {
	key := func(c store.RiskCareRow) string { return fmt.Sprint(c.CategoryKey, "/", c.Records) }
	return sameSet(a, b, key)
}

func sameSet[T any](a, b []T, key func(T) string) bool {
	if len(a) != len(b) {
		return false
	}
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i], kb[i] = key(a[i]), key(b[i])
	}
	sort.Strings(ka)
	sort.Strings(kb)
	return slices.Equal(ka, kb)
}

// RefreshRisk brings every stored figure past its valid_until up to date (catchUp),
// a bounded number of steps per transaction until none is left, and returns how many
// suppliers it recomputed. Serve's background task calls it.
func (s *Service) RefreshRisk(ctx context.Context) (int, error) {
	total := 0
	for ctx.Err() == nil {
		n, more := 0, false
		err := s.st.Write(ctx, func(tx *store.Tx) (err error) {
			n, more, err = s.catchUpSteps(tx, catchUpPerTransaction)
			return err
		})
		total += n
		if err != nil || !more {
			return total, err
		}
	}
	return total, ctx.Err()
}

// catchUp brings every stored figure past its valid_until up to date inside tx: see
// CatchUpRisk. Every write transaction of the register starts with it (write). It
// steps through the moments one by one, as RefreshRisk does; after a long pause with
// more than catchUpExactSteps moments pending (an outage: every open incident's
// message changes hourly), it computes what remains as of now, so that the write is
// not held up: those changes are then recorded when caught up, never before they
// happened.
func (s *Service) catchUp(tx *store.Tx) error {
	_, more, err := s.catchUpSteps(tx, catchUpExactSteps)
	if err != nil || !more {
		return err
	}
	now := s.now()
	for {
		ids, err := tx.RiskExpired(now, refreshBatch)
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := s.maintainRiskAt(tx, now, riskChange{suppliers: ids}); err != nil {
			return err
		}
	}
}

// catchUpSteps takes at most steps steps forward through the stored valid_until
// moments: each step recomputes the suppliers whose figures stop being valid at the
// earliest such moment, as of that moment, and records their changes then. It says
// how many suppliers it recomputed and whether any figure is still past its moment.
func (s *Service) catchUpSteps(tx *store.Tx, steps int) (int, bool, error) {
	built, _, err := s.riskState(tx)
	if err != nil || !built {
		return 0, false, err
	}
	now, n := s.now(), 0
	for range steps {
		next, err := tx.NextRiskExpiry()
		if err != nil || next == nil || next.After(now) {
			return n, false, err
		}
		ids, err := tx.RiskExpired(*next, refreshBatch)
		if err != nil {
			return n, false, err
		}
		if err := s.maintainRiskAt(tx, next.UTC(), riskChange{suppliers: ids}); err != nil {
			return n, false, err
		}
		n += len(ids)
	}
	return n, true, nil
}

// catchUpPerTransaction bounds the steps one background transaction takes (after a
// long outage there is one per hour an incident stayed open, and one per date
// passed), so that writes wait for the lock no longer than a few steps.
const catchUpPerTransaction = 20

// catchUpExactSteps is how many moments a write steps through exactly before it
// computes the rest as of now.
const catchUpExactSteps = 20

// refreshBatch bounds one refresh transaction.
const refreshBatch = 500

// write runs fn in one write transaction of the register, after bringing the stored
// risk figures past their valid_until up to date: the write's own changes are then
// recorded at its moment, never mixed with what a date changed earlier.
func (s *Service) write(ctx context.Context, fn func(*store.Tx) error) error {
	return s.st.Write(ctx, func(tx *store.Tx) error {
		if err := s.catchUp(tx); err != nil {
			return err
		}
		return fn(tx)
	})
}

// RiskUpkeep is what one background pass over the projection did.
type RiskUpkeep struct {
	Ran       bool       // false when another process was doing it
	Built     bool       // the projection had never been built and now is
	Refreshed int        // suppliers recomputed because a date changed their figures
	Next      *time.Time // the earliest stored valid_until after the pass; nil when none
}

// KeepRiskCurrent is serve's background pass: it builds the projection when it has
// never been built, then recomputes every row past its valid_until. Several processes
// on one PostgreSQL database take turns: a pass runs only when no other is running.
func (s *Service) KeepRiskCurrent(ctx context.Context) (RiskUpkeep, error) {
	var out RiskUpkeep
	ran, err := s.st.TryExclusive(ctx, store.RiskRefreshLockKey, func() error {
		var err error
		if out.Built, err = s.BuildRiskIfNeeded(ctx); err != nil {
			return err
		}
		if out.Refreshed, err = s.RefreshRisk(ctx); err != nil {
			return err
		}
		return s.st.Read(ctx, func(tx *store.Tx) (err error) {
			out.Next, err = tx.NextRiskExpiry()
			return err
		})
	})
	out.Ran = ran
	return out, err
}

// SuspendRisk marks the stored risk figures unbuilt, so that the writes that follow
// skip their maintenance, for a caller that writes a whole register at once (the demo
// generator) and then calls RebuildRisk. Reads that show figures answer
// CodeUnavailable until then; serve's upkeep would rebuild them.
func (s *Service) SuspendRisk(ctx context.Context) error {
	return s.st.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.RiskState()
		if err != nil {
			return err
		}
		row.Built = false
		if err := tx.SaveRiskState(row); err != nil {
			return err
		}
		return tx.ClearRisk()
	})
}
