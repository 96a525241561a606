//go:build proxies

package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/corsguard/cors/internal/proxylab"
)

// These tests put Debian's Apache httpd, HAProxy, Varnish, Squid and Caddy,
// each run by proxylab as a child process on loopback with a configuration
// of its own, in front of the real library, configured the way people
// misconfigure them, and hold corscheck to what an SRE would say: which
// layer answered, on what evidence, and the fix in that layer's own
// configuration language. They build only with -tags proxies, which CI sets
// after installing the five packages:
//
//	go test -tags proxies ./cmd/corscheck
//
// A missing binary skips its tests, and fails them when CI=true.

// expect is what corscheck must conclude about a scenario, beyond the
// browser's verdict that the scenario itself holds.
type expect struct {
	named      bool // the cause names the product: the evidence can tell
	diagnosis  Diagnosis
	cause, fix []string // parts of the cause and of the fix
}

// nginxTerms are nginx's configuration words, which a fix for another
// product must not use.
var nginxTerms = []string{"proxy_read_timeout", "add_header", "proxy_hide_header", "limit_except", "proxy_pass", "nginx"}

// runProduct starts p in front of the application and checks each of its
// scenarios, in order, against want. Every scenario must have an
// expectation, and every expectation a scenario.
func runProduct(t *testing.T, p proxylab.Product, want map[string]expect) {
	t.Helper()
	base := p.Start(t, proxylab.NewUpstreams(t, pageOrigin))
	seen := map[string]bool{}
	for _, s := range p.Scenarios {
		seen[s.Name] = true
		t.Run(s.Name, func(t *testing.T) {
			w, ok := want[s.Name]
			if !ok {
				t.Fatalf("no expectation for %s's scenario %q", p.Name, s.Name)
			}
			s.Prepare(t, base+s.Path, pageOrigin)
			res := runHop(t, hopCase{
				args: s.Args(), url: func() string { return base + s.Path }, probes: -1, // how many probes is the diagnosis's business
				code: string(s.Code), step: s.Step, diagnosis: w.diagnosis, cause: w.cause, fix: w.fix,
			})
			if t.Failed() {
				logResult(t, res)
			}
			t.Logf("corscheck sent %d request(s)", res.RequestsSent)
			if s.Code == "" || res.Failure == nil {
				return
			}
			for _, term := range nginxTerms {
				assert.NotContains(t, res.Failure.Fix, term, "the fix is in %s's terms", p.Name)
			}
			if !w.named {
				return
			}
			assert.Contains(t, res.Failure.Cause, p.Name, "the cause names the layer")
			for _, term := range nginxTerms {
				assert.NotContains(t, res.Failure.Cause, term, "the cause, once %s is named, is about %s", p.Name, p.Name)
			}
		})
	}
	for name := range want {
		assert.True(t, seen[name], "the expectation %q has no scenario of %s", name, p.Name)
	}
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
