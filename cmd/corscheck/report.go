package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
)

// This file defines the verdict and prints it, as text for people or as
// one JSON object for scripts. The JSON field names are part of the tool's
// interface (see README.md); add fields, never rename them.

// schemaVersion changes only if a JSON field changes meaning or goes away.
const schemaVersion = 1

// Verdicts.
const (
	verdictAllowed = "allowed"
	verdictBlocked = "blocked"
	verdictError   = "error"
)

// Step outcomes.
const (
	outcomePass     = "pass"
	outcomeFail     = "fail"
	outcomeRedirect = "redirect"
	outcomeError    = "error"
)

// Result is the whole verdict.
type Result struct {
	SchemaVersion  int       `json:"schema_version"`
	URL            string    `json:"url"`
	Origin         string    `json:"origin"`
	Method         string    `json:"method"`
	RequestHeaders []Field   `json:"request_headers"`
	Credentials    bool      `json:"credentials"`
	Preflight      Decision  `json:"preflight"`
	Steps          []*Step   `json:"steps"`
	Verdict        string    `json:"verdict"` // "allowed", "blocked" or "error"
	Allowed        bool      `json:"allowed"`
	ExitCode       int       `json:"exit_code"`
	Failure        *Failure  `json:"failure"` // null when allowed
	Warnings       []Warning `json:"warnings"`
	// Direct is the same check straight to the application (-direct), null
	// without it; Comparison says in a sentence what differs.
	Direct     *Result `json:"direct"`
	Comparison string  `json:"comparison"`
	// Pasted is what the console message given as the argument says, null
	// when a URL was given.
	Pasted *Pasted `json:"pasted"`
	// RequestsSent counts the HTTP requests of this check and of its
	// -direct check, which keeps its steps in Direct; see countRequests.
	RequestsSent int `json:"requests_sent"`
}

// Decision tells whether the first request needs a preflight, and why.
type Decision struct {
	Needed  bool     `json:"needed"`
	Reasons []string `json:"reasons"`
}

// Field is one header line.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Step is one HTTP exchange: the preflight or the request itself (one per
// hop of a redirect chain).
type Step struct {
	Kind            string   `json:"kind"` // "preflight", "request" or "probe"
	Method          string   `json:"method"`
	URL             string   `json:"url"`
	RequestHeaders  []Field  `json:"request_headers"`
	Status          int      `json:"status"` // 0 when no response came
	StatusText      string   `json:"status_text"`
	ResponseHeaders []Field  `json:"response_headers"` // the CORS headers, and those that tell which layer answered
	Outcome         string   `json:"outcome"`          // "pass", "fail", "redirect" or "error"
	Notes           []string `json:"notes"`
	// header is the whole response header, for the -direct comparison.
	header http.Header
}

// setOutcome marks the step as passed or failed.
func (s *Step) setOutcome(f *fetch.Failure) {
	s.Outcome = outcomePass
	if f != nil {
		s.Outcome = outcomeFail
	}
}

// Failure is why the browser blocks the response (or, with code
// "network_error", why there is no verdict).
type Failure struct {
	Code      fetch.Code `json:"code"`      // what the browser saw, e.g. "missing_allow_origin_header"
	Step      string     `json:"step"`      // "preflight" or "request"
	Status    int        `json:"status"`    // HTTP status of the failing response, 0 if none
	Message   string     `json:"message"`   // the whole console line, as Chromium prints it
	Reason    string     `json:"reason"`    // the part after "blocked by CORS policy: "
	Value     string     `json:"value"`     // the offending header value or name, if any
	Diagnosis Diagnosis  `json:"diagnosis"` // the likely cause, e.g. "gateway_error"
	Cause     string     `json:"cause"`     // the likely cause, in words
	Fix       string     `json:"fix"`       // what to change
}

// Warning is a finding that does not block the response.
type Warning struct {
	Code    string `json:"code"`
	Step    string `json:"step"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// countRequests sets RequestsSent in res and its -direct result, and
// returns it: each step is one request, and Direct's steps are not in
// res.Steps. The text and the JSON output both print this number.
func countRequests(res *Result) int {
	if res == nil {
		return 0
	}
	res.RequestsSent = len(res.Steps) + countRequests(res.Direct)
	return res.RequestsSent
}

// writeJSON prints the result as one indented JSON object, with empty lists
// as [] rather than null so that scripts can iterate without checks.
func writeJSON(w io.Writer, res *Result) error {
	fillLists(res)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// fillLists replaces nil lists with empty ones, in res and its -direct
// result.
func fillLists(res *Result) {
	if res == nil {
		return
	}
	if res.RequestHeaders == nil {
		res.RequestHeaders = []Field{}
	}
	if res.Preflight.Reasons == nil {
		res.Preflight.Reasons = []string{}
	}
	if res.Steps == nil {
		res.Steps = []*Step{}
	}
	for _, s := range res.Steps {
		if s.ResponseHeaders == nil {
			s.ResponseHeaders = []Field{}
		}
		if s.Notes == nil {
			s.Notes = []string{}
		}
	}
	if res.Warnings == nil {
		res.Warnings = []Warning{}
	}
	fillLists(res.Direct)
}

// writeText prints the steps and the verdict for people.
func writeText(w io.Writer, res *Result) error {
	var b strings.Builder
	credentials := "omit"
	if res.Credentials {
		credentials = "include"
	}
	if p := res.Pasted; p != nil {
		fmt.Fprintf(&b, "corscheck: the %s message says: %s\n", p.browserName(), p.Reason)
	}
	fmt.Fprintf(&b, "corscheck: fetch(%q, {method: %q, credentials: %q}) from origin %s\n\n", res.URL, res.Method, credentials, res.Origin)
	if res.Preflight.Needed {
		b.WriteString("Preflight needed: yes\n")
		for _, reason := range res.Preflight.Reasons {
			fmt.Fprintf(&b, "  - %s\n", reason)
		}
	} else {
		b.WriteString("Preflight needed: no (CORS-safelisted method and headers: the browser sends the request directly)\n")
	}
	writeSteps(&b, res.Steps)
	if d := res.Direct; d != nil {
		fmt.Fprintf(&b, "\ncorscheck sent %d request(s), %d of them straight to the application (-direct, below).\n", res.RequestsSent, d.RequestsSent)
	} else {
		fmt.Fprintf(&b, "\ncorscheck sent %d request(s).\n", res.RequestsSent)
	}
	writeVerdict(&b, res)
	if len(res.Warnings) > 0 {
		b.WriteString("\nWarnings (not blocking, but they will bite):\n")
		for _, x := range res.Warnings {
			fmt.Fprintf(&b, "  - [%s] %s\n    Fix: %s\n", x.Code, x.Message, x.Fix)
		}
	}
	if d := res.Direct; d != nil {
		fmt.Fprintf(&b, "\nStraight to the application (-direct %s):\n", d.URL)
		writeSteps(&b, d.Steps)
		b.WriteString("\n")
		writeVerdict(&b, d)
		fmt.Fprintf(&b, "\nHop by hop: %s\n", res.Comparison)
	}
	if p := res.Pasted; p != nil {
		if p.Reproduced {
			fmt.Fprintf(&b, "\nThe %s message is reproduced: corscheck sees the same failure.\n", p.browserName())
		} else {
			fmt.Fprintf(&b, "\nThe %s message is not reproduced: %s\n", p.browserName(), p.Note)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSteps prints each exchange with the headers that matter.
func writeSteps(b *strings.Builder, steps []*Step) {
	for i, s := range steps {
		fmt.Fprintf(b, "\n[%d] %s: %s %s\n", i+1, s.Kind, s.Method, s.URL)
		for _, h := range s.RequestHeaders {
			fmt.Fprintf(b, "    > %s: %s\n", h.Name, h.Value)
		}
		if s.Status != 0 {
			fmt.Fprintf(b, "    < %d %s\n", s.Status, s.StatusText)
		}
		for _, h := range s.ResponseHeaders {
			fmt.Fprintf(b, "    < %s: %s\n", h.Name, h.Value)
		}
		for _, n := range s.Notes {
			fmt.Fprintf(b, "    note: %s\n", n)
		}
		fmt.Fprintf(b, "    = %s\n", s.Outcome)
	}
}

// writeVerdict prints the verdict and, for a failure, the console line, the
// likely cause and the fix.
func writeVerdict(b *strings.Builder, res *Result) {
	switch res.Verdict {
	case verdictAllowed:
		b.WriteString("Verdict: ALLOWED: a browser lets the script read the response.\n")
		if n := len(res.Steps); n > 0 && res.Steps[n-1].Status >= 500 {
			fmt.Fprintf(b, "But the server failed: it answered %s. The script can read that status; this is a server error, not a CORS problem (look at the server's log for this request).\n", statusLine(res.Steps[n-1].Status))
		}
		return
	case verdictBlocked:
		b.WriteString("Verdict: BLOCKED: a browser would not let the script read the response.\n")
	default:
		b.WriteString("Verdict: ERROR: no HTTP response, so no CORS verdict.\n")
	}
	f := res.Failure
	if f == nil {
		return
	}
	label := "Console"
	if f.Code == codeNetworkError {
		label = "Error"
	}
	fmt.Fprintf(b, "  %s: %s\n", label, f.Message)
	if f.Step == kindPreflight && f.Code != codeNetworkError {
		b.WriteString("  The browser stops after a failed preflight: the request itself is never sent.\n")
	}
	fmt.Fprintf(b, "  Likely cause [%s]: %s\n", f.Diagnosis, f.Cause)
	fmt.Fprintf(b, "  Fix: %s\n", f.Fix)
}
