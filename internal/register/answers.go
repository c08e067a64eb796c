package register

import (
	"container/list"
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/weaklink/weaklink/internal/store"
)

// answerCacheSize bounds how many answers the cache keeps: each can hold a graph of
// the whole register (a few MB at 10,000 suppliers).
const answerCacheSize = 8

// answerCache keeps recent answers that are a pure function of the register's
// contents at one moment (who holds what, the links, the incidents; never the
// clock), keyed by the audit chain's head. Every change to the register is audited
// in its own transaction and moves the head, so an answer kept under a head is
// exactly what any read at that head would compute. Schema migrations change rows
// without an audit event; they run before serve starts (a new process, an empty
// cache), but a process of the previous release still serving beside a migrated
// database keeps its answers until the next audited write. It keeps at most
// answerCacheSize answers, evicting the least recently used, and computes each key
// once at a time: concurrent readers of a key that is not kept wait for the one
// computation instead of each building the whole graph.
type answerCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element // of *cachedAnswer
	order   list.List                // most recently used first
	flight  singleflight.Group
}

type cachedAnswer struct {
	key   string
	value any
}

// headKey names the register's contents at an audit head.
func headKey(h store.AuditHeadRow) string {
	return strconv.FormatInt(h.Seq, 10) + ":" + h.Hash
}

// answerAt returns the answer of kind at the register's current contents: kept, or
// computed by compute in a read transaction and kept. compute must not keep or
// change what it is given, and its answer is shared by every reader: read only.
func answerAt[T any](ctx context.Context, s *Service, kind string, compute func(tx *store.Tx) (T, error)) (T, error) {
	var zero T
	head, err := s.st.NoTx(ctx).AuditHead()
	if err != nil {
		return zero, err
	}
	key := headKey(head) + "\x00" + kind
	if v, ok := s.answers.get(key); ok {
		return v.(T), nil
	}
	ch := s.answers.flight.DoChan(key, func() (any, error) {
		var out T
		var at store.AuditHeadRow
		// Shared by every reader waiting on the key: one of them hanging up must not
		// cancel it for the others; answerComputeLimit bounds it instead.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerComputeLimit)
		defer cancel()
		err := s.st.Read(cctx, func(tx *store.Tx) (err error) {
			if at, err = tx.AuditHead(); err != nil {
				return err
			}
			out, err = compute(tx)
			return err
		})
		if err != nil {
			return nil, err
		}
		// Kept under the head the transaction saw, which a write may have moved
		// since the head read above.
		s.answers.put(headKey(at)+"\x00"+kind, out)
		return out, nil
	})
	select {
	case <-ctx.Done(): // this reader left; the computation goes on for the others
		return zero, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return zero, r.Err
		}
		return r.Val.(T), nil
	}
}

// answerComputeLimit bounds one computation of a kept answer, which no single
// reader's hanging up cancels (about 0.1 s at 10,000 suppliers on a quiet machine).
const answerComputeLimit = time.Minute

func (c *answerCache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cachedAnswer).value, true
}

func (c *answerCache) put(key string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*list.Element{}
	}
	if e, ok := c.entries[key]; ok {
		e.Value.(*cachedAnswer).value = v
		c.order.MoveToFront(e)
		return
	}
	c.entries[key] = c.order.PushFront(&cachedAnswer{key: key, value: v})
	for c.order.Len() > answerCacheSize {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*cachedAnswer).key)
	}
}
