-- Personal-data inventory and supply-chain map: the category catalogue, what each
-- supplier holds, which sub-processors it passes which categories to, and incidents.

-- +goose Up
CREATE TABLE data_categories (
    id               TEXT      NOT NULL PRIMARY KEY,
    key              TEXT      NOT NULL,
    name             TEXT      NOT NULL,
    description      TEXT      NOT NULL,
    sensitivity      INTEGER   NOT NULL CHECK (sensitivity BETWEEN 1 AND 5),
    special_category BOOLEAN   NOT NULL,
    criminal_offence BOOLEAN   NOT NULL,
    built_in         BOOLEAN   NOT NULL,
    version          INTEGER   NOT NULL CHECK (version >= 1),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX data_categories_key ON data_categories (key);

-- The shipped catalogue. Sensitivity: 1 lowest – 5 highest. The last eight GDPR Art. 9
-- special categories, and Art. 10 criminal offence data, are marked.
INSERT INTO data_categories (id, key, name, description, sensitivity, special_category, criminal_offence, built_in, version, created_at, updated_at) VALUES
('01900000-0000-7000-8000-0000000000c1', 'contact_details', 'Contact details', 'Names, postal and email addresses, telephone numbers.', 2, FALSE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000c2', 'identity_documents', 'Identity documents', 'Passport, driving licence or national identity numbers and copies of the documents.', 4, FALSE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000c3', 'online_identifiers', 'Online identifiers', 'IP addresses, device identifiers, cookies and account identifiers.', 2, FALSE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000c4', 'financial', 'Financial and payment', 'Bank account and payment card details, donations, subscriptions and salaries.', 4, FALSE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000c5', 'employment', 'Employment', 'Employment history, job titles, performance and disciplinary records.', 3, FALSE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000c6', 'location', 'Location', 'Precise location and movement data.', 3, FALSE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000c7', 'authentication_credentials', 'Authentication credentials', 'Passwords, password hashes, security questions and access tokens.', 4, FALSE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000c8', 'communications_content', 'Communications content', 'The content of emails, messages, letters and call recordings.', 3, FALSE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000c9', 'children', 'Children''s data', 'Any personal data about children under 18.', 4, FALSE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000ca', 'racial_ethnic_origin', 'Racial or ethnic origin', 'GDPR Art. 9 special category.', 5, TRUE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000cb', 'political_opinions', 'Political opinions', 'GDPR Art. 9 special category; includes membership of or support for a political party.', 5, TRUE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000cc', 'religious_beliefs', 'Religious or philosophical beliefs', 'GDPR Art. 9 special category.', 5, TRUE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000cd', 'trade_union_membership', 'Trade union membership', 'GDPR Art. 9 special category.', 5, TRUE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000ce', 'genetic', 'Genetic data', 'GDPR Art. 9 special category.', 5, TRUE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000cf', 'biometric', 'Biometric data', 'GDPR Art. 9 special category when used to identify a person uniquely.', 5, TRUE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000d0', 'health', 'Health', 'GDPR Art. 9 special category: physical or mental health, disability, care.', 5, TRUE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000d1', 'sex_life_orientation', 'Sex life or sexual orientation', 'GDPR Art. 9 special category.', 5, TRUE, FALSE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
('01900000-0000-7000-8000-0000000000d2', 'criminal_offences', 'Criminal offence data', 'GDPR Art. 10: criminal convictions, offences and related security measures.', 5, FALSE, TRUE, TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00');

CREATE TABLE data_holdings (
    id                 TEXT      NOT NULL PRIMARY KEY,
    supplier_id        TEXT      NOT NULL REFERENCES suppliers (id),
    category_key       TEXT      NOT NULL REFERENCES data_categories (key),
    data_subjects      TEXT      NOT NULL,
    record_count       BIGINT    NOT NULL CHECK (record_count >= 0),
    purpose            TEXT      NOT NULL,
    locations          TEXT      NOT NULL,
    transfer_mechanism TEXT      NULL,
    retention_period   TEXT      NULL,
    retention_until    TEXT      NULL,
    held_since         TEXT      NULL,
    version            INTEGER   NOT NULL CHECK (version >= 1),
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX data_holdings_supplier_category ON data_holdings (supplier_id, category_key);
CREATE INDEX data_holdings_category ON data_holdings (category_key, supplier_id);

CREATE TABLE subprocessor_links (
    id              TEXT      NOT NULL PRIMARY KEY,
    supplier_id     TEXT      NOT NULL REFERENCES suppliers (id),
    subprocessor_id TEXT      NOT NULL REFERENCES suppliers (id),
    authorised_at   TEXT      NULL,
    version         INTEGER   NOT NULL CHECK (version >= 1),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CHECK (supplier_id <> subprocessor_id)
);
CREATE UNIQUE INDEX subprocessor_links_pair ON subprocessor_links (supplier_id, subprocessor_id);
CREATE INDEX subprocessor_links_subprocessor ON subprocessor_links (subprocessor_id);

-- Which categories flow along a link: data flows only along links that name it.
CREATE TABLE subprocessor_link_categories (
    link_id      TEXT NOT NULL REFERENCES subprocessor_links (id) ON DELETE CASCADE,
    category_key TEXT NOT NULL REFERENCES data_categories (key),
    PRIMARY KEY (link_id, category_key)
);
CREATE INDEX subprocessor_link_categories_category ON subprocessor_link_categories (category_key, link_id);

CREATE TABLE incidents (
    id                    TEXT      NOT NULL PRIMARY KEY,
    supplier_id           TEXT      NOT NULL REFERENCES suppliers (id),
    summary               TEXT      NOT NULL,
    description           TEXT      NOT NULL,
    status                TEXT      NOT NULL CHECK (status IN ('open', 'contained', 'closed')),
    aware_at              TIMESTAMP NOT NULL,
    supplier_aware_at     TIMESTAMP NULL,
    regulator_notified_at TIMESTAMP NULL,
    subjects_notified_at  TIMESTAMP NULL,
    closed_at             TIMESTAMP NULL,
    version               INTEGER   NOT NULL CHECK (version >= 1),
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE INDEX incidents_supplier ON incidents (supplier_id, aware_at);
CREATE INDEX incidents_aware_at ON incidents (aware_at, id);

-- +goose Down
DROP TABLE incidents;
DROP TABLE subprocessor_link_categories;
DROP TABLE subprocessor_links;
DROP TABLE data_holdings;
DROP TABLE data_categories;
