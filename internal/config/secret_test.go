package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestAuditKeyForms(t *testing.T) {
	key := bytes.Repeat([]byte{0xfb, 0x01, 0x7e}, 11)[:32] // 32 bytes; base64 of it uses + / and padding
	cases := []struct {
		name, value string
		want        []byte
		err         string
	}{
		{"unset", "", nil, ""},
		{"hex", fmt.Sprintf("%x", key), key, ""},
		{"hex in upper case", fmt.Sprintf("%X", key), key, ""},
		{"base64", "+wF++wF++wF++wF++wF++wF++wF++wF++wF++wF++wE=", key, ""},
		{"base64 without padding", "+wF++wF++wF++wF++wF++wF++wF++wF++wF++wF++wE", key, ""},
		{"base64 URL-safe", "-wF--wF--wF--wF--wF--wF--wF--wF--wF--wF--wE=", key, ""},
		{"longer than the minimum", strings.Repeat("ab", 48), bytes.Repeat([]byte{0xab}, 48), ""},
		{"too short in hex", strings.Repeat("ab", 31), nil, "at least 32 bytes"},
		{"too short in base64", "c2hvcnQga2V5", nil, "at least 32 bytes"},
		{"odd hex", strings.Repeat("a", 65), nil, "odd number"},
		{"neither", "not a key at all!", nil, "hex or base64"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(env(map[string]string{"WEAKLINK_AUDIT_KEY": tc.value}))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "WEAKLINK_AUDIT_KEY") {
					t.Fatalf("err = %v, want one naming WEAKLINK_AUDIT_KEY and %q", err, tc.err)
				}
				if strings.Contains(err.Error(), tc.value) {
					t.Fatalf("the error quotes the secret: %v", err)
				}
				return
			}
			if err != nil || !bytes.Equal(c.AuditKey, tc.want) {
				t.Fatalf("key = %x, %v; want %x", []byte(c.AuditKey), err, tc.want)
			}
		})
	}
}

// However a Config is printed or logged, the key does not appear.
func TestAuditKeyNeverPrinted(t *testing.T) {
	hexKey := strings.Repeat("5e", 32)
	c, err := Load(env(map[string]string{"WEAKLINK_AUDIT_KEY": hexKey}))
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "config", c, "key", c.AuditKey)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "key", c.AuditKey)
	js, _ := json.Marshal(c)
	out := fmt.Sprintf("%v %+v %#v %s %x %X %q %d", c, c, c, c.AuditKey, c.AuditKey, c.AuditKey, c.AuditKey, c.AuditKey) +
		logged.String() + string(js)
	for _, leak := range []string{hexKey, strings.ToUpper(hexKey), "^^^^", "94 94 94", "[94"} {
		if strings.Contains(out, leak) {
			t.Fatalf("the key leaks as %q in: %s", leak, out)
		}
	}
	if !strings.Contains(out, "[redacted]") {
		t.Fatalf("no redaction marker in: %s", out)
	}
}
