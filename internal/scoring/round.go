package scoring

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// maxHundredths bounds every internal figure so conversions to int64 never overflow;
// no legitimate figure comes anywhere near it.
const maxHundredths = 1e15

// toH converts x to integer hundredths, rounding half away from zero. NaN counts as 0.
func toH(x float64) int64 {
	if math.IsNaN(x) {
		return 0
	}
	return int64(math.Round(math.Max(-maxHundredths, math.Min(maxHundredths, x*100))))
}

// fromH converts integer hundredths to the published float.
func fromH(h int64) float64 { return float64(h) / 100 }

// clampH limits h to lo–hi.
func clampH(h, lo, hi int64) int64 { return max(lo, min(hi, h)) }

// clampF limits x to lo–hi; NaN becomes lo.
func clampF(x, lo, hi float64) float64 {
	if math.IsNaN(x) {
		return lo
	}
	return math.Max(lo, math.Min(hi, x))
}

// allocate rounds exact parts (in hundredths, possibly fractional) to integers that
// sum to total, by the largest-remainder method: every part starts at its floor, and
// the units still missing go to the parts with the largest fractional remainders (ties
// to the earlier part). Parts that are exactly integers, zeros included, are only
// touched when no fractional part exists, so an answer worth nothing never receives a
// stray hundredth.
func allocate(total int64, exact []float64) []int64 {
	out := make([]int64, len(exact))
	if len(exact) == 0 {
		return out
	}
	type rem struct {
		i int
		r float64
	}
	var sum int64
	frac := make([]rem, 0, len(exact))
	for i, e := range exact {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			e = 0
		}
		e = math.Max(-maxHundredths, math.Min(maxHundredths, e))
		f := math.Floor(e)
		out[i] = int64(f)
		sum += out[i]
		if e != f {
			frac = append(frac, rem{i, e - f})
		}
	}
	diff := total - sum
	if diff == 0 {
		return out
	}
	if len(frac) == 0 {
		for i := range exact {
			frac = append(frac, rem{i, 0})
		}
	}
	sort.SliceStable(frac, func(a, b int) bool { return frac[a].r > frac[b].r })
	n := int64(len(frac))
	// A difference larger than the number of parts only arises from inconsistent
	// input; spread whole rounds evenly first so the loop below stays short.
	each := diff / n
	diff -= each * n
	for _, f := range frac {
		out[f.i] += each
	}
	for k := 0; diff > 0; k++ {
		out[frac[k].i]++
		diff--
	}
	for k := len(frac) - 1; diff < 0; k-- {
		out[frac[k].i]--
		diff++
	}
	return out
}

// fmtH formats hundredths for a breakdown's Detail: "54.29", "40", "12.5".
func fmtH(h int64) string {
	s := strconv.FormatFloat(fromH(h), 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// fmtNum formats a configured number for a Detail: 0.8, 10, 12.5.
func fmtNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// FormatCount formats a whole number with thousands separators, for reading:
// 1350000 → "1,350,000", -1200 → "-1,200". Every figure weaklink writes for people
// (flag messages, the incident statement, the report) goes through it.
func FormatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
