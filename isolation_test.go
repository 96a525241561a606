package cors

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNoValueArrayIsSharedBetweenResponses holds the invariant that no
// header value slice is shared between responses, between headers, or with
// the request: each value the middleware sets has an array of its own, so a
// write into one, in place or by append, reaches nothing else. It checks the
// arrays' addresses, on every path.
func TestNoValueArrayIsSharedBetweenResponses(t *testing.T) {
	opts := Options{
		AllowedOrigins:   []string{testOrigin},
		AllowCredentials: true,
		AllowedMethods:   []string{"PUT"},
		AllowedHeaders:   []string{"X-Api-Key"},
		ExposedHeaders:   []string{"X-Request-Id"},
		Logger:           quiet,
	}
	named := mustNew(t, opts)
	wildcard := mustNew(t, Options{AllowedOrigins: []string{"*"}, Logger: quiet})
	requests := func() []*http.Request {
		return []*http.Request{
			actualReq(testOrigin), actualReq(""), actualReq("https://evil.example"),
			preflightReq(testOrigin, "PUT", "x-api-key"), preflightReq(testOrigin, "PURGE", ""),
			preflightReq(testOrigin, "PUT", "x-other"), preflightReq("https://evil.example", "PUT", ""),
		}
	}
	owner := map[*string]string{}
	claim := func(who string, h http.Header) {
		for k, v := range h {
			if len(v) == 0 {
				continue
			}
			if prev, ok := owner[&v[0]]; ok {
				t.Errorf("%s %s shares its array with %s", who, k, prev)
			}
			owner[&v[0]] = who + " " + k
		}
	}
	for round := 0; round < 2; round++ {
		for mi, m := range []*Middleware{named, wildcard} {
			for ri, r := range requests() {
				claim(fmt.Sprintf("request %d/%d/%d", round, mi, ri), r.Header)
				w := httptest.NewRecorder()
				m.Handler(okHandler).ServeHTTP(w, r)
				claim(fmt.Sprintf("response %d/%d/%d", round, mi, ri), w.Header())
				w = httptest.NewRecorder()
				m.Apply(w, r)
				claim(fmt.Sprintf("Apply response %d/%d/%d", round, mi, ri), w.Header())
			}
		}
	}
	assert.Greater(t, len(owner), 50, "the test saw the values")
}

// TestRewrittenValueIsNotHandedOn: code that rewrites a value in place after
// the status is sent, the handler or outer middleware after the response,
// changes no later response.
func TestRewrittenValueIsNotHandedOn(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, AllowCredentials: true, ExposedHeaders: []string{"X-Id"}, Logger: quiet})
	rewrite := func(h http.Header) {
		for k, v := range h {
			if k == headerVary || len(k) > len(accessControl) && k[:len(accessControl)] == accessControl {
				v[0] = "tampered"
			}
		}
	}
	inner := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		rewrite(w.Header()) // the handler, after the status
	}))
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(w, r)
		rewrite(w.Header()) // outer middleware, after the response
	})
	for _, origin := range []string{testOrigin, "", "https://evil.example"} {
		w := serve(outer, actualReq(origin))
		assert.Equal(t, "tampered", w.Header().Get("Vary"), "the rewrite happened")
		next := serve(m.Handler(okHandler), actualReq(origin))
		assert.Equal(t, "Origin", next.Header().Get("Vary"), "origin %q", origin)
		if origin == testOrigin {
			assert.Equal(t, testOrigin, next.Header().Get("Access-Control-Allow-Origin"))
			assert.Equal(t, "true", next.Header().Get("Access-Control-Allow-Credentials"))
			assert.Equal(t, "X-Id", next.Header().Get("Access-Control-Expose-Headers"))
		}
	}
	pre := serve(m.Handler(okHandler), preflightReq(testOrigin, "GET", ""))
	rewrite(pre.Header())
	pre = serve(m.Handler(okHandler), preflightReq(testOrigin, "GET", ""))
	assert.Equal(t, testOrigin, pre.Header().Get("Access-Control-Allow-Origin"))
	assert.Equal(t, varyPreflight, pre.Header().Get("Vary"))
}
