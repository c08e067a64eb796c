package register

import (
	"sort"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// Portfolio is the read model of the whole live register at one moment: every
// supplier's risk and flags, computed from a fixed number of bulk statements
// (suppliers, holdings, latest assessments, supply-chain edges, acceptances, open
// incidents, and the question texts of failed critical controls when there are any) —
// never a query per supplier.
// Packages layered on the register (the quarterly report) read it; it is never
// written back.
type Portfolio struct {
	Order      []string                         // supplier ids in name order
	Suppliers  map[string]Supplier              // by id
	Risks      map[string]Risk                  // by supplier id
	Flags      map[string]scoring.SupplierFlags // by supplier id
	Accepted   map[string]map[string]Acceptance // supplier → flag code → acceptance in force
	Categories map[string][]string              // supplier → categories it holds directly
	Holdings   []store.RiskHolding              // every live holding
	Edges      []store.Edge                     // every live supply-chain edge
	Config     scoring.Config                   // the thresholds it was computed with
	care       inCare                           // every live supplier's data in care
	facts      map[string]*scoring.SupplierFacts
	edgesFrom  map[string][]store.Edge        // supplier id → its onward edges
	held       map[string][]store.RiskHolding // supplier id → its direct holdings
	stored     *storedViews                   // set when read from stored figures (no graph)
}

// LoadPortfolio reads the portfolio as of now inside the caller's transaction, so
// that what the caller reads beside it is consistent with it.
func (s *Service) LoadPortfolio(tx *store.Tx, now time.Time) (Portfolio, error) {
	return s.loadPortfolio(tx, now, nil, nil)
}

// partLoad is a portfolio loaded for a few suppliers' figures (projection.go): every
// supplier of scope is named and its edges loaded, the holdings of those in held
// (the data in care of the targets comes from them), the assessments, acceptances
// and incidents of those in full (the targets), and the others downstream of the
// targets take their posture from postures (as stored). The figures of suppliers
// not in full are left incomplete: callers read only the targets'.
type partLoad struct {
	scope, held, full []string
	postures          map[string]*float64
}

// loadPortfolio reads the portfolio of the live suppliers among scope (nil: every
// live supplier). A scope must hold everything upstream of the suppliers whose
// figures the caller reads (their data in care comes from there) and everything
// downstream (their sub-processors); with stats, the portfolio-relative flags compare
// with those statistics instead of the scope's own.
func (s *Service) loadPortfolio(tx *store.Tx, now time.Time, part *partLoad, stats *scoring.Statistics) (Portfolio, error) {
	var scope, held, full []string
	if part != nil {
		scope, held, full = part.scope, part.held, part.full
	}
	p := Portfolio{Suppliers: map[string]Supplier{}, Risks: map[string]Risk{}, Accepted: map[string]map[string]Acceptance{},
		Categories: map[string][]string{}, edgesFrom: map[string][]store.Edge{}, held: map[string][]store.RiskHolding{}}
	var (
		rows  []store.SupplierRow
		edges []store.Edge
		err   error
	)
	if scope == nil {
		rows, err = tx.SuppliersMatching(store.SupplierQuery{})
	} else {
		rows, err = liveInNameOrder(tx, scope)
	}
	if err != nil {
		return p, err
	}
	hs, err := tx.RiskHoldings(held)
	if err != nil {
		return p, err
	}
	latest, err := tx.LatestScoredOf(full)
	if err != nil {
		return p, err
	}
	if scope == nil {
		edges, err = tx.LiveEdges(nil)
	} else {
		edges, err = tx.LiveEdgesWithin(scope)
	}
	if err != nil {
		return p, err
	}
	acc, err := tx.ActiveAcceptancesOf(full, now)
	if err != nil {
		return p, err
	}
	open, err := tx.OpenIncidentsOf(full)
	if err != nil {
		return p, err
	}
	p.Holdings, p.Edges, p.Config = hs, edges, s.scoring
	for _, e := range edges {
		p.edgesFrom[e.From] = append(p.edgesFrom[e.From], e)
	}
	today := now.Format(time.DateOnly)
	p.care = newInCare(hs, edges)
	in := riskInputs{care: p.care, latest: map[string]store.AssessmentRow{}}
	facts := map[string]*scoring.SupplierFacts{}
	answered := map[string]string{} // supplier → questionnaire version of a failed critical control
	for _, a := range latest {
		in.latest[a.SupplierID] = a
	}
	isFull := map[string]bool{}
	for _, id := range full {
		isFull[id] = true
	}
	for _, r := range rows {
		sup := supplierFromRow(r)
		if part != nil && !isFull[sup.ID] {
			// Named on a path, with the posture stored for it: nothing else is read.
			p.Suppliers[sup.ID] = sup
			facts[sup.ID] = &scoring.SupplierFacts{ID: sup.ID, Name: sup.Name, Status: sup.Status, Posture: part.postures[sup.ID]}
			continue
		}
		risk := s.riskOf(sup, in, today)
		sum := risk.summary()
		sup.Risk = &sum
		p.Order = append(p.Order, sup.ID)
		p.Suppliers[sup.ID], p.Risks[sup.ID] = sup, risk
		f := &scoring.SupplierFacts{ID: sup.ID, Name: sup.Name, Status: sup.Status, Criticality: sup.Criticality,
			Tier: risk.Tier, InherentTier: risk.InherentTier, Posture: risk.Posture.Value, DPASigned: sup.DPASignedAt != nil,
			InCare: in.care.holdingFacts(sup.ID), Unauthorised: in.care.unauthorised(sup.ID)}
		for _, c := range sup.Certifications {
			f.Certifications = append(f.Certifications, scoring.Certification{Scheme: c.Scheme, ExpiresAt: c.ExpiresAt})
		}
		if a := risk.Assessment; a != nil {
			if a.SubmittedAt != nil {
				f.LastAssessed = a.SubmittedAt.Format(time.DateOnly)
			}
			if a.Score != nil {
				f.FailedCritical = a.Score.FailedCritical
				if len(f.FailedCritical) > 0 {
					answered[sup.ID] = a.QuestionnaireID
				}
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
		p.Categories[h.SupplierID] = append(p.Categories[h.SupplierID], h.CategoryKey)
		p.held[h.SupplierID] = append(p.held[h.SupplierID], h)
	}
	for _, a := range acc {
		if p.Accepted[a.SupplierID] == nil {
			p.Accepted[a.SupplierID] = map[string]Acceptance{}
		}
		p.Accepted[a.SupplierID][a.FlagCode] = acceptanceFromRow(a)
	}
	addOpenIncidents(facts, open, now)
	if err := addQuestionTexts(tx, facts, answered); err != nil {
		return p, err
	}
	s.addDownstream(facts, edges, hs, p.Order)
	pf := scoring.Portfolio{Today: today}
	for _, id := range p.Order {
		pf.Suppliers = append(pf.Suppliers, *facts[id])
	}
	if stats == nil {
		p.Flags = scoring.Flags(pf, s.scoring, s.flagCfg)
	} else {
		p.Flags = scoring.FlagsWith(pf, *stats, s.scoring, s.flagCfg)
	}
	p.facts = facts
	return p, nil
}

// liveInNameOrder returns the live suppliers among ids in the portfolio's order:
// by name key, then id, byte by byte.
func liveInNameOrder(tx *store.Tx, ids []string) ([]store.SupplierRow, error) {
	rows, err := tx.SuppliersIn(ids)
	if err != nil {
		return nil, err
	}
	live := rows[:0]
	for _, r := range rows {
		if r.ArchivedAt == nil {
			live = append(live, r)
		}
	}
	sort.Slice(live, func(i, j int) bool {
		if live[i].NameKey != live[j].NameKey {
			return live[i].NameKey < live[j].NameKey
		}
		return live[i].ID < live[j].ID
	})
	return live, nil
}

// addDownstream records, for each supplier of ids that passes data on, each
// sub-processor its data reaches with one shortest path. The categories a supplier
// passes on are the ones it holds and the ones that reach it from holders upstream.
func (s *Service) addDownstream(facts map[string]*scoring.SupplierFacts, edges []store.Edge, hs []store.RiskHolding, ids []string) {
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
	for _, id := range ids {
		f := facts[id]
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

// FlagViews joins a supplier's flags with the acceptances in force.
func (p Portfolio) FlagViews(id string) []FlagView {
	var out []FlagView
	for _, f := range p.Flags[id].Flags {
		v := FlagView{Flag: Flag(f)}
		if a, ok := p.Accepted[id][f.Code]; ok {
			v.Accepted = &a
		}
		out = append(out, v)
	}
	return out
}

// Reach is what a breach at one supplier would touch, as the portfolio sees it: the
// records of each category in its data in care (its own holdings and the records that
// arrive through sub-processor links, each origin once, capped by the links), and the
// sub-processors its data goes on to.
type Reach struct {
	People          People           // how many people those records are about (PRODUCT.md §2)
	Records         map[string]int64 // category key → records
	SpecialCategory bool             // a special-category or criminal-offence category is among them
	Subprocessors   []string         // names of the suppliers downstream, sorted
}

// ReachOf computes the reach of every supplier in ids from the portfolio already
// loaded (no query per supplier). An id the portfolio does not hold (an archived
// supplier) is absent from the answer: the register records no data there.
func (p Portfolio) ReachOf(ids []string) map[string]Reach {
	if p.stored != nil {
		out := make(map[string]Reach, len(ids))
		for _, id := range ids {
			if r, live := p.stored.reach[id]; live {
				out[id] = r
			}
		}
		return out
	}
	g := graphOf(p.Edges)
	specialCat := map[string]bool{}
	for _, h := range p.Holdings {
		specialCat[h.CategoryKey] = h.SpecialCategory || h.CriminalOffence
	}
	for id, sup := range p.Suppliers {
		if n, ok := g.nodes[id]; ok {
			n.Name, n.NameKey = sup.Name, strings.ToLower(sup.Name)
			g.nodes[id] = n
		} else {
			g.addNode(node{ID: id, Name: sup.Name})
		}
	}
	g.seal()
	out := make(map[string]Reach, len(ids))
	for _, id := range ids {
		if _, live := p.Suppliers[id]; !live {
			continue
		}
		r := Reach{People: p.care.people(id), Records: map[string]int64{}, Subprocessors: []string{}}
		for _, it := range p.care.items[id] {
			r.Records[it.Category] = satAdd(r.Records[it.Category], it.Arriving)
		}
		down := map[string]bool{}
		for c := range r.Records {
			r.SpecialCategory = r.SpecialCategory || specialCat[c]
			for to := range g.reach(c, []string{id}) {
				if to != id {
					down[to] = true
				}
			}
		}
		for to := range down {
			r.Subprocessors = append(r.Subprocessors, g.nodes[to].Name)
		}
		sort.Strings(r.Subprocessors)
		out[id] = r
	}
	return out
}

// CategoriesInCare lists the categories in a supplier's data in care, held or
// received, sorted by key.
func (p Portfolio) CategoriesInCare(id string) []string {
	if p.stored != nil {
		if cats := p.stored.inCare[id]; cats != nil {
			return cats
		}
		return []string{}
	}
	seen := map[string]bool{}
	out := []string{}
	for _, it := range p.care.items[id] {
		if !seen[it.Category] {
			seen[it.Category] = true
			out = append(out, it.Category)
		}
	}
	sort.Strings(out)
	return out
}

// PeopleHeld is the people range (PRODUCT.md §2) of the live direct holdings — what
// the organisation has placed with suppliers — in all, and per category key. Each
// holding's data subjects are decoded once.
func (p Portfolio) PeopleHeld() (all People, byCategory map[string]People) {
	every := make([]scoring.PeopleHolding, 0, len(p.Holdings))
	perCat := map[string][]scoring.PeopleHolding{}
	for _, h := range p.Holdings {
		ph := scoring.PeopleHolding{DataSubjects: jsonList(h.DataSubjects), Records: h.RecordCount}
		every = append(every, ph)
		perCat[h.CategoryKey] = append(perCat[h.CategoryKey], ph)
	}
	byCategory = make(map[string]People, len(perCat))
	for k, hs := range perCat {
		byCategory[k] = People(scoring.PeopleOf(hs))
	}
	return People(scoring.PeopleOf(every)), byCategory
}
