package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
)

// TestEnvCheckPassIsReadableInChromium shows that what `corscheck -env`
// passes is what a browser lets through: an API built with cors.FromEnv
// passes the check, and then, in Chromium, a page on each allowed origin (an
// exact one, a port of "http://localhost:*", a host and port of
// "http://*.localhost:*") reads both a preflighted
// credentialed PUT and a GET, while a page on an origin the policy does not
// list reads neither.
func TestEnvCheckPassIsReadableInChromium(t *testing.T) {
	exact, other, dev, preview := newPageServer(t), newPageServer(t), newPageServer(t), newPageServer(t)
	// Chromium resolves localhost and every *.localhost name to loopback.
	devOrigin := strings.Replace(dev.URL, "127.0.0.1", "localhost", 1)
	previewOrigin := strings.Replace(preview.URL, "127.0.0.1", "pr-7.localhost", 1)
	t.Setenv("E2E_CORS_ALLOWED_ORIGINS", exact.URL+",http://localhost:*,http://*.localhost:*")
	t.Setenv("E2E_CORS_ALLOWED_METHODS", "PUT")
	t.Setenv("E2E_CORS_ALLOWED_HEADERS", "X-Api-Key,Content-Type")
	t.Setenv("E2E_CORS_ALLOW_CREDENTIALS", "true")
	opts, err := cors.FromEnv("E2E_CORS")
	require.NoError(t, err)
	m, err := cors.New(opts)
	require.NoError(t, err)
	api := httptest.NewServer(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"method":"`+r.Method+`"}`)
	})))
	t.Cleanup(api.Close)

	report := runEnvCheck(t, buildCommand(t, "./cmd/corscheck"), "-env", "E2E_CORS", "-delay", "0", api.URL+"/items")
	require.Equal(t, 0, report.ExitCode, "corscheck -env passes the deployment: %d failed", report.Failed)
	require.Positive(t, report.Passed)

	b := chromium.start(t)
	for _, page := range []struct {
		origin   string
		readable bool
	}{{exact.URL, true}, {devOrigin, true}, {previewOrigin, true}, {other.URL, false}} {
		tb := b.open(t, page.origin+"/")
		put := fetch(t, tb, request{url: api.URL + "/items", init: map[string]any{
			"method": "PUT", "credentials": "include",
			"headers": map[string]string{"Content-Type": "application/json", "X-Api-Key": "k"}, "body": "{}",
		}})
		get := fetch(t, tb, request{url: api.URL + "/items", init: map[string]any{"credentials": "include"}})
		if !page.readable {
			assert.Equal(t, "blocked", put.Outcome, "%s is not allowed", page.origin)
			assert.Equal(t, "blocked", get.Outcome, "%s is not allowed", page.origin)
			continue
		}
		assert.Equal(t, "response", put.Outcome, "%s: %s", page.origin, put.Error)
		assert.Equal(t, `{"method":"PUT"}`, put.Body)
		assert.Equal(t, "response", get.Outcome, "%s: %s", page.origin, get.Error)
		assert.Equal(t, `{"method":"GET"}`, get.Body)
	}
}

// envReport is the part of corscheck -env's JSON this test reads.
type envReport struct {
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	ExitCode int `json:"exit_code"`
}

// runEnvCheck runs corscheck -json with args, in this process's
// environment, and decodes its report.
func runEnvCheck(t *testing.T, bin string, args ...string) envReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), scriptRun)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, append([]string{"-json"}, args...)...).Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("corscheck %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var rep envReport
	require.NoError(t, json.Unmarshal(out, &rep), "corscheck's output:\n%s", out)
	return rep
}
