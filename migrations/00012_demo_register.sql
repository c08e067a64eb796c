-- The demo register's mark: one row, claimed by `weaklink demo load` (or `serve
-- --demo`) in the transaction that finds the database without suppliers, before it
-- writes anything, and completed when the whole demo is in. It says which content as
-- of which day. `serve --demo` serves a completed mark, refuses an incomplete one (a
-- load that failed or is still running) and any other database that is not empty.

-- +goose Up
CREATE TABLE demo_register (
    id              INTEGER   NOT NULL PRIMARY KEY CHECK (id = 1),
    content_version TEXT      NOT NULL,
    as_of           TIMESTAMP NOT NULL,
    complete        BOOLEAN   NOT NULL
);

-- +goose Down
DROP TABLE demo_register;
