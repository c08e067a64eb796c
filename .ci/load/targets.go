package main

import (
	"fmt"
	"strings"
)

// targetN and targetC are where the product's targets are set.
const (
	targetN = 10000
	targetC = 32
)

// target is one of the product's aims and how a database's results fare against it.
type target struct {
	what  string
	check func(rs []Result, db string) (string, bool, bool) // figure, met, measured
}

// readTarget: a read's throughput against the PK-SELECT ceiling, and its p99.
func readTarget(name string, minRatio, maxP99 float64) target {
	what := fmt.Sprintf("`%s`: ≥ %.0f %% of the ceiling", name, 100*minRatio)
	if maxP99 > 0 {
		what += fmt.Sprintf(", p99 < %.0f ms", maxP99)
	}
	return target{what, func(rs []Result, db string) (string, bool, bool) {
		for _, r := range rs {
			if r.Kind == "read" && r.Name == name && r.Database == db && r.N == targetN && r.C == targetC {
				if r.Requests == 0 {
					return fmt.Sprintf("no request completed in the %.0f-s run", r.Seconds), false, true
				}
				v, rt := ratio(rs, r)
				ok := v >= minRatio && (maxP99 == 0 || r.P99 < maxP99)
				fig := rt
				if maxP99 > 0 {
					fig += ", p99 " + fmtMS(r.P99)
				}
				return fig, ok, true
			}
		}
		return "", false, false
	}}
}

var targets = []target{
	readTarget("GET /suppliers/{id}/risk", 0.40, 0),
	readTarget("GET /weak-links?limit=50", 0.25, 50),
	readTarget("GET /suppliers?sort=-residual_risk&limit=50", 0.25, 50),
	readTarget("GET /suppliers?tier=critical&limit=50", 0.25, 50),
	readTarget("GET /suppliers?limit=50", 0.25, 50),
	readTarget("GET /exposure?category=political_opinions", 0.10, 150),
	readTarget("GET /incidents/{id}/impact (at the hub)", 0.10, 150),
	{"mixed workload: ≥ 25 % of the ceiling, no 5xx, no 412", func(rs []Result, db string) (string, bool, bool) {
		for _, r := range rs {
			if r.Kind == "mixed" && r.Database == db && r.N == targetN && r.C == targetC {
				v, rt := ratio(rs, r)
				bad := r.Errors
				for s, n := range r.Statuses {
					if strings.HasPrefix(s, "5") || s == "412" {
						bad += n
					}
				}
				answers := "every answer 2xx"
				if r.NonOK() > 0 {
					answers = r.NonOKText()
				}
				return fmt.Sprintf("%s, %s", rt, answers), v >= 0.25 && bad == 0, true
			}
		}
		return "", false, false
	}},
	{"sequential writes (PATCH, holding, link): median < 20 ms", func(rs []Result, db string) (string, bool, bool) {
		var figs []string
		ok, seen := true, false
		for _, r := range rs {
			if r.Kind == "sequential" && r.Database == db && r.N == targetN && !strings.HasPrefix(r.Name, "hub") {
				seen = true
				figs = append(figs, fmtMS(r.P50))
				ok = ok && r.P50 < 20 && r.NonOK() == 0
			}
		}
		return strings.Join(figs, ", "), ok, seen
	}},
	{"hub: submit and approval each < 2 s (worst)", func(rs []Result, db string) (string, bool, bool) {
		var figs []string
		ok, seen := true, false
		for _, r := range rs {
			if r.Kind == "sequential" && r.Database == db && r.N == targetN &&
				(strings.Contains(r.Name, "/submit") || strings.Contains(r.Name, "/review")) {
				seen = true
				figs = append(figs, fmtMS(r.Max))
				ok = ok && r.Max < 2000 && r.NonOK() == 0
			}
		}
		return strings.Join(figs, ", "), ok, seen
	}},
	{"peak RSS during reads and mixed < 200 MB", func(rs []Result, db string) (string, bool, bool) {
		peak, seen := 0.0, false
		for _, r := range rs {
			if (r.Kind == "read" || r.Kind == "mixed") && r.Database == db && r.N == targetN && r.RSS > 0 {
				peak, seen = max(peak, r.RSS), true
			}
		}
		return fmtRSS(peak), mb(peak) < 200, seen
	}},
	{"peak RSS during the report < 300 MB", func(rs []Result, db string) (string, bool, bool) {
		for _, r := range rs {
			if r.Kind == "report" && r.Database == db && r.N == targetN {
				return fmt.Sprintf("%s (in %s)", fmtRSS(r.RSS), fmtMS(r.Max)), mb(r.RSS) < 300 && r.NonOK() == 0, true
			}
		}
		return "", false, false
	}},
}

// renderTargets lists each target with each database's figure, met or missed.
func renderTargets(rs []Result) string {
	var dbs []string
	for _, d := range []string{"sqlite", "postgres"} {
		for _, r := range rs {
			if r.Database == d && r.N == targetN {
				dbs = append(dbs, d)
				break
			}
		}
	}
	if len(dbs) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#### Against the targets (%s suppliers, c = %d)\n\n| Target |", commas(targetN), targetC)
	for _, d := range dbs {
		fmt.Fprintf(&b, " %s |", dbTitle(d))
	}
	b.WriteString("\n| --- |" + strings.Repeat(" --- |", len(dbs)) + "\n")
	for _, t := range targets {
		fmt.Fprintf(&b, "| %s |", t.what)
		for _, d := range dbs {
			fig, ok, seen := t.check(rs, d)
			switch {
			case !seen:
				b.WriteString(" not measured |")
			case ok:
				fmt.Fprintf(&b, " met: %s |", fig)
			default:
				fmt.Fprintf(&b, " **missed**: %s |", fig)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	return b.String()
}
