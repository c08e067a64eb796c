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
	if c.Addr != "127.0.0.1:8080" || c.DatabaseURL != "" || c.SQLitePath != "./weaklink.db" || c.TrustedProxies != nil ||
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

// Settings that each parse but contradict one another (or leave the range the
// methodology accepts) are refused by Load, naming the variable.
func TestContradictoryScoringRefused(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string // in the error; "" means accepted
	}{
		{"tiers ascending", map[string]string{"WEAKLINK_SCORING_TIERS": "20,40,60"}, "WEAKLINK_SCORING_TIERS must be strictly descending"},
		{"tiers equal", map[string]string{"WEAKLINK_SCORING_TIERS": "60,40,40"}, "WEAKLINK_SCORING_TIERS must be strictly descending"},
		{"tier above 100", map[string]string{"WEAKLINK_SCORING_TIERS": "160,40,20"}, "WEAKLINK_SCORING_TIERS must be three numbers between 0 and 100"},
		{"tiers descending", map[string]string{"WEAKLINK_SCORING_TIERS": "61,40.5,20"}, ""},
		{"months descending", map[string]string{"WEAKLINK_SCORING_REASSESS_MONTHS": "36,24,12,6"}, "WEAKLINK_SCORING_REASSESS_MONTHS must not decrease"},
		{"months dip", map[string]string{"WEAKLINK_SCORING_REASSESS_MONTHS": "6,12,9,36"}, "WEAKLINK_SCORING_REASSESS_MONTHS must not decrease"},
		{"months shared cadence", map[string]string{"WEAKLINK_SCORING_REASSESS_MONTHS": "6,12,12,12"}, ""},
		{"months too long", map[string]string{"WEAKLINK_SCORING_REASSESS_MONTHS": "6,12,24,1201"}, "at most 1200 months"},
		{"weak equals strong", map[string]string{"WEAKLINK_SCORING_WEAK_BELOW": "75"}, "WEAKLINK_SCORING_WEAK_BELOW (75) must be below WEAKLINK_SCORING_STRONG_FROM (75)"},
		{"weak above strong", map[string]string{"WEAKLINK_SCORING_WEAK_BELOW": "60", "WEAKLINK_SCORING_STRONG_FROM": "55"}, "must be below WEAKLINK_SCORING_STRONG_FROM"},
		{"weak just below strong", map[string]string{"WEAKLINK_SCORING_WEAK_BELOW": "74.9"}, ""},
		{"share zero", map[string]string{"WEAKLINK_FLAGS_CONCENTRATION_SHARE": "0"}, "WEAKLINK_FLAGS_CONCENTRATION_SHARE must be more than 0 and less than 1"},
		{"share one", map[string]string{"WEAKLINK_FLAGS_CONCENTRATION_SHARE": "1"}, "WEAKLINK_FLAGS_CONCENTRATION_SHARE"},
		{"share negative", map[string]string{"WEAKLINK_FLAGS_CONCENTRATION_SHARE": "-0.2"}, "WEAKLINK_FLAGS_CONCENTRATION_SHARE"},
		{"share inside", map[string]string{"WEAKLINK_FLAGS_CONCENTRATION_SHARE": "0.99"}, ""},
		{"cap not a number", map[string]string{"WEAKLINK_SCORING_CRITICAL_CAP": "NaN"}, "WEAKLINK_SCORING_CRITICAL_CAP must be between 0 and 100"},
		{"cert penalty doubled past 100", map[string]string{"WEAKLINK_SCORING_EXPIRED_CERT_PENALTY": "60"}, "WEAKLINK_SCORING_EXPIRED_CERT_PENALTY must be between 0 and 50"},
		{"portfolio of none", map[string]string{"WEAKLINK_FLAGS_OUTLIER_MIN_PORTFOLIO": "0"}, "WEAKLINK_FLAGS_OUTLIER_MIN_PORTFOLIO must be between 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(tc.env))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// A variable that does not parse is reported once, not again as incoherent.
func TestMalformedScoringReportedOnce(t *testing.T) {
	_, err := Load(env(map[string]string{"WEAKLINK_SCORING_TIERS": "60,forty,20", "WEAKLINK_SCORING_WEAK_BELOW": "weak"}))
	if err == nil {
		t.Fatal("accepted")
	}
	if n := strings.Count(err.Error(), "WEAKLINK_SCORING_TIERS"); n != 1 {
		t.Errorf("WEAKLINK_SCORING_TIERS named %d times:\n%v", n, err)
	}
	if n := strings.Count(err.Error(), "WEAKLINK_SCORING_WEAK_BELOW"); n != 1 {
		t.Errorf("WEAKLINK_SCORING_WEAK_BELOW named %d times:\n%v", n, err)
	}
}

func TestListenAddress(t *testing.T) {
	cases := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8080", true},
		{":8080", true},
		{"[::1]:8080", true},
		{"localhost:0", true},
		{"weaklink-1.internal:443", true},
		{"nonsense", false},
		{"1.2.3.4:99999", false},
		{"127.0.0.1:", false},
		{":http", false},
		{"exa mple:80", false},
		{"127.0.0.1:8080:9", false},
	}
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			if err := CheckAddr(tc.addr); (err == nil) != tc.ok {
				t.Fatalf("CheckAddr(%q) = %v", tc.addr, err)
			}
			_, err := Load(env(map[string]string{"WEAKLINK_ADDR": tc.addr}))
			if tc.ok != (err == nil) || !tc.ok && !strings.Contains(err.Error(), "WEAKLINK_ADDR") {
				t.Fatalf("Load with WEAKLINK_ADDR=%q: %v", tc.addr, err)
			}
		})
	}
}

// Profiling is off by default and may only listen on a loopback address.
func TestPprofAddrIsLoopbackOnly(t *testing.T) {
	cases := []struct {
		value string
		ok    bool
	}{
		{"", true}, {"127.0.0.1:6060", true}, {"127.1.2.3:0", true}, {"[::1]:6060", true}, {"localhost:6060", true},
		{":6060", false}, {"0.0.0.0:6060", false}, {"10.0.0.5:6060", false}, {"[::]:6060", false}, {"pprof.example:6060", false},
		{"127.0.0.1", false},
	}
	for _, tc := range cases {
		c, err := Load(func(k string) string {
			if k == "WEAKLINK_PPROF_ADDR" {
				return tc.value
			}
			return ""
		})
		if tc.ok != (err == nil) || (err == nil && c.PprofAddr != tc.value) {
			t.Errorf("WEAKLINK_PPROF_ADDR=%q: %v (addr %q)", tc.value, err, c.PprofAddr)
		}
		if err != nil && !strings.Contains(err.Error(), "WEAKLINK_PPROF_ADDR") {
			t.Errorf("WEAKLINK_PPROF_ADDR=%q: the error does not name the variable: %v", tc.value, err)
		}
	}
}

// WEAKLINK_PUBLIC_URL is an absolute http(s) origin (and path prefix), kept without
// its trailing slash; anything else is refused, named.
func TestPublicURL(t *testing.T) {
	for in, want := range map[string]string{"https://risk.example.org/": "https://risk.example.org",
		"http://localhost:8080": "http://localhost:8080", "https://example.org/weaklink": "https://example.org/weaklink", "": ""} {
		c, err := Load(env(map[string]string{"WEAKLINK_PUBLIC_URL": in}))
		if err != nil || c.PublicURL != want {
			t.Errorf("%q: %q, %v; want %q", in, c.PublicURL, err, want)
		}
	}
	for _, bad := range []string{"risk.example.org", "ftp://risk.example.org", "https://", "https://risk.example.org/?a=1",
		"https://risk.example.org/#x", "https://user:pw@risk.example.org", "https://risk.example.org?", "https://risk.example.org#",
		"https://x/a b"} {
		if _, err := Load(env(map[string]string{"WEAKLINK_PUBLIC_URL": bad})); err == nil || !strings.Contains(err.Error(), "WEAKLINK_PUBLIC_URL") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}
