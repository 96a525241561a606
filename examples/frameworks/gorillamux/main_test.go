package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/examples/internal/corstest"
)

const app = "https://app.example.com"

func handler(t *testing.T) http.Handler {
	t.Helper()
	r := newRouter()
	r.HandleFunc("/api/panic", func(http.ResponseWriter, *http.Request) { panic("boom") }).Methods(http.MethodGet)
	h, err := newHandler(r)
	require.NoError(t, err)
	return h
}

// TestRouterUseMissesPreflight backs the comment in main.go: as a router.Use
// middleware, the CORS middleware never sees a preflight to a route with
// .Methods, and gorilla answers 405 without CORS headers.
func TestRouterUseMissesPreflight(t *testing.T) {
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{app},
		AllowedMethods: []string{http.MethodGet, http.MethodPatch},
	})
	require.NoError(t, err)
	r := newRouter()
	r.Use(m.Handler)

	res := corstest.Serve(r, corstest.Preflight("/api/items/7", app, http.MethodPatch))
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))

	// A request that matched a route does get the headers that way.
	res = corstest.Serve(r, corstest.Request(http.MethodGet, "/api/items/7", app))
	corstest.AssertAllowed(t, res, app)
}

func TestPreflight(t *testing.T) {
	res := corstest.Serve(handler(t), corstest.Preflight("/api/items/7", app, http.MethodPatch, "Content-Type"))
	corstest.AssertPreflightAllowed(t, res, app, http.MethodPatch, "Content-Type")
}

func TestActualRequest(t *testing.T) {
	res := corstest.Serve(handler(t), corstest.Request(http.MethodGet, "/api/items/7", app))
	corstest.RequireStatus(t, res, http.StatusOK)
	corstest.AssertAllowed(t, res, app)
}

func TestRefusedOrigin(t *testing.T) {
	corstest.AssertRefusesOrigin(t, handler(t), "/api/items/7", http.MethodPatch, "/api/items/7")
}

// TestRouterErrorsCarryCORS: gorilla's own 404 and 405 stay readable.
func TestRouterErrorsCarryCORS(t *testing.T) {
	h := handler(t)
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/api/nothing", http.StatusNotFound},
		{http.MethodPost, "/api/items/7", http.StatusMethodNotAllowed},
	} {
		res := corstest.Serve(h, corstest.Request(tt.method, tt.path, app))
		assert.Equal(t, tt.want, res.StatusCode, "%s %s", tt.method, tt.path)
		corstest.AssertAllowed(t, res, app)
	}
}

func TestPanicKeepsCORS(t *testing.T) {
	corstest.AssertPanicKeepsCORS(t, handler(t), "/api/panic", app)
}
