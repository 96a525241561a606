package main

import (
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	corsgin "github.com/corsguard/cors/adapters/gin"
	"github.com/corsguard/cors/examples/internal/corstest"
)

const app = "https://app.example.com"

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

func TestPreflight(t *testing.T) {
	res := corstest.Serve(engine(t), corstest.Preflight("/api/items", app, http.MethodPost, "Content-Type", "Authorization"))
	corstest.AssertPreflightAllowed(t, res, app, http.MethodPost, "Content-Type", "Authorization")
}

// TestPreflightNeverReachesHandlers checks that the adapter stops the chain:
// even with an OPTIONS route, the middleware answers and the route stays idle.
func TestPreflightNeverReachesHandlers(t *testing.T) {
	r := engine(t)
	r.OPTIONS("/api/items", func(c *gin.Context) { c.String(http.StatusTeapot, "reached") })
	res := corstest.Serve(r, corstest.Preflight("/api/items", app, http.MethodPost))
	corstest.AssertPreflightAllowed(t, res, app, http.MethodPost)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Empty(t, body)
}

func TestActualRequest(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		res := corstest.Serve(engine(t), corstest.Request(method, "/api/items", app))
		assert.Less(t, res.StatusCode, 300, method)
		corstest.AssertAllowed(t, res, app)
	}
}

func TestRefusedOrigin(t *testing.T) {
	corstest.AssertRefusesOrigin(t, engine(t), "/api/items", http.MethodPost, "/api/items")
}

func TestNotFoundCarriesCORS(t *testing.T) {
	res := corstest.Serve(engine(t), corstest.Request(http.MethodGet, "/api/nothing", app))
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
	corstest.AssertAllowed(t, res, app)
}

func TestPanicKeepsCORS(t *testing.T) {
	corstest.AssertPanicKeepsCORS(t, engine(t), "/api/panic", app)
}

// TestMiddlewareOrder backs the advice in corsgin's documentation: a
// middleware that answers on its own gets CORS headers only when it runs
// after the adapter.
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
		wantCORS bool
	}{
		{"CORS first", []gin.HandlerFunc{corsgin.Middleware(m), requireToken}, true},
		{"auth first", []gin.HandlerFunc{requireToken, corsgin.Middleware(m)}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := gin.New()
			r.Use(tt.chain...)
			r.GET("/api/items", func(c *gin.Context) { c.Status(http.StatusOK) })
			res := corstest.Serve(r, corstest.Request(http.MethodGet, "/api/items", app))
			corstest.RequireStatus(t, res, http.StatusUnauthorized)
			if tt.wantCORS {
				corstest.AssertAllowed(t, res, app)
			} else {
				assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
			}
		})
	}
}
