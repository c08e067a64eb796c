package register

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// reportInputs are what the quarterly report reads of a supplier beside its figures,
// stored with them and in the risk history, so that a report of a past quarter is
// built from what the register held then and nothing of today.
type reportInputs struct {
	Supplier reportSupplier
	Holdings []heldInput           // its direct holdings, by category key
	InCare   []string              // the categories in its care, held or received, sorted
	Reach    Reach                 // what a breach there would touch
	Accepted map[string]Acceptance // acceptances in force, by flag code
}

// reportSupplier is the part of a supplier the report shows.
type reportSupplier struct {
	ID             string
	Name           string
	Criticality    string
	Status         string
	Country        *string
	ContractEnd    *string
	Certifications []Certification
}

// heldInput is one direct holding as the report reads it.
type heldInput struct {
	ID           string
	Category     string
	CategoryName string
	Special      bool
	Records      int64
	DataSubjects []string
}

// reportInputsOf gathers a live supplier's report inputs from a portfolio that holds
// everything upstream and downstream of it.
func reportInputsOf(p Portfolio, sup Supplier) reportInputs {
	in := reportInputs{Supplier: reportSupplier{ID: sup.ID, Name: sup.Name, Criticality: sup.Criticality, Status: sup.Status,
		Country: sup.Country, ContractEnd: sup.ContractEnd, Certifications: sup.Certifications},
		Holdings: []heldInput{}, InCare: p.CategoriesInCare(sup.ID), Accepted: map[string]Acceptance{}}
	for _, h := range p.held[sup.ID] {
		in.Holdings = append(in.Holdings, heldInput{ID: h.ID, Category: h.CategoryKey, CategoryName: h.CategoryName,
			Special: h.SpecialCategory || h.CriminalOffence, Records: h.RecordCount, DataSubjects: jsonList(h.DataSubjects)})
	}
	for code, a := range p.Accepted[sup.ID] {
		in.Accepted[code] = a
	}
	r := Reach{People: p.Risks[sup.ID].InCare.People, Records: map[string]int64{}, Subprocessors: []string{}}
	for _, it := range p.care.items[sup.ID] {
		r.Records[it.Category] = satAdd(r.Records[it.Category], it.Arriving)
		h := p.care.holdings[it.HoldingID]
		r.SpecialCategory = r.SpecialCategory || h.SpecialCategory || h.CriminalOffence
	}
	if f := p.facts[sup.ID]; f != nil {
		for _, d := range f.Downstream {
			r.Subprocessors = append(r.Subprocessors, d.Name)
		}
	}
	sort.Strings(r.Subprocessors)
	in.Reach = r
	return in
}

// storedViews are what a portfolio read from stored figures answers in place of the
// graph: each supplier's reach and categories in care.
type storedViews struct {
	reach  map[string]Reach
	inCare map[string][]string
}

// storedSupplier is one supplier's stored figures and report inputs.
type storedSupplier struct {
	id, figures, inputs string
	live                bool
}

// portfolioFromStored rebuilds the portfolio read model from stored figures: the
// live suppliers among rows, with their risk, flags, acceptances in force, direct
// holdings, reach and categories in care as they were stored.
func (s *Service) portfolioFromStored(rows []storedSupplier) (Portfolio, error) {
	p := Portfolio{Suppliers: map[string]Supplier{}, Risks: map[string]Risk{}, Flags: map[string]scoring.SupplierFlags{},
		Accepted: map[string]map[string]Acceptance{}, Categories: map[string][]string{}, Config: s.scoring,
		stored: &storedViews{reach: map[string]Reach{}, inCare: map[string][]string{}}}
	for _, row := range rows {
		if !row.live {
			continue
		}
		var sr storedRisk
		if err := json.Unmarshal([]byte(row.figures), &sr); err != nil {
			return p, fmt.Errorf("stored risk of %s: %w", row.id, err)
		}
		var in reportInputs
		if err := json.Unmarshal([]byte(row.inputs), &in); err != nil {
			return p, fmt.Errorf("stored report inputs of %s: %w", row.id, err)
		}
		r := sr.Risk
		sup := Supplier{ID: row.id, SupplierFields: SupplierFields{Name: in.Supplier.Name, Criticality: in.Supplier.Criticality,
			Status: in.Supplier.Status, Country: in.Supplier.Country, ContractEnd: in.Supplier.ContractEnd,
			Certifications: in.Supplier.Certifications}}
		if sup.Certifications == nil {
			sup.Certifications = []Certification{}
		}
		sum := r.summary()
		sup.Risk = &sum
		p.Order = append(p.Order, row.id)
		p.Suppliers[row.id], p.Risks[row.id] = sup, r
		sf := scoring.SupplierFlags{SupplierID: row.id, Flags: []scoring.Flag{}, EffectivePosture: r.EffectivePosture}
		for _, v := range r.Flags {
			sf.Flags = append(sf.Flags, scoring.Flag(v.Flag))
		}
		p.Flags[row.id] = sf
		if len(in.Accepted) > 0 {
			p.Accepted[row.id] = in.Accepted
		}
		for _, h := range in.Holdings {
			subjects, _ := json.Marshal(h.DataSubjects)
			p.Holdings = append(p.Holdings, store.RiskHolding{ID: h.ID, SupplierID: row.id, CategoryKey: h.Category,
				CategoryName: h.CategoryName, SpecialCategory: h.Special, RecordCount: h.Records, DataSubjects: string(subjects)})
			p.Categories[row.id] = append(p.Categories[row.id], h.Category)
		}
		p.stored.reach[row.id], p.stored.inCare[row.id] = in.Reach, in.InCare
	}
	sort.Slice(p.Order, func(i, j int) bool {
		a, b := strings.ToLower(p.Suppliers[p.Order[i]].Name), strings.ToLower(p.Suppliers[p.Order[j]].Name)
		if a != b {
			return a < b
		}
		return p.Order[i] < p.Order[j]
	})
	return p, nil
}

// StoredPortfolio reads the portfolio from the stored risk figures — as they stand
// (asOf nil; figures past their valid_until are brought up to date by the caller's
// RefreshRisk first), or as they stood just before asOf, from the risk history — in
// a fixed number of statements and with no computation. A moment before the history
// begins is CodeInvalid on field quarter, saying when it begins.
func (s *Service) StoredPortfolio(tx *store.Tx, asOf *time.Time) (Portfolio, error) {
	state, err := tx.RiskState()
	if err != nil {
		return Portfolio{}, err
	}
	if err := s.requireBuilt(tx); err != nil {
		return Portfolio{}, err
	}
	var rows []storedSupplier
	if asOf == nil {
		stored, err := tx.RiskRowsOf(nil)
		if err != nil {
			return Portfolio{}, err
		}
		for _, r := range stored {
			rows = append(rows, storedSupplier{id: r.SupplierID, figures: r.Figures, inputs: r.ReportInputs, live: r.Live})
		}
		return s.portfolioFromStored(rows)
	}
	// No start recorded: the figures were kept from the register's first supplier on.
	if from := state.HistoryFrom; from != nil && asOf.Before(*from) {
		return Portfolio{}, Invalid(FieldError{Field: "quarter", Message: fmt.Sprintf(
			"ended before the risk history began (%s, when the stored risk figures were first built): "+
				"no report can show the register before then", from.UTC().Format("2 January 2006 15:04 UTC"))})
	}
	hist, err := tx.RiskHistoryAt(*asOf)
	if err != nil {
		return Portfolio{}, err
	}
	for _, r := range hist {
		rows = append(rows, storedSupplier{id: r.SupplierID, figures: r.Figures, inputs: r.ReportInputs, live: r.Live})
	}
	return s.portfolioFromStored(rows)
}

// RiskChange is one entry of a supplier's risk history: its figures from EffectiveAt
// until the next entry.
type RiskChange struct {
	EffectiveAt        time.Time
	Archived           bool // the supplier was archived at this moment: it holds nothing and raises no flags
	Inherent           float64
	Posture            *float64
	PostureProvisional bool
	Residual           float64
	Tier               string
	InherentTier       string
	Flags              []FlagView
}

// RiskHistory answers GET /suppliers/{id}/risk/history: how the supplier's tier,
// figures and flags changed over time, newest first, a page at a time (keyset on the
// moment each change took effect).
func (s *Service) RiskHistory(ctx context.Context, supplierID, cur string, limit int) (Page[RiskChange], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[RiskChange]{}, err
	}
	kind := "risk-history:" + supplierID
	var before *time.Time
	if cur != "" {
		c, err := decodeCursor(cur, kind)
		if err != nil {
			return Page[RiskChange]{}, err
		}
		t, err := time.Parse(time.RFC3339Nano, c.Value)
		if err != nil {
			return Page[RiskChange]{}, invalidCursor()
		}
		before = &t
	}
	var rows []store.RiskHistoryRow
	err = s.listOfSupplier(ctx, supplierID, func(tx *store.Tx) (err error) {
		rows, err = tx.RiskHistoryOf(supplierID, before, limit)
		return err
	})
	if err != nil {
		return Page[RiskChange]{}, err
	}
	out := Page[RiskChange]{Items: []RiskChange{}}
	for i, row := range rows {
		if i == limit {
			last := rows[i-1].EffectiveAt.UTC().Format(time.RFC3339Nano)
			out.NextCursor = encodeCursor(cursor{Kind: kind, Value: last, ID: supplierID})
			break
		}
		var sr storedRisk
		if err := json.Unmarshal([]byte(row.Figures), &sr); err != nil {
			return Page[RiskChange]{}, fmt.Errorf("risk history of %s: %w", supplierID, err)
		}
		r := sr.Risk
		ch := RiskChange{EffectiveAt: row.EffectiveAt.UTC(), Archived: !row.Live, Inherent: r.Inherent.Value, Posture: r.Posture.Value,
			PostureProvisional: r.PostureProvisional, Residual: r.Residual.Value, Tier: r.Tier, InherentTier: r.InherentTier, Flags: r.Flags}
		if ch.Flags == nil {
			ch.Flags = []FlagView{}
		}
		out.Items = append(out.Items, ch)
	}
	return out, nil
}
