-- Quarterly reports: immutable snapshots of the register, with the renderer version
-- and the SHA-256 of each rendering.

-- +goose Up
CREATE TABLE reports (
    id                TEXT      NOT NULL PRIMARY KEY,
    quarter           TEXT      NOT NULL,
    revision          INTEGER   NOT NULL CHECK (revision >= 1),
    as_of             TIMESTAMP NOT NULL,
    snapshot          TEXT      NOT NULL,
    renderer_version  TEXT      NOT NULL,
    hashes            TEXT      NOT NULL,
    flagged_suppliers INTEGER   NOT NULL,
    generated_by      TEXT      NULL,
    version           INTEGER   NOT NULL CHECK (version >= 1),
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX reports_quarter_revision ON reports (quarter, revision);
CREATE INDEX reports_as_of ON reports (as_of, id);

-- +goose Down
DROP TABLE reports;
