-- Security questionnaires and supplier assessments. Questions are kept as JSON in the
-- questionnaire row: a version is read and frozen whole, never queried by question.

-- +goose Up
CREATE TABLE questionnaires (
    id           TEXT      NOT NULL PRIMARY KEY,
    family_id    TEXT      NOT NULL,
    revision     INTEGER   NOT NULL CHECK (revision >= 1),
    name         TEXT      NOT NULL,
    description  TEXT      NOT NULL,
    status       TEXT      NOT NULL CHECK (status IN ('draft', 'published')),
    questions    TEXT      NOT NULL,
    built_in     BOOLEAN   NOT NULL,
    published_at TIMESTAMP NULL,
    version      INTEGER   NOT NULL CHECK (version >= 1),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX questionnaires_family_revision ON questionnaires (family_id, revision);

CREATE TABLE assessments (
    id               TEXT             NOT NULL PRIMARY KEY,
    supplier_id      TEXT             NOT NULL REFERENCES suppliers (id),
    questionnaire_id TEXT             NOT NULL REFERENCES questionnaires (id),
    status           TEXT             NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
    answers          TEXT             NOT NULL,
    comments         TEXT             NOT NULL,
    evidence         TEXT             NOT NULL,
    score            DOUBLE PRECISION NULL,
    score_detail     TEXT             NULL,
    methodology      TEXT             NULL,
    submitted_by     TEXT             NULL,
    submitted_at     TIMESTAMP        NULL,
    reviewed_by      TEXT             NULL,
    reviewed_at      TIMESTAMP        NULL,
    review_comment   TEXT             NOT NULL,
    version          INTEGER          NOT NULL CHECK (version >= 1),
    created_at       TIMESTAMP        NOT NULL,
    updated_at       TIMESTAMP        NOT NULL
);
CREATE INDEX assessments_supplier ON assessments (supplier_id, created_at);
CREATE INDEX assessments_scored ON assessments (supplier_id, submitted_at) WHERE status IN ('submitted', 'approved');

-- +goose Down
DROP TABLE assessments;
DROP TABLE questionnaires;
