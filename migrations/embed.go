// Package migrations holds the versioned schema shared by PostgreSQL and SQLite:
// portable SQL files, plus Go migrations where the two dialects must differ.
package migrations

import "embed"

// FS holds the SQL migrations, embedded so the binary runs from any directory.
//
//go:embed *.sql
var FS embed.FS
