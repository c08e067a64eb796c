package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// prism is one `prism proxy SPEC UPSTREAM --errors` process on a loopback port.
type prism struct {
	name   string
	port   int
	cmd    *exec.Cmd
	out    *lineLog
	exited chan struct{}
	once   sync.Once
}

func (p *prism) base() string { return "http://127.0.0.1:" + strconv.Itoa(p.port) }

func startPrism(ctx context.Context, command, spec, upstream, logFile string, validateRequests bool) (*prism, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	name := "strict"
	args := []string{"proxy", spec, upstream, "--errors", "--host", "127.0.0.1", "--port", strconv.Itoa(port), "--cors=false"}
	if !validateRequests {
		name = "lenient"
		args = append(args, "--validate-request=false")
	}
	p := &prism{name: name, port: port, out: newLineLog(), exited: make(chan struct{})}
	p.cmd = exec.Command(command, args...)
	p.cmd.Env = os.Environ()
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so that stop ends node's children too
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", command, err)
	}
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		for _, line := range p.out.snapshot() {
			if strings.Contains(line, "Prism is listening on") {
				if res, err := http.Get(p.base() + "/healthz"); err == nil {
					res.Body.Close()
					return p, nil
				}
			}
		}
		select {
		case <-p.exited:
			return nil, fmt.Errorf("prism proxy (%s) exited:\n%s", name, p.out.tail(30))
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	p.stop()
	return nil, fmt.Errorf("prism proxy (%s) did not listen within 2 minutes:\n%s", name, p.out.tail(30))
}

// violations are the log lines in which Prism reports a request or response that
// does not match the contract, or an error of its own.
func (p *prism) violations() []string {
	var bad []string
	for _, line := range p.out.snapshot() {
		l := strings.ToLower(line)
		if strings.Contains(l, "violation") || strings.Contains(l, "✖") || strings.Contains(l, "compile") ||
			strings.Contains(l, " error ") || strings.Contains(l, "fatal") {
			bad = append(bad, line)
		}
	}
	return bad
}

// exitedEarly reports a proxy that ended before being stopped, with the end of its
// log: the calls after it are refused, and the cause is in the log.
func (p *prism) exitedEarly() error {
	select {
	case <-p.exited:
		return fmt.Errorf("prism proxy (%s) exited during the scenario:\n%s", p.name, p.out.tail(40))
	default:
		return nil
	}
}

func (p *prism) stop() {
	p.once.Do(func() {
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
			<-p.exited
		}
	})
}
