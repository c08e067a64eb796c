package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"time"
)

// mixedOps are the mixed workload's operations, in the order of their shares.
var mixedOps = []string{"GET /suppliers/{id}", "GET /suppliers/{id}/risk", "PATCH /suppliers/{id}"}

// worker is one connection's share of the mixed workload: its latencies and answers
// by operation.
type worker struct {
	lat      [3]latencies
	statuses [3]map[string]int
	errors   int
}

// runMixed runs the mixed workload: -c connections, each a loop that, until the
// duration ends, picks an operation: 40 % supplier reads and 40 % risk reads of a
// random supplier of the whole register, and 20 % merge-patch writes of a supplier of
// its own partition (ids[i] with i mod c = its number) with If-Match carrying the
// ETag from its earlier GET or PATCH of that supplier. No two connections write the
// same supplier, so no write may answer 412. The ETags are read before the clock
// starts (-prime suppliers per connection).
func runMixed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("mixed", flag.ContinueOnError)
	var l labels
	var a apiFlags
	registerLabels(fs, &l)
	a.register(fs)
	idsFile := fs.String("ids", "", "file of supplier ids, one a line")
	duration := fs.Duration("duration", 20*time.Second, "how long to run")
	prime := fs.Int("prime", 50, "suppliers of its partition each connection writes (their ETags are read first)")
	maxRequests := fs.Int("max-requests", 5_000_000, "stop after this many requests in all, whatever the time")
	seed := fs.Uint64("seed", 42, "seed of the random choices")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if l.c < 1 || *duration <= 0 || *duration > 10*time.Minute || *prime < 1 {
		return errors.New("-c and -prime must be at least 1 and -duration between 0 and 10m")
	}
	ids, err := readIDs(*idsFile)
	if err != nil {
		return err
	}
	if len(ids) < l.c {
		return fmt.Errorf("%d suppliers cannot be split among %d connections", len(ids), l.c)
	}
	cl, err := a.client(l.c)
	if err != nil {
		return err
	}
	// Each connection's partition, and the ETags of the suppliers it will write.
	parts := make([][]string, l.c)
	etags := make([]map[string]string, l.c)
	for i, id := range ids {
		if w := i % l.c; len(parts[w]) < *prime {
			parts[w] = append(parts[w], id)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, l.c)
	for w := range l.c {
		wg.Go(func() {
			etags[w] = map[string]string{}
			for _, id := range parts[w] {
				ans, err := cl.do(ctx, "GET", "/api/v1/suppliers/"+id, nil, nil)
				if err != nil || ans.status != 200 || ans.etag == "" {
					errs[w] = fmt.Errorf("read the ETag of %s: %v (status %d)", id, err, ans.status)
					return
				}
				etags[w][id] = ans.etag
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}

	workers := make([]*worker, l.c)
	var budget sync.Mutex
	left := *maxRequests
	take := func() bool {
		budget.Lock()
		defer budget.Unlock()
		left--
		return left >= 0
	}
	start := time.Now()
	deadline := start.Add(*duration)
	for w := range l.c {
		workers[w] = &worker{}
		for i := range workers[w].statuses {
			workers[w].statuses[i] = map[string]int{}
		}
		wg.Go(func() {
			me := workers[w]
			rng := rand.New(rand.NewPCG(*seed, uint64(w)))
			next := 0
			for n := 0; time.Now().Before(deadline) && ctx.Err() == nil && take(); n++ {
				op, path, method := 0, "", "GET"
				var body any
				var header map[string]string
				switch r := rng.Float64(); {
				case r < 0.4:
					path = "/api/v1/suppliers/" + ids[rng.IntN(len(ids))]
				case r < 0.8:
					op, path = 1, "/api/v1/suppliers/"+ids[rng.IntN(len(ids))]+"/risk"
				default:
					id := parts[w][next%len(parts[w])]
					next++
					op, method, path = 2, "PATCH", "/api/v1/suppliers/"+id
					body = map[string]any{"notes": "load test write " + strconv.Itoa(w) + "." + strconv.Itoa(n)}
					header = map[string]string{"Content-Type": "application/merge-patch+json", "If-Match": etags[w][id]}
				}
				ans, err := cl.do(ctx, method, path, body, header)
				if err != nil {
					if ctx.Err() == nil {
						me.errors++
					}
					continue
				}
				me.lat[op] = append(me.lat[op], ans.took)
				me.statuses[op][strconv.Itoa(ans.status)]++
				if op == 2 {
					id := path[len("/api/v1/suppliers/"):]
					if ans.status/100 == 2 && ans.etag != "" {
						etags[w][id] = ans.etag
					} else if g, err := cl.do(ctx, "GET", path, nil, nil); err == nil && g.status == 200 {
						etags[w][id] = g.etag // a failed write: read the ETag again (not counted)
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := ctx.Err(); err != nil {
		return err
	}

	r := Result{Database: l.database, N: l.n, C: l.c, Kind: "mixed", Name: l.name, Seconds: elapsed.Seconds(),
		Statuses: map[string]int{}}
	var all latencies
	for op, name := range mixedOps {
		p := Part{Name: name, Statuses: map[string]int{}}
		var lat latencies
		for _, w := range workers {
			lat = append(lat, w.lat[op]...)
			for s, n := range w.statuses[op] {
				p.Statuses[s] += n
				r.Statuses[s] += n
			}
		}
		p.Requests, p.P50, p.P99, p.Max = len(lat), lat.percentile(50), lat.percentile(99), lat.max()
		r.Parts = append(r.Parts, p)
		all = append(all, lat...)
	}
	for _, w := range workers {
		r.Errors += w.errors
	}
	r.Requests, r.P50, r.P99, r.Max = len(all), all.percentile(50), all.percentile(99), all.max()
	r.RPS = float64(r.Requests) / r.Seconds
	if l.rssPID > 0 {
		if r.RSS, err = peakRSS(l.rssPID); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "mixed      %-8s n=%-6d c=%-3d %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  non-2xx %s\n",
		l.database, l.n, l.c, r.RPS, r.P50, r.P99, r.NonOKText())
	for _, p := range r.Parts {
		fmt.Fprintf(os.Stderr, "             %-28s %7d  p50 %7.2f ms  p99 %7.2f ms\n", p.Name, p.Requests, p.P50, p.P99)
	}
	return appendResult(l.results, r)
}
