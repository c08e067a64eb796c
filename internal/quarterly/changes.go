package quarterly

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/weaklink/weaklink/internal/report"
	"github.com/weaklink/weaklink/internal/store"
)

// previousReport loads the report "changes since last quarter" compare with: the
// latest revision, not mislabelled, of the quarter just before quarter. Without one
// it returns nil and the sentence saying so.
func previousReport(tx *store.Tx, quarter string, sums []store.ReportSummary) (*report.Snapshot, string, error) {
	prevQ := previousQuarter(quarter)
	var last *store.ReportSummary
	skipped := 0
	for i := range sums {
		r := &sums[i]
		switch {
		case r.Quarter != prevQ:
		case mislabelled(r.Quarter, r.AsOf):
			skipped++
		case last == nil || r.Revision > last.Revision:
			last = r
		}
	}
	if last == nil {
		if skipped > 0 {
			return nil, fmt.Sprintf("The stored reports of %s are mislabelled (generated more than %d days after it ended, "+
				"they show the register of a later date): nothing to compare with.", prevQ, lateDays), nil
		}
		return nil, fmt.Sprintf("No report of %s is stored: nothing to compare with.", prevQ), nil
	}
	row, err := tx.GetReport(last.ID)
	if err != nil {
		return nil, "", err
	}
	var ps report.Snapshot
	if err := json.Unmarshal([]byte(row.Snapshot), &ps); err != nil {
		return nil, "", fmt.Errorf("previous report: %w", err)
	}
	return &ps, "", nil
}

// changesSince compares two snapshots: never today's values against a stored one.
func changesSince(prev, cur report.Snapshot) *report.Changes {
	ch := &report.Changes{PreviousID: prev.ID, PreviousQuarter: prev.Quarter, NewSuppliers: []report.SupplierRef{},
		ExitedSuppliers: []report.SupplierRef{}, TierMoves: []report.TierMove{}, PostureDrops: []report.PostureDrop{},
		NewFlags: []report.FlagChange{}, ResolvedFlags: []report.FlagChange{}}
	before := map[string]report.SupplierLine{}
	for _, l := range prev.Suppliers {
		before[l.ID] = l
	}
	now := map[string]report.SupplierLine{}
	for _, l := range cur.Suppliers {
		now[l.ID] = l
	}
	openFlags := func(l report.SupplierLine) map[string]bool {
		m := map[string]bool{}
		for _, f := range l.Flags {
			m[f.Code] = true
		}
		return m
	}
	for _, l := range sortedLines(cur.Suppliers) {
		b, existed := before[l.ID]
		if !existed {
			ch.NewSuppliers = append(ch.NewSuppliers, report.SupplierRef{ID: l.ID, Name: l.Name})
		} else {
			if b.Tier != l.Tier {
				ch.TierMoves = append(ch.TierMoves, report.TierMove{SupplierID: l.ID, Name: l.Name, From: b.Tier, To: l.Tier})
			}
			if b.Posture != nil && l.Posture != nil && *l.Posture < *b.Posture {
				ch.PostureDrops = append(ch.PostureDrops, report.PostureDrop{SupplierID: l.ID, Name: l.Name, From: *b.Posture, To: *l.Posture,
					Drop: math.Round((*b.Posture-*l.Posture)*100) / 100})
			}
		}
		if l.Status == "exited" && (!existed || b.Status != "exited") {
			ch.ExitedSuppliers = append(ch.ExitedSuppliers, report.SupplierRef{ID: l.ID, Name: l.Name})
		}
		was, is := openFlags(b), openFlags(l)
		for _, f := range l.Flags {
			if !was[f.Code] {
				ch.NewFlags = append(ch.NewFlags, report.FlagChange{SupplierID: l.ID, Name: l.Name, Code: f.Code})
			}
		}
		for _, f := range b.Flags {
			if !is[f.Code] {
				ch.ResolvedFlags = append(ch.ResolvedFlags, report.FlagChange{SupplierID: l.ID, Name: l.Name, Code: f.Code})
			}
		}
	}
	for _, b := range sortedLines(prev.Suppliers) {
		if _, still := now[b.ID]; !still { // archived since: gone from the register
			ch.ExitedSuppliers = append(ch.ExitedSuppliers, report.SupplierRef{ID: b.ID, Name: b.Name})
			for _, f := range b.Flags {
				ch.ResolvedFlags = append(ch.ResolvedFlags, report.FlagChange{SupplierID: b.ID, Name: b.Name, Code: f.Code})
			}
		}
	}
	sort.SliceStable(ch.PostureDrops, func(i, j int) bool { return ch.PostureDrops[i].Drop > ch.PostureDrops[j].Drop })
	if len(ch.PostureDrops) > 10 {
		ch.PostureDrops = ch.PostureDrops[:10]
	}
	return ch
}

func sortedLines(ls []report.SupplierLine) []report.SupplierLine {
	out := append([]report.SupplierLine(nil), ls...)
	sort.SliceStable(out, func(i, j int) bool {
		return strings.ToLower(out[i].Name)+out[i].ID < strings.ToLower(out[j].Name)+out[j].ID
	})
	return out
}

// trend is the flagged-supplier count of up to three earlier quarters' stored
// reports (each quarter's latest revision that is not mislabelled: a mislabelled
// report's figure is not its quarter's), ordered by as-of time, then this one.
func trend(sums []store.ReportSummary, cur report.Snapshot) []report.TrendPoint {
	latest := map[string]store.ReportSummary{}
	for _, r := range sums {
		if r.Quarter >= cur.Quarter || mislabelled(r.Quarter, r.AsOf) {
			continue
		}
		if l, ok := latest[r.Quarter]; !ok || r.Revision > l.Revision {
			latest[r.Quarter] = r
		}
	}
	points := make([]store.ReportSummary, 0, len(latest))
	for _, r := range latest {
		points = append(points, r)
	}
	sort.Slice(points, func(i, j int) bool {
		if !points[i].AsOf.Equal(points[j].AsOf) {
			return points[i].AsOf.Before(points[j].AsOf)
		}
		return points[i].Quarter < points[j].Quarter
	})
	if len(points) > 3 {
		points = points[len(points)-3:]
	}
	var out []report.TrendPoint
	for _, r := range points {
		out = append(out, report.TrendPoint{Quarter: r.Quarter, FlaggedSuppliers: r.FlaggedSuppliers})
	}
	return append(out, report.TrendPoint{Quarter: cur.Quarter, FlaggedSuppliers: cur.Summary.FlaggedSuppliers})
}
