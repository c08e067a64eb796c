-- Questionnaire invitations: a link sent to a supplier's contact so that they answer
-- a draft assessment themselves, with no account. The link's secret is stored only
-- as its SHA-256 (like API keys), with a short prefix to recognise it by. status is
-- sent, opened, submitted or revoked; "expired" is computed from expires_at on read.

-- +goose Up
CREATE TABLE invitations (
    id            TEXT      NOT NULL PRIMARY KEY,
    assessment_id TEXT      NOT NULL REFERENCES assessments (id),
    supplier_id   TEXT      NOT NULL REFERENCES suppliers (id),
    contact_email TEXT      NOT NULL,
    contact_name  TEXT      NOT NULL,
    due_at        TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    secret_hash   TEXT      NOT NULL,
    secret_prefix TEXT      NOT NULL,
    status        TEXT      NOT NULL CHECK (status IN ('sent', 'opened', 'submitted', 'revoked')),
    created_by    TEXT      NULL,
    opened_at     TIMESTAMP NULL,
    submitted_at  TIMESTAMP NULL,
    revoked_at    TIMESTAMP NULL,
    version       INTEGER   NOT NULL CHECK (version >= 1),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX invitations_secret_hash ON invitations (secret_hash);
CREATE INDEX invitations_assessment ON invitations (assessment_id, created_at);
CREATE INDEX invitations_status_due ON invitations (status, due_at);

-- +goose Down
DROP TABLE invitations;
