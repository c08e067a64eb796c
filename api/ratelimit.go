package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// rateLimiter keeps one token bucket per API key. Keys are few (an organisation's
// scripts and people), so the map is bounded by the api_keys table.
type rateLimiter struct {
	rate  rate.Limit
	burst int
	now   func() time.Time
	mu    sync.Mutex
	keys  map[string]*rate.Limiter
}

func newRateLimiter(perSecond float64, burst int, now func() time.Time) *rateLimiter {
	return &rateLimiter{rate: rate.Limit(perSecond), burst: burst, now: now, keys: map[string]*rate.Limiter{}}
}

func (r *rateLimiter) bucket(key string) *rate.Limiter {
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.keys[key]
	if !ok {
		// Client addresses are unbounded, unlike keys: forget them all rather than grow
		// without limit (a forgotten bucket starts full, which errs on the generous side).
		if len(r.keys) >= maxBuckets {
			clear(r.keys)
		}
		l = rate.NewLimiter(r.rate, r.burst)
		r.keys[key] = l
	}
	return l
}

// maxBuckets bounds the limiter's memory.
const maxBuckets = 100_000

// exhausted reports whether the key's bucket has no token left, without spending one.
func (r *rateLimiter) exhausted(key string) bool {
	return r.bucket(key).TokensAt(r.now()) < 1
}

// spend takes one token from the key's bucket, if there is one.
func (r *rateLimiter) spend(key string) {
	r.bucket(key).AllowN(r.now(), 1)
}

// reject answers 429 with the wait until the next token.
func (r *rateLimiter) reject(c *gin.Context, detail string) {
	wait := int(math.Max(1, math.Ceil(1/float64(r.rate))))
	refill := int(math.Ceil(float64(r.burst) / float64(r.rate)))
	c.Header("RateLimit-Policy", fmt.Sprintf(`"per-address";q=%d;w=%d`, r.burst, refill))
	c.Header("RateLimit", fmt.Sprintf(`"per-address";r=0;t=%d`, wait))
	c.Header("Retry-After", strconv.Itoa(wait))
	writeProblem(c, http.StatusTooManyRequests, detail)
}

// middleware spends one token per request and announces the budget in the
// RateLimit and RateLimit-Policy headers (IETF httpapi rate-limit headers draft);
// when the bucket is empty it answers 429 with Retry-After.
func (r *rateLimiter) middleware(c *gin.Context) {
	a, _ := actorOf(c)
	l := r.bucket(a.KeyID)
	now := r.now()
	refill := int(math.Ceil(float64(r.burst) / float64(r.rate)))
	c.Header("RateLimit-Policy", fmt.Sprintf(`"per-key";q=%d;w=%d`, r.burst, refill))
	res := l.ReserveN(now, 1)
	if delay := res.DelayFrom(now); !res.OK() || delay > 0 {
		res.CancelAt(now)
		wait := int(math.Max(1, math.Ceil(delay.Seconds())))
		c.Header("RateLimit", fmt.Sprintf(`"per-key";r=0;t=%d`, wait))
		c.Header("Retry-After", strconv.Itoa(wait))
		writeProblem(c, http.StatusTooManyRequests, "Too many requests for this API key; retry after the number of seconds in Retry-After.")
		return
	}
	left := int(math.Max(0, math.Floor(l.TokensAt(now))))
	reset := int(math.Ceil(float64(r.burst-left) / float64(r.rate)))
	c.Header("RateLimit", fmt.Sprintf(`"per-key";r=%d;t=%d`, left, reset))
	c.Next()
}
