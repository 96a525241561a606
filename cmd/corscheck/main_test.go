package main

import (
	"encoding/json"
	"flag"
	"net"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsageErrors(t *testing.T) {
	const url = "http://127.0.0.1:1/items" // never contacted
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no arguments", nil, "missing URL"},
		{"no origin", []string{url}, "missing -origin"},
		{"two URLs", []string{"-origin", pageOrigin, url, url}, "exactly one URL or console message expected, got 2"},
		{"unknown flag", []string{"-origin", pageOrigin, "-bogus", url}, "flag provided but not defined: -bogus"},
		{"origin with trailing slash", []string{"-origin", pageOrigin + "/", url}, `has a trailing slash; use "` + pageOrigin + `"`},
		{"origin with path", []string{"-origin", pageOrigin + "/app", url}, "has a path"},
		{"origin with query", []string{"-origin", pageOrigin + "?", url}, "has a query"},
		{"origin without scheme", []string{"-origin", "app.example.com", url}, `has no scheme; origins start with "https://" or "http://"; use "https://app.example.com"`},
		{"origin with invalid scheme", []string{"-origin", "1http://app.example.com", url}, "has an invalid scheme"},
		{"origin without host", []string{"-origin", "https://", url}, "has no host"},
		{"origin with user info", []string{"-origin", "https://u@app.example.com", url}, "has user info"},
		{"origin with default port", []string{"-origin", "https://app.example.com:443", url}, `has the default port :443, which browsers leave out; use "https://app.example.com"`},
		{"origin with bad port", []string{"-origin", "https://app.example.com:99999", url}, "invalid port"},
		{"origin with leading zero in port", []string{"-origin", "https://app.example.com:0443", url}, `invalid port "0443"`},
		{"origin in upper case", []string{"-origin", "https://App.example.com", url}, `use "https://app.example.com"`},
		{"origin unparsable", []string{"-origin", "https://[::1", url}, "unclosed IPv6 bracket"},
		{"origin with uncompressed IPv6", []string{"-origin", "http://[0:0:0:0:0:0:0:1]", url}, "browsers write as [::1]"},
		{"origin with invalid IPv4", []string{"-origin", "http://256.1.1.1", url}, "invalid IPv4 address"},
		{"origin with empty label", []string{"-origin", "http://a..b", url}, `invalid host "a..b"`},
		{"origin with percent-encoded host", []string{"-origin", "http://a%800", url}, `invalid host "a%800"`},
		{"origin pattern", []string{"-origin", "https://*.example.com", url}, `is a pattern; a browser sends one origin, as in "https://app.example.com"`},
		{"bad method", []string{"-origin", pageOrigin, "-method", "PU T", url}, "not a valid HTTP method token"},
		{"forbidden method", []string{"-origin", pageOrigin, "-method", "trace", url}, "forbidden"},
		{"forbidden header", []string{"-origin", pageOrigin, "-H", "Cookie: a=b", url}, "forbidden request-header"},
		{"forbidden sec- header", []string{"-origin", pageOrigin, "-H", "Sec-Fetch-Mode: cors", url}, "forbidden request-header"},
		{"forbidden method override", []string{"-origin", pageOrigin, "-H", "X-HTTP-Method-Override: GET, TRACE", url}, "forbidden request-header"},
		{"bad header name", []string{"-origin", pageOrigin, "-H", "X Api: 1", url}, "not a valid HTTP token"},
		{"empty header name", []string{"-origin", pageOrigin, "-header", ": 1", url}, "not a valid HTTP token"},
		{"header value with NUL", []string{"-origin", pageOrigin, "-H", "X-A: a\x00b", url}, "must not contain CR, LF or NUL"},
		{"bad timeout", []string{"-origin", pageOrigin, "-timeout", "0s", url}, "-timeout must be positive"},
		{"relative URL", []string{"-origin", pageOrigin, "/items"}, "absolute http:// or https:// URL"},
		{"URL without host", []string{"-origin", pageOrigin, "http:///items"}, "has no host"},
		{"URL with user info", []string{"-origin", pageOrigin, "http://u:p@127.0.0.1:1/"}, "must not contain user info"},
		{"URL unparsable", []string{"-origin", pageOrigin, "http://[::1"}, "URL \"http://[::1\""},
		{"same origin", []string{"-origin", "http://127.0.0.1:1", url}, "same origin as -origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tt.args...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tt.want)
			assert.Contains(t, stderr, "Run 'corscheck -h' for usage.")
		})
	}
}

func TestHelp(t *testing.T) {
	code, stdout, stderr := runCLI("-h")
	assert.Equal(t, exitAllowed, code)
	assert.Empty(t, stderr)
	assert.Contains(t, stdout, "Usage: corscheck -origin ORIGIN [flags] URL")
	assert.Contains(t, stdout, "Exit status: 0 allowed, 1 blocked, 2 usage or network error.")
}

// Flags may follow the URL, and "--" ends the flags.
func TestFlagsAfterURL(t *testing.T) {
	srv := serve(t, &behaviour{preflight: goodPreflight(), actual: goodActual()})
	code, _, stderr := runCLI(srv.URL, "-origin", pageOrigin, "-method", "PUT", "-credentials", "-H", "X-Api-Key: k")
	assert.Equal(t, exitAllowed, code, stderr)

	code, _, stderr = runCLI("-origin", pageOrigin, "--", srv.URL)
	assert.Equal(t, exitAllowed, code, stderr)

	code, _, stderr = runCLI("-origin", pageOrigin, "--", srv.URL, "-json")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "exactly one URL or console message expected")
}

// A closed port gives no HTTP response: exit 2 and a "network_error", in
// JSON and in text.
func TestNetworkError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	url := "http://" + addr + "/items"

	for _, args := range [][]string{
		{"-origin", pageOrigin, url},
		{"-origin", pageOrigin, "-method", "PUT", url},
	} {
		code, res := runJSON(t, args...)
		assert.Equal(t, exitError, code)
		assert.Equal(t, verdictError, res.Verdict)
		assert.Equal(t, exitError, res.ExitCode)
		require.NotNil(t, res.Failure)
		assert.Equal(t, "network_error", string(res.Failure.Code))
		assert.Contains(t, res.Failure.Message, "connect")
		require.NotEmpty(t, res.Steps)
		assert.Equal(t, outcomeError, res.Steps[len(res.Steps)-1].Outcome)
		assert.Equal(t, 0, res.Steps[len(res.Steps)-1].Status)
	}

	code, text, _ := runCLI("-origin", pageOrigin, url)
	assert.Equal(t, exitError, code)
	assert.Contains(t, text, "Verdict: ERROR: no HTTP response, so no CORS verdict.")
	assert.Contains(t, text, "Likely cause [connection_refused]: Nothing accepts connections at "+addr)
	assert.Contains(t, text, "  Error: GET "+url+": ")
}

// A server slower than -timeout is a network error too.
func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer close(release)
	code, res := runJSON(t, "-origin", pageOrigin, "-timeout", "50ms", srv.URL)
	assert.Equal(t, exitError, code)
	require.NotNil(t, res.Failure)
	assert.Equal(t, "network_error", string(res.Failure.Code))
}

// The JSON object has exactly the documented fields, lists are never null.
func TestJSONShape(t *testing.T) {
	srv := serve(t, &behaviour{preflight: with(goodPreflight(), "Vary"), actual: goodActual()})
	code, stdout, _ := runCLI("-json", "-origin", pageOrigin, "-method", "PUT", "-credentials", "-H", "X-Api-Key: k", srv.URL+"/items")
	require.Equal(t, exitAllowed, code)

	var obj map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &obj))
	assert.Equal(t, []string{
		"allowed", "comparison", "credentials", "direct", "exit_code", "failure", "method", "origin", "pasted", "preflight",
		"request_headers", "requests_sent", "schema_version", "steps", "url", "verdict", "warnings",
	}, keys(obj))
	assert.Equal(t, float64(1), obj["schema_version"])
	assert.Equal(t, srv.URL+"/items", obj["url"])
	assert.Equal(t, true, obj["allowed"])
	assert.Equal(t, "allowed", obj["verdict"])
	assert.Nil(t, obj["failure"])
	assert.Equal(t, []any{map[string]any{"name": "X-Api-Key", "value": "k"}}, obj["request_headers"])
	assert.Equal(t, []string{"needed", "reasons"}, keys(obj["preflight"].(map[string]any)))

	steps := obj["steps"].([]any)
	require.Len(t, steps, 2)
	step := steps[0].(map[string]any)
	assert.Equal(t, []string{
		"kind", "method", "notes", "outcome", "request_headers", "response_headers", "status", "status_text", "url",
	}, keys(step))
	assert.Equal(t, "preflight", step["kind"])
	assert.Equal(t, "OPTIONS", step["method"])
	assert.Equal(t, float64(204), step["status"])
	assert.Equal(t, "No Content", step["status_text"])
	assert.Equal(t, "pass", step["outcome"])
	assert.Equal(t, []any{}, step["notes"])

	warnings := obj["warnings"].([]any)
	require.Len(t, warnings, 1)
	w := warnings[0].(map[string]any)
	assert.Equal(t, []string{"code", "fix", "message", "step"}, keys(w))
	assert.Equal(t, "missing_vary_origin", w["code"])
	assert.Equal(t, "preflight", w["step"])

	// A blocked verdict has a failure object.
	srv = serve(t, &behaviour{actual: http.Header{}})
	code, stdout, _ = runCLI("-json", "-origin", pageOrigin, srv.URL)
	require.Equal(t, exitBlocked, code)
	obj = map[string]any{}
	require.NoError(t, json.Unmarshal([]byte(stdout), &obj))
	failure := obj["failure"].(map[string]any)
	assert.Equal(t, []string{"cause", "code", "diagnosis", "fix", "message", "reason", "status", "step", "value"}, keys(failure))
	assert.Nil(t, obj["direct"])
	assert.Nil(t, obj["pasted"])
	assert.Equal(t, "", obj["comparison"])
	assert.Equal(t, []any{}, obj["warnings"])
	assert.Equal(t, []any{}, obj["request_headers"])
	assert.Equal(t, []any{}, obj["preflight"].(map[string]any)["reasons"])
}

// requests_sent is the number of HTTP requests the servers received, -direct
// ones included, and the text output prints the same number.
func TestRequestsSent(t *testing.T) {
	stripped := with(goodPreflight(), "Access-Control-Allow-Origin")
	tests := []struct {
		name    string
		args    []string
		through http.Handler
		direct  http.Handler // with -direct; nil without
		want    int
		probes  int
		text    string // what the text output says about it
	}{
		{
			name: "allowed simple GET", through: &behaviour{actual: goodActual()},
			want: 1, text: "corscheck sent 1 request(s).\n",
		},
		{
			name: "allowed with a preflight", args: putArgs, through: &behaviour{preflight: goodPreflight(), actual: goodActual()},
			want: 2, text: "corscheck sent 2 request(s).\n",
		},
		{
			// The preflight, a plain GET, a preflight for GET.
			name: "failure with probes", args: []string{"-method", "PURGE"}, through: legacyCORS(t, ok),
			want: 3, probes: 2, text: "corscheck sent 3 request(s).\n",
		},
		{
			// The stripped preflight through the proxy; the preflight and
			// the request straight to the application.
			name: "-direct", args: putArgs,
			through: &behaviour{preflight: stripped, actual: goodActual()},
			direct:  &behaviour{preflight: goodPreflight(), actual: goodActual()},
			want:    3, text: "corscheck sent 3 request(s), 2 of them straight to the application (-direct, below).\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			through := &counting{h: tt.through}
			args := append([]string{"-origin", pageOrigin}, tt.args...)
			var direct *counting
			if tt.direct != nil {
				direct = &counting{h: tt.direct}
				args = append(args, "-direct", serve(t, direct).URL+"/items")
			}
			args = append(args, serve(t, through).URL+"/items")

			_, res := runJSON(t, args...)
			received := through.n.Load()
			if direct != nil {
				require.NotNil(t, res.Direct)
				received += direct.n.Load()
				assert.Equal(t, int(direct.n.Load()), res.Direct.RequestsSent, "the -direct check's own")
				assert.Equal(t, len(res.Direct.Steps), res.Direct.RequestsSent)
			}
			assert.Equal(t, tt.want, res.RequestsSent)
			assert.Equal(t, int(received), res.RequestsSent, "requests the servers received")
			assert.Equal(t, tt.probes, countSteps(res, kindProbe))

			_, text, _ := runCLI(args...)
			assert.Contains(t, text, "\n"+tt.text)
		})
	}
}

// counting counts the requests that reach h.
type counting struct {
	h http.Handler
	n atomic.Int64
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h.ServeHTTP(w, r)
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The text report shows every step with the headers exchanged, then the
// verdict and the warnings.
func TestTextReport(t *testing.T) {
	srv := serve(t, &behaviour{preflight: with(goodPreflight(), "Access-Control-Max-Age", "100000"), actual: goodActual()})
	code, text, stderr := runCLI("-origin", pageOrigin, "-method", "PUT", "-credentials", "-H", "X-Api-Key: k", srv.URL+"/items")
	require.Equal(t, exitAllowed, code, stderr)
	for _, want := range []string{
		`corscheck: fetch("` + srv.URL + `/items", {method: "PUT", credentials: "include"}) from origin https://app.example.com`,
		"Preflight needed: yes\n  - method PUT is not a CORS-safelisted method (GET, HEAD, POST)\n  - header x-api-key is not a CORS-safelisted request-header\n",
		"[1] preflight: OPTIONS " + srv.URL + "/items\n",
		"    > Origin: https://app.example.com\n    > Access-Control-Request-Method: PUT\n    > Access-Control-Request-Headers: x-api-key\n",
		"    < 204 No Content\n",
		"    < Access-Control-Allow-Methods: GET, PUT, DELETE\n",
		"[2] request: PUT " + srv.URL + "/items\n",
		"    > X-Api-Key: k\n",
		"    < 200 OK\n",
		"    = pass\n",
		"Verdict: ALLOWED: a browser lets the script read the response.",
		"Warnings (not blocking, but they will bite):\n  - [max_age_above_browser_cap] Access-Control-Max-Age is 100000 s, above what Chromium honours: Chromium caches this preflight for 7200 s at most; Firefox caps it at 86400 s.",
		"    Fix: Use at most 7200 s",
	} {
		assert.Contains(t, text, want)
	}

	srv = serve(t, &behaviour{preflight: http.Header{}, preflightStatus: http.StatusMethodNotAllowed})
	code, text, _ = runCLI("-origin", pageOrigin, "-method", "DELETE", srv.URL)
	require.Equal(t, exitBlocked, code)
	assert.Contains(t, text, "Preflight needed: yes\n  - method DELETE is not a CORS-safelisted method")
	assert.Contains(t, text, "    < 405 Method Not Allowed\n    = fail\n")
	assert.Contains(t, text, "The browser stops after a failed preflight: the request itself is never sent.")
	assert.Equal(t, 1, strings.Count(text, "[1]"))
	assert.NotContains(t, text, "request: DELETE", "only a probe follows")

	srv = serve(t, &behaviour{actual: hdr("Access-Control-Allow-Origin", "*")})
	_, text, _ = runCLI("-origin", pageOrigin, srv.URL)
	assert.Contains(t, text, "Preflight needed: no (CORS-safelisted method and headers")
}

// corscheck -h, and the README's table of flags, list every flag the
// command defines.
func TestHelpListsEveryFlag(t *testing.T) {
	code, help, _ := runCLI("-h")
	require.Equal(t, exitAllowed, code)
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	var names []string
	newFlagSet(&config{}, &rawFlags{}).VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	require.Subset(t, names, []string{"origin", "method", "header", "H", "credentials", "direct", "json", "timeout", "data", "body-size"})
	for _, name := range names {
		assert.Regexp(t, `(?m)^  (\S.*, )?-`+regexp.QuoteMeta(name)+`\b`, help, "corscheck -h lists -%s", name)
		listed := regexp.MustCompile("(?m)^\\| .*`-" + regexp.QuoteMeta(name) + "[ `]").Match(readme)
		assert.True(t, listed, "the README's table of flags lists -%s", name)
	}
}
