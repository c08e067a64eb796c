-- Each audit event records the algorithm of its hash: 'sha256' (plain SHA-256, every
-- event written before this version) or 'hmac-sha256' (HMAC-SHA-256 under the secret
-- WEAKLINK_AUDIT_KEY, RFC 2104). Adding a column with a constant default touches no
-- stored row on either database, so the append-only triggers on audit_events (version
-- 2), which refuse every UPDATE, neither fire nor need lifting: existing events read
-- as 'sha256' and keep verifying.

-- +goose Up
ALTER TABLE audit_events ADD COLUMN hash_algorithm TEXT NOT NULL DEFAULT 'sha256'
    CHECK (hash_algorithm IN ('sha256', 'hmac-sha256'));
-- The start-up key check reads the newest hmac-sha256 event through this index.
CREATE INDEX audit_events_hash_algorithm ON audit_events (hash_algorithm, seq);

-- +goose Down
DROP INDEX audit_events_hash_algorithm;
ALTER TABLE audit_events DROP COLUMN hash_algorithm;
