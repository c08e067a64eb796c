-- Foundation: API keys, the supplier register and the hash-chained audit trail.
-- Portable SQL for PostgreSQL and SQLite: UUIDs as TEXT, instants as TIMESTAMP (always UTC),
-- calendar dates as TEXT 'YYYY-MM-DD', JSON as TEXT, CHECK constraints instead of enums.

-- +goose Up
CREATE TABLE api_keys (
    id            TEXT      NOT NULL PRIMARY KEY,
    name          TEXT      NOT NULL,
    role          TEXT      NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    secret_hash   TEXT      NOT NULL,
    secret_prefix TEXT      NOT NULL,
    created_by    TEXT      NULL,
    expires_at    TIMESTAMP NULL,
    last_used_at  TIMESTAMP NULL,
    revoked_at    TIMESTAMP NULL,
    version       INTEGER   NOT NULL CHECK (version >= 1),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX api_keys_secret_hash ON api_keys (secret_hash);
CREATE INDEX api_keys_created_at ON api_keys (created_at, id);

CREATE TABLE suppliers (
    id                        TEXT      NOT NULL PRIMARY KEY,
    name                      TEXT      NOT NULL,
    name_key                  TEXT      NOT NULL,
    criticality               TEXT      NOT NULL CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
    status                    TEXT      NOT NULL CHECK (status IN ('onboarding', 'active', 'offboarding', 'exited')),
    country                   TEXT      NULL,
    services                  TEXT      NOT NULL,
    website                   TEXT      NOT NULL,
    security_contact          TEXT      NOT NULL,
    breach_notification_hours INTEGER   NULL CHECK (breach_notification_hours >= 0),
    contract_start            TEXT      NULL,
    contract_end              TEXT      NULL,
    dpa_signed_at             TEXT      NULL,
    certifications            TEXT      NOT NULL,
    notes                     TEXT      NOT NULL,
    archived_at               TIMESTAMP NULL,
    version                   INTEGER   NOT NULL CHECK (version >= 1),
    created_at                TIMESTAMP NOT NULL,
    updated_at                TIMESTAMP NOT NULL
);
-- A name is unique among live suppliers only: archiving frees it for a new supplier.
CREATE UNIQUE INDEX suppliers_name_key_live ON suppliers (name_key) WHERE archived_at IS NULL;
CREATE INDEX suppliers_updated_at ON suppliers (updated_at, id);
CREATE INDEX suppliers_created_at ON suppliers (created_at, id);
CREATE INDEX suppliers_status ON suppliers (status);
CREATE INDEX suppliers_criticality ON suppliers (criticality);

-- Append-only, hash-chained: each event stores the previous event's hash.
CREATE TABLE audit_events (
    seq           BIGINT    NOT NULL PRIMARY KEY,
    id            TEXT      NOT NULL,
    occurred_at   TIMESTAMP NOT NULL,
    actor_key_id  TEXT      NULL,
    actor_name    TEXT      NOT NULL,
    action        TEXT      NOT NULL,
    resource_type TEXT      NOT NULL,
    resource_id   TEXT      NOT NULL,
    changes       TEXT      NOT NULL,
    request_id    TEXT      NOT NULL,
    client_ip     TEXT      NOT NULL,
    prev_hash     TEXT      NOT NULL,
    hash          TEXT      NOT NULL
);
CREATE UNIQUE INDEX audit_events_id ON audit_events (id);
CREATE INDEX audit_events_resource ON audit_events (resource_type, resource_id, seq);
CREATE INDEX audit_events_actor ON audit_events (actor_key_id, seq);
CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at, seq);

-- The chain's head: the last event's sequence number and hash. Deleting the newest
-- events leaves the head pointing past the end, so truncation is detected too.
CREATE TABLE audit_head (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  BIGINT  NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP TABLE suppliers;
DROP TABLE api_keys;
