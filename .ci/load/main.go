// Command harness is weaklink's load harness: the ceilings a request is measured
// against, the setup of a measured register, the workloads wrk cannot carry (a mixed
// read/write workload and sequential writes), wrk runs with their results recorded,
// and the tables written into docs/performance.md. .ci/load/run drives it; every
// address it talks to is a loopback address and every loop it runs is bounded.
//
// Each measurement appends one JSON line to a results file, so a run can be
// tabulated (or checked) after the fact.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

var commands = map[string]func(ctx context.Context, args []string) error{
	"port":       runPort,
	"ceilings":   runCeilings,
	"prepare":    runPrepare,
	"wrk":        runWrk,
	"mixed":      runMixed,
	"sequential": runSequential,
	"report":     runReport,
	"tables":     runTables,
	"check":      runCheck,
	"rss":        runRSS,
	"wait":       runWait,
}

const usage = `usage: harness COMMAND [flags]

  port        print a free loopback TCP port
  ceilings    serve the two ceilings (bare gin JSON; gin + gorm primary-key SELECT)
  prepare     write the supplier ids and pick the hub and an incident at it
  wrk         run wrk on one request and record its result
  mixed       run the mixed read/write workload and record its result
  sequential  run the sequential writes and record their latencies
  report      time POST /api/v1/reports and record it
  tables      write the result tables (into docs/performance.md between its markers)
  check       fail when any recorded request answered other than 2xx
  rss         print a process's peak resident set (VmHWM) in MiB
  wait        poll a URL until it answers 200, for a bounded time

Run "harness COMMAND -h" for a command's flags.
`

func main() {
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := commands[os.Args[1]](ctx, os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "harness %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
