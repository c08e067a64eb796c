package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DatabaseURL != "" || c.SQLitePath != "./weaklink.db" || c.TrustedProxies != nil ||
		c.RateLimit != 50 || c.RateBurst != 200 || !c.AutoMigrate || c.ShutdownTimeout != 20*time.Second ||
		c.MaxOpenConns != 8 || c.ConnMaxLifetime != 30*time.Minute {
		t.Fatalf("defaults: %+v", c)
	}
	c, _ = Load(env(map[string]string{"WEAKLINK_DATABASE_URL": "postgres://db/weaklink"}))
	if c.MaxOpenConns != 20 {
		t.Fatalf("PostgreSQL pool %d, want 20", c.MaxOpenConns)
	}
}

func TestInvalidValuesAreNamed(t *testing.T) {
	cases := map[string]map[string]string{
		"WEAKLINK_DATABASE_URL":         {"WEAKLINK_DATABASE_URL": "mysql://db"},
		"WEAKLINK_RATE_LIMIT":           {"WEAKLINK_RATE_LIMIT": "-1"},
		"WEAKLINK_RATE_BURST":           {"WEAKLINK_RATE_BURST": "0"},
		"WEAKLINK_TRUSTED_PROXIES":      {"WEAKLINK_TRUSTED_PROXIES": "10.0.0.0/8, proxy.internal"},
		"WEAKLINK_AUTO_MIGRATE":         {"WEAKLINK_AUTO_MIGRATE": "sometimes"},
		"WEAKLINK_SHUTDOWN_TIMEOUT":     {"WEAKLINK_SHUTDOWN_TIMEOUT": "20"},
		"WEAKLINK_DB_MAX_OPEN_CONNS":    {"WEAKLINK_DB_MAX_OPEN_CONNS": "many"},
		"WEAKLINK_LOG_LEVEL":            {"WEAKLINK_LOG_LEVEL": "verbose"},
		"WEAKLINK_LOG_FORMAT":           {"WEAKLINK_LOG_FORMAT": "xml"},
		"WEAKLINK_DB_CONN_MAX_LIFETIME": {"WEAKLINK_DB_CONN_MAX_LIFETIME": "-1s"},
	}
	for name, e := range cases {
		if _, err := Load(env(e)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestTrustedProxiesAndRateLimitOff(t *testing.T) {
	c, err := Load(env(map[string]string{"WEAKLINK_TRUSTED_PROXIES": " 10.0.0.0/8 , 192.0.2.1 ", "WEAKLINK_RATE_LIMIT": "0", "WEAKLINK_RATE_BURST": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.TrustedProxies, "|") != "10.0.0.0/8|192.0.2.1" || c.RateLimit != 0 {
		t.Fatalf("%+v", c)
	}
}

func TestScoringThresholds(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Scoring.CriticalCap != 40 || c.Scoring.Tiers != [3]float64{60, 40, 20} || c.Scoring.ReassessMonths != [4]int{6, 12, 24, 36} {
		t.Fatalf("scoring defaults %+v", c.Scoring)
	}
	c, err = Load(env(map[string]string{"WEAKLINK_SCORING_TIERS": "70, 45, 15", "WEAKLINK_SCORING_REASSESS_MONTHS": "3,6,12,24"}))
	if err != nil || c.Scoring.Tiers != [3]float64{70, 45, 15} || c.Scoring.ReassessMonths != [4]int{3, 6, 12, 24} {
		t.Fatalf("scoring %+v %v", c.Scoring, err)
	}
	for name, e := range map[string]map[string]string{
		"WEAKLINK_SCORING_TIERS":           {"WEAKLINK_SCORING_TIERS": "60,40"},
		"WEAKLINK_SCORING_REASSESS_MONTHS": {"WEAKLINK_SCORING_REASSESS_MONTHS": "6,12,24,0"},
		"WEAKLINK_SCORING_CRITICAL_CAP":    {"WEAKLINK_SCORING_CRITICAL_CAP": "forty"},
	} {
		if _, err := Load(env(e)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
