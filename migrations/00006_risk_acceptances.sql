-- Risk acceptances: an admin's signed-off, time-limited acceptance of one weak-link
-- flag on one supplier. Withdrawn acceptances stay as history (revoked_at).

-- +goose Up
CREATE TABLE risk_acceptances (
    id          TEXT      NOT NULL PRIMARY KEY,
    supplier_id TEXT      NOT NULL REFERENCES suppliers (id),
    flag_code   TEXT      NOT NULL,
    reason      TEXT      NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    accepted_by TEXT      NULL,
    revoked_at  TIMESTAMP NULL,
    version     INTEGER   NOT NULL CHECK (version >= 1),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX risk_acceptances_supplier ON risk_acceptances (supplier_id, flag_code, expires_at);

-- +goose Down
DROP TABLE risk_acceptances;
