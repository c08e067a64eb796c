// Command weaklink is the supplier risk register: an HTTP API (serve) and the
// operator's commands. The command line lives in internal/cli; main only turns
// SIGINT and SIGTERM into a cancelled context, embeds what go:embed cannot reach from
// there, and exits with the code the command returns. Nothing imports it.
package main

import (
	"context"
	_ "embed"
	"os"
	"os/signal"
	"syscall"

	"github.com/weaklink/weaklink/internal/cli"
)

//go:embed openapi.yaml
var openapiSpec []byte

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	go func() {
		// After the first signal, a second one ends the process at once (the
		// default), instead of waiting for a graceful shutdown to finish.
		<-ctx.Done()
		stop()
	}()
	code := cli.Program{Version: version, Spec: openapiSpec}.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
