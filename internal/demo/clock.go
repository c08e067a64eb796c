package demo

import (
	"encoding/binary"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
)

// clock is the register's clock while generating: the writer sets it to each
// event's time before the event is written, so that created_at, submitted_at,
// reviewed_at and the audit trail's times lie in the past the plan describes. Only
// the generator's goroutine reads and sets it.
type clock struct{ t time.Time }

func (c *clock) now() time.Time   { return c.t }
func (c *clock) set(t time.Time)  { c.t = t }
func newClock(t time.Time) *clock { return &clock{t: t} }

// idSource makes the register's ids: UUIDv7 (RFC 9562) whose time part is the
// generator's clock and whose random part comes from the seeded source, so the same
// plan gets the same ids. Within one millisecond a 26-bit counter (the 12 bits of
// rand_a and the top 14 of rand_b, RFC 9562 §6.2 method 1) keeps them in order;
// the last 48 bits are random.
type idSource struct {
	clk    *clock
	rnd    *rand.Rand
	lastMS int64
	seq    uint32
}

const seqLimit = 1 << 26

func (s *idSource) next() string {
	ms := s.clk.now().UnixMilli()
	if ms <= s.lastMS {
		ms, s.seq = s.lastMS, s.seq+1
		if s.seq == seqLimit { // 67 million ids in one millisecond: borrow the next one
			ms, s.seq = ms+1, 0
		}
	} else {
		s.seq = 0
	}
	s.lastMS = ms
	var u uuid.UUID
	var t [8]byte
	binary.BigEndian.PutUint64(t[:], uint64(ms))
	copy(u[0:6], t[2:8])
	u[6] = 0x70 | byte(s.seq>>22&0x0f)
	u[7] = byte(s.seq >> 14)
	u[8] = 0x80 | byte(s.seq>>8&0x3f)
	u[9] = byte(s.seq)
	var r [8]byte
	binary.BigEndian.PutUint64(r[:], s.rnd.Uint64())
	copy(u[10:16], r[2:8])
	return u.String()
}
