package migrations

// RiskProjectionVersion adds the stored risk projection: each supplier's figures,
// flags and data in care per category as the register last computed them, with the
// moment they stop being valid by date alone (valid_until), what the quarterly report
// reads of it (report_inputs), the portfolio statistics the relative flags compare
// with, and the risk history: every change of a supplier's figures with the moment it
// took effect. The migration only creates the tables
// and marks the projection unbuilt: the figures are computed by the register's own
// code, which a migration cannot call, when `serve` starts or `risk rebuild` runs
// (a register with no suppliers yet is built as it stands).
// The ordering keys compare byte by byte on both databases (COLLATE "C" on
// PostgreSQL), as the supplier list's name order does.
const RiskProjectionVersion = 11

// riskOrderKeys are supplier_risk's ordering keys, each with its own index.
var riskOrderKeys = []string{"rank_key", "pos_residual", "pos_residual_desc", "pos_inherent", "pos_inherent_desc",
	"pos_posture", "pos_posture_desc"}

func riskProjectionUp(dialect string) []string {
	collate := ""
	if dialect == "postgres" {
		collate = ` COLLATE "C"`
	}
	stmts := []string{
		`CREATE TABLE supplier_risk (
    supplier_id       TEXT             NOT NULL PRIMARY KEY REFERENCES suppliers (id) ON DELETE CASCADE,
    live              BOOLEAN          NOT NULL,
    residual          DOUBLE PRECISION NOT NULL,
    inherent          DOUBLE PRECISION NOT NULL,
    posture           DOUBLE PRECISION NULL,
    outlier_posture   DOUBLE PRECISION NULL,
    tier              TEXT             NOT NULL,
    open_flags        INTEGER          NOT NULL CHECK (open_flags >= 0),
    rank_key          TEXT             NOT NULL,
    pos_residual      TEXT             NOT NULL,
    pos_residual_desc TEXT             NOT NULL,
    pos_inherent      TEXT             NOT NULL,
    pos_inherent_desc TEXT             NOT NULL,
    pos_posture       TEXT             NOT NULL,
    pos_posture_desc  TEXT             NOT NULL,
    valid_until       TIMESTAMP        NULL,
    summary           TEXT             NOT NULL,
    figures           TEXT             NOT NULL,
    relative_inputs   TEXT             NOT NULL,
    report_inputs     TEXT             NOT NULL,
    fingerprint_up    TEXT             NOT NULL,
    fingerprint_down  TEXT             NOT NULL,
    computed_at       TIMESTAMP        NOT NULL
)`,
		`CREATE INDEX supplier_risk_valid_until ON supplier_risk (valid_until) WHERE valid_until IS NOT NULL`,
		`CREATE INDEX supplier_risk_outlier ON supplier_risk (outlier_posture) WHERE outlier_posture IS NOT NULL`,
		`CREATE INDEX supplier_risk_tier ON supplier_risk (tier)`,
		`CREATE TABLE supplier_risk_flags (
    supplier_id TEXT    NOT NULL REFERENCES supplier_risk (supplier_id) ON DELETE CASCADE,
    code        TEXT    NOT NULL,
    severity    TEXT    NOT NULL,
    accepted    BOOLEAN NOT NULL,
    PRIMARY KEY (supplier_id, code)
)`,
		`CREATE INDEX supplier_risk_flags_code ON supplier_risk_flags (code, accepted)`,
		`CREATE TABLE supplier_risk_care (
    supplier_id  TEXT   NOT NULL REFERENCES supplier_risk (supplier_id) ON DELETE CASCADE,
    category_key TEXT   NOT NULL,
    records      BIGINT NOT NULL,
    PRIMARY KEY (supplier_id, category_key)
)`,
		`CREATE INDEX supplier_risk_care_category ON supplier_risk_care (category_key, records)`,
		`CREATE TABLE supplier_risk_history (
    supplier_id   TEXT             NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
    effective_at  TIMESTAMP        NOT NULL,
    recorded_at   TIMESTAMP        NOT NULL,
    live          BOOLEAN          NOT NULL,
    residual      DOUBLE PRECISION NOT NULL,
    inherent      DOUBLE PRECISION NOT NULL,
    posture       DOUBLE PRECISION NULL,
    tier          TEXT             NOT NULL,
    figures       TEXT             NOT NULL,
    report_inputs TEXT             NOT NULL,
    PRIMARY KEY (supplier_id, effective_at)
)`,
		`CREATE INDEX supplier_risk_history_effective ON supplier_risk_history (effective_at)`,
		`CREATE TABLE risk_projection (
    id          INTEGER   NOT NULL PRIMARY KEY CHECK (id = 1),
    built       BOOLEAN   NOT NULL,
    built_at    TIMESTAMP NULL,
    history_from TIMESTAMP NULL, -- NULL: complete since the register began
    methodology TEXT      NOT NULL,
    statistics  TEXT      NOT NULL
)`,
		// An empty register's projection is complete as it stands; any other waits
		// for the register's code to compute it.
		`INSERT INTO risk_projection (id, built, built_at, history_from, methodology, statistics)
    SELECT 1, NOT EXISTS (SELECT 1 FROM suppliers), NULL, NULL, '', '{"outlier":{"applies":false,"n":0,"q1":0,"median":0,"q3":0},"categories":{}}'`,
	}
	for _, k := range riskOrderKeys {
		where := ""
		if k == "rank_key" {
			where = " WHERE open_flags > 0"
		}
		stmts = append(stmts, `CREATE INDEX supplier_risk_`+k+` ON supplier_risk (`+k+collate+`)`+where)
	}
	return stmts
}

func riskProjectionDown(string) []string {
	return []string{`DROP TABLE risk_projection`, `DROP TABLE supplier_risk_history`, `DROP TABLE supplier_risk_care`,
		`DROP TABLE supplier_risk_flags`, `DROP TABLE supplier_risk`}
}

// RiskOrderKeys lists supplier_risk's ordering key columns (for tests of their plans).
func RiskOrderKeys() []string { return append([]string(nil), riskOrderKeys...) }
