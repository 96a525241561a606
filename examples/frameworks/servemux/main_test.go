package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/corstest"
)

const (
	app     = "https://app.example.com"
	foreign = "https://evil.example.net"
)

func handler(t *testing.T) http.Handler {
	t.Helper()
	mux := newMux()
	mux.HandleFunc("GET /api/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	h, err := newHandler(mux)
	require.NoError(t, err)
	return h
}

// deleteItem is the frontend's authenticated DELETE, which needs a preflight.
func deleteItem() *http.Request {
	r := httptest.NewRequest(http.MethodDelete, "/api/items/7", nil)
	r.Header.Set("Authorization", "Bearer t0ken")
	return r
}

// TestBareMuxRefusesPreflight shows why the middleware wraps the mux: the
// mux alone answers a preflight with 405 and no CORS headers.
func TestBareMuxRefusesPreflight(t *testing.T) {
	res := corstest.Fetch(newMux(), app, deleteItem())
	var blocked *corstest.BlockedError
	require.True(t, errors.As(res.Err, &blocked), "%v", res.Err)
	assert.True(t, blocked.Preflight)
	assert.Equal(t, http.StatusMethodNotAllowed, res.Preflight.StatusCode)
}

func TestDeleteWithPreflight(t *testing.T) {
	res := corstest.Fetch(handler(t), app, deleteItem())
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusNoContent, res.Response.StatusCode)
	assert.Equal(t, "3600", res.Preflight.Header.Get("Access-Control-Max-Age"), "MaxAge: time.Hour")
}

func TestActualRequest(t *testing.T) {
	res := corstest.Fetch(handler(t), app, httptest.NewRequest(http.MethodGet, "/api/items", nil))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusOK, res.Response.StatusCode)
}

func TestRefusedOrigin(t *testing.T) {
	res := corstest.Fetch(handler(t), foreign, deleteItem())
	require.Error(t, res.Err)
	assert.Nil(t, res.Response, "the DELETE is never sent")

	res = corstest.Fetch(handler(t), foreign, httptest.NewRequest(http.MethodGet, "/api/items", nil))
	require.Error(t, res.Err)
	assert.Equal(t, http.StatusOK, res.Response.StatusCode, "served, but kept from the script")
}

// TestMuxErrorsAreReadable checks the mux's own answers: the frontend can
// read a 404 or a 405 instead of seeing a network error.
func TestMuxErrorsAreReadable(t *testing.T) {
	h := handler(t)
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/api/nothing", http.StatusNotFound},
		{http.MethodPost, "/api/items", http.StatusMethodNotAllowed},
	} {
		res := corstest.Fetch(h, app, httptest.NewRequest(tt.method, tt.path, nil))
		require.NoError(t, res.Err, "%s %s", tt.method, tt.path)
		assert.Equal(t, tt.want, res.Response.StatusCode, "%s %s", tt.method, tt.path)
	}
}

func TestPanicIsAReadable500(t *testing.T) {
	res := corstest.Fetch(handler(t), app, httptest.NewRequest(http.MethodGet, "/api/panic", nil))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusInternalServerError, res.Response.StatusCode)
}
