package testdb

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// heapMetric is the runtime/metrics sample of the bytes held by heap objects, live
// or dead but not yet swept: what a request's allocations cost the process until
// the collector reclaims them.
const heapMetric = "/memory/classes/heap/objects:bytes"

// HeapSampler records the peak of heap object bytes while code under test runs.
// It measures memory, never time: the sampling interval only sets how short a
// spike it can see.
type HeapSampler struct {
	base uint64
	stop chan struct{}
	done sync.WaitGroup
	mu   sync.Mutex
	peak uint64
}

// StartHeapSampler collects garbage, takes the baseline and starts sampling every
// interval (a few milliseconds is enough to see a request's peak).
func StartHeapSampler(interval time.Duration) *HeapSampler {
	runtime.GC()
	s := &HeapSampler{stop: make(chan struct{})}
	s.base = heapBytes()
	s.peak = s.base
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			s.record()
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *HeapSampler) record() {
	v := heapBytes()
	s.mu.Lock()
	s.peak = max(s.peak, v)
	s.mu.Unlock()
}

// Stop ends sampling (after one last sample) and returns the peak growth over the
// baseline, in bytes.
func (s *HeapSampler) Stop() uint64 {
	close(s.stop)
	s.done.Wait()
	s.record()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak - s.base
}

func heapBytes() uint64 {
	sample := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}
