package register

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/store"
)

// APIKey is a credential's record; the secret itself is never stored.
type APIKey struct {
	ID         string
	Name       string
	Role       Role
	Prefix     string // the first characters of the secret, to tell keys apart
	CreatedBy  string
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// NewAPIKey is what a client asks for when creating a key.
type NewAPIKey struct {
	Name      string
	Role      Role
	ExpiresAt *time.Time
}

// secretPrefix marks weaklink secrets so that secret scanners can recognise them.
const secretPrefix = "wl_"

// lastUsedInterval bounds how often a key's last_used_at is written.
const lastUsedInterval = time.Minute

// hashSecret hashes a secret for storage and lookup. Secrets carry 256 bits of
// randomness, so a fast hash is enough: there is nothing to guess by brute force.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateAPIKey stores a new key and returns it with its secret, which is shown once.
func (s *Service) CreateAPIKey(ctx context.Context, a Actor, in NewAPIKey) (APIKey, string, error) {
	var (
		k      APIKey
		secret string
	)
	err := s.st.Write(ctx, func(tx *store.Tx) (err error) {
		k, secret, err = s.createAPIKey(tx, a, in)
		return err
	})
	return k, secret, err
}

// BootstrapAdminKey creates an admin key when no key has ever existed, so that a
// fresh installation can be used. It returns the secret, or "" when keys exist.
// Count and create share one write transaction, so replicas starting together on an
// empty database create one key between them.
func (s *Service) BootstrapAdminKey(ctx context.Context) (APIKey, string, error) {
	var (
		k      APIKey
		secret string
	)
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		n, err := tx.CountAPIKeys()
		if err != nil || n > 0 {
			return err
		}
		k, secret, err = s.createAPIKey(tx, SystemActor("bootstrap"), NewAPIKey{Name: "bootstrap-admin", Role: RoleAdmin})
		return err
	})
	return k, secret, err
}

func (s *Service) createAPIKey(tx *store.Tx, a Actor, in NewAPIKey) (APIKey, string, error) {
	now := s.now()
	in.Name = strings.TrimSpace(in.Name)
	var fe fieldErrors
	switch {
	case in.Name == "":
		fe.add("name", "is required")
	case utf8.RuneCountInString(in.Name) > 100 || strings.IndexFunc(in.Name, unicode.IsControl) >= 0:
		fe.add("name", "must be at most 100 characters without control characters")
	}
	if in.Role == "" {
		fe.add("role", "is required")
	} else if !in.Role.Valid() {
		fe.add("role", "must be one of admin, editor, viewer")
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(now) {
		fe.add("expires_at", "must be in the future")
	}
	if err := fe.err(); err != nil {
		return APIKey{}, "", err
	}
	raw := make([]byte, 32)
	if _, err := s.rand(raw); err != nil {
		return APIKey{}, "", fmt.Errorf("create api key: %w", err)
	}
	secret := secretPrefix + base64.RawURLEncoding.EncodeToString(raw)
	k := APIKey{ID: s.newID(), Name: in.Name, Role: in.Role, Prefix: secret[:10], CreatedBy: a.KeyID,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if in.ExpiresAt != nil {
		t := in.ExpiresAt.UTC().Truncate(time.Microsecond)
		k.ExpiresAt = &t
	}
	row := store.APIKeyRow{ID: k.ID, Name: k.Name, Role: string(k.Role), SecretHash: hashSecret(secret),
		SecretPrefix: k.Prefix, ExpiresAt: k.ExpiresAt, Version: 1, CreatedAt: now, UpdatedAt: now}
	if a.KeyID != "" {
		row.CreatedBy = &a.KeyID
	}
	if err := tx.InsertAPIKey(&row); err != nil {
		return APIKey{}, "", err
	}
	changes := map[string]Change{"name": {After: k.Name}, "role": {After: k.Role}}
	if k.ExpiresAt != nil {
		changes["expires_at"] = Change{After: k.ExpiresAt.Format(time.RFC3339Nano)}
	}
	if err := s.record(tx, a, ActionCreate, ResourceAPIKey, k.ID, changes, now); err != nil {
		return APIKey{}, "", err
	}
	return k, secret, nil
}

// Authenticate resolves a bearer secret to its actor. Unknown, revoked and expired
// keys all fail the same way, so the answer does not tell an attacker which it was.
func (s *Service) Authenticate(ctx context.Context, secret string) (Actor, error) {
	fail := Errorf(CodeUnauthenticated, "The API key is missing, unknown, expired or revoked.")
	if !strings.HasPrefix(secret, secretPrefix) || len(secret) > 100 {
		return Actor{}, fail
	}
	now := s.now()
	tx := s.st.NoTx(ctx)
	row, err := tx.FindAPIKeyByHash(hashSecret(secret))
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, fail
	}
	if err != nil {
		return Actor{}, err
	}
	if row.RevokedAt != nil || (row.ExpiresAt != nil && !row.ExpiresAt.After(now)) {
		return Actor{}, fail
	}
	// last_used_at is bookkeeping, written at most once a minute per key: the row just
	// read says whether it is due, so most requests write nothing (on SQLite a write
	// would take the database's single write lock on every read). A failed write
	// (SQLite busy behind a long import, say) must not turn an authenticated read into
	// an error; it is retried on the key's next request.
	if row.LastUsedAt == nil || row.LastUsedAt.Before(now.Add(-lastUsedInterval)) {
		_ = tx.TouchAPIKey(row.ID, now, lastUsedInterval)
	}
	return Actor{KeyID: row.ID, Name: row.Name, Role: Role(row.Role)}, nil
}

// GetAPIKey returns one key's record.
func (s *Service) GetAPIKey(ctx context.Context, id string) (APIKey, error) {
	if !ValidID(id) {
		return APIKey{}, apiKeyNotFound()
	}
	row, err := s.st.NoTx(ctx).GetAPIKey(id)
	if errors.Is(err, store.ErrNotFound) {
		return APIKey{}, apiKeyNotFound()
	}
	if err != nil {
		return APIKey{}, err
	}
	return apiKeyFromRow(row), nil
}

// ListAPIKeys pages every key, oldest first, revoked ones included.
func (s *Service) ListAPIKeys(ctx context.Context, since *time.Time, cur string, limit int) (Page[APIKey], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[APIKey]{}, err
	}
	var after *store.Keyset
	if cur != "" {
		c, err := decodeCursor(cur, "api-keys"+updatedSinceKind(since))
		if err != nil {
			return Page[APIKey]{}, err
		}
		t, err := time.Parse(time.RFC3339Nano, c.Value)
		if err != nil {
			return Page[APIKey]{}, invalidCursor()
		}
		after = &store.Keyset{Value: t.UTC(), ID: c.ID}
	}
	rows, err := s.st.NoTx(ctx).ListAPIKeys(since, after, limit)
	if err != nil {
		return Page[APIKey]{}, err
	}
	return pageOf(rows, limit, apiKeyFromRow, func(last store.APIKeyRow) cursor {
		return cursor{Kind: "api-keys" + updatedSinceKind(since), Value: last.CreatedAt.UTC().Format(time.RFC3339Nano), ID: last.ID}
	}), nil
}

// RevokeAPIKey revokes a key; it stops working on the next request. The last usable
// admin key cannot be revoked, so an installation never locks itself out.
func (s *Service) RevokeAPIKey(ctx context.Context, a Actor, id string, ifMatch func(int) bool) error {
	if !ValidID(id) {
		return apiKeyNotFound()
	}
	return s.st.Write(ctx, func(tx *store.Tx) error {
		row, err := loadForChange(tx, func() (store.APIKeyRow, error) { return tx.GetAPIKey(id) }, ifMatch,
			changeable[store.APIKeyRow]{what: "API key", notFound: apiKeyNotFound,
				version: func(r store.APIKeyRow) int { return r.Version }})
		if err != nil {
			return err
		}
		if row.RevokedAt != nil {
			return Errorf(CodeConflict, "The API key is already revoked.")
		}
		now := s.now()
		usable := row.ExpiresAt == nil || row.ExpiresAt.After(now)
		if row.Role == string(RoleAdmin) && usable {
			n, err := tx.CountUsableAdmins(now)
			if err != nil {
				return err
			}
			if n <= 1 {
				return Errorf(CodeConflict, "This is the last usable admin key; create another admin key before revoking it.")
			}
		}
		expected := row.Version
		row.RevokedAt, row.Version, row.UpdatedAt = &now, row.Version+1, now
		if err := tx.RevokeAPIKey(&row, expected); err != nil {
			return err
		}
		return s.record(tx, a, ActionRevoke, ResourceAPIKey, id,
			map[string]Change{"revoked_at": {After: now.Format(time.RFC3339Nano)}}, now)
	})
}

func apiKeyFromRow(r store.APIKeyRow) APIKey {
	k := APIKey{ID: r.ID, Name: r.Name, Role: Role(r.Role), Prefix: r.SecretPrefix, Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		ExpiresAt: utcPtr(r.ExpiresAt), LastUsedAt: utcPtr(r.LastUsedAt), RevokedAt: utcPtr(r.RevokedAt)}
	if r.CreatedBy != nil {
		k.CreatedBy = *r.CreatedBy
	}
	return k
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
