package main

import (
	"errors"
	"flag"
	"io"
	"time"
)

// options are the command line of the check.
type options struct {
	bin      string        // the product binary to serve the demo with
	out      string        // the folder the screenshots are written to
	chromium string        // the browser, a path or a name looked up on PATH
	timeout  time.Duration // the whole run, from the start of the service to its stop
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("browser", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.bin, "bin", "", "the weaklink binary to run `serve --demo` with (required)")
	fs.StringVar(&o.out, "out", "", "folder for the screenshots reference.png, report-example.png, portal-form.png and portal-submitted.png (required)")
	fs.StringVar(&o.chromium, "chromium", "chromium", "Chromium: a path, or a name looked up on PATH")
	fs.DurationVar(&o.timeout, "timeout", 4*time.Minute, "limit for the whole run")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, errors.New("usage: browser --bin PATH --out DIR [--chromium NAME] [--timeout 4m]: no arguments are taken")
	case o.bin == "" || o.out == "":
		return o, errors.New("usage: browser --bin PATH --out DIR [--chromium NAME] [--timeout 4m]: --bin and --out are required")
	case o.timeout <= 0:
		return o, errors.New("--timeout must be positive")
	}
	return o, nil
}
