package main

import (
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	corsecho "github.com/corsguard/cors/adapters/echo"
	"github.com/corsguard/cors/examples/internal/corstest"
)

const app = "https://app.example.com"

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

func TestPreflight(t *testing.T) {
	res := corstest.Serve(server(t), corstest.Preflight("/api/items", app, http.MethodPost, "Content-Type", "Authorization"))
	corstest.AssertPreflightAllowed(t, res, app, http.MethodPost, "Content-Type", "Authorization")
}

// TestPreflightNeverReachesHandlers checks that the adapter stops the chain:
// even with an OPTIONS route, the middleware answers and the route stays idle.
func TestPreflightNeverReachesHandlers(t *testing.T) {
	e := server(t)
	e.OPTIONS("/api/items", func(c *echo.Context) error { return c.String(http.StatusTeapot, "reached") })
	res := corstest.Serve(e, corstest.Preflight("/api/items", app, http.MethodPost))
	corstest.AssertPreflightAllowed(t, res, app, http.MethodPost)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Empty(t, body)
}

func TestActualRequest(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		res := corstest.Serve(server(t), corstest.Request(method, "/api/items", app))
		assert.Less(t, res.StatusCode, 300, method)
		corstest.AssertAllowed(t, res, app)
	}
}

func TestRefusedOrigin(t *testing.T) {
	corstest.AssertRefusesOrigin(t, server(t), "/api/items", http.MethodPost, "/api/items")
}

func TestErrorsCarryCORS(t *testing.T) {
	e := server(t)
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/api/nothing", http.StatusNotFound},
		{http.MethodDelete, "/api/items", http.StatusMethodNotAllowed},
	} {
		res := corstest.Serve(e, corstest.Request(tt.method, tt.path, app))
		assert.Equal(t, tt.want, res.StatusCode, "%s %s", tt.method, tt.path)
		corstest.AssertAllowed(t, res, app)
	}
}

func TestPanicKeepsCORS(t *testing.T) {
	corstest.AssertPanicKeepsCORS(t, server(t), "/api/panic", app)
}

// TestMiddlewareOrder backs the advice in corsecho's documentation: a
// middleware that answers on its own gets CORS headers only when it runs
// after the adapter.
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
		wantCORS bool
	}{
		{"CORS first", []echo.MiddlewareFunc{corsecho.Middleware(m), requireToken}, true},
		{"auth first", []echo.MiddlewareFunc{requireToken, corsecho.Middleware(m)}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := echo.New()
			e.Use(tt.chain...)
			e.GET("/api/items", func(c *echo.Context) error { return c.NoContent(http.StatusOK) })
			res := corstest.Serve(e, corstest.Request(http.MethodGet, "/api/items", app))
			corstest.RequireStatus(t, res, http.StatusUnauthorized)
			if tt.wantCORS {
				corstest.AssertAllowed(t, res, app)
			} else {
				assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
			}
		})
	}
}
