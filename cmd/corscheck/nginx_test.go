//go:build nginx

package main

import (
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
	put := []string{"-method", "PUT", "-H", "X-Api-Key: k"}
	runProduct(t, proxylab.Nginx, base, u, map[string]expect{
		"a faithful proxy": {},
		"upstream down": {named: true, diagnosis: diagGatewayError, probes: probes(0),
			cause: []string{"nginx answered 502 Bad Gateway to the preflight"}, fix: []string{"'connect() failed'", "add_header ... always"}},
		"upstream too slow": {named: true, diagnosis: diagGatewayError, probes: probes(0),
			cause: []string{"nginx answered 504 Gateway Time-out to the request"}, fix: []string{"proxy_read_timeout"}},
		"nginx's own 404": {named: true, diagnosis: diagProxyErrorPage, probes: probes(0),
			cause: []string{"nginx answered 404 Not Found with its own error page"}},
		"proxy_hide_header": {named: true, diagnosis: diagAllowOriginStripped, probes: probes(0),
			cause: []string{"carries other CORS headers", "a header rule at nginx"}, fix: []string{"proxy_hide_header"}},
		"trailing-slash redirect": {named: true, diagnosis: diagRedirectTrailingSlash, probes: probes(0),
			cause: []string{"301 Moved Permanently", "{base}/dir/"}},
		"http to https": {diagnosis: diagRedirectToHTTPS, probes: probes(0)},
		"limit_except refuses OPTIONS": {named: true, diagnosis: diagProxyRefusedOptions, probes: probes(3),
			cause: []string{"nginx refused the OPTIONS request itself with 403", `named by its error page ("<center>nginx")`}, fix: []string{"limit_except"}},
		"auth_basic": {named: true, diagnosis: diagAuthBeforeCORS, probes: probes(0), fix: []string{"limit_except OPTIONS { auth_basic"}},
		"add_header on top of the application's": {named: true, diagnosis: diagAllowOriginTwice, probes: probes(0),
			cause: []string{`2 Access-Control-Allow-Origin headers ("https://app.example.com", "*")`}},
		"a cache that ignores Vary": {named: true, diagnosis: diagCacheIgnoresVary, probes: probes(1),
			cause: []string{"X-Cache-Status: HIT", "'Access-Control-Allow-Origin: https://admin.example.com'"}},
		"add_header for an application without CORS": {},
		"add_header without always, the application's 500": {named: true, diagnosis: diagErrorWithoutCORS, probes: probes(0),
			fix: []string{"add_header ... always"}},
	})
	for _, tt := range []hopCase{
		{
			name: "proxy_hide_header, with -direct", args: append([]string{"-direct", "http://" + u.App + "/strip/items"}, put...),
			url:  func() string { return base + "/strip/items" },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyBreaksCORS, probes: 0,
			cause: []string{"straight to the application it got 204 No Content with 'Access-Control-Allow-Origin: https://app.example.com'"},
		},
		{
			name: "the library's 403, through nginx", origin: "https://evil.example.net", args: put,
			url:  func() string { return base + "/ok/items" },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagCORSRefusedOrigin, probes: 1,
		},
	} {
		t.Run(tt.name, func(t *testing.T) { runHop(t, tt) })
	}
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
