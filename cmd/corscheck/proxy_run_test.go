//go:build proxies || nginx

package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/internal/proxylab"
)

// runProduct and what it checks, shared by the proxies suite
// (proxy_scenarios_test.go) and the nginx suite (nginx_test.go).

// expect is what corscheck must conclude about a scenario, beyond the
// browser's verdict that the scenario itself holds.
type expect struct {
	named     bool // the cause names the product: the evidence can tell
	diagnosis Diagnosis
	// cause and fix are parts of the cause and of the fix; {base} stands
	// for the product's base URL.
	cause, fix []string
	probes     *int // how many probes the diagnosis sends; nil: its business
}

// probes is an expected number of probe requests.
func probes(n int) *int { return &n }

// nginxTerms are nginx's configuration words, which a fix for another
// product must not use.
var nginxTerms = []string{"proxy_read_timeout", "add_header", "proxy_hide_header", "limit_except", "proxy_pass", "nginx"}

// runProduct checks each scenario of p, running at base, in order,
// against want; then again with p's row removed from the layer table
// (leave one out), where the same cause must be found and the layer named
// from the evidence. Every scenario must have an expectation, and every
// expectation a scenario.
func runProduct(t *testing.T, p proxylab.Product, base string, u proxylab.Upstreams, want map[string]expect) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range p.Scenarios {
		seen[s.Name] = true
		t.Run(s.Name, func(t *testing.T) { runScenario(tableRun{T: t, row: p.Name}, p, base, s, want) })
	}
	for name := range want {
		assert.True(t, seen[name], "the expectation %q has no scenario of %s", name, p.Name)
	}
	t.Run("without its row", func(t *testing.T) {
		withoutRow(t, p.Name)
		for _, s := range p.Scenarios {
			t.Run(s.Name, func(t *testing.T) { runScenario(tableRun{T: t, row: p.Name, loo: true}, p, base, s, want) })
		}
	})
	t.Run("-direct", func(t *testing.T) { runDirect(t, p, base, u) })
}

// runDirect runs each failing scenario of p again with -direct to the
// application the proxy is meant to reach (Bare for /bare/ paths), and
// holds the comparison to what it proves. When the application passes
// directly, the fix says what the layer does for the cause found through
// it, never the catch-all; when the application fails too without any
// CORS header, the fix is not sent to the application alone. /slow/ is
// left out: the application answers it after 3 s.
func runDirect(t *testing.T, p proxylab.Product, base string, u proxylab.Upstreams) {
	for _, s := range p.Scenarios {
		if s.Code == "" || strings.Contains(s.Path, "/slow/") {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			s.Prepare(t, base+s.Path, pageOrigin)
			app := u.App
			if strings.HasPrefix(s.Path, "/bare/") {
				app = u.Bare
			}
			args := append([]string{"-origin", pageOrigin, "-direct", "http://" + app + s.Path}, s.Args()...)
			_, res := runJSON(t, append(args, base+s.Path)...)
			require.NotNil(t, res.Failure)
			require.NotNil(t, res.Direct)
			t.Logf("%s; fix: %s; hop by hop: %s", res.Failure.Diagnosis, res.Failure.Fix, res.Comparison)
			if res.Direct.Allowed {
				assert.Equal(t, diagProxyBreaksCORS, res.Failure.Diagnosis)
				assert.True(t, strings.HasPrefix(res.Failure.Fix, "Fix that layer, not the application: it "), res.Failure.Fix)
				assert.NotContains(t, res.Failure.Fix, "changes the answer", "a cause of its own, not the catch-all")
				return
			}
			assert.Contains(t, res.Comparison, "the application has no CORS layer on this route")
		})
	}
}

// runScenario checks one scenario of p against its expectation.
func runScenario(tr tableRun, p proxylab.Product, base string, s proxylab.Scenario, want map[string]expect) {
	t := tr.T
	w, ok := want[s.Name]
	if !ok {
		t.Fatalf("no expectation for %s's scenario %q", p.Name, s.Name)
	}
	s.Prepare(t, base+s.Path, pageOrigin)
	withBase := func(parts []string) []string {
		var out []string
		for _, part := range parts {
			if !tr.loo || !fromRow(p.Name, part) {
				out = append(out, strings.ReplaceAll(part, "{base}", base))
			}
		}
		return out
	}
	hc := hopCase{
		args: s.Args(), url: func() string { return base + s.Path }, probes: -1,
		code: string(s.Code), step: s.Step, diagnosis: w.diagnosis, cause: withBase(w.cause), fix: withBase(w.fix),
	}
	if w.probes != nil {
		hc.probes = *w.probes
	}
	res := runHop(t, hc)
	if t.Failed() {
		logResult(t, res)
	}
	t.Logf("corscheck sent %d request(s)", res.RequestsSent)
	if s.Code == "" || res.Failure == nil {
		return
	}
	_, layer, _ := strings.Cut(res.Failure.Cause, "(Layer: ")
	t.Logf("diagnosis %s; layer: %s", res.Failure.Diagnosis, strings.TrimSuffix(layer, ".)"))
	checkNamed(tr, p, w, res)
	if p.Name == proxylab.Nginx.Name {
		return
	}
	for _, term := range nginxTerms {
		assert.NotContains(t, res.Failure.Fix, term, "the fix is in %s's terms", p.Name)
		if w.named && !tr.loo {
			assert.NotContains(t, res.Failure.Cause, term, "the cause, once %s is named, is about %s", p.Name, p.Name)
		}
	}
}

// checkNamed holds the cause to naming the layer: by the product's name
// with the table; without its row, by the Server or Via the failing
// answer carries, when it carries one.
func checkNamed(tr tableRun, p proxylab.Product, w expect, res Result) {
	if !w.named {
		return
	}
	if !tr.loo {
		assert.Contains(tr, res.Failure.Cause, p.Name, "the cause names the layer")
		return
	}
	failing := lastStep(res.Steps, res.Failure.Step)
	h := map[string][]string{}
	for _, f := range failing.ResponseHeaders {
		h[f.Name] = append(h[f.Name], f.Value)
	}
	if by := evidenceName(h); by != "" {
		tr.namedBy(res.Failure.Cause, by)
		return
	}
	tr.Logf("no Server or Via in %s's answer; without its row the cause says: %s", p.Name, res.Failure.Cause)
}

// logResult shows what corscheck concluded and what it saw, for the notes.
func logResult(t *testing.T, res Result) {
	t.Helper()
	if f := res.Failure; f != nil {
		t.Logf("corscheck says: %s (%s) at %s\ncause: %s\nfix: %s", f.Diagnosis, f.Code, f.Step, f.Cause, f.Fix)
	}
	for _, s := range res.Steps {
		var h []string
		for _, f := range s.ResponseHeaders {
			h = append(h, f.Name+": "+f.Value)
		}
		t.Logf("%s %s %s -> %d; %s", s.Kind, s.Method, s.URL, s.Status, strings.Join(h, "; "))
	}
}
