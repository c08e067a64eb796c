package register

import (
	"crypto/rand"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// Clock returns the current time; tests inject a fixed one.
type Clock func() time.Time

// Service runs the register's use cases against a store.
type Service struct {
	st      *store.Store
	clock   Clock
	scoring scoring.Config
	flagCfg scoring.FlagConfig
	// auditKey, when set, makes new audit events' hashes HMAC-SHA-256 (audit_hash.go).
	auditKey []byte
	// rand is the entropy source for ids and secrets (crypto/rand by default).
	rand func([]byte) (int, error)
	// ids, when set, replaces the UUIDv7 source of newID (WithIDs).
	ids func() string
	// published caches the names of published questionnaire versions, which never
	// change once published (questionnaire.go), so risk reads need not load them.
	published sync.Map // questionnaire id -> questionnaireName
	// answers keeps recent exposure and impact answers by audit head (answers.go).
	answers *answerCache
}

// New returns a Service. A nil clock means the system clock.
func New(st *store.Store, clock Clock) *Service {
	if clock == nil {
		clock = time.Now
	}
	return &Service{st: st, clock: clock, rand: rand.Read, answers: &answerCache{}, scoring: scoring.DefaultConfig(), flagCfg: scoring.DefaultFlagConfig()}
}

// now is the clock in UTC at the precision both databases keep.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// Now is the service's clock in UTC, at the precision both databases keep (µs), for
// packages layered on the register, so that one injected clock drives them all.
func (s *Service) Now() time.Time { return s.now() }

// newID returns a time-ordered UUIDv7, or the next id of the source WithIDs gave.
func (s *Service) newID() string {
	if s.ids != nil {
		return s.ids()
	}
	return uuid.Must(uuid.NewV7()).String()
}

// NewID returns a new time-ordered id (UUIDv7, RFC 9562) for a resource.
func (s *Service) NewID() string { return s.newID() }

// WithFlags replaces the weak-link flag thresholds (the defaults are scoring.DefaultFlagConfig).
func (s *Service) WithFlags(cfg scoring.FlagConfig) *Service {
	s.flagCfg = cfg
	return s
}

// WithIDs replaces the source of every new id (resources and audit events), by
// default UUIDv7 from the system clock and crypto/rand, with next: for a register
// that must come out the same every time, such as a generated demo. next must
// return valid UUIDs (ValidID), each once; time-ordered ones keep the default's order.
func (s *Service) WithIDs(next func() string) *Service {
	s.ids = next
	return s
}

// WithScoring replaces the scoring thresholds (the defaults are scoring.DefaultConfig).
func (s *Service) WithScoring(cfg scoring.Config) *Service {
	s.scoring = cfg
	return s
}
