package main

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
	"github.com/corsguard/cors/corstest"
)

const (
	app     = "https://app.example.com"
	foreign = "https://evil.example.net"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	// Quiet the request log and Recovery's stack traces; newEngine reads these.
	gin.DefaultWriter, gin.DefaultErrorWriter = io.Discard, io.Discard
	os.Exit(m.Run())
}

func policy(t *testing.T) *cors.Middleware {
	t.Helper()
	m, err := newPolicy()
	require.NoError(t, err)
	return m
}

func engine(t *testing.T) *gin.Engine {
	t.Helper()
	r := newEngine(policy(t))
	r.GET("/api/panic", func(*gin.Context) { panic("boom") })
	return r
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
	res := corstest.Fetch(engine(t), app, postJSON())
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusCreated, res.Response.StatusCode)
}

// TestPreflightNeverReachesHandlers checks that the adapter stops the chain:
// even with an OPTIONS route, the middleware answers and the route stays idle.
func TestPreflightNeverReachesHandlers(t *testing.T) {
	r := engine(t)
	r.OPTIONS("/api/items", func(c *gin.Context) { c.String(http.StatusTeapot, "reached") })
	res := corstest.Fetch(r, app, postJSON())
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusNoContent, res.Preflight.StatusCode)
	body, err := io.ReadAll(res.Preflight.Body)
	require.NoError(t, err)
	assert.Empty(t, body)
}

func TestActualRequest(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		res := corstest.Fetch(engine(t), app, httptest.NewRequest(method, "/api/items", nil))
		require.NoError(t, res.Err, method)
		assert.Less(t, res.Response.StatusCode, 300, method)
	}
}

func TestRefusedOrigin(t *testing.T) {
	res := corstest.Fetch(engine(t), foreign, postJSON())
	require.Error(t, res.Err)
	assert.Nil(t, res.Response, "the POST is never sent")

	res = corstest.Fetch(engine(t), foreign, httptest.NewRequest(http.MethodGet, "/api/items", nil))
	require.Error(t, res.Err)
	assert.Equal(t, http.StatusOK, res.Response.StatusCode, "served, but kept from the script")
}

func TestNotFoundIsReadable(t *testing.T) {
	res := corstest.Fetch(engine(t), app, httptest.NewRequest(http.MethodGet, "/api/nothing", nil))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusNotFound, res.Response.StatusCode)
}

func TestPanicIsAReadable500(t *testing.T) {
	res := corstest.Fetch(engine(t), app, httptest.NewRequest(http.MethodGet, "/api/panic", nil))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusInternalServerError, res.Response.StatusCode)
}

// TestMiddlewareOrder backs the advice in corsgin's documentation: a
// middleware that answers on its own is readable by the frontend only when
// it runs after the adapter.
func TestMiddlewareOrder(t *testing.T) {
	requireToken := func(c *gin.Context) {
		if c.GetHeader("Authorization") == "" {
			c.AbortWithStatus(http.StatusUnauthorized)
		}
	}
	m := policy(t)
	for _, tt := range []struct {
		name     string
		chain    []gin.HandlerFunc
		readable bool
	}{
		{"CORS first", []gin.HandlerFunc{corsgin.Middleware(m), requireToken}, true},
		{"auth first", []gin.HandlerFunc{requireToken, corsgin.Middleware(m)}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := gin.New()
			r.Use(tt.chain...)
			r.GET("/api/items", func(c *gin.Context) { c.Status(http.StatusOK) })
			res := corstest.Fetch(r, app, httptest.NewRequest(http.MethodGet, "/api/items", nil))
			assert.Equal(t, http.StatusUnauthorized, res.Response.StatusCode)
			assert.Equal(t, tt.readable, res.Err == nil, "%v", res.Err)
		})
	}
}
