package cors

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRefusesUnsafeOrImpossibleConfigs(t *testing.T) {
	valid := Options{AllowedOrigins: []string{"https://app.example.com"}}
	with := func(change func(*Options)) Options {
		o := valid
		change(&o)
		return o
	}
	tests := []struct {
		name     string
		opts     Options
		sentinel error
		message  string
	}{
		{"wildcard with credentials", Options{AllowedOrigins: []string{"*"}, AllowCredentials: true},
			ErrWildcardWithCredentials, `AllowedOrigins: "*" cannot go with AllowCredentials`},
		{"wildcard among origins", Options{AllowedOrigins: []string{"*", "https://a.example"}},
			ErrInvalidOrigin, `list "*" alone`},
		{"trailing slash", Options{AllowedOrigins: []string{"https://app.example.com/"}},
			ErrInvalidOrigin, `AllowedOrigins: "https://app.example.com/" has a trailing slash; use "https://app.example.com"`},
		{"path", Options{AllowedOrigins: []string{"https://app.example.com/app"}}, ErrInvalidOrigin, `has a path`},
		{"no scheme", Options{AllowedOrigins: []string{"app.example.com"}}, ErrInvalidOrigin, `use "https://app.example.com"`},
		{"upper case", Options{AllowedOrigins: []string{"https://App.Example.com"}}, ErrInvalidOrigin, `use "https://app.example.com"`},
		{"default https port", Options{AllowedOrigins: []string{"https://app.example.com:443"}}, ErrInvalidOrigin, `use "https://app.example.com"`},
		{"default http port", Options{AllowedOrigins: []string{"http://localhost:80"}}, ErrInvalidOrigin, `use "http://localhost"`},
		{"query", Options{AllowedOrigins: []string{"https://a.example?x"}}, ErrInvalidOrigin, `has a query`},
		{"fragment", Options{AllowedOrigins: []string{"https://a.example#x"}}, ErrInvalidOrigin, `has a fragment`},
		{"user info", Options{AllowedOrigins: []string{"https://u@a.example"}}, ErrInvalidOrigin, `user info`},
		{"bad port", Options{AllowedOrigins: []string{"https://a.example:70000"}}, ErrInvalidOrigin, `invalid port`},
		{"empty host", Options{AllowedOrigins: []string{"https://"}}, ErrInvalidOrigin, `has no host`},
		{"empty string", Options{AllowedOrigins: []string{""}}, ErrInvalidOrigin, `is empty`},
		{"null", Options{AllowedOrigins: []string{"null"}}, ErrInvalidOrigin, `sandboxed iframes`},
		{"empty list", Options{}, ErrNoOrigins, `AllowedOrigins: is empty`},
		{"bad pattern", Options{AllowedOrigins: []string{"https://a.*.example.com"}}, ErrInvalidOrigin, `"*"`},
		{"infix directly under a top-level domain", Options{AllowedOrigins: []string{"https://*example.com"}}, ErrInvalidOrigin, `directly under the top-level domain`},
		{"any port on a public host", Options{AllowedOrigins: []string{"https://app.example.com:*"}}, ErrInvalidOrigin, `list the ports`},
		{"preview slug under vercel.app with credentials", Options{AllowedOrigins: []string{"https://myapp-*-acme.vercel.app"}, AllowCredentials: true},
			ErrInvalidOrigin, `use a preview domain of your own, as in "https://*.preview.example.com"`},
		{"preview slug under netlify.app with credentials", Options{AllowedOrigins: []string{"https://deploy-preview-*.netlify.app"}, AllowCredentials: true},
			ErrInvalidOrigin, `public suffix "netlify.app"`},
		{"pattern under public suffix with credentials", Options{AllowedOrigins: []string{"https://*.com"}, AllowCredentials: true},
			ErrInvalidOrigin, `public suffix "com"`},
		{"pattern under co.uk with credentials", Options{AllowedOrigins: []string{"https://*.co.uk"}, AllowCredentials: true},
			ErrInvalidOrigin, `public suffix "co.uk"`},
		{"pattern under github.io with credentials", Options{AllowedOrigins: []string{"https://*.github.io"}, AllowCredentials: true},
			ErrInvalidOrigin, `public suffix "github.io"`},
		{"max age above 24h", with(func(o *Options) { o.MaxAge = 25 * time.Hour }), ErrInvalidMaxAge, `above 24h`},
		{"max age fraction", with(func(o *Options) { o.MaxAge = 1500 * time.Millisecond }), ErrInvalidMaxAge, `use "1s"`},
		{"method token", with(func(o *Options) { o.AllowedMethods = []string{"PU T"} }), ErrInvalidMethod, `not a valid method`},
		{"method spaces", with(func(o *Options) { o.AllowedMethods = []string{" PUT"} }), ErrInvalidMethod, `use "PUT"`},
		{"method lower case", with(func(o *Options) { o.AllowedMethods = []string{"delete"} }), ErrInvalidMethod, `use "DELETE"`},
		{"forbidden method", with(func(o *Options) { o.AllowedMethods = []string{"TRACE"} }), ErrInvalidMethod, `never let scripts send`},
		{"header name", with(func(o *Options) { o.AllowedHeaders = []string{"X Api"} }), ErrInvalidHeader, `not a valid header name`},
		{"long header name", with(func(o *Options) { o.AllowedHeaders = []string{strings.Repeat("x", 200)} }), ErrInvalidHeader, `longer than`},
		{"exposed header name", with(func(o *Options) { o.ExposedHeaders = []string{"X-Id:"} }), ErrInvalidHeader, `ExposedHeaders`},
		{"exposed wildcard with credentials", with(func(o *Options) { o.ExposedHeaders = []string{"*"}; o.AllowCredentials = true }),
			ErrWildcardWithCredentials, `ExposedHeaders: "*" cannot go with AllowCredentials`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(tt.opts)
			require.Error(t, err)
			assert.Nil(t, m)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.Contains(t, err.Error(), tt.message)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.ErrorIs(t, ce, tt.sentinel)
		})
	}
}

func TestNewReportsEveryProblemAtOnce(t *testing.T) {
	_, err := New(Options{
		AllowedOrigins:   []string{"https://a.example/", "b.example", "*"},
		AllowCredentials: true,
		AllowedMethods:   []string{"put"},
		AllowedHeaders:   []string{"a b"},
		MaxAge:           48 * time.Hour,
	})
	require.Error(t, err)
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "New joins its errors")
	assert.Len(t, joined.Unwrap(), 7)
	for _, sentinel := range []error{ErrWildcardWithCredentials, ErrInvalidOrigin, ErrInvalidMethod, ErrInvalidHeader, ErrInvalidMaxAge} {
		assert.ErrorIs(t, err, sentinel)
	}
}

func TestNewAcceptsWhatBrowsersSend(t *testing.T) {
	for _, o := range []string{
		"https://app.example.com", "http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:8080",
		"https://xn--bcher-kva.example", "capacitor://localhost", "chrome-extension://abcdefghijklmnop",
		"https://app.example.com:8443", "https://*.example.com",
		"http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*", "http://*.localhost:*", "http://*.app.localhost",
		"https://myapp-*-acme.preview.example.com",
	} {
		_, err := New(Options{AllowedOrigins: []string{o}, AllowCredentials: true})
		assert.NoError(t, err, o)
	}
	_, err := New(Options{AllowedOrigins: []string{"https://*.com"}})
	assert.NoError(t, err, "a broad pattern without credentials exposes nothing private")
	_, err = New(Options{AllowedOrigins: []string{"https://myapp-*-acme.vercel.app"}})
	assert.NoError(t, err, "preview deployments without credentials")
	_, err = New(Options{AllowedOrigins: []string{"*"}, ExposedHeaders: []string{"*"}, AllowedMethods: []string{"*"}, AllowedHeaders: []string{"*"}})
	assert.NoError(t, err)
}

type suffixList map[string]bool

func (l suffixList) PublicSuffix(domain string) string {
	if l[domain] {
		return domain
	}
	return domain[strings.LastIndexByte(domain, '.')+1:]
}
func (l suffixList) String() string { return "test list" }

func TestPublicSuffixList(t *testing.T) {
	o := Options{AllowedOrigins: []string{"https://*.myhost.example"}, AllowCredentials: true}
	_, err := New(o)
	require.NoError(t, err)
	o.PublicSuffixList = suffixList{"myhost.example": true}
	_, err = New(o)
	assert.ErrorIs(t, err, ErrInvalidOrigin)

	// A list that calls every unlisted top-level domain a public suffix, as
	// the Public Suffix List's default rule does, never refuses localhost:
	// RFC 6761 keeps it on loopback.
	_, err = New(Options{AllowedOrigins: []string{"http://*.localhost:*"}, AllowCredentials: true, PublicSuffixList: suffixList{}})
	assert.NoError(t, err)
}

func TestLoopbackAnyPortAndPreviewPatterns(t *testing.T) {
	m := mustNew(t, Options{
		AllowedOrigins:   []string{"http://localhost:*", "http://*.localhost:*", "https://myapp-*-acme.preview.example.com"},
		AllowCredentials: true,
	})
	tests := []struct {
		origin  string
		allowed bool
	}{
		{"http://localhost:3000", true},
		{"http://localhost:5173", true},
		{"http://localhost", true},
		{"http://tenant.localhost:8080", true},
		{"https://localhost:3000", false},
		{"http://localhost.evil.example:3000", false},
		{"https://myapp-git-main-acme.preview.example.com", true},
		{"https://myapp-acme.preview.example.com", false},
		{"https://myapp-a.b-acme.preview.example.com", false},
		{"https://evil.myapp-x-acme.preview.example.com", false},
		{"https://myapp-x-acme.preview.example.com:8443", false},
		{"http://myapp-x-acme.preview.example.com", false},
	}
	for _, tt := range tests {
		res := serve(m.Handler(okHandler), actualReq(tt.origin))
		if tt.allowed {
			assert.Equal(t, tt.origin, res.Header().Get("Access-Control-Allow-Origin"), tt.origin)
		} else {
			assertNoCORSHeaders(t, res.Header())
		}
	}
}

func TestMaxAgeValues(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "600", -1: "0", time.Hour: "3600", 24 * time.Hour: "86400", time.Second: "1"} {
		m, err := New(Options{AllowedOrigins: []string{"https://a.example"}, MaxAge: d})
		require.NoError(t, err)
		res := serve(m.Handler(okHandler), preflightReq("https://a.example", "GET", ""))
		assert.Equal(t, want, res.Header().Get("Access-Control-Max-Age"), d)
	}
}

func TestNewCopiesTheCallersSlices(t *testing.T) {
	o := Options{
		AllowedOrigins: []string{"https://a.example"},
		AllowedMethods: []string{"PUT"},
		AllowedHeaders: []string{"X-Api-Key"},
		ExposedHeaders: []string{"X-Id"},
	}
	m, err := New(o)
	require.NoError(t, err)
	o.AllowedOrigins[0] = "https://evil.example"
	o.AllowedMethods[0] = "DELETE"
	o.AllowedHeaders[0] = "X-Other"
	o.ExposedHeaders[0] = "X-Secret"
	h := m.Handler(okHandler)

	res := serve(h, actualReq("https://a.example"))
	assert.Equal(t, "https://a.example", res.Header().Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Id", res.Header().Get("Access-Control-Expose-Headers"))
	assert.Empty(t, serve(h, actualReq("https://evil.example")).Header().Get("Access-Control-Allow-Origin"))
	assert.Equal(t, http.StatusNoContent, serve(h, preflightReq("https://a.example", "PUT", "x-api-key")).Code)
	assert.NotContains(t, serve(h, preflightReq("https://a.example", "DELETE", "")).Header().Get("Access-Control-Allow-Methods"), "DELETE")
	assert.NotContains(t, serve(h, preflightReq("https://a.example", "PUT", "x-other")).Header().Get("Access-Control-Allow-Headers"), "x-other")
}

func TestConfigErrorMessage(t *testing.T) {
	e := &ConfigError{Field: "CORS_MAX_AGE", Value: "ten", Reason: "is bad", Err: ErrInvalidEnv}
	assert.Equal(t, `CORS_MAX_AGE: "ten" is bad`, e.Error())
	assert.True(t, errors.Is(e, ErrInvalidEnv))
	e = &ConfigError{Field: "AllowedOrigins", Value: "x", Reason: "has no scheme", Fix: "https://x"}
	assert.Equal(t, `AllowedOrigins: "x" has no scheme; use "https://x"`, e.Error())
}

// Helpers shared by the package's tests.

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("ok"))
})

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func actualReq(origin string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	return r
}

func preflightReq(origin, method, headers string) *http.Request {
	r := httptest.NewRequest(http.MethodOptions, "/", nil)
	r.Header.Set("Origin", origin)
	r.Header.Set("Access-Control-Request-Method", method)
	if headers != "" {
		r.Header.Set("Access-Control-Request-Headers", headers)
	}
	return r
}
