package migrations

// ListOrderIndexVersion adds the index that serves the supplier list's default order
// (name, then id, live suppliers only). The list compares names and ids byte by byte
// (COLLATE "C" on PostgreSQL, SQLite's built-in binary order), so that pages agree on
// both databases; on PostgreSQL only an index built with the same collation can serve
// that ORDER BY, so the SQL differs by dialect, and the index has one name on both.
const ListOrderIndexVersion = 10

func listOrderUp(dialect string) []string {
	if dialect == "postgres" {
		return []string{`CREATE INDEX suppliers_live_name_order ON suppliers (name_key COLLATE "C", id COLLATE "C")
    WHERE archived_at IS NULL`}
	}
	return []string{`CREATE INDEX suppliers_live_name_order ON suppliers (name_key, id) WHERE archived_at IS NULL`}
}

func listOrderDown(string) []string {
	return []string{`DROP INDEX suppliers_live_name_order`}
}
