package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/weaklink/weaklink/internal/register"
)

// The plan is the whole register, decided before anything is written: the
// suppliers and their holdings, the sub-processor links, the assessments and the
// incidents, each with the time it happens. Everything comes from one seeded source,
// in a fixed order, so the same options give the same plan.

// role is a supplier's place in the supply chain.
type role int

const (
	direct role = iota // serves the organisation and holds its data directly
	hub                // a platform that receives from many suppliers
	sub                // a sub-processor at some depth (level 1 to 6)
	cycle              // a sub-processor in a loop of sub-processors
)

const day = 24 * time.Hour

// supplier is one planned supplier.
type supplier struct {
	role     role
	level    int // 0 for direct suppliers, 1 for hubs, 1–6 for sub-processors
	fields   register.SupplierFields
	holdings []register.HoldingFields
	created  time.Time
	imported bool      // in the first import, at the adoption date
	quality  float64   // how good its security is, 0–1: drives its answers
	care     []string  // categories in its care (held or received), sorted
	firstIn  time.Time // when it first received data through a link
	linked   bool      // passes data on to at least one sub-processor
	id       string    // once written
}

// receive adds categories to the supplier's care.
func (s *supplier) receive(cats []string) {
	for _, c := range cats {
		if i, ok := slices.BinarySearch(s.care, c); !ok {
			s.care = slices.Insert(s.care, i, c)
		}
	}
}

// planner builds a plan.
type planner struct {
	rnd       *rand.Rand
	n         int
	now       time.Time         // the time the register describes
	adopted   time.Time         // when the organisation started the register: the first import
	profiles  []categoryProfile // those of the catalogue
	names     namer
	sups      []*supplier
	byRole    map[role][]*supplier
	levels    [7][]*supplier // sub-processors (and hubs, at 1) by level
	cycleLens []int          // each loop's length
	questions []register.Question
	pairs     map[[2]*supplier]bool
	plan      *plan
}

// plan is what the writer writes.
type plan struct {
	suppliers   []*supplier
	links       []*link
	assessments []*assessment
	incidents   []*incident
}

func newPlanner(seed uint64, n int, now time.Time, known map[string]bool, questions []register.Question) *planner {
	rnd := rand.New(rand.NewPCG(seed, 0x5eed_0f_de_0a11))
	p := &planner{rnd: rnd, n: n, now: now, adopted: now.Add(-730 * day),
		names: namer{rnd: rnd, taken: map[string]bool{}}, byRole: map[role][]*supplier{}, pairs: map[[2]*supplier]bool{}, plan: &plan{},
		questions: questions}
	for _, c := range profiles {
		if known[c.key] {
			p.profiles = append(p.profiles, c)
		}
	}
	return p
}

func (p *planner) build() *plan {
	p.planSuppliers()
	p.planLinks()
	p.planAssessments()
	p.planIncidents()
	p.plan.suppliers = p.sups
	return p.plan
}

// Helpers over the seeded source.

func (p *planner) chance(f float64) bool          { return p.rnd.Float64() < f }
func (p *planner) between(lo, hi float64) float64 { return lo + p.rnd.Float64()*(hi-lo) }

// within returns a time, to the second, between from and from+d.
func (p *planner) within(from time.Time, d time.Duration) time.Time { return from.Add(p.span(0, d)) }

// span returns a duration, to the second, between lo and hi.
func (p *planner) span(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(p.rnd.Int64N(int64((hi-lo)/time.Second)+1))*time.Second
}

// pick returns an element by weight; weights need not add up to one.
func pick[T any](p *planner, items []T, weight func(T) float64) T {
	total := 0.0
	for _, it := range items {
		total += weight(it)
	}
	x := p.rnd.Float64() * total
	for _, it := range items {
		if x -= weight(it); x < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

type weighted struct {
	value  string
	weight float64
}

func (p *planner) pickOf(ws []weighted) string {
	return pick(p, ws, func(w weighted) float64 { return w.weight }).value
}

// subset returns k distinct elements of a sorted set, sorted.
func (p *planner) subset(set []string, k int) []string {
	k = min(k, len(set))
	idx := p.rnd.Perm(len(set))[:k]
	slices.Sort(idx)
	out := make([]string, k)
	for i, j := range idx {
		out[i] = set[j]
	}
	return out
}

// roughly rounds a count to two significant figures, as people estimate them.
func roughly(v float64) int64 {
	if v < 100 {
		return int64(math.Max(1, math.Round(v)))
	}
	scale := math.Pow(10, math.Floor(math.Log10(v))-1)
	return int64(math.Round(v/scale) * scale)
}

func date(t time.Time) *string { s := t.Format(time.DateOnly); return &s }
