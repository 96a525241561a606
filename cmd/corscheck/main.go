// Command corscheck does what a browser does for a cross-origin fetch():
// it decides from the Fetch standard's rules whether a preflight is needed,
// sends it, checks the answer, sends the request and applies the CORS check,
// then says whether the script could read the response and, if not, the
// likely cause and a fix.
//
//	corscheck -origin https://app.example.com [-method PUT] [-H X-Api-Key]... [-credentials] [-json] URL
//
// Exit status: 0 when a browser would let the script read the response, 1
// when it would not, 2 for usage and network errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"
)

// Exit statuses.
const (
	exitAllowed = 0 // a browser lets the script read the response
	exitBlocked = 1 // a browser blocks it
	exitError   = 2 // usage error, or no HTTP response at all
)

const usage = `Usage: corscheck -origin ORIGIN [flags] URL

Does what a browser does for fetch(URL) from a page on ORIGIN: decides
whether a preflight is needed, sends it, checks the answer, sends the request,
checks its CORS headers, and tells whether the script could read the response.

Flags:
  -origin ORIGIN   origin of the calling page, scheme://host[:port] (required)
  -method METHOD   request method (default GET)
  -header NAME[: VALUE], -H NAME[: VALUE]
                   request header set by the script; repeatable
  -credentials     credentials: 'include' (cookies, HTTP auth)
  -json            print the verdict as one JSON object
  -timeout D       time limit for all requests together (default 10s)

Exit status: 0 allowed, 1 blocked, 2 usage or network error.
`

// config is the validated command line.
type config struct {
	target      *url.URL
	origin      string
	method      string
	headers     headerFlags
	credentials bool
	json        bool
	timeout     time.Duration
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitAllowed
	}
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %v\nRun 'corscheck -h' for usage.\n", err)
		return exitError
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	res := check(ctx, cfg)
	if cfg.json {
		err = writeJSON(stdout, res)
	} else {
		err = writeText(stdout, res)
	}
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %v\n", err)
		return exitError
	}
	return res.ExitCode
}

// parseArgs reads the flags, which may come before or after the URL.
func parseArgs(args []string) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("corscheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by run
	fs.StringVar(&cfg.origin, "origin", "", "")
	fs.StringVar(&cfg.method, "method", "GET", "")
	fs.Var(&cfg.headers, "header", "")
	fs.Var(&cfg.headers, "H", "")
	fs.BoolVar(&cfg.credentials, "credentials", false, "")
	fs.BoolVar(&cfg.json, "json", false, "")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "")

	// The flag package stops at the first argument that is not a flag;
	// parse again after each one so that "corscheck URL -origin O" works.
	// Every round consumes at least one argument.
	var positional []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		if consumed := len(rest) - fs.NArg(); consumed > 0 && rest[consumed-1] == "--" {
			positional = append(positional, fs.Args()...)
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}

	switch {
	case len(positional) == 0:
		return nil, errors.New("missing URL")
	case len(positional) > 1:
		return nil, fmt.Errorf("exactly one URL expected, got %d: %q", len(positional), positional)
	case cfg.origin == "":
		return nil, errors.New("missing -origin (the origin of the calling page, e.g. -origin https://app.example.com)")
	case cfg.timeout <= 0:
		return nil, fmt.Errorf("-timeout must be positive, got %v", cfg.timeout)
	}
	if err := validateOrigin(cfg.origin); err != nil {
		return nil, err
	}
	target, err := parseTarget(positional[0])
	if err != nil {
		return nil, err
	}
	if originOf(target) == cfg.origin {
		return nil, errSameOrigin
	}
	cfg.target = target
	method, err := validateMethod(cfg.method)
	if err != nil {
		return nil, err
	}
	cfg.method = method
	return cfg, nil
}

// check builds the browser's request and runs the algorithm.
func check(ctx context.Context, cfg *config) *Result {
	target := cfg.target
	r := &request{
		url:         target,
		initialURL:  target,
		origin:      cfg.origin,
		method:      cfg.method,
		headers:     cfg.headers,
		credentials: cfg.credentials,
	}
	reasons := preflightReasons(r.method, r.headers)
	res := &Result{
		SchemaVersion:  schemaVersion,
		URL:            target.String(),
		Origin:         cfg.origin,
		Method:         r.method,
		RequestHeaders: fields(r.headers),
		Credentials:    r.credentials,
		Preflight:      Decision{Needed: len(reasons) > 0, Reasons: reasons},
	}
	newChecker(res).run(ctx, r)
	return res
}
