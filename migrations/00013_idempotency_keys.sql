-- Idempotency keys (the IETF HTTPAPI draft "The Idempotency-Key HTTP Header Field"):
-- a POST sent with an Idempotency-Key is recorded here, per API key, while it runs
-- and then with its response for 24 hours, so that a retry gets the first response
-- again instead of doing the work twice, on whichever replica it lands.
-- fingerprint is the SHA-256 of the method, the path and query, and the body;
-- response_* are NULL while the first request runs, under a lease: owner names the
-- request that holds it until locked_until, after which a retry may take the key over
-- (the first one died with its process, say). A response carrying a secret
-- (secret = TRUE) is kept without its body.

-- +goose Up
CREATE TABLE idempotency_keys (
    api_key_id       TEXT      NOT NULL,
    idempotency_key  TEXT      NOT NULL,
    fingerprint      TEXT      NOT NULL,
    request_path     TEXT      NOT NULL,
    owner            TEXT      NOT NULL,
    locked_until     TIMESTAMP NOT NULL,
    response_status  INTEGER   NULL,
    response_headers TEXT      NULL,
    response_body    TEXT      NULL,
    secret           BOOLEAN   NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    expires_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
