-- A sub-processor link may say how many records it passes on (record_count, per
-- category it names); NULL means all of the supplier's records of those categories.
-- Adding a nullable column touches no stored row on either database.

-- +goose Up
ALTER TABLE subprocessor_links ADD COLUMN record_count BIGINT CHECK (record_count IS NULL OR record_count >= 0);

-- +goose Down
ALTER TABLE subprocessor_links DROP COLUMN record_count;
