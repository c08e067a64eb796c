package demo

import (
	"math"
	"slices"
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// link is one planned sub-processor link.
type link struct {
	from, to *supplier
	fields   register.LinkFields // SubprocessorID is set when written
	at       time.Time
}

const (
	linksPerSupplier = 2
	hubLinkShare     = 0.6 // of all links, into the hubs
)

// planLinks draws about two links per supplier. Hubs receive 60 % of them from
// direct suppliers. Every other link goes one level down (direct → level 1 → … →
// level 6, hubs at level 1, a direct supplier sometimes straight to level 2 or 3),
// so chains are at most six links deep; and a few loops of three to five
// sub-processors pass data round. Each link names categories the passing supplier
// has in its care, once it has received them.
func (p *planner) planLinks() {
	target := linksPerSupplier * p.n
	hubTarget := int(math.Round(hubLinkShare * float64(target)))
	directs := p.byRole[direct]
	hubs := p.byRole[hub]

	// Hubs, some bigger than others, each from distinct direct suppliers.
	weights := make([]float64, len(hubs))
	total := 0.0
	for i := range hubs {
		weights[i] = 1 / math.Sqrt(float64(i+1))
		total += weights[i]
	}
	for i, h := range hubs {
		quota := min(len(directs), int(math.Round(float64(hubTarget)*weights[i]/total)))
		for _, j := range p.rnd.Perm(len(directs))[:quota] {
			p.addLink(directs[j], h, 1+p.rnd.IntN(4), 650*day)
		}
	}
	// Level 1 sub-processors receive from one to three direct suppliers.
	for _, s := range p.levels[1] {
		if s.role != sub {
			continue
		}
		for range 1 + p.rnd.IntN(3) {
			p.addLink(directs[p.rnd.IntN(len(directs))], s, 1+p.rnd.IntN(3), 30*day)
		}
	}
	// Hubs pass on to one to three sub-processors of level 2.
	for _, h := range hubs {
		for range 1 + p.rnd.IntN(3) {
			p.addLink(h, p.levels[2][p.rnd.IntN(len(p.levels[2]))], 1+p.rnd.IntN(4), 30*day)
		}
	}
	// Every sub-processor of level 2 to 6 receives from the level above, some twice.
	for l := 2; l <= 6; l++ {
		for _, s := range p.levels[l] {
			for k := 0; k == 0 || k == 1 && p.chance(0.3); k++ {
				p.addLink(p.levels[l-1][p.rnd.IntN(len(p.levels[l-1]))], s, 1+p.rnd.IntN(3), 30*day)
			}
		}
	}
	p.planCycles()
	// The rest: direct suppliers to sub-processors of level 1, or straight to 2 or 3.
	var firstLevels []*supplier
	for _, s := range p.levels[1] {
		if s.role == sub {
			firstLevels = append(firstLevels, s)
		}
	}
	for attempts := 0; len(p.plan.links) < target && attempts < 4*target; attempts++ {
		to := firstLevels[p.rnd.IntN(len(firstLevels))]
		if l := 2 + p.rnd.IntN(2); p.chance(0.3) {
			to = p.levels[l][p.rnd.IntN(len(p.levels[l]))]
		}
		p.addLink(directs[p.rnd.IntN(len(directs))], to, 1+p.rnd.IntN(3), 650*day)
	}
}

// planCycles closes loops: an entry of level 1 passes data to two to four
// sub-processors in turn, the last of which passes it back to the entry.
func (p *planner) planCycles() {
	members := p.byRole[cycle]
	var entries []*supplier
	for _, s := range p.levels[1] {
		if s.role == sub {
			entries = append(entries, s)
		}
	}
	next := 0
	for _, k := range p.cycleLens {
		loop := []*supplier{entries[p.rnd.IntN(len(entries))]}
		loop = append(loop, members[next:next+k-1]...)
		next += k - 1
		cats := 1 + p.rnd.IntN(3)
		for i, from := range loop {
			p.addLink(from, loop[(i+1)%len(loop)], cats, 30*day)
		}
	}
}

// addLink plans a link from one supplier to another, naming up to k categories in
// the passing supplier's care, some time after both exist and the passing one has
// received data; spread is how long after. A pair already linked, or a passing
// supplier with nothing in its care, is skipped.
func (p *planner) addLink(from, to *supplier, k int, spread time.Duration) {
	pair := [2]*supplier{from, to}
	if from == to || p.pairs[pair] || len(from.care) == 0 {
		return
	}
	p.pairs[pair] = true
	start := from.created
	if to.created.After(start) {
		start = to.created
	}
	if !from.firstIn.IsZero() && from.firstIn.After(start) {
		start = from.firstIn
	}
	var at time.Time
	if room := p.now.Add(-time.Hour).Sub(start.Add(day)); room > 0 {
		at = p.within(start.Add(day), min(spread, room))
	} else { // ends created in the last day: linked since
		at = p.within(start, p.now.Add(-time.Minute).Sub(start))
	}
	f := register.LinkFields{Categories: p.subset(from.care, k)}
	if p.chance(0.88) { // authorised (GDPR Art. 28(2)) before it was recorded
		auth := p.within(at.Add(-60*day), 60*day)
		if auth.Before(start) {
			auth = start
		}
		f.AuthorisedAt = date(auth)
	}
	if p.chance(0.2) { // passes on only part of the records
		most := int64(0)
		for _, h := range from.holdings {
			if slices.Contains(f.Categories, h.Category) && *h.RecordCount > most {
				most = *h.RecordCount
			}
		}
		if most == 0 {
			most = 50_000
		}
		capped := roughly(float64(most) * p.between(0.05, 0.8))
		f.RecordCount = &capped
	}
	to.receive(f.Categories)
	if to.firstIn.IsZero() || at.Before(to.firstIn) {
		to.firstIn = at
	}
	from.linked = true
	p.plan.links = append(p.plan.links, &link{from: from, to: to, fields: f, at: at})
}
