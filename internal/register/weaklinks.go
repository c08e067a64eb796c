package register

import (
	"context"
	"fmt"
	"math"
	"sort"
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
// travels, never a second ranking.
type WeakLink struct {
	Supplier         Supplier
	Risk             Risk
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
// Portfolio.RankKey: residual risk, then the worst unaccepted flag's severity, then name.
func (s *Service) WeakLinks(ctx context.Context, f WeakLinkFilter) (Page[WeakLink], error) {
	var fe fieldErrors
	fe.allowed("flag", f.Flags, scoring.FlagCodes())
	fe.allowed("severity", f.Severities, Severities)
	fe.allowed("tier", f.Tiers, Tiers)
	if err := fe.err(); err != nil {
		return Page[WeakLink]{}, err
	}
	now := s.now()
	var p Portfolio
	err := s.st.Read(ctx, func(tx *store.Tx) (err error) {
		if err := s.requireCategories(tx, "category", f.Categories); err != nil {
			return err
		}
		p, err = s.LoadPortfolio(tx, now)
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
	for _, id := range p.Order {
		views := p.FlagViews(id)
		open := 0
		matches := len(f.Flags) == 0 && len(f.Severities) == 0
		for _, v := range views {
			if v.Accepted != nil {
				continue
			}
			open++
			if (len(f.Flags) == 0 || oneOf(v.Code, f.Flags)) && (len(f.Severities) == 0 || oneOf(v.Severity, f.Severities)) {
				matches = true
			}
		}
		risk := p.Risks[id]
		if open == 0 || !matches || (len(f.Tiers) > 0 && !oneOf(risk.Tier, f.Tiers)) ||
			(len(f.Categories) > 0 && !anyOf(p.CategoriesInCare(id), f.Categories)) {
			continue
		}
		wl := WeakLink{Supplier: p.Suppliers[id], Risk: risk, EffectivePosture: p.Flags[id].EffectivePosture, Flags: views}
		items = append(items, ranked{wl, p.RankKey(id)})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].pos < items[j].pos })
	kind := "weak-links:" + strings.Join(f.Flags, ",") + ":" + strings.Join(f.Severities, ",") + ":" + strings.Join(f.Tiers, ",") + ":" + strings.Join(f.Categories, ",")
	page, err := PageSlice(items, kind, f.Cursor, f.Limit, func(r ranked) string { return r.pos })
	if err != nil {
		return Page[WeakLink]{}, err
	}
	out := Page[WeakLink]{NextCursor: page.NextCursor, Items: make([]WeakLink, len(page.Items))}
	for i, it := range page.Items {
		out.Items[i] = it.wl
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
	res := min(max(int64(math.Round(p.Risks[id].Residual.Value*100)), 0), 10_000)
	return fmt.Sprintf("%05d%d\x00%s\x00%s", 10_000-res, 9-worst, strings.ToLower(p.Suppliers[id].Name), id)
}

func anyOf(have, want []string) bool {
	for _, h := range have {
		if oneOf(h, want) {
			return true
		}
	}
	return false
}
