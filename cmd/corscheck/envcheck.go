package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/internal/fetch"
)

// This file is "corscheck -env PREFIX URL...": it reads the policy as
// cors.FromEnv(PREFIX) does, plans the probes that show it (envprobes.go),
// sends each to every URL, and compares the answer with the one the library
// gives in-process (envcompare.go). Disagreements are diagnosed as in the
// single-request mode.

// Defaults of the -env flags: a run stays small, paced and bounded in time
// on a production API.
const (
	defaultMaxRequests = 100
	defaultDelay       = 100 * time.Millisecond
	defaultEnvTimeout  = 60 * time.Second
)

// envConfig is the validated -env command line.
type envConfig struct {
	prefix      string
	urls        []*url.URL
	json        bool
	timeout     time.Duration
	maxRequests int
	delay       time.Duration
	unsafe      bool // also send the actual request of methods other than GET and HEAD
}

// errBudget stops an exchange that would go over -max-requests.
var errBudget = errors.New("not sent: -max-requests reached")

// isEnvMode reports whether the command line asks for -env.
func isEnvMode(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "env" {
			return true
		}
	}
	return false
}

// runEnv is the -env mode of run: it returns the exit status.
func runEnv(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseEnvArgs(args)
	if err != nil {
		return usageExit(err, stdout, stderr)
	}
	opts, err := cors.FromEnv(cfg.prefix)
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: the policy in the environment (%s*) is refused, as cors.FromEnv(%q) refuses it:\n%v\n", envPrefix(cfg.prefix), cfg.prefix, err)
		return exitError
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	rep, err := checkEnv(ctx, cfg, opts)
	if err != nil {
		fmt.Fprintf(stderr, "corscheck: %v\n", err)
		return exitError
	}
	if cfg.json {
		err = writeEnvJSON(stdout, rep)
	} else {
		err = writeEnvText(stdout, rep)
	}
	return exitAfterWriting(err, stderr, rep.ExitCode)
}

// parseEnvArgs reads the -env command line; flags may come before or
// after the URLs.
func parseEnvArgs(args []string) (*envConfig, error) {
	cfg := &envConfig{}
	fs := flag.NewFlagSet("corscheck -env", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.prefix, "env", "", "")
	fs.BoolVar(&cfg.json, "json", false, "")
	fs.DurationVar(&cfg.timeout, "timeout", defaultEnvTimeout, "")
	fs.IntVar(&cfg.maxRequests, "max-requests", defaultMaxRequests, "")
	fs.DurationVar(&cfg.delay, "delay", defaultDelay, "")
	fs.BoolVar(&cfg.unsafe, "unsafe-methods", false, "")
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	switch {
	case cfg.prefix == "":
		return nil, errors.New("-env needs the prefix of the variables, as given to cors.FromEnv: -env CORS")
	case len(positional) == 0:
		return nil, errors.New("-env: give the deployed URLs to check, e.g. corscheck -env CORS https://api.example.com/health")
	case cfg.timeout <= 0:
		return nil, fmt.Errorf("-timeout must be positive, got %v", cfg.timeout)
	case cfg.maxRequests <= 0:
		return nil, fmt.Errorf("-max-requests must be positive, got %d", cfg.maxRequests)
	case cfg.delay < 0:
		return nil, fmt.Errorf("-delay must not be negative, got %v", cfg.delay)
	}
	for _, raw := range positional {
		u, err := parseTarget(raw)
		if err != nil {
			return nil, err
		}
		cfg.urls = append(cfg.urls, u)
	}
	return cfg, nil
}

// envPrefix is the prefix as FromEnv completes it: "CORS" reads CORS_*.
func envPrefix(prefix string) string {
	if strings.HasSuffix(prefix, "_") {
		return prefix
	}
	return prefix + "_"
}

// envCheck is one -env run: the library's handler, the shared transport,
// and the request budget.
type envCheck struct {
	cfg       *envConfig
	expected  http.Handler // the library built from the same options
	transport *http.Transport
	sent      int // requests sent so far
	planned   int // requests of planned probes not sent yet
	last      time.Time
	maxAge    bool // the policy sets Max-Age, so it is compared
}

// checkEnv runs every probe of opts against every URL.
func checkEnv(ctx context.Context, cfg *envConfig, opts cors.Options) (*EnvReport, error) {
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil)) // its warnings are FromEnv's business
	mw, err := cors.New(opts)
	if err != nil {
		return nil, fmt.Errorf("building the policy: %v", err)
	}
	probes := planProbes(opts, cfg.unsafe)
	total := 0
	for _, u := range cfg.urls {
		total += len(crossOrigin(probes, u))
	}
	if total > cfg.maxRequests {
		return nil, fmt.Errorf("the policy needs %d requests (%d probes for each of %d URLs), more than -max-requests %d: raise -max-requests, or check fewer URLs", total, len(probes), len(cfg.urls), cfg.maxRequests)
	}
	ec := &envCheck{cfg: cfg, expected: mw.Handler(http.HandlerFunc(okNoContent)), transport: newTransport(), planned: total, maxAge: opts.MaxAge != 0}
	defer ec.transport.CloseIdleConnections()
	rep := newEnvReport(cfg, opts)
	start := time.Now()
	for _, u := range cfg.urls {
		for _, p := range crossOrigin(probes, u) {
			rep.add(ec.run(ctx, u, p))
		}
	}
	rep.finish(ec.sent, time.Since(start))
	return rep, nil
}

// crossOrigin drops the probes from u's own origin: a browser applies no
// CORS to a same-origin request.
func crossOrigin(probes []envProbe, u *url.URL) []envProbe {
	own := fetch.OriginOf(u)
	var out []envProbe
	for _, p := range probes {
		if p.Origin != own {
			out = append(out, p)
		}
	}
	return out
}

// okNoContent is the application behind the library's in-process answer:
// only the CORS headers are compared, never the status of an actual
// request.
func okNoContent(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }

// gate paces the exchanges and keeps the run within -max-requests: a
// diagnosis's extra probes may use only what the planned probes leave.
func (ec *envCheck) gate(ctx context.Context, kind string) error {
	if kind == kindProbe && ec.sent+ec.planned >= ec.cfg.maxRequests {
		return errBudget
	}
	if kind != kindProbe {
		ec.planned--
	}
	if wait := ec.cfg.delay - time.Since(ec.last); !ec.last.IsZero() && wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ec.sent++
	ec.last = time.Now()
	return nil
}

// run sends probe p to u and compares the answer with the library's.
func (ec *envCheck) run(ctx context.Context, u *url.URL, p envProbe) *EnvProbeResult {
	r := &fetch.Request{URL: u, InitialURL: u, Origin: p.Origin, Method: p.Method, Credentials: p.Credentials}
	for _, name := range p.Headers {
		r.Headers = append(r.Headers, fetch.Header{Name: name, Value: "1"})
	}
	method, headers := p.Method, r.RequestHeaders()
	if p.Kind == kindPreflight {
		method, headers = http.MethodOptions, r.PreflightHeaders()
	}
	res := &Result{SchemaVersion: schemaVersion, URL: u.String(), Origin: p.Origin, Method: p.Method,
		RequestHeaders: fields(r.Headers), Credentials: p.Credentials}
	c := &checker{res: res, transport: ec.transport, gate: ec.gate}
	pr := &EnvProbeResult{URL: u.String(), What: p.What, Kind: p.Kind, Origin: p.Origin, Method: p.Method,
		Headers: p.Headers, Credentials: p.Credentials, Result: res}

	want := expectedAnswer(ec.expected, method, u, headers)
	wantFailure := browserCheck(p.Kind, r, want)
	pr.Expected = verdictWord(wantFailure)
	step, got, err := c.send(ctx, p.Kind, method, u, headers)
	pr.Cookies = cookieWarnings(p.Origin, u, p.Credentials, c.setCookies)
	if err != nil && len(res.Steps) == 0 { // never sent: the -timeout ran out
		pr.Deployed, pr.Diagnosis = verdictError, "not_sent"
		pr.Cause, pr.Fix = "Not sent: "+err.Error()+".", "Raise -timeout, or check fewer URLs at a time."
		return pr
	}
	if err != nil {
		pr.Deployed = verdictError
		c.fail(ctx, r, p.Kind, got, nil, err)
		pr.Diagnosis, pr.Cause, pr.Fix = string(res.Failure.Diagnosis), res.Failure.Cause, res.Failure.Fix
		return pr
	}
	gotFailure := browserCheck(p.Kind, r, got)
	step.setOutcome(gotFailure)
	pr.Deployed = verdictWord(gotFailure)
	res.Verdict, res.Allowed = pr.Deployed, gotFailure == nil
	if gotFailure != nil {
		res.ExitCode = exitBlocked
	}
	pr.Differences = compareAnswers(p.Kind, r, want, got, ec.maxAge)
	pr.Passed = len(pr.Differences) == 0
	switch {
	case pr.Passed:
	case wantFailure == nil && gotFailure != nil:
		c.fail(ctx, r, p.Kind, got, gotFailure, nil) // the single-request diagnosis
	default:
		pr.Diagnosis, pr.Cause, pr.Fix = envAdvice(ec.cfg.prefix, &evidence{r: r, kind: p.Kind, resp: got}, pr)
	}
	if f := res.Failure; f != nil {
		pr.Diagnosis, pr.Cause, pr.Fix = string(f.Diagnosis), f.Cause, f.Fix
		if refusedByPolicy(f.Diagnosis) {
			pr.Fix = "The deployed application refuses what the policy in " + envPrefix(ec.cfg.prefix) + "* allows: it runs with other values than these, so redeploy it with them. In its own terms: " + pr.Fix
		}
	}
	return pr
}

// browserCheck runs the browser's check of a probe's answer.
func browserCheck(kind string, r *fetch.Request, resp response) *fetch.Failure {
	if kind == kindPreflight {
		return fetch.CheckPreflight(r, resp.status, resp.header)
	}
	return fetch.CheckCORS(r, resp.header, false)
}

// verdictWord is "allowed" for an answer that passes the browser's check,
// "blocked" for one that fails it.
func verdictWord(f *fetch.Failure) string {
	if f == nil {
		return verdictAllowed
	}
	return verdictBlocked
}

// refusedByPolicy reports whether d says the application's own CORS layer
// refused what the environment's policy allows: the deployed copy of the
// policy differs.
func refusedByPolicy(d Diagnosis) bool {
	switch d {
	case diagCORSRefusedOrigin, diagOriginNotAllowed, diagCORSRefusedMethod, diagMethodNotListed, diagCORSRefusedHeader, diagHeaderNotListed:
		return true
	}
	return false
}
