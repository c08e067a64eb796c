package register

import (
	"context"
	"strings"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// Flag is a reason a supplier is a weak link (PRODUCT.md §4): a code from the fixed
// vocabulary, its severity (critical, high, medium, low) and a plain-English message
// naming the evidence.
type Flag struct {
	Code     string
	Severity string
	Message  string
}

// FlagCodes lists the weak-link flag codes (PRODUCT.md §4), in the order flags are
// reported: the vocabulary every flag filter accepts.
func FlagCodes() []string { return scoring.FlagCodes() }

// FlagView is a raised flag with the acceptance that covers it, if any.
type FlagView struct {
	Flag
	Accepted *Acceptance
}

// WeakLink is one supplier in the weak-links ranking. Its own residual risk
// (Risk.Residual) ranks it; EffectivePosture is information about the chain its data
// travels, never a second ranking. Supplier holds only what names the supplier (id,
// name, criticality, status, country) and its risk summary.
type WeakLink struct {
	Supplier         Supplier
	Risk             RiskSummary
	EffectivePosture *float64
	Flags            []FlagView
}

// WeakLinkFilter selects the ranking: each list, when not empty, keeps the suppliers
// with an unaccepted flag of one of the codes, a flag of one of the severities, one
// of the tiers, or one of the data categories in their care (held or received).
type WeakLinkFilter struct {
	Flags, Severities, Tiers, Categories []string
	Cursor                               string
	Limit                                int
}

// Severities of flags, worst first.
var Severities = []string{"critical", "high", "medium", "low"}

// WeakLinks ranks the suppliers with at least one unaccepted flag, worst first, by
// Portfolio.RankKey: residual risk, then the worst unaccepted flag's severity, then
// name — a walk along the stored projection's rank index, after bringing any figures
// past their valid_until up to date.
func (s *Service) WeakLinks(ctx context.Context, f WeakLinkFilter) (Page[WeakLink], error) {
	var fe fieldErrors
	fe.allowed("flag", f.Flags, scoring.FlagCodes())
	fe.allowed("severity", f.Severities, Severities)
	fe.allowed("tier", f.Tiers, Tiers)
	if err := fe.err(); err != nil {
		return Page[WeakLink]{}, err
	}
	kind := "weak-links:" + strings.Join(f.Flags, ",") + ":" + strings.Join(f.Severities, ",") + ":" + strings.Join(f.Tiers, ",") + ":" + strings.Join(f.Categories, ",")
	limit, err := checkLimit(f.Limit)
	if err != nil {
		return Page[WeakLink]{}, err
	}
	after := ""
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, kind)
		if err != nil {
			return Page[WeakLink]{}, err
		}
		after = sqlCursorValue(c.Value)
	}
	rq := store.RiskListQuery{Suppliers: store.SupplierQuery{Tiers: f.Tiers}, OrderKey: "rank_key", After: after, Limit: limit,
		OpenOnly: true, OpenCodes: f.Flags, OpenSeverities: f.Severities, InCare: f.Categories, RefOnly: true}
	rows, err := s.riskPage(ctx, f.Categories, rq)
	if err != nil {
		return Page[WeakLink]{}, err
	}
	out := Page[WeakLink]{Items: []WeakLink{}}
	for i, row := range rows {
		if i == limit {
			out.NextCursor = encodeCursor(cursor{Kind: kind, Value: rows[i-1].Risk.RankKey, ID: rows[i-1].Risk.SupplierID})
			break
		}
		ls, err := listSummaryFromRow(row.Risk)
		if err != nil {
			return Page[WeakLink]{}, err
		}
		r := row.Supplier // RefOnly: what names the supplier
		sup := Supplier{ID: r.ID, SupplierFields: SupplierFields{Name: r.Name, Criticality: r.Criticality, Status: r.Status, Country: r.Country}}
		sup.Risk = &ls.RiskSummary
		out.Items = append(out.Items, WeakLink{Supplier: sup, Risk: ls.RiskSummary, EffectivePosture: ls.EffectivePosture, Flags: ls.Flags})
	}
	return out, nil
}

// RankKey is the supplier's place in every ranking of suppliers (the weak-links list
// and the report's tables): a string that sorts ascending worst first, by residual
// risk (highest first, to the hundredth), then the worst unaccepted flag's severity
// (critical first; none last), then the name (case-insensitive, byte order) and id.
// Accepted flags do not count. An id the portfolio does not hold ranks as residual 0.
func (p Portfolio) RankKey(id string) string {
	worst := 0
	for _, v := range p.FlagViews(id) {
		if v.Accepted == nil {
			worst = max(worst, scoring.SeverityRank(v.Severity))
		}
	}
	return rankKey(p.Risks[id].Residual.Value, worst, p.Suppliers[id].Name, id)
}
