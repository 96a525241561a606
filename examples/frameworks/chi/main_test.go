package main

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/examples/internal/corstest"
)

const app = "https://app.example.com"

func router(t *testing.T) *chi.Mux {
	t.Helper()
	r, err := newRouter()
	require.NoError(t, err)
	r.Get("/api/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	return r
}

// TestBareRouterRefusesPreflight shows what the middleware saves the
// frontend from: chi alone answers the preflight with 405.
func TestBareRouterRefusesPreflight(t *testing.T) {
	r := chi.NewRouter()
	r.Put("/api/items/{id}", func(http.ResponseWriter, *http.Request) {})
	res := corstest.Serve(r, corstest.Preflight("/api/items/7", app, http.MethodPut, "Content-Type"))
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
}

func TestPreflight(t *testing.T) {
	res := corstest.Serve(router(t), corstest.Preflight("/api/items/7", app, http.MethodPut, "Content-Type", "Authorization"))
	corstest.AssertPreflightAllowed(t, res, app, http.MethodPut, "Content-Type", "Authorization")
}

func TestActualRequest(t *testing.T) {
	res := corstest.Serve(router(t), corstest.Request(http.MethodGet, "/api/items/7", app))
	corstest.RequireStatus(t, res, http.StatusOK)
	corstest.AssertAllowed(t, res, app)
	assert.Equal(t, "ETag", res.Header.Get("Access-Control-Expose-Headers"))
}

func TestRefusedOrigin(t *testing.T) {
	corstest.AssertRefusesOrigin(t, router(t), "/api/items/7", http.MethodPut, "/api/items/7")
}

func TestPanicKeepsCORS(t *testing.T) {
	corstest.AssertPanicKeepsCORS(t, router(t), "/api/panic", app)
}

// TestMiddlewareOrder backs the advice in main.go: a middleware that answers
// on its own gets CORS headers only when it runs after m.Handler.
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
		wantCORS bool
	}{
		{"CORS first", []func(http.Handler) http.Handler{m.Handler, requireToken}, true},
		{"auth first", []func(http.Handler) http.Handler{requireToken, m.Handler}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := chi.NewRouter()
			r.Use(tt.chain...)
			r.Get("/api/items", func(http.ResponseWriter, *http.Request) {})
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
