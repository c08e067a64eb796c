package api

import "testing"

// /docs sets the contract's `code spans` as <code> and escapes everything else.
func TestDocsInlineCode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"pass `next_cursor` as `?cursor=…`", "pass <code>next_cursor</code> as <code>?cursor=…</code>"},
		{"a <b> & `<i>`", "a &lt;b&gt; &amp; <code>&lt;i&gt;</code>"},
		{"one ` unpaired", "one ` unpaired"},
		{"", ""},
	} {
		if got := string(inlineCode(tc.in)); got != tc.want {
			t.Errorf("inlineCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
