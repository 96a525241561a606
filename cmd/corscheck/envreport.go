package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/corsguard/cors"
)

// This file holds the -env report and prints it, as text or as one JSON
// object; like the single-request report, its JSON names are an interface:
// add fields, never rename them.

// EnvReport is the verdict of a -env run.
type EnvReport struct {
	SchemaVersion int               `json:"schema_version"`
	Env           string            `json:"env"` // the prefix, as given to -env
	Policy        EnvPolicy         `json:"policy"`
	URLs          []string          `json:"urls"`
	Probes        []*EnvProbeResult `json:"probes"`
	// Warnings are the cookie findings of every probe, once each.
	Warnings     []Warning `json:"warnings"`
	RequestsSent int       `json:"requests_sent"`
	MaxRequests  int       `json:"max_requests"`
	DelayMS      int64     `json:"delay_ms"`
	// UnsafeMethods is -unsafe-methods: actual requests beyond GET and HEAD.
	UnsafeMethods bool  `json:"unsafe_methods"`
	DurationMS    int64 `json:"duration_ms"`
	Passed        int   `json:"passed"`
	Failed        int   `json:"failed"`
	ExitCode      int   `json:"exit_code"`
}

// EnvPolicy is the policy as cors.FromEnv read it.
type EnvPolicy struct {
	AllowedOrigins   []string `json:"allowed_origins"`
	AllowedMethods   []string `json:"allowed_methods"`
	AllowedHeaders   []string `json:"allowed_headers"`
	ExposedHeaders   []string `json:"exposed_headers"`
	AllowCredentials bool     `json:"allow_credentials"`
	MaxAgeSeconds    int64    `json:"max_age_seconds"` // as configured; 0 is the library's default
}

// EnvProbeResult is one probe against one URL: what the policy's answer
// lets a browser do, what the deployed answer lets it do, and how they
// differ.
type EnvProbeResult struct {
	URL         string   `json:"url"`
	What        string   `json:"what"` // "allowed", "an unrelated origin", ...
	Kind        string   `json:"kind"` // "preflight" or "request"
	Origin      string   `json:"origin"`
	Method      string   `json:"method"`
	Headers     []string `json:"headers"` // request header names the script sets
	Credentials bool     `json:"credentials"`
	Expected    string   `json:"expected"` // the policy's answer: "allowed" or "blocked"
	Deployed    string   `json:"deployed"` // the deployment's: "allowed", "blocked" or "error"
	Passed      bool     `json:"passed"`
	// Differences are the headers on which the answers disagree.
	Differences []Difference `json:"differences"`
	Diagnosis   string       `json:"diagnosis"` // "" when passed
	Cause       string       `json:"cause"`
	Fix         string       `json:"fix"`
	// Result has the exchanges, the diagnosis's probes included, as the
	// single-request mode reports them.
	Result  *Result   `json:"result"`
	Cookies []Warning `json:"-"`
}

// newEnvReport starts the report of a run.
func newEnvReport(cfg *envConfig, o cors.Options) *EnvReport {
	rep := &EnvReport{SchemaVersion: schemaVersion, Env: cfg.prefix, MaxRequests: cfg.maxRequests, DelayMS: cfg.delay.Milliseconds(), UnsafeMethods: cfg.unsafe,
		Policy: EnvPolicy{AllowedOrigins: orEmpty(o.AllowedOrigins), AllowedMethods: orEmpty(o.AllowedMethods),
			AllowedHeaders: orEmpty(o.AllowedHeaders), ExposedHeaders: orEmpty(o.ExposedHeaders),
			AllowCredentials: o.AllowCredentials, MaxAgeSeconds: int64(o.MaxAge / time.Second)},
		Probes: []*EnvProbeResult{}, Warnings: []Warning{}}
	for _, u := range cfg.urls {
		rep.URLs = append(rep.URLs, u.String())
	}
	return rep
}

// add records a probe's result and its cookie findings.
func (rep *EnvReport) add(pr *EnvProbeResult) {
	rep.Probes = append(rep.Probes, pr)
	if pr.Passed {
		rep.Passed++
	} else {
		rep.Failed++
	}
	for _, w := range pr.Cookies {
		dup := false
		for _, x := range rep.Warnings {
			dup = dup || x.Code == w.Code && x.Message == w.Message
		}
		if !dup {
			rep.Warnings = append(rep.Warnings, w)
		}
	}
}

// finish sets the totals and the exit status.
func (rep *EnvReport) finish(sent int, d time.Duration) {
	rep.RequestsSent, rep.DurationMS = sent, d.Milliseconds()
	rep.ExitCode = exitAllowed
	if rep.Failed > 0 {
		rep.ExitCode = exitBlocked
	}
}

// orEmpty returns list, or an empty list for nil, for JSON.
func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// writeEnvJSON prints the report as one indented JSON object.
func writeEnvJSON(w io.Writer, rep *EnvReport) error {
	for _, pr := range rep.Probes {
		if pr.Headers == nil {
			pr.Headers = []string{}
		}
		if pr.Differences == nil {
			pr.Differences = []Difference{}
		}
		countRequests(pr.Result)
		fillLists(pr.Result)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// describe says what the probe sends, in a browser's terms.
func (pr *EnvProbeResult) describe() string {
	s := pr.Method + " from " + pr.Origin
	if pr.Kind == kindPreflight {
		s = "a preflight for " + pr.Method
		if len(pr.Headers) > 0 {
			s += " with " + strings.Join(pr.Headers, ", ")
		}
		s += " from " + pr.Origin
	}
	if pr.Credentials {
		s += ", with credentials"
	}
	return s
}

// writeEnvText prints the report for people.
func writeEnvText(w io.Writer, rep *EnvReport) error {
	var b strings.Builder
	vars := envPrefix(rep.Env) + "*"
	fmt.Fprintf(&b, "corscheck -env %s: do the deployed URLs answer as the policy in %s says?\n", rep.Env, vars)
	fmt.Fprintf(&b, "Each probe sends one request a browser would send, and compares the CORS headers of the answer\nwith those the library gives for the same request under this policy.\n\n")
	writePolicy(&b, rep.Policy)
	byURL := map[string][]*EnvProbeResult{}
	for _, pr := range rep.Probes {
		byURL[pr.URL] = append(byURL[pr.URL], pr)
	}
	explained := map[string]bool{}
	for _, u := range rep.URLs {
		fmt.Fprintf(&b, "\n%s\n", u)
		for _, pr := range byURL[u] {
			writeProbe(&b, pr, explained)
		}
	}
	if len(rep.Warnings) > 0 {
		b.WriteString("\nCookies (not counted above, but they decide whether credentials work):\n")
		for _, x := range rep.Warnings {
			fmt.Fprintf(&b, "  - [%s] %s\n    Fix: %s\n", x.Code, x.Message, x.Fix)
		}
	}
	methods := "only OPTIONS, GET and HEAD"
	if rep.UnsafeMethods {
		methods = "with -unsafe-methods, the policy's methods too"
	}
	fmt.Fprintf(&b, "\ncorscheck sent %d request(s) (at most %d, %d ms apart) in %.1f s; %s.\n",
		rep.RequestsSent, rep.MaxRequests, rep.DelayMS, float64(rep.DurationMS)/1000, methods)
	fmt.Fprintf(&b, "%d passed, %d failed\n", rep.Passed, rep.Failed)
	_, err := io.WriteString(w, b.String())
	return err
}

// writePolicy prints the policy as FromEnv read it.
func writePolicy(b *strings.Builder, p EnvPolicy) {
	list := func(items []string, none string) string {
		if len(items) == 0 {
			return none
		}
		return strings.Join(items, ", ")
	}
	credentials := "no"
	if p.AllowCredentials {
		credentials = "yes (cookies, HTTP authentication)"
	}
	maxAge := "10 min (the default)"
	if p.MaxAgeSeconds != 0 {
		maxAge = (time.Duration(p.MaxAgeSeconds) * time.Second).String()
	}
	b.WriteString("The policy, as cors.FromEnv reads it:\n")
	fmt.Fprintf(b, "  origins      %s\n", list(p.AllowedOrigins, "(none)"))
	fmt.Fprintf(b, "  methods      %s\n", list(p.AllowedMethods, "GET, HEAD, POST (the default)"))
	fmt.Fprintf(b, "  headers      %s\n", list(p.AllowedHeaders, "the CORS-safelisted ones only"))
	fmt.Fprintf(b, "  exposed      %s\n", list(p.ExposedHeaders, "none"))
	fmt.Fprintf(b, "  credentials  %s\n", credentials)
	fmt.Fprintf(b, "  max age      %s\n", maxAge)
}

// writeProbe prints one probe: one line when it passed; when it did not,
// the differences and, the first time its diagnosis comes up (explained
// records that), the exchanges, the cause and the fix.
func writeProbe(b *strings.Builder, pr *EnvProbeResult, explained map[string]bool) {
	should := "should be allowed"
	if pr.Expected != verdictAllowed {
		should = "should be refused"
	}
	mark := "  ok    "
	if !pr.Passed {
		mark = "  FAIL  "
	}
	fmt.Fprintf(b, "%s%s: %s (%s)\n", mark, should, pr.describe(), pr.What)
	if pr.Passed {
		return
	}
	const indent = "          "
	fmt.Fprintf(b, "%sA browser %s with the policy's answer, and %s with the deployed one.\n", indent, browserDoes(pr.Expected), browserDoes(pr.Deployed))
	for _, d := range pr.Differences {
		if d.Header == "status" {
			fmt.Fprintf(b, "%sStatus: the policy answers %s, the deployment %s (%s)\n", indent, d.Expected, d.Deployed, d.Note)
			continue
		}
		fmt.Fprintf(b, "%s%s: the policy sends %s, the deployment %s (%s)\n", indent, d.Header, shownValue(d.Expected), shownValue(d.Deployed), d.Note)
	}
	if explained[pr.Diagnosis] {
		fmt.Fprintf(b, "%sLikely cause [%s]: as above.\n", indent, pr.Diagnosis)
		return
	}
	explained[pr.Diagnosis] = true
	var steps strings.Builder
	writeSteps(&steps, pr.Result.Steps)
	for _, line := range strings.Split(strings.TrimSpace(steps.String()), "\n") {
		if line != "" {
			b.WriteString(indent + line + "\n")
		}
	}
	fmt.Fprintf(b, "%sLikely cause [%s]: %s\n", indent, pr.Diagnosis, pr.Cause)
	fmt.Fprintf(b, "%sFix: %s\n", indent, pr.Fix)
}

// browserDoes words a verdict as what the browser does with the probe.
func browserDoes(verdict string) string {
	switch verdict {
	case verdictAllowed:
		return "allows it"
	case verdictBlocked:
		return "blocks it"
	}
	return "gets no answer"
}

// shownValue quotes a header value, or says there is none.
func shownValue(v string) string {
	if v == "" {
		return "none"
	}
	return fmt.Sprintf("%q", clip(v, shownValueLimit))
}
