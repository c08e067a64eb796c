package report

import (
	"strings"
	"unicode/utf8"
)

// wrap splits printable text into the lines of a cell of width w in the current
// font: at line breaks, and after a space, a hyphen or an en dash (so that a range
// such as 258,000–456,000 breaks between its ends); a word wider than the cell
// on its own breaks at the cell's edge. Nothing is dropped but the spaces lines
// break at, so the lines joined give the text back.
func (d *pdfDoc) wrap(s string, w float64) []string {
	return wrapText(s, w-2*d.f.GetCellMargin(), d.f.GetStringWidth)
}

// wrapText is wrap with the width of a string measured by width.
func wrapText(s string, room float64, width func(string) float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		if width(para) <= room {
			out = append(out, para)
			continue
		}
		var line strings.Builder
		lineW := 0.0 // the width of line, trailing spaces included
		flush := func() {
			out = append(out, strings.TrimRight(line.String(), " "))
			line.Reset()
			lineW = 0
		}
		for para != "" {
			tok := para[:breakAfter(para)]
			para = para[len(tok):]
			tokW, inkW := width(tok), width(strings.TrimRight(tok, " "))
			if lineW+inkW <= room {
				line.WriteString(tok)
				lineW += tokW
				continue
			}
			if strings.TrimSpace(line.String()) != "" {
				flush()
			} else {
				line.Reset()
				lineW = 0
			}
			if inkW <= room {
				line.WriteString(tok)
				lineW = tokW
				continue
			}
			// A word wider than the cell: as much of it as fits on each line.
			for _, r := range tok {
				rw := width(string(r))
				if line.Len() > 0 && r != ' ' && lineW+rw > room {
					flush()
				}
				line.WriteRune(r)
				lineW += rw
			}
		}
		flush()
	}
	return out
}

// breakAfter is the length of s's first token: up to and including the first
// space, hyphen or en dash (with the spaces after it), or all of s.
func breakAfter(s string) int {
	for i, r := range s {
		if r == ' ' || r == '-' || r == '\u2010' || r == '\u2013' {
			j := i + utf8.RuneLen(r)
			for j < len(s) && s[j] == ' ' {
				j++
			}
			return j
		}
	}
	return len(s)
}
