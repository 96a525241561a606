package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/corstest"
)

const (
	app     = "https://app.example.com"
	foreign = "https://evil.example.net"
)

func router(t *testing.T) *chi.Mux {
	t.Helper()
	r, err := newRouter()
	require.NoError(t, err)
	r.Get("/api/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	return r
}

// putJSON is the frontend's fetch(path, {method: "PUT", headers: {"Content-Type":
// "application/json", Authorization: ...}, body}), which needs a preflight.
func putJSON(path string) *http.Request {
	r := httptest.NewRequest(http.MethodPut, path, strings.NewReader(`{"name":"pen"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer t0ken")
	return r
}

func get(path string) *http.Request { return httptest.NewRequest(http.MethodGet, path, nil) }

// TestBareRouterRefusesPreflight shows what the middleware saves the
// frontend from: chi alone answers the preflight with 405, and the browser
// never sends the PUT.
func TestBareRouterRefusesPreflight(t *testing.T) {
	r := chi.NewRouter()
	r.Put("/api/items/{id}", func(http.ResponseWriter, *http.Request) {})
	res := corstest.Fetch(r, app, putJSON("/api/items/7"))
	var blocked *corstest.BlockedError
	require.True(t, errors.As(res.Err, &blocked), "%v", res.Err)
	assert.True(t, blocked.Preflight)
	assert.Equal(t, http.StatusMethodNotAllowed, res.Preflight.StatusCode)
	assert.Nil(t, res.Response)
}

func TestPutWithPreflight(t *testing.T) {
	res := corstest.Fetch(router(t), app, putJSON("/api/items/7"))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusNoContent, res.Response.StatusCode)
}

func TestActualRequest(t *testing.T) {
	res := corstest.Fetch(router(t), app, get("/api/items/7"))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusOK, res.Response.StatusCode)
	assert.Equal(t, "ETag", res.Response.Header.Get("Access-Control-Expose-Headers"), "the script may read ETag")
}

// TestRefusedOrigin: another site's script gets nothing. Its preflight
// fails; its GET is served, but the browser keeps the answer from it.
func TestRefusedOrigin(t *testing.T) {
	res := corstest.Fetch(router(t), foreign, putJSON("/api/items/7"))
	require.Error(t, res.Err)
	assert.Nil(t, res.Response, "the PUT is never sent")

	res = corstest.Fetch(router(t), foreign, get("/api/items/7"))
	require.Error(t, res.Err)
	assert.Equal(t, http.StatusOK, res.Response.StatusCode)
}

func TestPanicIsAReadable500(t *testing.T) {
	res := corstest.Fetch(router(t), app, get("/api/panic"))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusInternalServerError, res.Response.StatusCode)
}

// TestMiddlewareOrder backs the advice in main.go: a middleware that answers
// on its own is readable by the frontend only when it runs after m.Handler.
func TestMiddlewareOrder(t *testing.T) {
	m, err := cors.New(cors.Options{AllowedOrigins: []string{app}})
	require.NoError(t, err)
	requireToken := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				http.Error(w, "token required", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	for _, tt := range []struct {
		name     string
		chain    []func(http.Handler) http.Handler
		readable bool
	}{
		{"CORS first", []func(http.Handler) http.Handler{m.Handler, requireToken}, true},
		{"auth first", []func(http.Handler) http.Handler{requireToken, m.Handler}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := chi.NewRouter()
			r.Use(tt.chain...)
			r.Get("/api/items", func(http.ResponseWriter, *http.Request) {})
			res := corstest.Fetch(r, app, get("/api/items"))
			assert.Equal(t, http.StatusUnauthorized, res.Response.StatusCode)
			assert.Equal(t, tt.readable, res.Err == nil, "%v", res.Err)
		})
	}
}
