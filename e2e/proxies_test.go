//go:build proxies

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/internal/proxylab"
)

// TestProxiesInChromium cross-checks corscheck against the browser behind
// real proxies and caches. For every scenario of internal/proxylab (nginx,
// Apache httpd, HAProxy, Varnish, Squid and Caddy, each run as a child
// process on loopback in front of the library), the page's script makes
// the scenario's fetch in headless Chromium, and:
//   - an allowed scenario must be readable by the script, and corscheck,
//     run on the same URL, must say "allowed";
//   - a refused one must reject with a TypeError, Chromium's console must
//     say why with the scenario's failure code and step, and corscheck,
//     given that console message as a user would paste it, must reproduce
//     the same failure live, and show the very same console line.
//
// cmd/corscheck's proxies suite holds corscheck's diagnosis of the same
// scenarios. This needs the six servers installed, so it builds only with
// -tags proxies, which CI sets after installing them:
//
//	cd e2e && CI=true go test -tags proxies -run TestProxiesInChromium ./...
func TestProxiesInChromium(t *testing.T) {
	corscheck := buildCommand(t, "./cmd/corscheck")
	page := newPageServer(t)
	b := chromium.start(t)
	total := 0
	for _, p := range proxylab.Products {
		t.Run(p.Name, func(t *testing.T) {
			base := p.Start(t, proxylab.NewUpstreams(t, page.URL))
			for _, s := range p.Scenarios {
				total++
				t.Run(s.Name, func(t *testing.T) {
					crossCheck(t, b, corscheck, page.URL, base+s.Path, s)
				})
			}
		})
	}
	t.Logf("%d scenarios behind %d products", total, len(proxylab.Products))
}

// crossCheck runs scenario s at url from a new tab on the page, then
// corscheck, and asserts that they agree with each other and with s.
func crossCheck(t *testing.T, b browser, corscheck, pageURL, url string, s proxylab.Scenario) {
	t.Helper()
	s.Prepare(t, url, pageURL)
	tb := b.open(t, pageURL+"/")
	res := fetch(t, tb, request{url: url, init: fetchInit(s)})
	if s.Code == "" {
		require.Equal(t, "response", res.Outcome, "Chromium lets the script read it: %s", res.Error)
		assert.Equal(t, 200, res.Status)
		assert.Equal(t, `{"ok":true}`, res.Body)
		v := runCorscheck(t, corscheck, append(append([]string{"-origin", pageURL}, s.Args()...), url)...)
		assert.Equal(t, "allowed", v.Verdict, "corscheck agrees")
		return
	}
	require.Equal(t, "blocked", res.Outcome, "Chromium refuses it")
	message := corsMessage(t, tb)
	require.NotEmpty(t, message, "Chromium's console names the refusal")
	// The message is what a user pastes; the scenario's request flags are
	// what the message cannot say (method, headers, credentials, body).
	v := runCorscheck(t, corscheck, append(s.Args(), message)...)
	require.NotNil(t, v.Pasted, "corscheck read the message")
	assert.Equal(t, string(s.Code), v.Pasted.Code, "Chromium's reason: %s", message)
	assert.Equal(t, s.Step == proxylab.StepPreflight, v.Pasted.Preflight, "Chromium says the preflight failed: %s", message)
	require.NotNil(t, v.Failure, "corscheck's verdict is %s", v.Verdict)
	assert.Equal(t, string(s.Code), v.Failure.Code, "corscheck's code")
	assert.Equal(t, s.Step, v.Failure.Step, "corscheck's failing step")
	assert.True(t, v.Pasted.Reproduced, "corscheck reproduced Chromium's failure: %s", v.Pasted.Note)
	assert.Equal(t, message, v.Failure.Message, "the console line corscheck shows is the one Chromium printed")
	t.Logf("corscheck: %s at %s: %s", v.Failure.Code, v.Failure.Step, v.Failure.Cause)
}

// fetchInit is the scenario's request as a RequestInit.
func fetchInit(s proxylab.Scenario) map[string]any {
	init := map[string]any{}
	if s.Method != "" {
		init["method"] = s.Method
	}
	if name, value, ok := strings.Cut(s.Header, ":"); ok {
		init["headers"] = map[string]string{name: strings.TrimSpace(value)}
	}
	if s.Credentials {
		init["credentials"] = "include"
	}
	if s.Body > 0 {
		init["body"] = strings.Repeat("x", s.Body) // what corscheck's -body-size sends
	}
	return init
}

// corsMessage waits (bounded) for Chromium's CORS message in the tab's
// console and returns it, "" when none came.
func corsMessage(t *testing.T, tb tab) string {
	t.Helper()
	deadline := time.Now().Add(consoleWait)
	for {
		for _, e := range tb.console() {
			if strings.Contains(e.Text, "has been blocked by CORS policy") {
				return e.Text
			}
		}
		if time.Now().After(deadline) {
			for _, e := range tb.console() {
				t.Logf("Chromium console, %s: %s", e.Level, e.Text)
			}
			return ""
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// corscheckVerdict is the part of corscheck's -json verdict compared here.
type corscheckVerdict struct {
	Verdict string `json:"verdict"`
	Failure *struct {
		Code    string `json:"code"`
		Step    string `json:"step"`
		Message string `json:"message"`
		Cause   string `json:"cause"`
	} `json:"failure"`
	Pasted *struct {
		Code       string `json:"code"`
		Preflight  bool   `json:"preflight"`
		Reproduced bool   `json:"reproduced"`
		Note       string `json:"note"`
	} `json:"pasted"`
}

// runCorscheck runs the built corscheck with -json and decodes its verdict.
func runCorscheck(t *testing.T, bin string, args ...string) corscheckVerdict {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), scriptRun)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, append([]string{"-json"}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("corscheck %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	var v corscheckVerdict
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &v), "corscheck's output:\n%s%s", stdout.String(), stderr.String())
	return v
}
