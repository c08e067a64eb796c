package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
)

// The markers between which the tables go in docs/performance.md.
const (
	beginMarker = "<!-- load:begin -->"
	endMarker   = "<!-- load:end -->"
)

// Names of the ceilings in the results.
const (
	ceilingBare = "bare gin JSON"
	ceilingPK   = "gin + gorm PK SELECT"
)

// The reads, in the order the tables list them (the run script uses these names).
var readNames = []string{
	"GET /suppliers/{id}/risk",
	"GET /weak-links?limit=50",
	"GET /suppliers?sort=-residual_risk&limit=50",
	"GET /suppliers?tier=critical&limit=50",
	"GET /suppliers?limit=50",
	"GET /suppliers/{id}",
	"GET /exposure?category=political_opinions",
	"GET /incidents/{id}/impact (at the hub)",
}

// runTables writes the result tables: into -doc between the load markers (keeping
// the rest of the file), or to stdout.
func runTables(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("tables", flag.ContinueOnError)
	results := fs.String("results", "results.jsonl", "results file")
	doc := fs.String("doc", "", "markdown file to write the tables into, between "+beginMarker+" and "+endMarker+"; empty prints them")
	command := fs.String("command", "make load", "the command that produced the results")
	note := fs.String("note", "", "a note on the machine and the run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rs, err := readResults(*results)
	if err != nil {
		return err
	}
	md := renderTables(rs, *command, *note)
	if *doc == "" {
		fmt.Print(md)
		return nil
	}
	b, err := os.ReadFile(*doc)
	if err != nil {
		return err
	}
	text := string(b)
	i, j := strings.Index(text, beginMarker), strings.Index(text, endMarker)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %s … %s section", *doc, beginMarker, endMarker)
	}
	text = text[:i] + beginMarker + "\n" + md + endMarker + text[j+len(endMarker):]
	return os.WriteFile(*doc, []byte(text), 0o644)
}

// runCheck fails when any recorded request answered other than 2xx, or failed.
func runCheck(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	results := fs.String("results", "results.jsonl", "results file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rs, err := readResults(*results)
	if err != nil {
		return err
	}
	var bad []string
	requests := 0
	for _, r := range rs {
		requests += r.Requests
		if r.Requests == 0 {
			bad = append(bad, fmt.Sprintf("%s %s n=%d c=%d %s: no request completed", r.Kind, r.Database, r.N, r.C, r.Name))
		}
		if r.NonOK() > 0 {
			bad = append(bad, fmt.Sprintf("%s %s n=%d c=%d %s: %s", r.Kind, r.Database, r.N, r.C, r.Name, r.NonOKText()))
		}
	}
	if len(bad) > 0 {
		return errors.New("not every request answered 2xx:\n  " + strings.Join(bad, "\n  "))
	}
	fmt.Printf("%d measurements, %d requests: every one answered 2xx\n", len(rs), requests)
	return nil
}

// mb converts MiB to MB (10^6 bytes), the unit of the targets.
func mb(mib float64) float64 { return mib * 1.048576 }

func fmtRPS(v float64) string {
	if v >= 100 {
		return commas(int(v + 0.5))
	}
	return fmt.Sprintf("%.1f", v)
}

func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func fmtMS(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.2f s", v/1000)
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.2f ms", v)
}

func fmtRSS(mib float64) string {
	if mib == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f MB", mb(mib))
}

// group is the results of one database and register size.
type group struct {
	database string
	n        int
}

// ceilingBeside is the mean of the PK-SELECT ceilings measured just before and just
// after r, on the same database, size and connections (0 when there is none).
func ceilingBeside(rs []Result, r Result) float64 {
	var before, after *Result
	for i := range rs {
		c := &rs[i]
		if c.Kind != "ceiling" || c.Name != ceilingPK || c.Database != r.Database || c.N != r.N || c.C != r.C {
			continue
		}
		if c.Seq < r.Seq && (before == nil || c.Seq > before.Seq) {
			before = c
		}
		if c.Seq > r.Seq && (after == nil || c.Seq < after.Seq) {
			after = c
		}
	}
	switch {
	case before != nil && after != nil:
		return (before.RPS + after.RPS) / 2
	case before != nil:
		return before.RPS
	case after != nil:
		return after.RPS
	}
	return 0
}

func ratio(rs []Result, r Result) (float64, string) {
	c := ceilingBeside(rs, r)
	if c == 0 {
		return 0, "—"
	}
	v := r.RPS / c
	switch pct := 100 * v; {
	case pct < 0.01:
		return v, "< 0.01 %"
	case pct < 1:
		return v, fmt.Sprintf("%.2f %%", pct)
	case pct < 10:
		return v, fmt.Sprintf("%.1f %%", pct)
	default:
		return v, fmt.Sprintf("%.0f %%", pct)
	}
}

func dbTitle(d string) string {
	switch d {
	case "sqlite":
		return "SQLite"
	case "postgres":
		return "PostgreSQL"
	}
	return d
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// renderTables formats every table of a run.
func renderTables(rs []Result, command, note string) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("\nProduced by `%s`.", command)
	if note != "" {
		w(" %s", note)
	}
	w("\n\n")

	var groups []group
	for _, r := range rs {
		g := group{r.Database, r.N}
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	conns := func(g group, kind string) []int {
		var cs []int
		for _, r := range rs {
			if r.Database == g.database && r.N == g.n && r.Kind == kind && !slices.Contains(cs, r.C) {
				cs = append(cs, r.C)
			}
		}
		slices.Sort(cs)
		return cs
	}

	w("#### Ceilings (medians of the runs interleaved with the requests)\n\n")
	w("| Database | Suppliers | c | bare gin JSON req/s | p50 / p99 | gin + gorm PK SELECT req/s | p50 / p99 | runs |\n")
	w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, g := range groups {
		for _, c := range conns(g, "ceiling") {
			var bare, pk []Result
			for _, r := range rs {
				if r.Kind == "ceiling" && r.Database == g.database && r.N == g.n && r.C == c {
					if r.Name == ceilingBare {
						bare = append(bare, r)
					} else {
						pk = append(pk, r)
					}
				}
			}
			med := func(s []Result, f func(Result) float64) float64 {
				var v []float64
				for _, r := range s {
					v = append(v, f(r))
				}
				return median(v)
			}
			rps := func(r Result) float64 { return r.RPS }
			p50 := func(r Result) float64 { return r.P50 }
			p99 := func(r Result) float64 { return r.P99 }
			w("| %s | %s | %d | %s | %s / %s | %s | %s / %s | %d |\n", dbTitle(g.database), commas(g.n), c,
				fmtRPS(med(bare, rps)), fmtMS(med(bare, p50)), fmtMS(med(bare, p99)),
				fmtRPS(med(pk, rps)), fmtMS(med(pk, p50)), fmtMS(med(pk, p99)), len(pk))
		}
	}
	w("\n")

	for _, g := range groups {
		var reads []Result
		for _, r := range rs {
			if r.Kind == "read" && r.Database == g.database && r.N == g.n {
				reads = append(reads, r)
			}
		}
		if len(reads) == 0 {
			continue
		}
		slices.SortStableFunc(reads, func(a, b Result) int {
			if d := slices.Index(readNames, a.Name) - slices.Index(readNames, b.Name); d != 0 {
				return d
			}
			return a.C - b.C
		})
		w("#### Reads: %s, %s suppliers\n\n", dbTitle(g.database), commas(g.n))
		w("| Request | c | req/s | p50 | p99 | non-2xx | vs PK ceiling | peak RSS |\n")
		w("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n")
		for _, r := range reads {
			_, rt := ratio(rs, r)
			if r.Requests == 0 {
				w("| `%s` | %d | 0 | — | — | no request completed in the %.0f-s run | 0 %% | %s |\n", r.Name, r.C, r.Seconds, fmtRSS(r.RSS))
				continue
			}
			w("| `%s` | %d | %s | %s | %s | %s | %s | %s |\n", r.Name, r.C, fmtRPS(r.RPS), fmtMS(r.P50), fmtMS(r.P99),
				r.NonOKText(), rt, fmtRSS(r.RSS))
		}
		w("\n")
	}

	var mixed []Result
	for _, r := range rs {
		if r.Kind == "mixed" {
			mixed = append(mixed, r)
		}
	}
	if len(mixed) > 0 {
		w("#### Mixed workload (40 %% supplier reads, 40 %% risk reads, 20 %% merge-patch writes, each connection writing its own suppliers)\n\n")
		w("| Database | Suppliers | c | req/s | p50 | p99 | non-2xx | vs PK ceiling | peak RSS | supplier read p50 / p99 | risk read p50 / p99 | PATCH p50 / p99 |\n")
		w("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n")
		for _, r := range mixed {
			_, rt := ratio(rs, r)
			parts := make([]string, 3)
			for i := range parts {
				parts[i] = "—"
				if i < len(r.Parts) {
					parts[i] = fmtMS(r.Parts[i].P50) + " / " + fmtMS(r.Parts[i].P99)
				}
			}
			w("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", dbTitle(r.Database), commas(r.N), r.C,
				fmtRPS(r.RPS), fmtMS(r.P50), fmtMS(r.P99), r.NonOKText(), rt, fmtRSS(r.RSS), parts[0], parts[1], parts[2])
		}
		w("\n")
	}

	var seq []Result
	for _, r := range rs {
		if r.Kind == "sequential" {
			seq = append(seq, r)
		}
	}
	if len(seq) > 0 {
		w("#### Sequential writes (one client, one write after another)\n\n")
		w("| Database | Suppliers | Write | count | median | p99 | worst | non-2xx | peak RSS |\n")
		w("| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: |\n")
		for _, r := range seq {
			w("| %s | %s | `%s` | %s | %s | %s | %s | %s | %s |\n", dbTitle(r.Database), commas(r.N), r.Name,
				commas(r.Requests), fmtMS(r.P50), fmtMS(r.P99), fmtMS(r.Max), r.NonOKText(), fmtRSS(r.RSS))
		}
		w("\n")
	}

	var reports []Result
	for _, r := range rs {
		if r.Kind == "report" {
			reports = append(reports, r)
		}
	}
	if len(reports) > 0 {
		w("#### Quarterly report (`POST /api/v1/reports`, the service restarted just before it)\n\n")
		w("| Database | Suppliers | time | answer | peak RSS of the service |\n")
		w("| --- | ---: | ---: | --- | ---: |\n")
		for _, r := range reports {
			status := ""
			for s := range r.Statuses {
				status = s
			}
			w("| %s | %s | %s | %s | %s |\n", dbTitle(r.Database), commas(r.N), fmtMS(r.Max), status, fmtRSS(r.RSS))
		}
		w("\n")
	}
	b.WriteString(renderTargets(rs))
	return b.String()
}
