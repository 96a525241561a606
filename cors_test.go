package cors

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustNew(t testing.TB, o Options) *Middleware {
	t.Helper()
	m, err := New(o)
	require.NoError(t, err)
	return m
}

var corsHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers",
	"Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age",
}

func assertNoCORSHeaders(t *testing.T, h http.Header) {
	t.Helper()
	for _, k := range corsHeaders {
		assert.Empty(t, h.Values(k), k)
	}
}

func TestActualRequests(t *testing.T) {
	exact := mustNew(t, Options{
		AllowedOrigins:   []string{"https://app.example.com", "http://localhost:3000"},
		AllowCredentials: true,
		ExposedHeaders:   []string{"X-Request-Id", "X-Total"},
	})
	wildcard := mustNew(t, Options{AllowedOrigins: []string{"*"}})
	tests := []struct {
		name        string
		m           *Middleware
		origin      string
		allowOrigin string
	}{
		{"allowed", exact, "https://app.example.com", "https://app.example.com"},
		{"allowed localhost", exact, "http://localhost:3000", "http://localhost:3000"},
		{"suffix attack", exact, "https://app.example.com.evil.net", ""},
		{"prefix attack", exact, "https://evilapp.example.com", ""},
		{"case", exact, "https://APP.example.com", ""},
		{"scheme", exact, "http://app.example.com", ""},
		{"port", exact, "https://app.example.com:8443", ""},
		{"trailing slash", exact, "https://app.example.com/", ""},
		{"null", exact, "null", ""},
		{"empty", exact, "", ""},
		{"wildcard", wildcard, "https://anyone.example", "*"},
		{"wildcard null", wildcard, "null", "*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var served atomic.Bool
			h := tt.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				served.Store(true)
				_, _ = w.Write([]byte("body"))
			}))
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header["Origin"] = []string{tt.origin}
			res := serve(h, r)
			assert.True(t, served.Load(), "the handler runs whatever the origin: browsers enforce CORS")
			assert.Equal(t, http.StatusOK, res.Code)
			assert.Equal(t, "body", res.Body.String())
			if tt.m == wildcard {
				assert.Empty(t, res.Header().Values("Vary"), "a * answer does not depend on Origin")
			} else {
				assert.Equal(t, []string{"Origin"}, res.Header().Values("Vary"))
			}
			if tt.allowOrigin == "" {
				assertNoCORSHeaders(t, res.Header())
				return
			}
			assert.Equal(t, []string{tt.allowOrigin}, res.Header().Values("Access-Control-Allow-Origin"))
			if tt.m == exact {
				assert.Equal(t, "true", res.Header().Get("Access-Control-Allow-Credentials"))
				assert.Equal(t, "X-Request-Id,X-Total", res.Header().Get("Access-Control-Expose-Headers"))
			} else {
				assert.Empty(t, res.Header().Values("Access-Control-Allow-Credentials"))
			}
			assert.Empty(t, res.Header().Values("Access-Control-Allow-Methods"), "only preflights list methods")
		})
	}
}

func TestVaryIsAddedNeverReplaced(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"https://a.example"}})
	outer := func(vary string, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Vary", vary)
			next.ServeHTTP(w, r)
		})
	}
	tests := []struct {
		name, vary string
		r          *http.Request
		want       []string
	}{
		{"no origin", "Accept-Encoding", actualReq(""), []string{"Accept-Encoding", "Origin"}},
		{"refused", "Accept-Encoding", actualReq("https://b.example"), []string{"Accept-Encoding", "Origin"}},
		{"allowed", "Accept-Encoding", actualReq("https://a.example"), []string{"Accept-Encoding", "Origin"}},
		{"already there", "Accept-Encoding, origin", actualReq("https://a.example"), []string{"Accept-Encoding, origin"}},
		{"star", "*", actualReq("https://a.example"), []string{"*"}},
		{"preflight", "Accept-Encoding", preflightReq("https://a.example", "GET", ""),
			[]string{"Accept-Encoding", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}},
		{"refused preflight", "Accept-Encoding", preflightReq("https://b.example", "GET", ""),
			[]string{"Accept-Encoding", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(outer(tt.vary, m.Handler(okHandler)), tt.r)
			assert.Equal(t, tt.want, res.Header().Values("Vary"))
		})
	}
	t.Run("handler replaces Vary", func(t *testing.T) {
		h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Vary", "Accept-Language")
			w.WriteHeader(http.StatusOK)
		}))
		res := serve(h, actualReq("https://a.example"))
		assert.Equal(t, []string{"Accept-Language", "Origin"}, res.Header().Values("Vary"))
	})
}

func TestPreflights(t *testing.T) {
	m := mustNew(t, Options{
		AllowedOrigins:   []string{"https://app.example.com"},
		AllowedMethods:   []string{"PUT", "PATCH", "purge"},
		AllowedHeaders:   []string{"Content-Type", "X-Api-Key", "Authorization"},
		AllowCredentials: true,
		MaxAge:           time.Hour,
	})
	byName := mustNew(t, Options{
		AllowedOrigins:   []string{"https://app.example.com"},
		AllowedMethods:   []string{"*"},
		AllowedHeaders:   []string{"*"},
		AllowCredentials: true,
	})
	public := mustNew(t, Options{AllowedOrigins: []string{"*"}})
	const methods = "GET,HEAD,POST,PUT,PATCH,purge"
	const headers = "accept,accept-language,content-language,content-type,x-api-key,authorization"
	tests := []struct {
		name         string
		m            *Middleware
		origin       string
		method       string
		headers      []string
		status       int
		allowOrigin  string
		allowMethods string
		allowHeaders string
		credentials  bool
		maxAge       string
	}{
		{"simple", m, "https://app.example.com", "PUT", nil, 204, "https://app.example.com", "PUT", "", true, "3600"},
		{"headers as Chromium sends them", m, "https://app.example.com", "PUT", []string{"content-type,x-api-key"}, 204,
			"https://app.example.com", "PUT", "content-type,x-api-key", true, "3600"},
		{"any case, spaces, duplicates, empties", m, "https://app.example.com", "PATCH",
			[]string{" Content-Type , ,X-API-KEY,x-api-key"}, 204, "https://app.example.com", "PATCH", headers, true, "3600"},
		{"several lines", m, "https://app.example.com", "PUT", []string{"content-type", "authorization"}, 204,
			"https://app.example.com", "PUT", headers, true, "3600"},
		{"several lines, any header", byName, "https://app.example.com", "PUT", []string{"x-a, x-b", "authorization"}, 204,
			"https://app.example.com", "PUT", "x-a,x-b,authorization", true, "600"},
		{"safelisted method always allowed", m, "https://app.example.com", "POST", nil, 204, "https://app.example.com", "POST", "", true, "3600"},
		{"custom method case kept", m, "https://app.example.com", "purge", nil, 204, "https://app.example.com", "purge", "", true, "3600"},
		{"any method and header answered by name", byName, "https://app.example.com", "DELETE",
			[]string{"authorization,x-anything"}, 204, "https://app.example.com", "DELETE", "authorization,x-anything", true, "600"},
		{"wildcard origin", public, "https://x.example", "GET", []string{"content-type"}, 204, "*", "GET", "content-type", false, "600"},

		// Refusals for an allowed origin: the CORS check passes and the lists
		// name what is allowed, so the browser names the method or header.
		{"methods are case-sensitive", m, "https://app.example.com", "patch", nil, 204, "https://app.example.com", methods, headers, true, ""},
		{"method not allowed", m, "https://app.example.com", "DELETE", nil, 204, "https://app.example.com", methods, headers, true, ""},
		{"header not allowed", m, "https://app.example.com", "PUT", []string{"content-type,x-other"}, 204, "https://app.example.com", "PUT", headers, true, ""},

		{"hostile header list", m, "https://app.example.com", "PUT", []string{"a" + strings.Repeat(",", 1024)}, 204, "https://app.example.com", "PUT", headers, true, ""},

		{"wildcard origin, header not allowed", public, "https://x.example", "GET", []string{"x-api-key"}, 204, "*", "GET",
			"accept,accept-language,content-language,content-type", false, ""},

		// A refused origin learns nothing, nor does a preflight no browser sends.
		{"origin not allowed", m, "https://evil.example", "GET", nil, 403, "", "", "", false, ""},
		{"malformed header", m, "https://app.example.com", "PUT", []string{"x api"}, 403, "", "", "", false, ""},
		{"malformed method", m, "https://app.example.com", "P T", nil, 403, "", "", "", false, ""},
		{"empty method", m, "https://app.example.com", "", nil, 403, "", "", "", false, ""},
		{"any method, malformed method", byName, "https://app.example.com", "P T", nil, 403, "", "", "", false, ""},
		{"header list over the limits", m, "https://app.example.com", "PUT", []string{"content-type" + strings.Repeat(",", 1024)}, 403, "", "", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var served atomic.Bool
			h := tt.m.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served.Store(true) }))
			r := httptest.NewRequest(http.MethodOptions, "/", nil)
			r.Header["Origin"] = []string{tt.origin}
			r.Header["Access-Control-Request-Method"] = []string{tt.method}
			if tt.headers != nil {
				r.Header["Access-Control-Request-Headers"] = tt.headers
			}
			res := serve(h, r)
			assert.False(t, served.Load(), "preflights never reach the handler")
			assert.Equal(t, tt.status, res.Code)
			assert.Empty(t, res.Body.String())
			if tt.status != 204 {
				assertNoCORSHeaders(t, res.Header())
				assert.Empty(t, res.Header().Values("Vary"), "no cache stores a 403 to OPTIONS: nothing to vary")
				return
			}
			if tt.m == public {
				assert.Equal(t, []string{"Access-Control-Request-Method, Access-Control-Request-Headers"}, res.Header().Values("Vary"))
			} else {
				assert.Equal(t, []string{varyPreflight}, res.Header().Values("Vary"))
			}
			hdr := res.Header()
			assert.Equal(t, []string{tt.allowOrigin}, hdr.Values("Access-Control-Allow-Origin"))
			assert.Equal(t, tt.allowMethods, hdr.Get("Access-Control-Allow-Methods"))
			assert.Equal(t, tt.allowHeaders, hdr.Get("Access-Control-Allow-Headers"))
			assert.Equal(t, tt.maxAge, hdr.Get("Access-Control-Max-Age"), "only an allowed preflight may be cached")
			if tt.credentials {
				assert.Equal(t, []string{"true"}, hdr.Values("Access-Control-Allow-Credentials"))
			} else {
				assert.Empty(t, hdr.Values("Access-Control-Allow-Credentials"))
			}
		})
	}
}

func TestOptionsWithoutPreflightHeadersReachesHandler(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"https://a.example"}})
	var served int
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served++
		w.Header().Set("Allow", "GET, OPTIONS")
	}))
	r := httptest.NewRequest(http.MethodOptions, "/", nil)
	assert.Equal(t, http.StatusOK, serve(h, r).Code)
	r.Header.Set("Origin", "https://a.example")
	res := serve(h, r)
	assert.Equal(t, 2, served)
	assert.Equal(t, "https://a.example", res.Header().Get("Access-Control-Allow-Origin"), "an OPTIONS actual request")
}

func TestSeveralOriginLinesAreRefused(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"https://a.example"}})
	r := actualReq("")
	r.Header["Origin"] = []string{"https://a.example", "https://a.example"}
	assertNoCORSHeaders(t, serve(m.Handler(okHandler), r).Header())
	p := preflightReq("https://a.example", "GET", "")
	p.Header["Access-Control-Request-Method"] = []string{"GET", "PUT"}
	res := serve(m.Handler(okHandler), p)
	assert.Equal(t, http.StatusForbidden, res.Code, "no browser sends two lines")
	assertNoCORSHeaders(t, res.Header())
	assert.Empty(t, res.Header().Get("Access-Control-Max-Age"))
	p.Header["Access-Control-Request-Method"] = []string{"GET"}
	p.Header["Origin"] = []string{"https://a.example", "https://b.example"}
	assert.Equal(t, http.StatusForbidden, serve(m.Handler(okHandler), p).Code)
}

func TestLongOriginIsRefusedCheaply(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"https://a.example", "https://*.b.example"}})
	long := "https://" + strings.Repeat("a.", 1<<19) + "b.example"
	assertNoCORSHeaders(t, serve(m.Handler(okHandler), actualReq(long)).Header())
}

func TestHeaderSlicesAreNeverShared(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"https://a.example"}, AllowCredentials: true, ExposedHeaders: []string{"X-Id"}})
	vandal := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK) // the CORS headers are in the map from here on
		for _, k := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers", "Vary"} {
			v := w.Header()[k]
			v[0] = "vandalized"
			w.Header()[k] = append(v, "appended")
		}
	}))
	r := actualReq("https://a.example")
	vandalized := serve(vandal, r)
	require.Equal(t, []string{"vandalized", "appended"}, vandalized.Header()["Access-Control-Allow-Origin"], "the vandal ran")
	assert.Equal(t, []string{"https://a.example"}, r.Header["Origin"], "the request is untouched")
	res := serve(m.Handler(okHandler), actualReq("https://a.example"))
	assert.Equal(t, []string{"https://a.example"}, res.Header()["Access-Control-Allow-Origin"])
	assert.Equal(t, []string{"true"}, res.Header()["Access-Control-Allow-Credentials"])
	assert.Equal(t, []string{"X-Id"}, res.Header()["Access-Control-Expose-Headers"])
	assert.Equal(t, []string{"Origin"}, res.Header()["Vary"])

	// Preflight values live in one array: appending to one must not spill into the next.
	w := httptest.NewRecorder()
	m.Handler(okHandler).ServeHTTP(w, preflightReq("https://a.example", "GET", ""))
	require.Equal(t, http.StatusNoContent, w.Code)
	_ = append(w.Header()["Access-Control-Allow-Origin"], "spill")
	assert.Equal(t, []string{"true"}, w.Header()["Access-Control-Allow-Credentials"])
}

func TestZeroMiddlewareAllowsNothing(t *testing.T) {
	var m Middleware
	res := serve(m.Handler(okHandler), actualReq("https://a.example"))
	assert.Equal(t, http.StatusOK, res.Code)
	assertNoCORSHeaders(t, res.Header())
	w := httptest.NewRecorder()
	assert.True(t, m.Apply(w, preflightReq("https://a.example", "GET", "")), "Apply answers the preflight")
	assert.Equal(t, http.StatusForbidden, w.Code)
	assertNoCORSHeaders(t, w.Header())
}

func TestReconfigure(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"https://a.example"}})
	h := m.Handler(okHandler)
	require.NoError(t, m.Reconfigure(Options{AllowedOrigins: []string{"https://b.example"}}))
	assert.Empty(t, serve(h, actualReq("https://a.example")).Header().Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "https://b.example", serve(h, actualReq("https://b.example")).Header().Get("Access-Control-Allow-Origin"))

	err := m.Reconfigure(Options{AllowedOrigins: []string{"*"}, AllowCredentials: true})
	assert.ErrorIs(t, err, ErrWildcardWithCredentials)
	assert.Equal(t, "https://b.example", serve(h, actualReq("https://b.example")).Header().Get("Access-Control-Allow-Origin"),
		"an invalid policy leaves the old one in force")
}

func TestReconfigureWhileServing(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"https://a.example"}})
	srv := httptest.NewServer(m.Handler(okHandler))
	defer srv.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 200; i++ {
			o := "https://a.example"
			if i%2 == 1 {
				o = "https://b.example"
			}
			assert.NoError(t, m.Reconfigure(Options{AllowedOrigins: []string{o, "https://c.example"}}))
		}
	}()
	for i := 0; i < 200; i++ {
		r, err := http.NewRequest(http.MethodGet, srv.URL, nil)
		require.NoError(t, err)
		r.Header.Set("Origin", "https://c.example")
		res, err := srv.Client().Do(r)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, "https://c.example", res.Header.Get("Access-Control-Allow-Origin"))
	}
	<-done
}

func TestApply(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"PUT"}, AllowCredentials: true})
	w := httptest.NewRecorder()
	assert.True(t, m.Apply(w, preflightReq("https://a.example", "PUT", "")))
	assert.Equal(t, http.StatusNoContent, w.Code)
	assert.Equal(t, "PUT", w.Header().Get("Access-Control-Allow-Methods"))

	w = httptest.NewRecorder()
	assert.False(t, m.Apply(w, actualReq("https://a.example")))
	assert.Equal(t, "https://a.example", w.Header().Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", w.Header().Get("Access-Control-Allow-Credentials"))
	assert.Equal(t, []string{"Origin"}, w.Header().Values("Vary"))

	w = httptest.NewRecorder()
	assert.False(t, m.Apply(w, actualReq("https://b.example")))
	assertNoCORSHeaders(t, w.Header())
	assert.Equal(t, []string{"Origin"}, w.Header().Values("Vary"))

	w = httptest.NewRecorder()
	assert.False(t, m.Apply(w, actualReq("")))
	assert.Equal(t, []string{"Origin"}, w.Header().Values("Vary"))
}

// TestRefusedPreflightVariesOnlyWhenCacheable: a refused preflight's 403 is
// stored by no cache that follows the standard (OPTIONS responses are not
// cacheable, nor is a 403 without explicit freshness), so it carries no
// Vary and costs no allocation; when outer middleware has already set
// headers, such as Cache-Control, it says what the answer depends on.
func TestRefusedPreflightVariesOnlyWhenCacheable(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"https://app.example.com"}})
	h := m.Handler(http.NotFoundHandler())
	r := preflightReq("https://evil.example", "PUT", "")

	res := serve(h, r)
	assert.Equal(t, http.StatusForbidden, res.Code)
	assert.Empty(t, res.Header().Values("Vary"))

	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=60")
		h.ServeHTTP(w, r)
	})
	res = serve(outer, r)
	assert.Equal(t, http.StatusForbidden, res.Code)
	assert.Equal(t, []string{varyPreflight}, res.Header().Values("Vary"))
}
