package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	corsecho "github.com/corsguard/cors/adapters/echo"
	"github.com/corsguard/cors/corstest"
)

const (
	app     = "https://app.example.com"
	foreign = "https://evil.example.net"
)

func policy(t *testing.T) *cors.Middleware {
	t.Helper()
	m, err := newPolicy()
	require.NoError(t, err)
	return m
}

func server(t *testing.T) *echo.Echo {
	t.Helper()
	e := newEcho(policy(t))
	e.Logger = slog.New(slog.DiscardHandler) // the stack traces of recovered panics
	e.GET("/api/panic", func(*echo.Context) error { panic("boom") })
	return e
}

// postJSON is the frontend's authenticated JSON POST, which needs a
// preflight.
func postJSON() *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/api/items", strings.NewReader(`{"name":"pen"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer t0ken")
	return r
}

func TestPostWithPreflight(t *testing.T) {
	res := corstest.Fetch(server(t), app, postJSON())
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusCreated, res.Response.StatusCode)
}

// TestPreflightNeverReachesHandlers checks that the adapter stops the chain:
// even with an OPTIONS route, the middleware answers and the route stays idle.
func TestPreflightNeverReachesHandlers(t *testing.T) {
	e := server(t)
	e.OPTIONS("/api/items", func(c *echo.Context) error { return c.String(http.StatusTeapot, "reached") })
	res := corstest.Fetch(e, app, postJSON())
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusNoContent, res.Preflight.StatusCode)
	body, err := io.ReadAll(res.Preflight.Body)
	require.NoError(t, err)
	assert.Empty(t, body)
}

func TestActualRequest(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		res := corstest.Fetch(server(t), app, httptest.NewRequest(method, "/api/items", nil))
		require.NoError(t, res.Err, method)
		assert.Less(t, res.Response.StatusCode, 300, method)
	}
}

func TestRefusedOrigin(t *testing.T) {
	res := corstest.Fetch(server(t), foreign, postJSON())
	require.Error(t, res.Err)
	assert.Nil(t, res.Response, "the POST is never sent")

	res = corstest.Fetch(server(t), foreign, httptest.NewRequest(http.MethodGet, "/api/items", nil))
	require.Error(t, res.Err)
	assert.Equal(t, http.StatusOK, res.Response.StatusCode, "served, but kept from the script")
}

// TestErrorsAreReadable: echo's own 404 and 405 reach the script. (The
// method is POST, which needs no preflight: a DELETE would be refused at its
// preflight, since the policy does not allow it, and never reach echo.)
func TestErrorsAreReadable(t *testing.T) {
	e := server(t)
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/api/nothing", http.StatusNotFound},
		{http.MethodPost, "/api/panic", http.StatusMethodNotAllowed},
	} {
		res := corstest.Fetch(e, app, httptest.NewRequest(tt.method, tt.path, nil))
		require.NoError(t, res.Err, "%s %s", tt.method, tt.path)
		assert.Equal(t, tt.want, res.Response.StatusCode, "%s %s", tt.method, tt.path)
	}
}

func TestPanicIsAReadable500(t *testing.T) {
	res := corstest.Fetch(server(t), app, httptest.NewRequest(http.MethodGet, "/api/panic", nil))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusInternalServerError, res.Response.StatusCode)
}

// TestMiddlewareOrder backs the advice in corsecho's documentation: a
// middleware that answers on its own is readable by the frontend only when
// it runs after the adapter.
func TestMiddlewareOrder(t *testing.T) {
	requireToken := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if c.Request().Header.Get("Authorization") == "" {
				return echo.ErrUnauthorized
			}
			return next(c)
		}
	}
	m := policy(t)
	for _, tt := range []struct {
		name     string
		chain    []echo.MiddlewareFunc
		readable bool
	}{
		{"CORS first", []echo.MiddlewareFunc{corsecho.Middleware(m), requireToken}, true},
		{"auth first", []echo.MiddlewareFunc{requireToken, corsecho.Middleware(m)}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := echo.New()
			e.Use(tt.chain...)
			e.GET("/api/items", func(c *echo.Context) error { return c.NoContent(http.StatusOK) })
			res := corstest.Fetch(e, app, httptest.NewRequest(http.MethodGet, "/api/items", nil))
			assert.Equal(t, http.StatusUnauthorized, res.Response.StatusCode)
			assert.Equal(t, tt.readable, res.Err == nil, "%v", res.Err)
		})
	}
}
