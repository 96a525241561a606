package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/examples/internal/corstest"
)

const app = "https://app.example.com"

func handler(t *testing.T) http.Handler {
	t.Helper()
	mux := newMux()
	mux.HandleFunc("GET /api/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	h, err := newHandler(mux)
	require.NoError(t, err)
	return h
}

// TestBareMuxRefusesPreflight shows why the middleware wraps the mux: the
// mux alone answers a preflight with 405 and no CORS headers.
func TestBareMuxRefusesPreflight(t *testing.T) {
	res := corstest.Serve(newMux(), corstest.Preflight("/api/items/7", app, http.MethodDelete, "Authorization"))
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
}

func TestPreflight(t *testing.T) {
	res := corstest.Serve(handler(t), corstest.Preflight("/api/items/7", app, http.MethodDelete, "Authorization"))
	corstest.AssertPreflightAllowed(t, res, app, http.MethodDelete, "Authorization")
	assert.Equal(t, "3600", res.Header.Get("Access-Control-Max-Age"))
}

func TestActualRequest(t *testing.T) {
	res := corstest.Serve(handler(t), corstest.Request(http.MethodGet, "/api/items", app))
	corstest.RequireStatus(t, res, http.StatusOK)
	corstest.AssertAllowed(t, res, app)
}

func TestRefusedOrigin(t *testing.T) {
	corstest.AssertRefusesOrigin(t, handler(t), "/api/items/7", http.MethodDelete, "/api/items")
}

// TestMuxErrorsCarryCORS checks the mux's own answers: the frontend can read
// a 404 or a 405 instead of seeing a network error.
func TestMuxErrorsCarryCORS(t *testing.T) {
	h := handler(t)
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/api/nothing", http.StatusNotFound},
		{http.MethodPost, "/api/items", http.StatusMethodNotAllowed},
	} {
		res := corstest.Serve(h, corstest.Request(tt.method, tt.path, app))
		assert.Equal(t, tt.want, res.StatusCode, "%s %s", tt.method, tt.path)
		corstest.AssertAllowed(t, res, app)
	}
}

func TestPanicKeepsCORS(t *testing.T) {
	corstest.AssertPanicKeepsCORS(t, handler(t), "/api/panic", app)
}
