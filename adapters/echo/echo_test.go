package corsecho_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	corsecho "github.com/corsguard/cors/adapters/echo"
)

const (
	app     = "https://app.example.com"
	foreign = "https://evil.example.net"
)

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

// visits counts the requests that got past the adapter to echo's handlers.
type visits struct{ auth, route int }

func basicAuth() echo.MiddlewareFunc {
	return middleware.BasicAuth(func(_ *echo.Context, user, password string) (bool, error) {
		return user == "ann" && password == "secret", nil
	})
}

// newServer serves /api/items (GET, PUT, OPTIONS) and a panicking /api/panic
// behind the adapter, echo's own recovery and echo's basic authentication,
// in the order the package documentation advises. The route's OPTIONS
// handler answers 418, so that a preflight reaching it shows.
func newServer(t *testing.T, m *cors.Middleware) (*echo.Echo, *visits) {
	t.Helper()
	v := &visits{}
	e := echo.New()
	e.Use(
		corsecho.Middleware(m),
		middleware.Recover(),
		func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c *echo.Context) error { v.auth++; return next(c) }
		},
		basicAuth(),
	)
	route := func(c *echo.Context) error { v.route++; return c.String(http.StatusOK, "items") }
	e.GET("/api/items", route)
	e.PUT("/api/items", route)
	e.OPTIONS("/api/items", func(c *echo.Context) error { v.route++; return c.NoContent(http.StatusTeapot) })
	e.GET("/api/panic", func(*echo.Context) error { v.route++; panic("a bug") })
	return e, v
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
		// echo runs Use middleware on its own error answers too.
		{"no such route", http.MethodGet, "/api/nothing", app, http.StatusNotFound, true},
		{"method not allowed", http.MethodDelete, "/api/items", app, http.StatusMethodNotAllowed, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := newServer(t, newPolicy(t))
			res := serve(e, request(tt.method, tt.path, tt.origin))
			assert.Equal(t, tt.status, res.StatusCode)
			if tt.cors {
				assertAllowed(t, res)
			} else {
				assertNoCORS(t, res)
			}
		})
	}
}

// TestPreflightNeverReachesEcho checks that the adapter answers every
// preflight exactly as the library does, and that neither the auth check
// (which would answer 401: browsers send no credentials on a preflight) nor
// the OPTIONS route ever sees one.
func TestPreflightNeverReachesEcho(t *testing.T) {
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
			e, v := newServer(t, m)
			res := serve(e, preflight(tt.path, tt.origin, tt.method, tt.headers))
			want := serve(m.Handler(http.NotFoundHandler()), preflight(tt.path, tt.origin, tt.method, tt.headers))
			require.NotEqual(t, http.StatusNotFound, want.StatusCode, "the library left the preflight to the handler")
			assert.Equal(t, want.StatusCode, res.StatusCode)
			assert.Equal(t, corsHeaders(want), corsHeaders(res))
			assert.Equal(t, visits{}, *v, "a handler behind the adapter ran")
		})
	}
}

// TestBasicAuth checks that echo's auth middleware answers a script's
// request without credentials with a 401 it can read when the adapter runs
// first, from Use or from Pre, and that registering the adapter after it
// loses the headers.
func TestBasicAuth(t *testing.T) {
	m := newPolicy(t)
	for _, tt := range []struct {
		name     string
		pre, use []echo.MiddlewareFunc
		cors     bool
	}{
		{"adapter first", nil, []echo.MiddlewareFunc{corsecho.Middleware(m), basicAuth()}, true},
		{"adapter in Pre", []echo.MiddlewareFunc{corsecho.Middleware(m)}, []echo.MiddlewareFunc{basicAuth()}, true},
		{"auth first", nil, []echo.MiddlewareFunc{basicAuth(), corsecho.Middleware(m)}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := echo.New()
			e.Pre(tt.pre...)
			e.Use(tt.use...)
			e.GET("/api/items", func(c *echo.Context) error { return c.NoContent(http.StatusOK) })
			req := request(http.MethodGet, "/api/items", app)
			req.Header.Del("Authorization")
			res := serve(e, req)
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
