// Package corstest holds the request builders and header assertions that
// some examples' tests share, for what a browser's verdict does not show
// (Vary, exact header values). For the verdict itself, whether the page's
// script can read the answer, use github.com/corsguard/cors/corstest.
package corstest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Request builds a request as a browser would send it from origin; an empty
// origin sends no Origin header (curl, server to server).
func Request(method, target, origin string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	return r
}

// Preflight builds the OPTIONS request a browser sends before a cross-origin
// request with method and the given request headers.
func Preflight(target, origin, method string, headers ...string) *http.Request {
	r := Request(http.MethodOptions, target, origin)
	r.Header.Set("Access-Control-Request-Method", method)
	if len(headers) > 0 {
		r.Header.Set("Access-Control-Request-Headers", strings.ToLower(strings.Join(headers, ",")))
	}
	return r
}

// Serve runs h on r and returns the recorded response.
func Serve(h http.Handler, r *http.Request) *http.Response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Result()
}

// AssertPreflightAllowed checks a preflight answer that lets origin send
// method with headers: 204, the allow headers and a cache lifetime.
func AssertPreflightAllowed(t testing.TB, res *http.Response, origin, method string, headers ...string) {
	t.Helper()
	assert.Equal(t, http.StatusNoContent, res.StatusCode, "preflight status")
	assert.Equal(t, origin, res.Header.Get("Access-Control-Allow-Origin"))
	assert.True(t, listHas(res.Header, "Access-Control-Allow-Methods", method, false),
		"Access-Control-Allow-Methods %q lacks %s", res.Header.Values("Access-Control-Allow-Methods"), method)
	for _, h := range headers {
		assert.True(t, listHas(res.Header, "Access-Control-Allow-Headers", h, true),
			"Access-Control-Allow-Headers %q lacks %s", res.Header.Values("Access-Control-Allow-Headers"), h)
	}
	assert.NotEmpty(t, res.Header.Get("Access-Control-Max-Age"), "Access-Control-Max-Age")
	AssertVaryOrigin(t, res)
}

// AssertAllowed checks an actual response readable by a script of origin.
func AssertAllowed(t testing.TB, res *http.Response, origin string) {
	t.Helper()
	assert.Equal(t, origin, res.Header.Get("Access-Control-Allow-Origin"))
	AssertVaryOrigin(t, res)
}

// AssertNoCORS checks a response that grants nothing: no Access-Control-*
// header at all, but still "Vary: Origin" so caches keep answers apart, except
// on a refused preflight's 403, which no cache stores.
func AssertNoCORS(t testing.TB, res *http.Response) {
	t.Helper()
	for name := range res.Header {
		assert.False(t, strings.HasPrefix(name, "Access-Control-"), "unexpected header %s: %q", name, res.Header.Values(name))
	}
	if res.StatusCode == http.StatusForbidden {
		// A refused preflight: no standard cache stores a 403 to OPTIONS,
		// so it carries no Vary.
		assert.Empty(t, res.Header.Values("Vary"))
		return
	}
	AssertVaryOrigin(t, res)
}

// AssertVaryOrigin checks that the response varies by Origin.
func AssertVaryOrigin(t testing.TB, res *http.Response) {
	t.Helper()
	assert.True(t, listHas(res.Header, "Vary", "Origin", true), "Vary %q lacks Origin", res.Header.Values("Vary"))
}

// Foreign is an origin that no example allows.
const Foreign = "https://evil.example.net"

// RequireStatus stops the test when the response status is not want.
func RequireStatus(t testing.TB, res *http.Response, want int) {
	t.Helper()
	require.Equal(t, want, res.StatusCode, "status")
}

// listHas reports whether the comma-separated header name, over all its
// lines, holds token. "*" does not count: the library answers by name, and a
// "*" means nothing to a browser on a request with credentials.
func listHas(h http.Header, name, token string, foldCase bool) bool {
	for _, line := range h.Values(name) {
		for _, v := range strings.Split(line, ",") {
			v = strings.TrimSpace(v)
			if v == token || foldCase && strings.EqualFold(v, token) {
				return true
			}
		}
	}
	return false
}
