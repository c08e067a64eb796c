package cli

import (
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// profilingServer serves Go's profiling endpoints (net/http/pprof: /debug/pprof/ and
// the profiles under it) on a listener of their own, never on the API's: they are
// unauthenticated and reveal the process's memory, so WEAKLINK_PPROF_ADDR accepts
// loopback addresses only (config.CheckLoopbackAddr), and they are off by default.
func profilingServer(ln net.Listener) *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() { _ = srv.Serve(ln) }() // ends with Close when serve stops
	return srv
}
