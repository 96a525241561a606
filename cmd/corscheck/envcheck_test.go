package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
)

// envPolicy is the policy of the -env tests, as variables.
var envPolicy = map[string]string{
	"CORS_ALLOWED_ORIGINS":   "https://app.example.com,https://*.preview.example.com,http://localhost:*",
	"CORS_ALLOWED_METHODS":   "PUT,DELETE",
	"CORS_ALLOWED_HEADERS":   "X-Api-Key,Content-Type",
	"CORS_EXPOSED_HEADERS":   "X-Request-Id",
	"CORS_ALLOW_CREDENTIALS": "true",
	"CORS_MAX_AGE":           "600",
}

// setEnv sets the variables for the test, without the given names.
func setEnv(t *testing.T, vars map[string]string, without ...string) {
	t.Helper()
	for k, v := range vars {
		if !contains(without, k) {
			t.Setenv(k, v)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// deployed serves the library with the options of the environment,
// changed by edit, wrapped by wrap.
func deployed(t *testing.T, edit func(*cors.Options), wrap func(http.Handler) http.Handler) string {
	t.Helper()
	o, err := cors.FromEnv("CORS")
	require.NoError(t, err)
	if edit != nil {
		edit(&o)
	}
	m, err := cors.New(o)
	require.NoError(t, err)
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	if wrap != nil {
		h = wrap(h)
	}
	return serve(t, h).URL + "/api/items"
}

// rewrite is a layer in front of the application that changes its
// answer's headers.
func rewrite(f func(r *http.Request, h http.Header)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(&headerRewriter{ResponseWriter: w, f: func(h http.Header) { f(r, h) }}, r)
		})
	}
}

type headerRewriter struct {
	http.ResponseWriter
	f    func(http.Header)
	done bool
}

func (h *headerRewriter) WriteHeader(code int) {
	if !h.done {
		h.done = true
		h.f(h.Header())
	}
	h.ResponseWriter.WriteHeader(code)
}

func (h *headerRewriter) Write(p []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	return h.ResponseWriter.Write(p)
}

// runEnvJSON runs -env with -json and no delay, and decodes the report.
func runEnvJSON(t *testing.T, args ...string) (int, EnvReport) {
	t.Helper()
	code, stdout, stderr := runCLI(append([]string{"-env", "CORS", "-json", "-delay", "0"}, args...)...)
	require.NotEqual(t, exitError, code, "stderr: %s", stderr)
	var rep EnvReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	return code, rep
}

// failed lists the failed probes as "what: diagnosis".
func failed(rep EnvReport) []string {
	var out []string
	for _, pr := range rep.Probes {
		if !pr.Passed {
			out = append(out, pr.What+": "+pr.Diagnosis)
		}
	}
	return out
}

func TestEnvPassesAgainstTheLibrary(t *testing.T) {
	setEnv(t, envPolicy)
	url := deployed(t, nil, nil)
	code, rep := runEnvJSON(t, url)
	assert.Equal(t, exitAllowed, code, "failed: %v", failed(rep))
	assert.Zero(t, rep.Failed)
	assert.Equal(t, len(rep.Probes), rep.Passed)
	assert.Equal(t, len(rep.Probes), rep.RequestsSent, "one request per probe when all pass")
	var allowed, refused int
	for _, pr := range rep.Probes {
		if pr.Expected == verdictAllowed {
			allowed++
		} else {
			refused++
		}
		assert.Contains(t, []string{http.MethodOptions, http.MethodGet, http.MethodHead}, pr.Result.Steps[0].Method, "safe on production")
	}
	t.Logf("%d probes, %d requests", len(rep.Probes), rep.RequestsSent)
	assert.Equal(t, 9, allowed, "3 origins: a preflight for PUT and DELETE and a GET each")
	assert.GreaterOrEqual(t, refused, 7)
}

func TestEnvFindsWhatTheDeploymentGetsWrong(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*cors.Options)
		wrap  func(http.Handler) http.Handler
		wants []string // "what: diagnosis" of some failed probes
	}{
		{
			name:  "an origin missing from the deployed copy of the policy",
			edit:  func(o *cors.Options) { o.AllowedOrigins = o.AllowedOrigins[1:] },
			wants: []string{"an allowed origin: cors_refused_origin", "an allowed origin: origin_not_allowed"},
		},
		{
			name:  "a method missing from the deployed copy",
			edit:  func(o *cors.Options) { o.AllowedMethods = []string{"PUT"} },
			wants: []string{"an allowed origin: method_not_listed"},
		},
		{
			name:  "a method the deployed copy allows and the policy does not",
			edit:  func(o *cors.Options) { o.AllowedMethods = append(o.AllowedMethods, "PATCH") },
			wants: []string{"a method the policy does not allow: " + envAllowsRefused},
		},
		{
			name: "a layer that writes * over a credentialed answer",
			wrap: rewrite(func(_ *http.Request, h http.Header) { h.Set("Access-Control-Allow-Origin", "*") }),
			// "*" beside the application's Vary: Origin and credentials: two
			// writers, which corscheck now says whatever the product.
			wants: []string{"an allowed origin: proxy_breaks_cors", "an unrelated origin: " + envWildcard,
				"the opaque origin of sandboxed iframes, file: pages and redirects: " + envWildcard},
		},
		{
			name:  "a layer that echoes every origin",
			wrap:  rewrite(func(r *http.Request, h http.Header) { h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin")) }),
			wants: []string{"an allowed origin with a suffix appended: " + envAllowsRefused, "an unrelated origin: " + envAllowsRefused},
		},
		{
			name:  "a layer that drops Vary",
			wrap:  rewrite(func(_ *http.Request, h http.Header) { h.Del("Vary") }),
			wants: []string{"an allowed origin: " + envVaryRemoved, "an unrelated origin: " + envVaryRemoved},
		},
		{
			name:  "a layer that strips Access-Control-Allow-Origin",
			wrap:  rewrite(func(_ *http.Request, h http.Header) { h.Del("Access-Control-Allow-Origin") }),
			wants: []string{"an allowed origin: allow_origin_stripped"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			setEnv(t, envPolicy)
			url := deployed(t, tc.edit, tc.wrap)
			code, rep := runEnvJSON(t, url)
			assert.Equal(t, exitBlocked, code)
			assert.Positive(t, rep.Failed)
			got := failed(rep)
			for _, want := range tc.wants {
				assert.Contains(t, got, want)
			}
			for _, pr := range rep.Probes {
				if !pr.Passed {
					assert.NotEmpty(t, pr.Cause, pr.What)
					assert.NotEmpty(t, pr.Fix, pr.What)
				}
			}
			assert.LessOrEqual(t, rep.RequestsSent, defaultMaxRequests)
		})
	}
}

func TestEnvRefusesABadPolicyAsFromEnvDoes(t *testing.T) {
	setEnv(t, envPolicy)
	t.Setenv("CORS_ALLOWED_ORIGINS", "https://app.example.com/")
	t.Setenv("CORS_ALLOW_CREDENTIAL", "true")
	_, want := cors.FromEnv("CORS")
	require.Error(t, want)
	code, stdout, stderr := runCLI("-env", "CORS", "http://127.0.0.1:1/")
	assert.Equal(t, exitError, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, want.Error(), "the same errors, in full")
	assert.Contains(t, stderr, `CORS_ALLOW_CREDENTIAL: is not a variable FromEnv reads; use "CORS_ALLOW_CREDENTIALS"`)
}

func TestEnvUsage(t *testing.T) {
	setEnv(t, envPolicy)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-env", "CORS"}, "give the deployed URLs"},
		{[]string{"-env", "", "http://x/"}, "-env needs the prefix"},
		{[]string{"-env", "CORS", "-max-requests", "0", "http://x/"}, "-max-requests must be positive"},
		{[]string{"-env", "CORS", "-delay", "-1s", "http://x/"}, "-delay must not be negative"},
		{[]string{"-env", "CORS", "-timeout", "0", "http://x/"}, "-timeout must be positive"},
		{[]string{"-env", "CORS", "ftp://x/"}, "ftp"},
		{[]string{"-env", "CORS", "-max-requests", "5", "http://x/"}, "more than -max-requests 5"},
	}
	for _, tc := range cases {
		code, _, stderr := runCLI(tc.args...)
		assert.Equal(t, exitError, code, tc.args)
		assert.Contains(t, stderr, tc.want, tc.args)
	}
}

// TestEnvIsSafeOnProduction holds the promises of -env to a production
// API: only OPTIONS, GET and HEAD unless -unsafe-methods, no more requests
// than -max-requests, -delay between them, and the count in the report.
func TestEnvIsSafeOnProduction(t *testing.T) {
	setEnv(t, envPolicy)
	var methods []string
	var times []time.Time
	url := deployed(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			methods, times = append(methods, r.Method), append(times, time.Now())
			next.ServeHTTP(w, r)
		})
	})
	code, stdout, _ := runCLI("-env", "CORS", "-delay", "20ms", url)
	require.Equal(t, exitAllowed, code, stdout)
	for _, m := range methods {
		assert.Contains(t, []string{http.MethodOptions, http.MethodGet, http.MethodHead}, m)
	}
	// The pacing itself is TestEnvGatePaces's: arrival times on a loaded
	// machine shift by more than any margin a timed check could allow.
	require.Len(t, times, len(methods))
	assert.Contains(t, stdout, fmt.Sprintf("corscheck sent %d request(s)", len(methods)))
	assert.Contains(t, stdout, fmt.Sprintf("%d passed, 0 failed\n", len(methods)))

	methods = nil
	code, _, _ = runCLI("-env", "CORS", "-delay", "0", "-unsafe-methods", url)
	require.Equal(t, exitAllowed, code)
	assert.Contains(t, methods, http.MethodPut, "-unsafe-methods sends the allowed methods")
	assert.Contains(t, methods, http.MethodDelete)
}

// TestEnvBudgetBoundsTheDiagnosis: the probes after a failure use only
// what the planned probes leave of -max-requests.
func TestEnvBudgetBoundsTheDiagnosis(t *testing.T) {
	setEnv(t, envPolicy)
	url := deployed(t, func(o *cors.Options) { o.AllowedOrigins = o.AllowedOrigins[1:] }, nil)
	_, rep := runEnvJSON(t, url)
	planned := len(rep.Probes)
	require.Greater(t, rep.RequestsSent, planned, "the diagnosis asked more questions")
	code, rep := runEnvJSON(t, "-max-requests", strconv.Itoa(planned), url)
	assert.Equal(t, exitBlocked, code)
	assert.Equal(t, planned, rep.RequestsSent)
}

func TestEnvTimeoutCoversTheRun(t *testing.T) {
	setEnv(t, envPolicy)
	url := deployed(t, nil, nil)
	start := time.Now()
	code, rep := runEnvJSON(t, "-delay", "50ms", "-timeout", "200ms", url)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Equal(t, exitBlocked, code)
	assert.Contains(t, failed(rep), "a header the policy does not allow: not_sent")
}

// TestEnvJSONShape holds the names scripts read and that lists are never
// null.
func TestEnvJSONShape(t *testing.T) {
	setEnv(t, envPolicy)
	url := deployed(t, nil, nil)
	_, stdout, _ := runCLI("-env", "CORS", "-json", "-delay", "0", url)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	for _, key := range []string{"schema_version", "env", "policy", "urls", "probes", "warnings", "requests_sent", "max_requests", "delay_ms", "duration_ms", "passed", "failed", "exit_code"} {
		assert.Contains(t, rep, key)
	}
	probes, ok := rep["probes"].([]any)
	require.True(t, ok)
	require.NotEmpty(t, probes)
	for _, p := range probes {
		probe := p.(map[string]any)
		for _, key := range []string{"url", "what", "kind", "origin", "method", "headers", "credentials", "expected", "deployed", "passed", "differences", "diagnosis", "cause", "fix", "result"} {
			assert.Contains(t, probe, key)
		}
		assert.NotNil(t, probe["differences"])
		assert.NotNil(t, probe["headers"])
		assert.NotNil(t, probe["result"].(map[string]any)["steps"])
	}
	code, stdout, _ := runCLI("-env", "CORS", "-h")
	assert.Equal(t, exitAllowed, code)
	assert.Contains(t, stdout, "corscheck -env PREFIX")
}

// TestEnvPassesForEveryKindOfPolicy: whatever the policy, the library
// deployed with it passes its own check.
func TestEnvPassesForEveryKindOfPolicy(t *testing.T) {
	cases := []map[string]string{
		{"CORS_ALLOWED_ORIGINS": "*"},
		{"CORS_ALLOWED_ORIGINS": "*", "CORS_ALLOWED_METHODS": "*", "CORS_ALLOWED_HEADERS": "*", "CORS_EXPOSED_HEADERS": "*"},
		{"CORS_ALLOWED_ORIGINS": "https://myapp-*-acme.example.com,http://[::1]:3000,http://127.0.0.1:8080", "CORS_MAX_AGE": "-1"},
		{"CORS_ALLOWED_ORIGINS": "https://app.example.com", "CORS_ALLOWED_HEADERS": "Authorization,Cookie", "CORS_ALLOW_CREDENTIALS": "true", "CORS_MAX_AGE": "2h"},
		{"CORS_ALLOWED_ORIGINS": "https://app.example.com:8443", "CORS_ALLOWED_METHODS": "GET,PATCH,DELETE,PUT,PROPFIND"},
	}
	for _, vars := range cases {
		t.Run(vars["CORS_ALLOWED_ORIGINS"], func(t *testing.T) {
			setEnv(t, vars)
			code, rep := runEnvJSON(t, deployed(t, nil, nil))
			assert.Equal(t, exitAllowed, code, "failed: %v", failed(rep))
			assert.Positive(t, rep.Passed)
		})
	}
}

// TestEnvChecksTheDeployedCookies: a Set-Cookie on a deployed answer is
// checked as browsers apply it, once for the run.
func TestEnvChecksTheDeployedCookies(t *testing.T) {
	setEnv(t, envPolicy)
	url := deployed(t, nil, rewrite(func(_ *http.Request, h http.Header) { h.Add("Set-Cookie", "sid=1; SameSite=None; HttpOnly") }))
	code, rep := runEnvJSON(t, url)
	assert.Equal(t, exitAllowed, code, "cookies are findings, not failed probes")
	var codes []string
	for _, w := range rep.Warnings {
		codes = append(codes, w.Code)
	}
	assert.Equal(t, []string{"cookie_samesite_none_without_secure"}, codes)
}

// TestEnvSkipsTheURLsOwnOrigin: a page on the API's own origin makes
// same-origin requests, which no CORS rule governs.
func TestEnvSkipsTheURLsOwnOrigin(t *testing.T) {
	setEnv(t, envPolicy)
	url := deployed(t, nil, nil)
	t.Setenv("CORS_ALLOWED_ORIGINS", envPolicy["CORS_ALLOWED_ORIGINS"]+","+strings.TrimSuffix(url, "/api/items"))
	code, rep := runEnvJSON(t, url)
	assert.Equal(t, exitAllowed, code, "failed: %v", failed(rep))
	for _, pr := range rep.Probes {
		assert.NotEqual(t, strings.TrimSuffix(url, "/api/items"), pr.Origin)
	}
}

// TestEnvGatePaces: each exchange the gate lets through starts at least
// -delay after the previous one, by the clock the gate reads (timers never
// fire early), and a probe past -max-requests is refused.
func TestEnvGatePaces(t *testing.T) {
	const delay = 5 * time.Millisecond
	ec := &envCheck{cfg: &envConfig{delay: delay, maxRequests: 4}}
	var starts []time.Time
	for i := 0; i < 4; i++ {
		require.NoError(t, ec.gate(context.Background(), kindProbe))
		starts = append(starts, ec.last)
	}
	for i := 1; i < len(starts); i++ {
		assert.GreaterOrEqual(t, starts[i].Sub(starts[i-1]), delay, "paced")
	}
	assert.ErrorIs(t, ec.gate(context.Background(), kindProbe), errBudget)
	assert.Equal(t, 4, ec.sent)
}
