package scoring

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// QuestionTextLimit is how many characters of a question's text a message keeps.
const QuestionTextLimit = 120

// QuestionLabel names a question in a message as "text (key)", the one way every
// message and every rendering of it names a question. The text is cut at its first
// sentence end or after QuestionTextLimit characters, whichever comes first, and
// "…" marks the place wherever text was left out; the full text stays in the
// questionnaire. Runs of spaces, tabs and line breaks read as one space. Without a
// text the label is the key alone.
//
// A sentence ends at a line break, at '.', '!' or '?' followed by a space or the end
// of the text, and at a full-width '。', '！' or '？'. A full stop after a single
// letter or a word holding another full stop ("J.", "e.g.", "i.e.") is an
// abbreviation, not a sentence end. A cut after QuestionTextLimit characters falls
// on a character boundary, never between a letter and its combining marks, and
// goes back to the last space when that keeps at least half of the limit.
func QuestionLabel(text, key string) string {
	kept := text[:firstSentenceEnd(text)]
	cut := strings.TrimSpace(text[len(kept):]) != ""
	words := strings.Fields(kept)
	if len(words) == 0 {
		return key
	}
	kept = strings.Join(words, " ")
	if r := []rune(kept); len(r) > QuestionTextLimit {
		kept, cut = string(cutRunes(r, QuestionTextLimit)), true
	}
	if cut {
		kept += "…"
	}
	return kept + " (" + key + ")"
}

// firstSentenceEnd is the byte length of text's first sentence, its closing
// punctuation included, or len(text) when it has one sentence.
func firstSentenceEnd(text string) int {
	wordStart := 0 // byte index where the current word begins
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		next := i + size
		switch {
		case r == '\n' || r == '\r':
			if strings.TrimSpace(text[:i]) != "" {
				return i
			}
		case r == '。' || r == '！' || r == '？':
			return next
		case (r == '.' || r == '!' || r == '?') && (next == len(text) || isSpaceAt(text, next)):
			if r != '.' || !abbreviation(text[wordStart:i]) {
				return next
			}
		}
		if unicode.IsSpace(r) || r == '(' {
			wordStart = next
		}
		i = next
	}
	return len(text)
}

// abbreviation reports whether a word followed by a full stop abbreviates: a single
// letter, or a word holding another full stop.
func abbreviation(word string) bool {
	r := []rune(word)
	return (len(r) == 1 && unicode.IsLetter(r[0])) || strings.ContainsRune(word, '.')
}

// isSpaceAt reports whether text has white space at byte index i.
func isSpaceAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsSpace(r)
}

// cutRunes keeps the first limit characters of r, less any letter whose combining
// marks would be cut off, and back to the last space if one lies in the second
// half; trailing spaces go.
func cutRunes(r []rune, limit int) []rune {
	n := limit
	for n > 0 && (isMark(r[n]) || r[n-1] == '\u200d') {
		n--
	}
	if n < len(r) && !unicode.IsSpace(r[n]) {
		for i := n - 1; i >= limit/2; i-- {
			if unicode.IsSpace(r[i]) {
				n = i
				break
			}
		}
	}
	for n > 0 && unicode.IsSpace(r[n-1]) {
		n--
	}
	return r[:n]
}

// isMark reports whether r combines with the character before it (accents,
// variation selectors, enclosing marks).
func isMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) }
