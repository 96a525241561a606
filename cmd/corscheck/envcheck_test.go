package main

import (
	"encoding/json"
	"net/http"
	"testing"

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
			wants: []string{"an allowed origin: method_not_listed", "a method the policy does not allow: " + envPolicyDiffers},
		},
		{
			name: "a layer that writes * over a credentialed answer",
			wrap: rewrite(func(_ *http.Request, h http.Header) { h.Set("Access-Control-Allow-Origin", "*") }),
			wants: []string{"an allowed origin: wildcard_with_credentials", "an unrelated origin: " + envWildcard,
				"the opaque origin null (sandboxed iframes, file: pages, redirects): " + envWildcard},
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
