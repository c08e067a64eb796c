package config

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// Secret is key material from the environment. However it is printed (%v, %+v, %s,
// %x, a structured log field) it shows only whether it is set, so a Config can be
// logged or dumped in a test failure without disclosing it.
type Secret []byte

const redacted = "[redacted]"

// String hides the secret.
func (s Secret) String() string {
	if len(s) == 0 {
		return "[unset]"
	}
	return redacted
}

// GoString hides the secret from %#v.
func (s Secret) GoString() string { return s.String() }

// Format hides the secret from every fmt verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue hides the secret from log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText hides the secret from encoders (JSON, YAML, …).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// MinAuditKeyBytes is the shortest WEAKLINK_AUDIT_KEY accepted, in bytes after
// decoding: 32, the output size of SHA-256, as RFC 2104 section 3 recommends for
// HMAC-SHA-256 keys.
const MinAuditKeyBytes = 32

// parseAuditKey reads WEAKLINK_AUDIT_KEY: empty (no key), or at least
// MinAuditKeyBytes random bytes written as hex (64 or more hex digits, either case; a
// value made only of hex digits is always read as hex) or as base64 (standard or URL-safe
// alphabet, padding optional), such as `openssl rand -hex 32` or
// `openssl rand -base64 32` print. The error never quotes the value.
func parseAuditKey(v string) (Secret, error) {
	if v == "" {
		return nil, nil
	}
	var key []byte
	if isHex(v) {
		var err error
		if key, err = hex.DecodeString(v); err != nil {
			return nil, errors.New("WEAKLINK_AUDIT_KEY is hex with an odd number of digits")
		}
	} else {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(v); err == nil {
				key = b
				break
			}
		}
		if key == nil {
			return nil, errors.New("WEAKLINK_AUDIT_KEY must be hex or base64 (such as `openssl rand -hex 32` prints)")
		}
	}
	if len(key) < MinAuditKeyBytes {
		return nil, fmt.Errorf("WEAKLINK_AUDIT_KEY must be at least %d bytes (64 hex digits or 44 base64 characters), not %d",
			MinAuditKeyBytes, len(key))
	}
	return key, nil
}

// isHex reports whether v is made of hex digits only.
func isHex(v string) bool { return strings.Trim(v, "0123456789abcdefABCDEF") == "" }
