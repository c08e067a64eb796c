-- The supplier portal: browser sessions opened from an invitation link, and who
-- submitted an assessment when a supplier's contact did so through their link.
-- A session's token is stored only as its SHA-256; it lasts at most until
-- expires_at and never outlives its invitation (checked on every request).

-- +goose Up
CREATE TABLE portal_sessions (
    token_hash    TEXT      NOT NULL PRIMARY KEY,
    invitation_id TEXT      NOT NULL REFERENCES invitations (id),
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL
);
CREATE INDEX portal_sessions_expires ON portal_sessions (expires_at);
CREATE INDEX portal_sessions_invitation ON portal_sessions (invitation_id);
ALTER TABLE assessments ADD COLUMN submitted_by_invitation TEXT NULL; -- an invitation id (no REFERENCES: SQLite cannot drop such a column)

-- +goose Down
ALTER TABLE assessments DROP COLUMN submitted_by_invitation;
DROP TABLE portal_sessions;
