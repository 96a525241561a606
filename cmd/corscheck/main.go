// Command corscheck does what a browser does for a cross-origin fetch():
// it decides from the Fetch standard's rules whether a preflight is needed,
// sends it, checks the answer, sends the request and applies the CORS check,
// then says whether the script could read the response and, if not, which
// layer most likely made the failing answer and how to fix it.
//
//	corscheck -origin https://app.example.com [-method PUT] [-H X-Api-Key]... [-credentials] [-data STRING|@file | -body-size N] [-direct URL] [-json] URL
//	corscheck "Access to fetch at 'URL' from origin 'ORIGIN' has been blocked by CORS policy: ..."
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

	"github.com/corsguard/cors/internal/fetch"
)

// Exit statuses.
const (
	exitAllowed = 0 // a browser lets the script read the response
	exitBlocked = 1 // a browser blocks it
	exitError   = 2 // usage error, or no HTTP response at all
)

const usage = `Usage: corscheck -origin ORIGIN [flags] URL
       corscheck [flags] 'CONSOLE MESSAGE'   (or - to read it from standard input)

Does what a browser does for fetch(URL) from a page on ORIGIN: decides
whether a preflight is needed, sends it, checks the answer, sends the request,
checks its CORS headers, and tells whether the script could read the response.
When it could not, a few more requests find which layer answered (proxy,
cache, firewall, CORS layer) and why.

A console message from Chromium ("Access to fetch at ... has been blocked by
CORS policy: ...") or Firefox ("Cross-Origin Request Blocked: ...") gives the
URL, the origin (Chromium) and the failure to check.

Flags:
  -origin ORIGIN   origin of the calling page, scheme://host[:port]
  -method METHOD   request method (default GET)
  -header NAME[: VALUE], -H NAME[: VALUE]
                   request header set by the script; repeatable
  -credentials     credentials: 'include' (cookies, HTTP auth)
  -direct URL      the same request straight to the application, past any
                   proxy, to compare the two hop by hop
  -data STRING, -data @file
                   a body sent with the actual request (never with the
                   preflight), to reproduce a refusal for its size; a file
                   is read up to 64 MiB
  -body-size N     a body of N bytes instead of -data
  -json            print the verdict as one JSON object
  -timeout D       time limit for all requests together (default 10s)

Exit status: 0 allowed, 1 blocked, 2 usage or network error.

       corscheck -env PREFIX [-json] [-max-requests N] [-delay D] [-timeout D] URL...

Checks deployed URLs against the policy that cors.FromEnv(PREFIX) reads from
the environment: every allowed origin, method and header is allowed, and what
the policy refuses stays refused, as the library itself answers. Sends only
OPTIONS, GET and HEAD (-unsafe-methods also sends the allowed methods), at
most -max-requests (default 100), -delay apart (default 100ms), within
-timeout (default 60s). Exit status: 0 all passed, 1 some failed, 2 a bad
policy or usage.
`

// config is the validated command line.
type config struct {
	target      *url.URL
	direct      *url.URL // -direct, nil when not given
	origin      string
	method      string
	headers     headerFlags
	credentials bool
	json        bool
	timeout     time.Duration
	pasted      *Pasted // the console message given instead of a URL
	body        []byte  // -data or -body-size: the actual request's body
}

// maxBodyFlag bounds -data @file and -body-size.
const maxBodyFlag = 64 << 20

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if isEnvMode(args) {
		return runEnv(args, stdout, stderr)
	}
	cfg, err := parseArgs(args, stdin)
	if err != nil {
		return usageExit(err, stdout, stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	res := check(ctx, cfg)
	if cfg.json {
		err = writeJSON(stdout, res)
	} else {
		err = writeText(stdout, res)
	}
	return exitAfterWriting(err, stderr, res.ExitCode)
}

// usageExit answers a command line that did not parse: -h prints the usage
// (exit 0); anything else is a usage error.
func usageExit(err error, stdout, stderr io.Writer) int {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitAllowed
	}
	fmt.Fprintf(stderr, "corscheck: %v\nRun 'corscheck -h' for usage.\n", err)
	return exitError
}

// exitAfterWriting returns code, the report's exit status, unless writing
// the report failed with err.
func exitAfterWriting(err error, stderr io.Writer, code int) int {
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %v\n", err)
		return exitError
	}
	return code
}

// rawFlags are the flags whose values are checked, or turned into others,
// after parsing.
type rawFlags struct {
	direct   string // -direct URL
	data     string // -data STRING or @file
	bodySize int64  // -body-size N
}

// newFlagSet defines corscheck's flags, writing into cfg and raw. Every
// flag defined here is listed in usage, which a test holds.
func newFlagSet(cfg *config, raw *rawFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("corscheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by run
	fs.StringVar(&cfg.origin, "origin", "", "")
	fs.StringVar(&cfg.method, "method", "GET", "")
	fs.Var(&cfg.headers, "header", "")
	fs.Var(&cfg.headers, "H", "")
	fs.BoolVar(&cfg.credentials, "credentials", false, "")
	fs.StringVar(&raw.direct, "direct", "", "")
	fs.BoolVar(&cfg.json, "json", false, "")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "")
	fs.StringVar(&raw.data, "data", "", "")
	fs.Int64Var(&raw.bodySize, "body-size", 0, "")
	return fs
}

// parseArgs reads the flags, which may come before or after the URL or
// message, then the URL or the console message.
func parseArgs(args []string, stdin io.Reader) (*config, error) {
	cfg, raw := &config{}, &rawFlags{}
	fs := newFlagSet(cfg, raw)
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, err
	}
	if err := checkFlags(cfg, raw, positional); err != nil {
		return nil, err
	}
	if cfg.body, err = readBodyFlag(raw.data, raw.bodySize); err != nil {
		return nil, err
	}
	target, err := readArgument(positional[0], stdin)
	if err != nil {
		return nil, err
	}
	if looksPasted(target) {
		p, err := parsePasted(target)
		if err != nil {
			return nil, err
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if err := cfg.applyPasted(p, set); err != nil {
			return nil, err
		}
		target = p.URL
	}
	return cfg, cfg.resolve(target, raw.direct)
}

// parseInterleaved parses flags that may come before or after the
// positional arguments, and returns those. The flag package stops at the
// first argument that is not a flag; it parses again after each one, so
// that "corscheck URL -origin O" works. Every round consumes at least one
// argument.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		if consumed := len(rest) - fs.NArg(); consumed > 0 && rest[consumed-1] == "--" {
			return append(positional, fs.Args()...), nil
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
}

// checkFlags checks what can be checked before the URL is read.
func checkFlags(cfg *config, raw *rawFlags, positional []string) error {
	switch {
	case len(positional) == 0:
		return errors.New("missing URL")
	case len(positional) > 1:
		return fmt.Errorf("exactly one URL or console message expected, got %d: %q", len(positional), positional)
	case cfg.timeout <= 0:
		return fmt.Errorf("-timeout must be positive, got %v", cfg.timeout)
	case raw.data != "" && raw.bodySize != 0:
		return errors.New("give -data or -body-size, not both")
	case raw.bodySize < 0 || raw.bodySize > maxBodyFlag:
		return fmt.Errorf("-body-size must be between 0 and %d bytes, got %d", maxBodyFlag, raw.bodySize)
	}
	return nil
}

// readArgument returns the URL or console message, read from stdin for
// "-".
func readArgument(arg string, stdin io.Reader) (string, error) {
	if arg != "-" {
		return arg, nil
	}
	text, err := io.ReadAll(io.LimitReader(stdin, maxPasteLength+1))
	if err != nil {
		return "", fmt.Errorf("reading the console message from standard input: %v", err)
	}
	if !looksPasted(string(text)) {
		return "", errNotAMessage
	}
	return string(text), nil
}

// resolve checks the origin, the URL, -direct and the method, once the
// console message, if any, has filled in what it says.
func (cfg *config) resolve(rawURL, direct string) error {
	if cfg.origin == "" {
		return errors.New("missing -origin (the origin of the calling page, e.g. -origin https://app.example.com)")
	}
	if err := fetch.ValidateOrigin(cfg.origin); err != nil {
		return fmt.Errorf("-origin %q %v", cfg.origin, err)
	}
	target, err := parseTarget(rawURL)
	if err != nil {
		return err
	}
	if fetch.OriginOf(target) == cfg.origin {
		return errSameOrigin
	}
	cfg.target = target
	if direct != "" {
		if cfg.direct, err = parseTarget(direct); err != nil {
			return fmt.Errorf("-direct: %v", err)
		}
		if fetch.OriginOf(cfg.direct) == cfg.origin {
			return fmt.Errorf("-direct: %v", errSameOrigin)
		}
	}
	if cfg.method, err = validateMethod(cfg.method); err != nil {
		return err
	}
	if p := cfg.pasted; p != nil && p.Preflight && !fetch.NeedsPreflight(cfg.method, cfg.headers.list()) {
		return fmt.Errorf("the %s message is about a preflight, but %s without -H needs none: give the -method and -H the script uses (e.g. -method PUT -H 'Content-Type: application/json')", p.browserName(), cfg.method)
	}
	return nil
}

// applyPasted takes what the console message says, where the command line
// does not say it; set holds the flags given.
func (cfg *config) applyPasted(p *Pasted, set map[string]bool) error {
	cfg.pasted = p
	switch {
	case p.Origin == "" && cfg.origin == "":
		return fmt.Errorf("%s's message does not name the page's origin: add -origin (the page's scheme://host[:port])", p.browserName())
	case p.Origin != "" && cfg.origin != "" && cfg.origin != p.Origin:
		return fmt.Errorf("-origin %q differs from the origin in the message, %q", cfg.origin, p.Origin)
	case p.Origin != "":
		cfg.origin = p.Origin
	}
	if p.method != "" {
		if set["method"] && normalizeMethod(cfg.method) != p.method {
			return fmt.Errorf("-method %s differs from the method in the message, %s", cfg.method, p.method)
		}
		cfg.method = p.method
	}
	if p.credentials {
		cfg.credentials = true
	}
	if p.header != "" && !cfg.headers.has(p.header) {
		switch p.header {
		case "content-type":
			// Safelisted for form types, so the script sent another one;
			// JSON is by far the most common.
			cfg.headers = append(cfg.headers, fetch.Header{Name: "Content-Type", Value: "application/json"})
		case "accept", "accept-language", "content-language", "range":
			return fmt.Errorf("the message names the request header %s, whose value decides whether it needs a preflight: add -H '%s: <the value the script sends>'", p.header, p.header)
		default:
			h, err := parseHeaderFlag(p.header)
			if err != nil {
				return fmt.Errorf("the message names the request header %q: %v", p.header, err)
			}
			cfg.headers = append(cfg.headers, h)
		}
	}
	return nil
}

// normalizeMethod normalizes m as validateMethod does, for comparisons.
func normalizeMethod(m string) string {
	if v, err := validateMethod(m); err == nil {
		return v
	}
	return m
}

// check builds the browser's request, runs the algorithm, and the same
// request straight to the application when -direct is given.
func check(ctx context.Context, cfg *config) *Result {
	res, last := checkURL(ctx, cfg, cfg.target)
	if cfg.direct != nil {
		direct, _ := checkURL(ctx, cfg, cfg.direct)
		compareDirect(res, direct, last)
	}
	if cfg.pasted != nil {
		cfg.pasted.compare(res)
		res.Pasted = cfg.pasted
	}
	countRequests(res)
	return res
}

// checkURL checks one URL and returns the result, with the evidence of its
// failure (nil when allowed).
func checkURL(ctx context.Context, cfg *config, target *url.URL) (*Result, *evidence) {
	r := &fetch.Request{
		URL:         target,
		InitialURL:  target,
		Origin:      cfg.origin,
		Method:      cfg.method,
		Headers:     cfg.headers.list(),
		Credentials: cfg.credentials,
	}
	reasons := fetch.PreflightReasons(r.Method, r.Headers)
	res := &Result{
		SchemaVersion:  schemaVersion,
		URL:            target.String(),
		Origin:         cfg.origin,
		Method:         r.Method,
		RequestHeaders: fields(r.Headers),
		Credentials:    r.Credentials,
		Preflight:      Decision{Needed: len(reasons) > 0, Reasons: reasons},
	}
	c := newChecker(res)
	c.body = cfg.body
	c.run(ctx, r)
	res.Warnings = append(res.Warnings, cookieWarnings(r.Origin, target, r.Credentials, c.setCookies)...)
	return res, c.last
}
