//go:build nginx

package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/internal/proxylab"
)

// These tests put Debian's nginx, run by proxylab as a child process on
// loopback with a configuration of its own (internal/proxylab/conf), in
// front of the real library, and hold corscheck to naming what nginx did.
// They need nginx, so they build only with -tags nginx, which CI sets after
// installing it:
//
//	CI=true go test -tags nginx ./cmd/corscheck
//
// A missing nginx skips them, and fails them when CI=true: in CI they must
// not pass by not running.

func TestBehindNginx(t *testing.T) {
	u := proxylab.NewUpstreams(t, pageOrigin)
	base := proxylab.Nginx.Start(t, u)
	at := func(path string) func() string { return func() string { return base + path } }
	put := []string{"-method", "PUT", "-H", "X-Api-Key: k"}

	t.Run("a faithful proxy", func(t *testing.T) {
		runHop(t, hopCase{args: put, url: at("/ok/items")})
	})
	for _, tt := range []hopCase{
		{
			name: "upstream down", args: put, url: at("/down/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagGatewayError, probes: 0,
			cause: []string{"nginx answered 502 Bad Gateway to the preflight"},
			fix:   []string{"'connect() failed'", "add_header ... always"},
		},
		{
			name: "upstream too slow", url: at("/slow/items"),
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagGatewayError, probes: 0,
			cause: []string{"nginx answered 504 Gateway Timeout to the request"},
			fix:   []string{"proxy_read_timeout"},
		},
		{
			name: "nginx's own 404", url: at("/nowhere"),
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagProxyErrorPage, probes: 0,
			cause: []string{"nginx answered 404 Not Found with its own error page"},
		},
		{
			name: "proxy_hide_header", args: put, url: at("/strip/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagAllowOriginStripped, probes: 0,
			cause: []string{"carries other CORS headers", "a header rule at nginx"}, fix: []string{"proxy_hide_header"},
		},
		{
			name: "proxy_hide_header, with -direct", args: append([]string{"-direct", "http://" + u.App + "/strip/items"}, put...), url: at("/strip/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyBreaksCORS, probes: 0,
			cause: []string{"straight to the application it got 204 No Content with 'Access-Control-Allow-Origin: https://app.example.com'"},
		},
		{
			name: "trailing-slash redirect", url: at("/dir"),
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagRedirectTrailingSlash, probes: 0,
			cause: []string{"301 Moved Permanently", base + "/dir/"},
		},
		{
			name: "http to https", url: at("/insecure/items"),
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagRedirectToHTTPS, probes: 0,
		},
		{
			name: "limit_except refuses OPTIONS", args: put, url: at("/limited/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyRefusedOptions, probes: 3,
			cause: []string{"nginx refused the OPTIONS request itself with 403", "named by its error page"}, fix: []string{"limit_except"},
		},
		{
			name: "the library's 403, through nginx", origin: "https://evil.example.net", args: put, url: at("/ok/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagCORSRefusedOrigin, probes: 1,
		},
		{
			name: "auth_basic", args: put, url: at("/auth/items"),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagAuthBeforeCORS, probes: 0,
		},
		{
			name: "add_header on top of the application's", url: at("/twice/items"),
			code: "multiple_allow_origin_values", step: kindRequest, diagnosis: diagAllowOriginTwice, probes: 0,
			cause: []string{`2 Access-Control-Allow-Origin headers ("https://app.example.com", "*")`},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runHop(t, tt)
			if tt.diagnosis != diagAuthBeforeCORS && tt.diagnosis != diagCORSRefusedOrigin && tt.diagnosis != diagRedirectToHTTPS {
				assert.Equal(t, "nginx", firstValue(res.Steps[0], "Server")[:5], "the report shows who answered")
			}
		})
	}
	t.Run("a cache that ignores Vary", func(t *testing.T) {
		warm(t, base+"/cached/items", otherOrigin)
		res := runHop(t, hopCase{
			url: at("/cached/items"), code: "allow_origin_mismatch", step: kindRequest, diagnosis: diagCacheIgnoresVary, probes: 1,
			cause: []string{"X-Cache-Status: HIT", "'Access-Control-Allow-Origin: https://admin.example.com'"},
		})
		assert.Equal(t, "HIT", firstValue(res.Steps[0], "X-Cache-Status"))
	})
	t.Run("return 444 drops the connection", func(t *testing.T) {
		code, res := runJSON(t, "-origin", pageOrigin, base+"/drop/items")
		assert.Equal(t, exitError, code)
		require.NotNil(t, res.Failure)
		assert.Equal(t, diagConnectionDropped, res.Failure.Diagnosis)
		assert.Contains(t, res.Failure.Cause, "nginx's 'return 444'")
	})
	t.Run("a console message about nginx's 502", func(t *testing.T) {
		msg := "Access to fetch at '" + base + "/down/items' from origin '" + pageOrigin + "' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
		code, res := runJSON(t, msg)
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Pasted)
		assert.True(t, res.Pasted.Reproduced)
		assert.Equal(t, diagGatewayError, res.Failure.Diagnosis)
	})
}

// firstValue returns the first shown value of a response header of step.
func firstValue(s *Step, name string) string {
	for _, f := range s.ResponseHeaders {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return "(none)"
}
