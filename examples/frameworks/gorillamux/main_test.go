package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/corstest"
)

const (
	app     = "https://app.example.com"
	foreign = "https://evil.example.net"
)

func handler(t *testing.T) http.Handler {
	t.Helper()
	r := newRouter()
	r.HandleFunc("/api/panic", func(http.ResponseWriter, *http.Request) { panic("boom") }).Methods(http.MethodGet)
	h, err := newHandler(r)
	require.NoError(t, err)
	return h
}

// patchJSON is the frontend's JSON PATCH, which needs a preflight.
func patchJSON() *http.Request {
	r := httptest.NewRequest(http.MethodPatch, "/api/items/7", strings.NewReader(`{"name":"pen"}`))
	r.Header.Set("Content-Type", "application/json")
	return r
}

func get(path string) *http.Request { return httptest.NewRequest(http.MethodGet, path, nil) }

// TestRouterUseMissesPreflight backs the comment in main.go: as a router.Use
// middleware, the CORS middleware never sees a preflight to a route with
// .Methods, and gorilla answers 405 without CORS headers.
func TestRouterUseMissesPreflight(t *testing.T) {
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{app},
		AllowedMethods: []string{http.MethodGet, http.MethodPatch},
		AllowedHeaders: []string{"Content-Type"},
	})
	require.NoError(t, err)
	r := newRouter()
	r.Use(m.Handler)

	res := corstest.Fetch(r, app, patchJSON())
	var blocked *corstest.BlockedError
	require.True(t, errors.As(res.Err, &blocked), "%v", res.Err)
	assert.True(t, blocked.Preflight)
	assert.Equal(t, http.StatusMethodNotAllowed, res.Preflight.StatusCode)

	// A request that matched a route does get the headers that way.
	assert.NoError(t, corstest.Fetch(r, app, get("/api/items/7")).Err)
}

func TestPatchWithPreflight(t *testing.T) {
	res := corstest.Fetch(handler(t), app, patchJSON())
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusNoContent, res.Response.StatusCode)
}

func TestActualRequest(t *testing.T) {
	res := corstest.Fetch(handler(t), app, get("/api/items/7"))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusOK, res.Response.StatusCode)
}

func TestRefusedOrigin(t *testing.T) {
	res := corstest.Fetch(handler(t), foreign, patchJSON())
	require.Error(t, res.Err)
	assert.Nil(t, res.Response, "the PATCH is never sent")

	res = corstest.Fetch(handler(t), foreign, get("/api/items/7"))
	require.Error(t, res.Err)
	assert.Equal(t, http.StatusOK, res.Response.StatusCode, "served, but kept from the script")
}

// TestRouterErrorsAreReadable: gorilla's own 404 and 405 stay readable.
func TestRouterErrorsAreReadable(t *testing.T) {
	h := handler(t)
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/api/nothing", http.StatusNotFound},
		{http.MethodPost, "/api/items/7", http.StatusMethodNotAllowed},
	} {
		res := corstest.Fetch(h, app, httptest.NewRequest(tt.method, tt.path, nil))
		require.NoError(t, res.Err, "%s %s", tt.method, tt.path)
		assert.Equal(t, tt.want, res.Response.StatusCode, "%s %s", tt.method, tt.path)
	}
}

func TestPanicIsAReadable500(t *testing.T) {
	res := corstest.Fetch(handler(t), app, get("/api/panic"))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusInternalServerError, res.Response.StatusCode)
}
