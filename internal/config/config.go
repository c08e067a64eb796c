// Package config reads the environment into a validated Config. Every command reads
// the same configuration; nothing here is global.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the whole runtime configuration.
type Config struct {
	Addr            string        // WEAKLINK_ADDR
	PprofAddr       string        // WEAKLINK_PPROF_ADDR: Go's profiling endpoints on a loopback address; "" is off
	DatabaseURL     string        // WEAKLINK_DATABASE_URL; empty selects SQLite
	SQLitePath      string        // WEAKLINK_SQLITE_PATH
	TrustedProxies  []string      // WEAKLINK_TRUSTED_PROXIES, comma-separated IPs or CIDRs
	PublicURL       string        // WEAKLINK_PUBLIC_URL: the service's address as suppliers reach it, for links; "" gives relative links
	RateLimit       float64       // WEAKLINK_RATE_LIMIT requests per second per key; 0 disables
	RateBurst       int           // WEAKLINK_RATE_BURST
	MaxOpenConns    int           // WEAKLINK_DB_MAX_OPEN_CONNS
	MaxIdleConns    int           // WEAKLINK_DB_MAX_IDLE_CONNS
	ConnMaxLifetime time.Duration // WEAKLINK_DB_CONN_MAX_LIFETIME
	AutoMigrate     bool          // WEAKLINK_AUTO_MIGRATE: apply pending migrations when serve starts
	ShutdownTimeout time.Duration // WEAKLINK_SHUTDOWN_TIMEOUT
	LogLevel        string        // WEAKLINK_LOG_LEVEL: debug, info, warn, error
	LogFormat       string        // WEAKLINK_LOG_FORMAT: json or text
	Scoring         Scoring       // WEAKLINK_SCORING_*: thresholds of the methodology
	// AuditKey (WEAKLINK_AUDIT_KEY), when set, makes new audit events' hashes
	// HMAC-SHA-256 under it; at least MinAuditKeyBytes. A secret: never printed.
	AuditKey Secret
}

// Scoring holds the methodology's thresholds (docs/methodology.md explains each).
type Scoring struct {
	CriticalCap         float64
	ExpiredCertPenalty  float64
	NoDPAPenalty        float64
	WeakBelow           float64
	StrongFrom          float64
	Tiers               [3]float64 // residual thresholds for critical, high, medium
	ReassessMonths      [4]int     // months between assessments for critical, high, medium, low
	OutlierMinPortfolio int        // trails_portfolio: fewest active assessed suppliers to compare with
	OutlierMinGap       float64    // trails_portfolio: points under the median
	OutlierIQRMultiple  float64    // trails_portfolio: multiple of the interquartile range below Q1
	ConcentrationShare  float64    // concentration: share of a category's records
}

// Var documents one environment variable, for the README and `weaklink help`.
type Var struct{ Name, Default, Meaning string }

// Vars lists every environment variable with its default.
var Vars = []Var{
	{"WEAKLINK_ADDR", "127.0.0.1:8080", "listen address, host:port; :8080 listens on every interface"},
	{"WEAKLINK_PPROF_ADDR", "", "loopback address (such as 127.0.0.1:6060) for Go's profiling endpoints, /debug/pprof/; empty is off"},
	{"WEAKLINK_DATABASE_URL", "", "postgres://… selects PostgreSQL; empty uses the embedded SQLite file"},
	{"WEAKLINK_SQLITE_PATH", "./weaklink.db", "the SQLite file used when no database URL is set"},
	{"WEAKLINK_TRUSTED_PROXIES", "", "comma-separated proxy IPs/CIDRs whose X-Forwarded-For is believed; none by default"},
	{"WEAKLINK_PUBLIC_URL", "", "the service's address as suppliers reach it (https://risk.example.org), for questionnaire links; empty gives relative links"},
	{"WEAKLINK_RATE_LIMIT", "50", "requests per second per API key (token bucket); 0 disables"},
	{"WEAKLINK_RATE_BURST", "200", "token bucket size per API key"},
	{"WEAKLINK_DB_MAX_OPEN_CONNS", "20", "connection pool size (SQLite: 8)"},
	{"WEAKLINK_DB_MAX_IDLE_CONNS", "10", "idle connections kept open"},
	{"WEAKLINK_DB_CONN_MAX_LIFETIME", "30m", "recycle connections after this long"},
	{"WEAKLINK_AUTO_MIGRATE", "true", "serve applies pending migrations at start (under a lock)"},
	{"WEAKLINK_SHUTDOWN_TIMEOUT", "20s", "how long in-flight requests may run after SIGTERM"},
	{"WEAKLINK_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"WEAKLINK_LOG_FORMAT", "json", "json or text"},
	{"WEAKLINK_AUDIT_KEY", "", "secret: at least 32 bytes as hex or base64; new audit events get HMAC-SHA-256 hashes; never rotate or unset it"},
	{"WEAKLINK_SCORING_CRITICAL_CAP", "40", "posture ceiling when a critical control fails"},
	{"WEAKLINK_SCORING_EXPIRED_CERT_PENALTY", "10", "posture points lost per expired certification (at most twice)"},
	{"WEAKLINK_SCORING_NO_DPA_PENALTY", "15", "posture points lost when personal data is held without a signed DPA"},
	{"WEAKLINK_SCORING_WEAK_BELOW", "50", "a posture below this is weak"},
	{"WEAKLINK_SCORING_STRONG_FROM", "75", "a posture at or above this is strong"},
	{"WEAKLINK_SCORING_TIERS", "60,40,20", "residual risk at or above which the tier is critical, high, medium"},
	{"WEAKLINK_SCORING_REASSESS_MONTHS", "6,12,24,36", "months between assessments for tiers critical, high, medium, low"},
	{"WEAKLINK_FLAGS_OUTLIER_MIN_PORTFOLIO", "5", "trails_portfolio needs at least this many active assessed suppliers"},
	{"WEAKLINK_FLAGS_OUTLIER_MIN_GAP", "15", "trails_portfolio: at least this many points under the median"},
	{"WEAKLINK_FLAGS_OUTLIER_IQR_MULTIPLE", "1.5", "trails_portfolio: and below Q1 minus this multiple of the interquartile range"},
	{"WEAKLINK_FLAGS_CONCENTRATION_SHARE", "0.5", "concentration: more than this share of a category's records"},
}

// Load reads the configuration through getenv (os.Getenv in production) and validates
// it: each value on its own, the listen address's syntax (CheckAddr), and the scoring
// settings against one another (Scoring.check). The error joins every problem found,
// each naming its variable.
func Load(getenv func(string) string) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, v := range Vars {
			if v.Name == name {
				return v.Default
			}
		}
		return ""
	}
	var errs []error
	// malformed names the variables that did not parse, so the coherence checks
	// (scoring.go) do not add a second complaint to one already reported.
	malformed := map[string]bool{}
	num := func(name string) int {
		n, err := strconv.Atoi(get(name))
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("%s must be a whole number ≥ 0", name))
			malformed[name] = true
		}
		return n
	}
	dur := func(name string) time.Duration {
		d, err := time.ParseDuration(get(name))
		if err != nil || d < 0 {
			errs = append(errs, fmt.Errorf("%s must be a duration such as 30s", name))
		}
		return d
	}
	c := Config{
		Addr: get("WEAKLINK_ADDR"), DatabaseURL: get("WEAKLINK_DATABASE_URL"), SQLitePath: get("WEAKLINK_SQLITE_PATH"),
		RateBurst: num("WEAKLINK_RATE_BURST"), MaxOpenConns: num("WEAKLINK_DB_MAX_OPEN_CONNS"),
		MaxIdleConns: num("WEAKLINK_DB_MAX_IDLE_CONNS"), ConnMaxLifetime: dur("WEAKLINK_DB_CONN_MAX_LIFETIME"),
		ShutdownTimeout: dur("WEAKLINK_SHUTDOWN_TIMEOUT"), LogLevel: get("WEAKLINK_LOG_LEVEL"), LogFormat: get("WEAKLINK_LOG_FORMAT"),
	}
	rate, err := strconv.ParseFloat(get("WEAKLINK_RATE_LIMIT"), 64)
	if err != nil || rate < 0 {
		errs = append(errs, errors.New("WEAKLINK_RATE_LIMIT must be a number ≥ 0"))
	}
	c.RateLimit = rate
	number := func(name string) float64 {
		v, err := strconv.ParseFloat(get(name), 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s must be a number", name))
			malformed[name] = true
		}
		return v
	}
	c.Scoring = Scoring{CriticalCap: number("WEAKLINK_SCORING_CRITICAL_CAP"),
		ExpiredCertPenalty: number("WEAKLINK_SCORING_EXPIRED_CERT_PENALTY"), NoDPAPenalty: number("WEAKLINK_SCORING_NO_DPA_PENALTY"),
		WeakBelow: number("WEAKLINK_SCORING_WEAK_BELOW"), StrongFrom: number("WEAKLINK_SCORING_STRONG_FROM"),
		OutlierMinPortfolio: num("WEAKLINK_FLAGS_OUTLIER_MIN_PORTFOLIO"), OutlierMinGap: number("WEAKLINK_FLAGS_OUTLIER_MIN_GAP"),
		OutlierIQRMultiple: number("WEAKLINK_FLAGS_OUTLIER_IQR_MULTIPLE"), ConcentrationShare: number("WEAKLINK_FLAGS_CONCENTRATION_SHARE")}
	tiers := strings.Split(get("WEAKLINK_SCORING_TIERS"), ",")
	months := strings.Split(get("WEAKLINK_SCORING_REASSESS_MONTHS"), ",")
	if len(tiers) != 3 {
		malformed["WEAKLINK_SCORING_TIERS"] = true
	}
	for i := 0; i < len(tiers) && i < 3; i++ {
		v, err := strconv.ParseFloat(strings.TrimSpace(tiers[i]), 64)
		if err != nil {
			malformed["WEAKLINK_SCORING_TIERS"] = true
		}
		c.Scoring.Tiers[i] = v
	}
	if malformed["WEAKLINK_SCORING_TIERS"] {
		errs = append(errs, errors.New("WEAKLINK_SCORING_TIERS must be three numbers: critical,high,medium"))
	}
	if len(months) != 4 {
		malformed["WEAKLINK_SCORING_REASSESS_MONTHS"] = true
	}
	for i := 0; i < len(months) && i < 4; i++ {
		v, err := strconv.Atoi(strings.TrimSpace(months[i]))
		if err != nil || v < 1 {
			malformed["WEAKLINK_SCORING_REASSESS_MONTHS"] = true
		}
		c.Scoring.ReassessMonths[i] = v
	}
	if malformed["WEAKLINK_SCORING_REASSESS_MONTHS"] {
		errs = append(errs, errors.New("WEAKLINK_SCORING_REASSESS_MONTHS must be four whole numbers ≥ 1: critical,high,medium,low"))
	}
	errs = append(errs, c.Scoring.check(malformed)...)
	if err := CheckAddr(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("WEAKLINK_ADDR: %w", err))
	}
	if c.PprofAddr = get("WEAKLINK_PPROF_ADDR"); c.PprofAddr != "" {
		if err := CheckLoopbackAddr(c.PprofAddr); err != nil {
			errs = append(errs, fmt.Errorf("WEAKLINK_PPROF_ADDR: %w", err))
		}
	}
	if c.RateLimit > 0 && c.RateBurst < 1 {
		errs = append(errs, errors.New("WEAKLINK_RATE_BURST must be at least 1 when rate limiting is on"))
	}
	c.AutoMigrate, err = strconv.ParseBool(get("WEAKLINK_AUTO_MIGRATE"))
	if err != nil {
		errs = append(errs, errors.New("WEAKLINK_AUTO_MIGRATE must be true or false"))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("WEAKLINK_DATABASE_URL must start with postgres:// or postgresql://"))
	}
	if getenv("WEAKLINK_DB_MAX_OPEN_CONNS") == "" && c.DatabaseURL == "" {
		c.MaxOpenConns = 8 // SQLite has one writer; a small pool is plenty
	}
	for _, p := range strings.Split(get("WEAKLINK_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				errs = append(errs, fmt.Errorf("WEAKLINK_TRUSTED_PROXIES: %q is not an IP address or CIDR", p))
				continue
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	if pu := strings.TrimSpace(get("WEAKLINK_PUBLIC_URL")); pu != "" {
		u, err := url.Parse(pu)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" || u.User != nil ||
			strings.ContainsAny(pu, "?# \t\r\n") {
			errs = append(errs, errors.New("WEAKLINK_PUBLIC_URL must be an absolute http(s) URL without query, fragment, user or spaces, such as https://risk.example.org"))
		} else {
			c.PublicURL = strings.TrimRight(u.String(), "/")
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, errors.New("WEAKLINK_LOG_LEVEL must be debug, info, warn or error"))
	}
	if c.AuditKey, err = parseAuditKey(get("WEAKLINK_AUDIT_KEY")); err != nil {
		errs = append(errs, err)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, errors.New("WEAKLINK_LOG_FORMAT must be json or text"))
	}
	return c, errors.Join(errs...)
}

// CheckLoopbackAddr checks a listen address whose host must be a loopback address
// (127.0.0.0/8, ::1 or localhost): profiling endpoints reveal the process's memory
// and must never be reachable from another machine.
func CheckLoopbackAddr(addr string) error {
	if err := CheckAddr(addr); err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(addr)
	if host == "localhost" {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%q: the host must be a loopback address such as 127.0.0.1 or ::1", addr)
}

// CheckAddr reports whether addr is a listen address weaklink can try to bind:
// host:port with a numeric port (0 to 65535), where the host is empty (every
// interface), an IP address or a host name. It does not bind anything.
func CheckAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not a listen address such as 127.0.0.1:8080 or :8080: %w", addr, err)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || port == "" || n > 65535 {
		return fmt.Errorf("%q: the port must be a number from 0 to 65535", addr)
	}
	if host == "" {
		return nil
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return nil
	}
	for _, r := range host {
		if !(r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return fmt.Errorf("%q: %q is neither an IP address nor a host name", addr, host)
		}
	}
	return nil
}
