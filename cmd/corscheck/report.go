package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
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
	Kind            string   `json:"kind"` // "preflight" or "request"
	Method          string   `json:"method"`
	URL             string   `json:"url"`
	RequestHeaders  []Field  `json:"request_headers"`
	Status          int      `json:"status"` // 0 when no response came
	StatusText      string   `json:"status_text"`
	ResponseHeaders []Field  `json:"response_headers"` // CORS-related ones only
	Outcome         string   `json:"outcome"`          // "pass", "fail", "redirect" or "error"
	Notes           []string `json:"notes"`
}

// setOutcome marks the step as passed or failed.
func (s *Step) setOutcome(f *Failure) {
	s.Outcome = outcomePass
	if f != nil {
		s.Outcome = outcomeFail
	}
}

// Failure is why the browser blocks the response (or, with code
// "network_error", why there is no verdict).
type Failure struct {
	Code    string `json:"code"`    // stable identifier, e.g. "missing_allow_origin_header"
	Step    string `json:"step"`    // "preflight" or "request"
	Status  int    `json:"status"`  // HTTP status of the failing response, 0 if none
	Message string `json:"message"` // the whole console line, as Chromium prints it
	Reason  string `json:"reason"`  // the part after "blocked by CORS policy: "
	Value   string `json:"value"`   // the offending header value or name, if any
	Cause   string `json:"cause"`   // likely cause
	Fix     string `json:"fix"`     // what to change
}

// Warning is a finding that does not block the response.
type Warning struct {
	Code    string `json:"code"`
	Step    string `json:"step"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// lastStepKind names the step that was running last.
func lastStepKind(res *Result) string {
	if len(res.Steps) == 0 {
		return ""
	}
	return res.Steps[len(res.Steps)-1].Kind
}

// writeJSON prints the result as one indented JSON object, with empty lists
// as [] rather than null so that scripts can iterate without checks.
func writeJSON(w io.Writer, res *Result) error {
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// writeText prints the steps and the verdict for people.
func writeText(w io.Writer, res *Result) error {
	var b strings.Builder
	credentials := "omit"
	if res.Credentials {
		credentials = "include"
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
	for i, s := range res.Steps {
		fmt.Fprintf(&b, "\n[%d] %s: %s %s\n", i+1, s.Kind, s.Method, s.URL)
		for _, h := range s.RequestHeaders {
			fmt.Fprintf(&b, "    > %s: %s\n", h.Name, h.Value)
		}
		if s.Status != 0 {
			fmt.Fprintf(&b, "    < %d %s\n", s.Status, s.StatusText)
		}
		for _, h := range s.ResponseHeaders {
			fmt.Fprintf(&b, "    < %s: %s\n", h.Name, h.Value)
		}
		for _, n := range s.Notes {
			fmt.Fprintf(&b, "    note: %s\n", n)
		}
		fmt.Fprintf(&b, "    = %s\n", s.Outcome)
	}
	b.WriteString("\n")
	switch res.Verdict {
	case verdictAllowed:
		b.WriteString("Verdict: ALLOWED: a browser lets the script read the response.\n")
	case verdictBlocked:
		b.WriteString("Verdict: BLOCKED: a browser would not let the script read the response.\n")
		writeFailure(&b, res.Failure)
	default:
		b.WriteString("Verdict: ERROR: no HTTP response, so no CORS verdict.\n")
		writeFailure(&b, res.Failure)
	}
	if len(res.Warnings) > 0 {
		b.WriteString("\nWarnings (not blocking, but they will bite):\n")
		for _, x := range res.Warnings {
			fmt.Fprintf(&b, "  - [%s] %s\n    Fix: %s\n", x.Code, x.Message, x.Fix)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFailure prints the console line, the likely cause and the fix.
func writeFailure(b *strings.Builder, f *Failure) {
	if f == nil {
		return
	}
	label := "Console"
	if f.Code == "network_error" {
		label = "Error"
	}
	fmt.Fprintf(b, "  %s: %s\n", label, f.Message)
	if f.Step == kindPreflight && f.Code != "network_error" {
		b.WriteString("  The browser stops after a failed preflight: the request itself is never sent.\n")
	}
	fmt.Fprintf(b, "  Likely cause: %s\n", f.Cause)
	fmt.Fprintf(b, "  Fix: %s\n", f.Fix)
}
