//go:build go1.25

package cors

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCrossOriginProtectionSharesTheAllowList(t *testing.T) {
	m := mustNew(t, Options{
		AllowedOrigins:   []string{testOrigin, "https://*.example.org"},
		AllowCredentials: true,
		AllowedHeaders:   []string{"Content-Type"},
	})
	h := m.Handler(m.CrossOriginProtection().Handler(okHandler))
	post := func(origin string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "https://api.example.com/items", nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		return serve(h, r)
	}

	allowed := post(testOrigin)
	assert.Equal(t, http.StatusOK, allowed.Code, "an allowed origin can POST")
	assert.Equal(t, testOrigin, allowed.Header().Get("Access-Control-Allow-Origin"))

	foreign := post("https://evil.example")
	assert.Equal(t, http.StatusForbidden, foreign.Code, "a foreign origin's POST is rejected")
	assertNoCORSHeaders(t, foreign.Header())

	pattern := post("https://a.example.org")
	assert.Equal(t, http.StatusForbidden, pattern.Code, "patterns are not trusted for CSRF: the standard library trusts exact origins")
	assert.Equal(t, "https://a.example.org", pattern.Header().Get("Access-Control-Allow-Origin"), "yet CORS still answers it")

	assert.Equal(t, http.StatusNoContent, serve(h, preflightReq(testOrigin, "POST", "content-type")).Code,
		"preflights are answered before the CSRF check")
}

func TestCrossOriginProtectionOfZeroMiddleware(t *testing.T) {
	var m Middleware
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("Origin", testOrigin)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	assert.Error(t, m.CrossOriginProtection().Check(r))
}
