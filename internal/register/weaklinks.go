package register

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// FlagView is a raised flag with the acceptance that covers it, if any.
type FlagView struct {
	scoring.Flag
	Accepted *Acceptance
}

// portfolio is the whole live register's risk picture at one moment: every supplier's
// risk and flags, computed from six bulk statements (suppliers, holdings, latest
// assessments, supply-chain edges, acceptances) — never a query per supplier.
type portfolio struct {
	order     []string // supplier ids in name order
	suppliers map[string]Supplier
	risks     map[string]Risk
	flags     map[string]scoring.SupplierFlags
	accepted  map[string]map[string]Acceptance // supplier → flag code → acceptance in force
	cats      map[string][]string              // supplier → categories it holds directly
	records   map[string]int64                 // supplier → records it holds directly
	holdings  []store.RiskHolding              // every live holding
	edges     []store.Edge                     // every live supply-chain edge
	cfg       scoring.Config                   // the thresholds it was computed with
}

func (s *Service) loadPortfolio(tx *store.Tx, now time.Time) (portfolio, error) {
	p := portfolio{suppliers: map[string]Supplier{}, risks: map[string]Risk{}, accepted: map[string]map[string]Acceptance{},
		cats: map[string][]string{}, records: map[string]int64{}}
	rows, err := tx.AllLiveSuppliers(store.SupplierQuery{})
	if err != nil {
		return p, err
	}
	hs, err := tx.RiskHoldings(nil)
	if err != nil {
		return p, err
	}
	latest, err := tx.LatestScored(nil)
	if err != nil {
		return p, err
	}
	edges, err := tx.LiveEdges(nil)
	if err != nil {
		return p, err
	}
	acc, err := tx.ActiveAcceptances("", now)
	if err != nil {
		return p, err
	}
	p.holdings, p.edges, p.cfg = hs, edges, s.scoring
	today := now.Format(time.DateOnly)
	in := riskInputs{holdings: map[string][]scoring.Holding{}, latest: map[string]store.AssessmentRow{}}
	facts := map[string]*scoring.SupplierFacts{}
	for _, h := range hs {
		in.holdings[h.SupplierID] = append(in.holdings[h.SupplierID], scoring.Holding{Category: h.CategoryKey,
			Sensitivity: h.Sensitivity, Special: h.SpecialCategory || h.CriminalOffence, Records: h.RecordCount})
	}
	for _, a := range latest {
		in.latest[a.SupplierID] = a
	}
	for _, r := range rows {
		sup := supplierFromRow(r)
		risk := s.riskOf(sup, in, today)
		sum := risk.summary()
		sup.Risk = &sum
		p.order = append(p.order, sup.ID)
		p.suppliers[sup.ID], p.risks[sup.ID] = sup, risk
		f := &scoring.SupplierFacts{ID: sup.ID, Name: sup.Name, Status: sup.Status, Criticality: sup.Criticality,
			Tier: risk.Tier, Posture: risk.Posture.Value, DPASigned: sup.DPASignedAt != nil}
		for _, c := range sup.Certifications {
			f.Certifications = append(f.Certifications, scoring.Certification{Scheme: c.Scheme, ExpiresAt: c.ExpiresAt})
		}
		if a := risk.Assessment; a != nil {
			if a.SubmittedAt != nil {
				f.LastAssessed = a.SubmittedAt.Format(time.DateOnly)
			}
			if a.Score != nil {
				f.FailedCritical = a.Score.FailedCritical
			}
		}
		facts[sup.ID] = f
	}
	for _, h := range hs {
		f := facts[h.SupplierID]
		if f == nil {
			continue
		}
		hf := scoring.HoldingFacts{Category: h.CategoryKey, CategoryName: h.CategoryName, Special: h.SpecialCategory || h.CriminalOffence,
			Records: h.RecordCount}
		if h.RetentionUntil != nil {
			hf.RetentionUntil = *h.RetentionUntil
		}
		if h.TransferMechanism != nil {
			hf.TransferMechanism = *h.TransferMechanism
		}
		for _, l := range jsonList(h.Locations) {
			if !InUKEEA(l) {
				hf.OutsideUKEEA = append(hf.OutsideUKEEA, l)
			}
		}
		f.Holdings = append(f.Holdings, hf)
		p.cats[h.SupplierID] = append(p.cats[h.SupplierID], h.CategoryKey)
		p.records[h.SupplierID] += h.RecordCount
	}
	for _, a := range acc {
		if p.accepted[a.SupplierID] == nil {
			p.accepted[a.SupplierID] = map[string]Acceptance{}
		}
		p.accepted[a.SupplierID][a.FlagCode] = acceptanceFromRow(a)
	}
	s.addDownstream(facts, edges, hs)
	pf := scoring.Portfolio{Today: today}
	for _, id := range p.order {
		pf.Suppliers = append(pf.Suppliers, *facts[id])
	}
	p.flags = scoring.Flags(pf, s.scoring, s.flagCfg)
	return p, nil
}

// addDownstream records, for every supplier that passes data on, each sub-processor
// its data reaches with one shortest path. The categories a supplier passes on are
// the ones it holds and the ones that reach it from holders upstream.
func (s *Service) addDownstream(facts map[string]*scoring.SupplierFacts, edges []store.Edge, hs []store.RiskHolding) {
	g := graphOf(edges)
	holders := map[string][]string{}
	for _, h := range hs {
		if facts[h.SupplierID] != nil {
			holders[h.CategoryKey] = append(holders[h.CategoryKey], h.SupplierID)
			if _, ok := g.nodes[h.SupplierID]; !ok {
				g.addNode(node{ID: h.SupplierID, Name: facts[h.SupplierID].Name})
			}
		}
	}
	g.seal()
	has := map[string]map[string]bool{} // supplier → categories that are at it
	for cat := range g.adj {
		for id := range g.reach(cat, holders[cat]) {
			if has[id] == nil {
				has[id] = map[string]bool{}
			}
			has[id][cat] = true
		}
	}
	for id, f := range facts {
		seen := map[string][]string{}
		var cats []string
		for c := range has[id] {
			cats = append(cats, c)
		}
		sort.Strings(cats)
		for _, c := range cats {
			if len(g.adj[c][id]) == 0 {
				continue
			}
			for to, path := range g.reach(c, []string{id}) {
				if to == id {
					continue
				}
				if old, ok := seen[to]; !ok || len(path) < len(old) {
					seen[to] = path
				}
			}
		}
		ids := make([]string, 0, len(seen))
		for to := range seen {
			ids = append(ids, to)
		}
		sort.Slice(ids, func(i, j int) bool { return g.less(ids[i], ids[j]) })
		for _, to := range ids {
			d := scoring.Downstream{SupplierID: to, Name: g.nodes[to].Name}
			if tf := facts[to]; tf != nil {
				d.Posture = tf.Posture
			}
			for _, n := range seen[to] {
				d.Path = append(d.Path, g.nodes[n].Name)
			}
			f.Downstream = append(f.Downstream, d)
		}
	}
}

// flagViews joins a supplier's flags with the acceptances in force.
func (p portfolio) flagViews(id string) []FlagView {
	var out []FlagView
	for _, f := range p.flags[id].Flags {
		v := FlagView{Flag: f}
		if a, ok := p.accepted[id][f.Code]; ok {
			v.Accepted = &a
		}
		out = append(out, v)
	}
	return out
}

// WeakLink is one supplier in the weak-links ranking.
type WeakLink struct {
	Supplier         Supplier
	Risk             Risk
	EffectivePosture *float64
	// EffectiveResidual is residual risk on the effective posture: what ranks the list.
	EffectiveResidual float64
	Flags             []FlagView
}

// WeakLinkFilter selects the ranking.
type WeakLinkFilter struct {
	Flags, Severities, Tiers, Categories []string
	Cursor                               string
	Limit                                int
}

// Severities of flags, worst first.
var Severities = []string{"critical", "high", "medium", "low"}

// WeakLinks ranks the suppliers with at least one unaccepted flag, worst first: by
// residual risk on effective posture, then the worst unaccepted flag, then how many.
func (s *Service) WeakLinks(ctx context.Context, f WeakLinkFilter) (Page[WeakLink], error) {
	var fe fieldErrors
	for _, c := range f.Flags {
		if !oneOf(c, scoring.FlagCodes()) {
			fe.add("flag", "must be one of %s", strings.Join(scoring.FlagCodes(), ", "))
		}
	}
	for _, v := range f.Severities {
		if !oneOf(v, Severities) {
			fe.add("severity", "must be one of %s", strings.Join(Severities, ", "))
		}
	}
	for _, v := range f.Tiers {
		if !oneOf(v, Tiers) {
			fe.add("tier", "must be one of %s", strings.Join(Tiers, ", "))
		}
	}
	if err := fe.err(); err != nil {
		return Page[WeakLink]{}, err
	}
	now := s.now()
	var p portfolio
	err := s.st.Read(ctx, func(tx *store.Tx) (err error) {
		if err := s.requireCategories(tx, "category", f.Categories); err != nil {
			return err
		}
		p, err = s.loadPortfolio(tx, now)
		return err
	})
	if err != nil {
		return Page[WeakLink]{}, err
	}
	type ranked struct {
		wl  WeakLink
		pos string
	}
	var items []ranked
	for _, id := range p.order {
		views := p.flagViews(id)
		worst, open := 0, 0
		matches := len(f.Flags) == 0 && len(f.Severities) == 0
		for _, v := range views {
			if v.Accepted != nil {
				continue
			}
			open++
			worst = max(worst, scoring.SeverityRank(v.Severity))
			if (len(f.Flags) == 0 || oneOf(v.Code, f.Flags)) && (len(f.Severities) == 0 || oneOf(v.Severity, f.Severities)) {
				matches = true
			}
		}
		risk := p.risks[id]
		if open == 0 || !matches || (len(f.Tiers) > 0 && !oneOf(risk.Tier, f.Tiers)) ||
			(len(f.Categories) > 0 && !anyOf(p.cats[id], f.Categories)) {
			continue
		}
		eff := p.flags[id].EffectivePosture
		res := scoring.Residual(risk.Inherent.Value, eff, s.scoring).Value
		wl := WeakLink{Supplier: p.suppliers[id], Risk: risk, EffectivePosture: eff, EffectiveResidual: res, Flags: views}
		sup := p.suppliers[id]
		pos := fmt.Sprintf("%06d%d%04d\x00%s\x00%s", 100_000-int64(math.Round(res*100)), 9-worst, 9999-open,
			strings.ToLower(sup.Name), id)
		items = append(items, ranked{wl, pos})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].pos < items[j].pos })
	kind := "weak-links:" + strings.Join(f.Flags, ",") + ":" + strings.Join(f.Severities, ",") + ":" + strings.Join(f.Tiers, ",") + ":" + strings.Join(f.Categories, ",")
	page, err := pageSlice(items, kind, f.Cursor, f.Limit, func(r ranked) string { return r.pos })
	if err != nil {
		return Page[WeakLink]{}, err
	}
	out := Page[WeakLink]{NextCursor: page.NextCursor, Items: make([]WeakLink, len(page.Items))}
	for i, it := range page.Items {
		out.Items[i] = it.wl
	}
	return out, nil
}

func anyOf(have, want []string) bool {
	for _, h := range have {
		if oneOf(h, want) {
			return true
		}
	}
	return false
}
