package demo

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// Shares of the register by role: 2 % hubs, sub-processors thinning out from level
// 1 to level 6, a few loops of sub-processors, and the rest direct suppliers.
var subLevelShares = [7]float64{0, 0.10, 0.06, 0.035, 0.02, 0.01, 0.005}

const (
	hubShare          = 0.02
	lateShare         = 0.08 // direct suppliers onboarded after the first import
	suppliersPerCycle = 200
)

func (p *planner) planSuppliers() {
	count := func(share float64) int { return max(1, int(math.Round(share*float64(p.n)))) }
	var roles []role
	var levels []int
	add := func(r role, level, k int) {
		for range k {
			roles, levels = append(roles, r), append(levels, level)
		}
	}
	add(hub, 1, count(hubShare))
	for l := 1; l <= 6; l++ {
		add(sub, l, count(subLevelShares[l]))
	}
	cycles := max(1, p.n/suppliersPerCycle)
	var cycleLens []int
	for range cycles {
		k := 3 + p.rnd.IntN(3) // loops of three to five suppliers: an entry and 2–4 members
		cycleLens = append(cycleLens, k)
		add(cycle, 2, k-1)
	}
	add(direct, 0, p.n-len(roles))
	order := p.rnd.Perm(len(roles)) // import order mixes the roles, as a real sheet would
	for _, i := range order {
		s := &supplier{role: roles[i], level: levels[i]}
		p.sups = append(p.sups, s)
		p.byRole[s.role] = append(p.byRole[s.role], s)
		if s.role == hub || s.role == sub {
			p.levels[s.level] = append(p.levels[s.level], s)
		}
	}
	p.cycleLens = cycleLens
	for _, s := range p.sups {
		p.planSupplier(s)
	}
}

func (p *planner) planSupplier(s *supplier) {
	s.created, s.imported = p.adopted, true
	if s.role == direct && p.chance(lateShare) {
		s.created, s.imported = p.within(p.adopted.Add(30*day), 640*day), false
	}
	lines := map[role][]business{direct: directBusinesses, hub: hubBusinesses, sub: subBusinesses, cycle: subBusinesses}[s.role]
	name, line, slug := p.names.name(lines)
	f := register.SupplierFields{Name: name, Services: line.services, Website: "https://" + slug + ".example"}
	switch s.role {
	case hub:
		f.Criticality = p.pickOf([]weighted{{"critical", 0.4}, {"high", 0.6}})
		s.quality = p.between(0.75, 0.97)
	case direct:
		f.Criticality = p.pickOf([]weighted{{"low", 0.35}, {"medium", 0.35}, {"high", 0.22}, {"critical", 0.08}})
		s.quality = p.quality()
	default:
		f.Criticality = p.pickOf([]weighted{{"low", 0.4}, {"medium", 0.4}, {"high", 0.17}, {"critical", 0.03}})
		s.quality = p.quality()
	}
	f.Status = "active"
	switch x := p.rnd.Float64(); {
	case !s.imported && s.created.After(p.now.Add(-120*day)) && x < 0.4:
		f.Status = "onboarding"
	case x < 0.02:
		f.Status = "exited"
	case x < 0.05:
		f.Status = "offboarding"
	}
	country := p.country(s.role)
	f.Country = &country
	if p.chance(0.85) {
		f.SecurityContact = "security@" + slug + ".example"
	}
	if h := p.pickOf([]weighted{{"24", 0.4}, {"48", 0.25}, {"72", 0.2}, {"", 0.15}}); h != "" {
		hours, _ := strconv.Atoi(h)
		f.BreachNotificationHours = &hours
	}
	start := p.within(s.created.Add(-6*365*day), 6*365*day-20*day)
	if !s.imported {
		start = p.within(s.created.Add(-60*day), 55*day)
	}
	f.ContractStart = date(start)
	end := start.Add(time.Duration(2+p.rnd.IntN(4)) * 365 * day)
	if f.Status == "exited" {
		end = later(start, p.within(p.now.Add(-200*day), 190*day))
	} else {
		for end.Before(p.now.Add(30 * day)) { // renewed for three years at a time
			end = end.Add(3 * 365 * day)
		}
	}
	f.ContractEnd = date(end)
	f.Certifications = p.certifications(s.role)
	s.fields = f
	if s.role == direct || (s.role == sub && s.level == 1 && p.chance(0.5)) {
		p.planHoldings(s, line.core, start)
	}
	// A DPA is signed by most suppliers that hold data, and by some that only receive it.
	signed := 0.4
	if len(s.holdings) > 0 {
		signed = 0.88
	}
	if p.chance(signed) {
		at := p.within(start, 60*day)
		if at.After(s.created) {
			at = s.created
		}
		s.fields.DPASignedAt = date(at)
	}
}

// quality is a supplier's security, from strong to poor.
func (p *planner) quality() float64 {
	switch x := p.rnd.Float64(); {
	case x < 0.30:
		return p.between(0.85, 0.97)
	case x < 0.75:
		return p.between(0.55, 0.85)
	default:
		return p.between(0.2, 0.55)
	}
}

func (p *planner) country(r role) string {
	if r == hub {
		return p.pickOf([]weighted{{"US", 0.5}, {"IE", 0.3}, {"GB", 0.2}})
	}
	return p.pickOf([]weighted{{"GB", 0.72}, {"IE", 0.06}, {"NL", 0.03}, {"DE", 0.03}, {"FR", 0.02}, {"US", 0.09},
		{"CA", 0.02}, {"IN", 0.03}})
}

var certSchemes = []weighted{{"iso27001", 0.35}, {"cyber_essentials", 0.3}, {"cyber_essentials_plus", 0.2}, {"soc2", 0.15}}

// certifications are current or (about one in five) expired.
func (p *planner) certifications(r role) []register.Certification {
	k := map[bool]int{true: 2}[r == hub]
	if r != hub {
		switch x := p.rnd.Float64(); {
		case x < 0.40:
			k = 1
		case x < 0.55:
			k = 2
		}
	}
	var out []register.Certification
	for len(out) < k {
		scheme := p.pickOf(certSchemes)
		if slices.ContainsFunc(out, func(c register.Certification) bool { return c.Scheme == scheme }) {
			continue
		}
		expires := p.within(p.now.Add(20*day), 1000*day)
		if p.chance(0.18) {
			expires = p.within(p.now.Add(-400*day), 399*day)
		}
		ref := "C-" + strconv.Itoa(100000+p.rnd.IntN(900000))
		out = append(out, register.Certification{Scheme: scheme, Reference: ref, ExpiresAt: expires.Format(time.DateOnly)})
	}
	return out
}

// planHoldings gives a direct supplier two to eleven categories (a sub-processor of
// level 1 one to three), the usual ones of its line of business first, then others
// by how common each is, with record counts spread from a few dozen to everyone the
// data is about.
func (p *planner) planHoldings(s *supplier, core []string, contractStart time.Time) {
	k := 2 + p.rnd.IntN(10)
	if s.role != direct {
		k = 1 + p.rnd.IntN(3)
	}
	// Weighted sampling without replacement: the k largest u^(1/w).
	type keyed struct {
		c   categoryProfile
		key float64
	}
	ks := make([]keyed, len(p.profiles))
	for i, c := range p.profiles {
		w := c.weight
		if slices.Contains(core, c.key) {
			w *= 8
		}
		ks[i] = keyed{c, math.Pow(p.rnd.Float64(), 1/w)}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return -cmpFloat(a.key, b.key) })
	locations, mechanism := p.locations(*s.fields.Country)
	for _, kc := range ks[:min(k, len(ks))] {
		subjects := kc.c.subjects[p.rnd.IntN(len(kc.c.subjects))]
		people := int64(0)
		for _, d := range subjects {
			people += population[d]
		}
		share := math.Exp(p.between(math.Log(0.002), 0)) // log-uniform: most hold a slice, a few everyone
		records := roughly(float64(people) * share)
		h := register.HoldingFields{Category: kc.c.key, DataSubjects: slices.Clone(subjects), RecordCount: &records,
			Purpose: s.fields.Services, Locations: locations, TransferMechanism: mechanism,
			HeldSince: date(p.within(contractStart, s.created.Sub(contractStart)))}
		switch x := p.rnd.Float64(); {
		case x < 0.65:
			period := retentionPeriods[p.rnd.IntN(len(retentionPeriods))]
			h.RetentionPeriod = &period
		case x < 0.80:
			until := p.within(p.now.Add(30*day), 1500*day)
			if p.chance(0.2) { // kept past the agreed date
				until = p.within(p.now.Add(-400*day), 390*day)
			}
			h.RetentionUntil = date(until)
		}
		s.holdings = append(s.holdings, h)
		s.receive([]string{h.Category})
	}
}

// locations are where a supplier keeps data: at home, or also abroad, with a
// transfer mechanism outside the UK/EEA more often than not.
func (p *planner) locations(country string) ([]string, *string) {
	locs := []string{country}
	if country != "GB" && p.chance(0.5) {
		locs = []string{"GB", country}
	} else if country == "GB" && p.chance(0.06) {
		locs = []string{"GB", "US"}
	}
	outside := slices.ContainsFunc(locs, func(c string) bool { return !register.InUKEEA(c) })
	if !outside || p.chance(0.12) {
		return locs, nil
	}
	m := p.pickOf([]weighted{{"scc", 0.45}, {"idta", 0.3}, {"uk_addendum", 0.25}})
	if slices.Contains(locs, "CA") {
		m = "adequacy"
	}
	return locs, &m
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
