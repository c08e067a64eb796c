package sheetio

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/weaklink/weaklink/internal/register"
)

// Cell values that are not plain text: whole numbers, lists and certifications,
// read the way people type them and written so that reading them back gives the
// same value. A value has exactly one meaning or is refused.

var (
	commaGroups = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+$`)
	dotGroups   = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{3}){2,}$`)
	dotOrGroup  = regexp.MustCompile(`^[0-9]{1,3}\.[0-9]{3}$`)
	decimal     = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
)

// parseWhole reads a whole number as people and spreadsheet programs write it:
// 600000, 600,000 or 1.000.000 (thousands separators), 600000.0 or 6E5. A value
// has one meaning or is refused: 600.000 is six hundred thousand where the point
// groups thousands and six hundred where it marks decimals, so a point followed
// by one group of three digits is refused (ambiguousWhole says so), as is
// anything that is not a whole number (1.5, 0x1p4, NaN).
func parseWhole(s string) (int64, bool) {
	switch {
	case ambiguousWhole(s):
		return 0, false
	case commaGroups.MatchString(s):
		s = strings.ReplaceAll(s, ",", "")
	case dotGroups.MatchString(s):
		s = strings.ReplaceAll(s, ".", "")
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if !decimal.MatchString(s) {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x != math.Trunc(x) || math.Abs(x) > 1e15 {
		return 0, false
	}
	return int64(x), true
}

// ambiguousWhole reports a number written with one point and three digits after
// it (600.000, 1.500), which parseWhole refuses.
func ambiguousWhole(s string) bool { return dotOrGroup.MatchString(s) }

// ambiguousNumber is the message for a number parseWhole calls ambiguous.
const ambiguousNumber = "is ambiguous: a point followed by three digits groups thousands in some countries and marks decimals in others; " +
	"write the number without separators, such as 600000"

// List cells. Items are separated by semicolons or commas, the way people write
// lists; a backslash escapes a separator or a backslash inside an item (\; \,
// \\), and is kept as written before any other character.
const listSeparators = ";,"

// splitList splits a cell at unescaped semicolons and commas, unescapes \; \, and
// \\, trims each item and drops empty ones.
func splitList(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if v := strings.TrimSpace(b.String()); v != "" {
			out = append(out, v)
		}
		b.Reset()
	}
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && (strings.IndexByte(listSeparators, s[i+1]) >= 0 || s[i+1] == '\\'):
			i++
			b.WriteByte(s[i])
		case strings.IndexByte(listSeparators, s[i]) >= 0:
			flush()
		default:
			b.WriteByte(s[i])
		}
	}
	flush()
	return out
}

// listEscaper escapes what splitList unescapes.
var listEscaper = strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`)

// joinList is the inverse of splitList: items joined with "; ", each escaped.
func joinList(items []string) string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = listEscaper.Replace(v)
	}
	return strings.Join(out, "; ")
}

// parseCertification reads scheme:expiry or scheme:reference:expiry. Schemes and
// dates have no colons, so a reference may contain them.
func parseCertification(item string) (register.Certification, bool) {
	first, last := strings.IndexByte(item, ':'), strings.LastIndexByte(item, ':')
	if first < 0 {
		return register.Certification{}, false
	}
	c := register.Certification{Scheme: strings.ToLower(strings.TrimSpace(item[:first])), ExpiresAt: strings.TrimSpace(item[last+1:])}
	if first != last {
		c.Reference = strings.TrimSpace(item[first+1 : last])
	}
	return c, true
}

func formatCertifications(certs []register.Certification) string {
	items := make([]string, len(certs))
	for i, c := range certs {
		items[i] = c.Scheme + ":" + c.ExpiresAt
		if c.Reference != "" {
			items[i] = c.Scheme + ":" + c.Reference + ":" + c.ExpiresAt
		}
	}
	return joinList(items)
}
