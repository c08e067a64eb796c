package register

import (
	"testing"
	"unicode/utf8"
)

// A file is text when the whole of it is valid UTF-8 without NUL, however the
// chunks it arrives in split its characters.
func TestTextCheckAcrossChunks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chunks []string
		want   bool
	}{
		{"ascii", []string{"hello ", "world"}, true},
		{"two-byte split", []string{"caf\xc3", "\xa9"}, true},
		{"four-byte split over three chunks", []string{"a\xf0\x9f", "\x98", "\x80b"}, true},
		{"split at the very end", []string{"ok\xe2\x9c"}, false},
		{"latin-1", []string{"caf\xe9 au lait"}, false},
		{"bad continuation after a split", []string{"x\xc3", "A"}, false},
		{"NUL", []string{"a", "\x00"}, false},
		{"overlong", []string{"\xc0\xaf"}, false},
		{"surrogate", []string{"\xed\xa0", "\x80"}, false},
		{"empty chunks", []string{"", "é", ""}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := textCheck{ok: true}
			whole := ""
			for _, ch := range tc.chunks {
				c.feed([]byte(ch))
				whole += ch
			}
			if got := c.done(); got != tc.want {
				t.Fatalf("done() = %v, want %v", got, tc.want)
			}
			if tc.want != (utf8.ValidString(whole)) && tc.name != "NUL" {
				t.Fatalf("the case contradicts utf8.ValidString")
			}
		})
	}
}

// FuzzTextCheck: whatever the split, the verdict is that of the whole.
func FuzzTextCheck(f *testing.F) {
	f.Add([]byte("caf\xc3\xa9"), uint8(4))
	f.Add([]byte("\xf0\x9f\x98\x80"), uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, at uint8) {
		cut := int(at) % (len(b) + 1)
		c := textCheck{ok: true}
		c.feed(b[:cut])
		c.feed(b[cut:])
		want := utf8.Valid(b)
		for _, x := range b {
			if x == 0 {
				want = false
			}
		}
		if c.done() != want {
			t.Fatalf("%q split at %d: %v, want %v", b, cut, c.done(), want)
		}
	})
}
