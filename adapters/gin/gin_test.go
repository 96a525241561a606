package corsgin_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	corsgin "github.com/corsguard/cors/adapters/gin"
)

const (
	app     = "https://app.example.com"
	foreign = "https://evil.example.net"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode) // no route listing on standard output
	os.Exit(m.Run())
}

func newPolicy(t *testing.T) *cors.Middleware {
	t.Helper()
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{app},
		AllowedMethods: []string{http.MethodPut},
		AllowedHeaders: []string{"Authorization", "Content-Type"},
	})
	require.NoError(t, err)
	return m
}

// visits counts the requests that got past the adapter to gin's handlers.
type visits struct{ auth, route int }

// newEngine serves /api/items (GET, PUT, OPTIONS) and a panicking /api/panic
// behind the adapter, gin's own recovery and gin's basic authentication, in
// the order the package documentation advises. The route's OPTIONS handler
// answers 418, so that a preflight reaching it shows.
func newEngine(t *testing.T, m *cors.Middleware) (*gin.Engine, *visits) {
	t.Helper()
	v := &visits{}
	r := gin.New()
	r.Use(
		corsgin.Middleware(m),
		gin.RecoveryWithWriter(io.Discard), // gin.Recovery, without the stack trace in the test log
		func(*gin.Context) { v.auth++ },
		gin.BasicAuth(gin.Accounts{"ann": "secret"}),
	)
	route := func(c *gin.Context) { v.route++; c.String(http.StatusOK, "items") }
	r.GET("/api/items", route)
	r.PUT("/api/items", route)
	r.OPTIONS("/api/items", func(c *gin.Context) { v.route++; c.Status(http.StatusTeapot) })
	r.GET("/api/panic", func(*gin.Context) { v.route++; panic("a bug") })
	return r, v
}

func request(method, target, origin string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	r.SetBasicAuth("ann", "secret")
	return r
}

// preflight builds the OPTIONS request a browser sends before a cross-origin
// request; like a browser's, it carries no credentials.
func preflight(target, origin, method, headers string) *http.Request {
	r := httptest.NewRequest(http.MethodOptions, target, nil)
	r.Header.Set("Origin", origin)
	r.Header.Set("Access-Control-Request-Method", method)
	if headers != "" {
		r.Header.Set("Access-Control-Request-Headers", headers)
	}
	return r
}

func serve(h http.Handler, r *http.Request) *http.Response {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

// corsHeaders is what a browser reads of a response to decide on CORS.
func corsHeaders(res *http.Response) http.Header {
	h := http.Header{}
	for name, vals := range res.Header {
		if strings.HasPrefix(name, "Access-Control-") || name == "Vary" {
			h[name] = vals
		}
	}
	return h
}

func assertAllowed(t *testing.T, res *http.Response) {
	t.Helper()
	assert.Equal(t, app, res.Header.Get("Access-Control-Allow-Origin"))
	assertVaryOrigin(t, res)
}

// assertNoCORS checks a response that grants nothing: no Access-Control-*
// header, and Vary: Origin all the same, so caches keep answers apart, but
// for a refused preflight's 403, which no cache stores.
func assertNoCORS(t *testing.T, res *http.Response) {
	t.Helper()
	h := corsHeaders(res)
	delete(h, "Vary")
	assert.Empty(t, h)
	if res.StatusCode == http.StatusForbidden {
		// A refused preflight: no standard cache stores a 403 to OPTIONS,
		// so it carries no Vary.
		assert.Empty(t, res.Header.Values("Vary"))
		return
	}
	assertVaryOrigin(t, res)
}

func assertVaryOrigin(t *testing.T, res *http.Response) {
	t.Helper()
	for _, line := range res.Header.Values("Vary") {
		for _, v := range strings.Split(line, ",") {
			if strings.TrimSpace(v) == "Origin" {
				return
			}
		}
	}
	assert.Fail(t, "Vary lacks Origin", "Vary: %q", res.Header.Values("Vary"))
}

func TestActualRequest(t *testing.T) {
	for _, tt := range []struct {
		name, method, path, origin string
		status                     int
		cors                       bool
	}{
		{"allowed origin", http.MethodGet, "/api/items", app, http.StatusOK, true},
		{"allowed origin, PUT", http.MethodPut, "/api/items", app, http.StatusOK, true},
		{"refused origin", http.MethodGet, "/api/items", foreign, http.StatusOK, false},
		{"no origin", http.MethodGet, "/api/items", "", http.StatusOK, false},
		// gin's 404 runs the engine's middleware, so the page reads the 404.
		{"no such route", http.MethodGet, "/api/nothing", app, http.StatusNotFound, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := newEngine(t, newPolicy(t))
			res := serve(r, request(tt.method, tt.path, tt.origin))
			assert.Equal(t, tt.status, res.StatusCode)
			if tt.cors {
				assertAllowed(t, res)
			} else {
				assertNoCORS(t, res)
			}
		})
	}
}

// TestPreflightNeverReachesGin checks that the adapter answers every
// preflight exactly as the library does, and that neither the auth check
// (which would answer 401: browsers send no credentials on a preflight) nor
// the OPTIONS route ever sees one.
func TestPreflightNeverReachesGin(t *testing.T) {
	for _, tt := range []struct {
		name, path, origin, method, headers string
	}{
		{"allowed", "/api/items", app, http.MethodPut, "authorization,content-type"},
		{"to a path without OPTIONS route", "/api/nothing", app, http.MethodPut, ""},
		{"refused origin", "/api/items", foreign, http.MethodPut, ""},
		{"refused method", "/api/items", app, http.MethodDelete, ""},
		{"refused header", "/api/items", app, http.MethodPut, "x-other"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := newPolicy(t)
			r, v := newEngine(t, m)
			res := serve(r, preflight(tt.path, tt.origin, tt.method, tt.headers))
			want := serve(m.Handler(http.NotFoundHandler()), preflight(tt.path, tt.origin, tt.method, tt.headers))
			require.NotEqual(t, http.StatusNotFound, want.StatusCode, "the library left the preflight to the handler")
			assert.Equal(t, want.StatusCode, res.StatusCode)
			assert.Equal(t, corsHeaders(want), corsHeaders(res))
			assert.Equal(t, visits{}, *v, "a handler behind the adapter ran")
		})
	}
}

// TestBasicAuth checks that gin's auth middleware answers a script's request
// without credentials with a 401 it can read, when the adapter runs first,
// and that registering the adapter after it loses the headers.
func TestBasicAuth(t *testing.T) {
	m := newPolicy(t)
	auth := gin.BasicAuth(gin.Accounts{"ann": "secret"})
	for _, tt := range []struct {
		name  string
		chain []gin.HandlerFunc
		cors  bool
	}{
		{"adapter first", []gin.HandlerFunc{corsgin.Middleware(m), auth}, true},
		{"auth first", []gin.HandlerFunc{auth, corsgin.Middleware(m)}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := gin.New()
			r.Use(tt.chain...)
			r.GET("/api/items", func(c *gin.Context) { c.Status(http.StatusOK) })
			req := request(http.MethodGet, "/api/items", app)
			req.Header.Del("Authorization")
			res := serve(r, req)
			require.Equal(t, http.StatusUnauthorized, res.StatusCode)
			assert.NotEmpty(t, res.Header.Get("WWW-Authenticate"))
			if tt.cors {
				assertAllowed(t, res)
			} else {
				assert.Empty(t, corsHeaders(res))
			}
		})
	}
}

// TestRedirectsCarryNoCORS backs the package documentation's warning: gin
// redirects a path with a stray trailing slash before any middleware runs.
func TestRedirectsCarryNoCORS(t *testing.T) {
	r, v := newEngine(t, newPolicy(t))
	res := serve(r, request(http.MethodGet, "/api/items/", app))
	assert.Equal(t, http.StatusMovedPermanently, res.StatusCode)
	assert.Empty(t, corsHeaders(res))
	assert.Equal(t, visits{}, *v)
}
