package register

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/weaklink/weaklink/internal/store"
)

// Hash algorithms of audit events, as stored in audit_events.hash_algorithm and shown
// by the audit events API.
const (
	// HashSHA256 is plain SHA-256 (FIPS 180-4): anyone who can write the database can
	// recompute it, so it detects accidents and edits by people who do not.
	HashSHA256 = "sha256"
	// HashHMACSHA256 is HMAC-SHA-256 (RFC 2104) under the audit key: without the key
	// nobody can compute a hash that verifies.
	HashHMACSHA256 = "hmac-sha256"
)

// WithAuditKey sets the secret key that makes every new audit event's hash
// HMAC-SHA-256 (RFC 2104) instead of plain SHA-256; nil or empty keeps SHA-256. The
// key should be at least 32 random bytes, the output size of SHA-256, as RFC 2104
// section 3 recommends (config.MinAuditKeyBytes enforces it); it is never logged or
// stored. Events already written keep their own algorithm. It
// changes s in place and returns it.
func (s *Service) WithAuditKey(key []byte) *Service {
	s.auditKey = append([]byte(nil), key...)
	return s
}

// AuditHashAlgorithm is the algorithm the next audit event will be hashed with:
// HashHMACSHA256 when an audit key is set, else HashSHA256.
func (s *Service) AuditHashAlgorithm() string {
	if len(s.auditKey) > 0 {
		return HashHMACSHA256
	}
	return HashSHA256
}

// seal sets a new event's algorithm and hash. The row's other fields, prev_hash
// included, must be final.
func (s *Service) seal(r *store.AuditEventRow) {
	r.HashAlgorithm = s.AuditHashAlgorithm()
	r.Hash = eventHash(*r, s.auditKey, true)
}

// eventHash is the hash of r under r.HashAlgorithm, hex-encoded: SHA-256, or
// HMAC-SHA-256 under key, over a canonical JSON array of every field but the hash
// itself, so editing any stored field or the link to the previous event breaks the
// chain. withAlg appends the algorithm's name to that array, as every event written
// since the algorithm was recorded does: relabelling an event then changes what its
// hash covers. Events written before that (all SHA-256) were hashed without it.
func eventHash(r store.AuditEventRow, key []byte, withAlg bool) string {
	actor := ""
	if r.ActorKeyID != nil {
		actor = *r.ActorKeyID
	}
	fields := []any{
		r.Seq, r.ID, r.OccurredAt.UTC().Format(time.RFC3339Nano), actor, r.ActorName, r.Action,
		r.ResourceType, r.ResourceID, r.Changes, r.RequestID, r.ClientIP, r.PrevHash,
	}
	if withAlg {
		fields = append(fields, r.HashAlgorithm)
	}
	canon, _ := json.Marshal(fields) // strings and numbers always marshal
	if r.HashAlgorithm == HashHMACSHA256 {
		m := hmac.New(sha256.New, key)
		m.Write(canon)
		return hex.EncodeToString(m.Sum(nil))
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

// hashMatches reports whether r's stored hash is right for its content and algorithm.
// A SHA-256 event may carry either canonical form (before and after the algorithm
// was recorded): both are computable by anyone, so accepting both weakens nothing.
// An HMAC event has only the newer form.
func hashMatches(r store.AuditEventRow, key []byte) bool {
	eq := func(h string) bool { return hmac.Equal([]byte(h), []byte(r.Hash)) }
	switch r.HashAlgorithm {
	case HashSHA256:
		return eq(eventHash(r, nil, true)) || eq(eventHash(r, nil, false))
	case HashHMACSHA256:
		return len(key) > 0 && eq(eventHash(r, key, true))
	}
	return false
}

// AuditKeyError says the audit key configured, or its absence, does not fit the
// audit trail, found by CheckAuditKey before a command appends to it.
type AuditKeyError struct {
	Seq     int64 // the newest event hashed with HMAC-SHA-256
	Missing bool  // no key is set (otherwise the key set does not verify event Seq)
}

func (e *AuditKeyError) Error() string {
	if e.Missing {
		return fmt.Sprintf("no audit key is set, but the audit trail is hashed with %s up to event %d: "+
			"set the key it was written with", HashHMACSHA256, e.Seq)
	}
	return fmt.Sprintf("the audit key does not verify event %d, the newest hashed with %s: it is not the key "+
		"the trail was written with (keys cannot be rotated), or that event was altered "+
		"(run `weaklink audit verify` with the right key)", e.Seq, HashHMACSHA256)
}

// CheckAuditKey checks the configured audit key against the newest event hashed
// with HMAC-SHA-256, one indexed read: a *AuditKeyError when that event exists and the
// key does not verify it, or no key is set, so that a wrong or forgotten key is
// refused before anything is appended (a chain hashed with two keys, or hashed with
// SHA-256 after HMAC, would no longer verify). A trail with no HMAC event accepts any
// key, and no key.
func (s *Service) CheckAuditKey(ctx context.Context) error {
	var newest store.AuditEventRow
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		var err error
		newest, err = tx.NewestAuditWithAlgorithm(HashHMACSHA256)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("check audit key: %w", err)
	case len(s.auditKey) == 0:
		return &AuditKeyError{Seq: newest.Seq, Missing: true}
	case !hashMatches(newest, s.auditKey):
		return &AuditKeyError{Seq: newest.Seq}
	}
	return nil
}
