package scoring

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuestionLabel(t *testing.T) {
	backups := "Do you keep at least one recent copy of your backups offline or immutable, so that ransomware, " +
		"or an attacker holding administrator rights, cannot encrypt, alter or delete it?"
	for _, tc := range []struct {
		name, text, key, want string
	}{
		{"no cut", "Do you keep offline backups?", "offline_backups", "Do you keep offline backups? (offline_backups)"},
		{"cut at the first sentence end", "Do you keep offline backups? Describe where they are kept.", "offline_backups",
			"Do you keep offline backups?… (offline_backups)"},
		{"a full stop ends a sentence too", "Backups are kept offline. They are tested yearly.", "b", "Backups are kept offline.… (b)"},
		{"one sentence ending the text is not cut", "Encrypt personal data at rest.", "enc", "Encrypt personal data at rest. (enc)"},
		{"cut at 120 characters, back to the last space", backups, "offline_backups",
			"Do you keep at least one recent copy of your backups offline or immutable, so that ransomware, or an attacker holding… (offline_backups)"},
		{"the sentence end comes first", "Is MFA enforced? " + backups, "mfa", "Is MFA enforced?… (mfa)"},
		{"120 characters exactly are not cut", strings.Repeat("a", 119) + "?", "k", strings.Repeat("a", 119) + "? (k)"},
		{"a cut on a character boundary, no space to go back to", strings.Repeat("ż", 130), "k", strings.Repeat("ż", 120) + "… (k)"},
		{"CJK: a full-width question mark ends a sentence", "バックアップはありますか？詳しく説明してください。", "k", "バックアップはありますか？… (k)"},
		{"abbreviations do not end a sentence", "Is MFA (e.g. TOTP, i.e. an app) used by J. Smith? Explain.", "mfa",
			"Is MFA (e.g. TOTP, i.e. an app) used by J. Smith?… (mfa)"},
		{"a decimal point does not end a sentence", "Do you run TLS 1.2 or later? List exceptions.", "tls", "Do you run TLS 1.2 or later?… (tls)"},
		{"a line break ends a sentence", "Backup scheme\nDescribe it in full", "b", "Backup scheme… (b)"},
		{"runs of white space read as one space", "  Do  you\tkeep\u00a0backups? ", "b", "Do you keep backups? (b)"},
		{"no text: the key alone", "", "offline_backups", "offline_backups"},
		{"blank text: the key alone", " \n\t", "k", "k"},
		{"a letter keeps its combining marks", strings.Repeat("a", 119) + "e\u0301" + strings.Repeat("b", 10), "k", strings.Repeat("a", 119) + "… (k)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := QuestionLabel(tc.text, tc.key)
			if got != tc.want {
				t.Errorf("QuestionLabel(%q, %q)\n got %q\nwant %q", tc.text, tc.key, got, tc.want)
			}
			text, _, _ := strings.Cut(got, " ("+tc.key+")")
			if n := utf8.RuneCountInString(strings.TrimSuffix(text, "…")); n > QuestionTextLimit {
				t.Errorf("%d characters of text, more than %d", n, QuestionTextLimit)
			}
		})
	}
}

func FuzzQuestionLabel(f *testing.F) {
	f.Add("Do you keep offline backups? Describe where.", "offline_backups")
	f.Add(strings.Repeat("é", 200), "k")
	f.Fuzz(func(t *testing.T, text, key string) {
		got := QuestionLabel(text, key)
		if got == key {
			if strings.TrimSpace(text) != "" {
				t.Fatalf("the text %q was dropped", text)
			}
			return
		}
		body, ok := strings.CutSuffix(got, " ("+key+")")
		if !ok {
			t.Fatalf("%q does not end with the key %q", got, key)
		}
		if utf8.ValidString(text) && !utf8.ValidString(body) {
			t.Fatalf("%q is not valid UTF-8", got)
		}
		if utf8.RuneCountInString(strings.TrimSuffix(body, "…")) > QuestionTextLimit {
			t.Fatalf("%q keeps more than %d characters of text", got, QuestionTextLimit)
		}
	})
}
