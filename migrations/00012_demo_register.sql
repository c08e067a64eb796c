-- The demo register's mark: one row when `weaklink demo load` (or `serve --demo`)
-- filled this database with the fictional demo register, saying which content and
-- as of which day. `serve --demo` serves a marked database and refuses any other
-- that is not empty.

-- +goose Up
CREATE TABLE demo_register (
    id              INTEGER   NOT NULL PRIMARY KEY CHECK (id = 1),
    content_version TEXT      NOT NULL,
    as_of           TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE demo_register;
