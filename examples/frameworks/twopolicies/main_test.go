package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/examples/frameworks/internal/corstest"
)

const app = "https://app.example.com"

// servers are the same site on each router, behind the same Routes.
var servers = []struct {
	name string
	new  func() (http.Handler, error)
}{
	{"net/http", newHandler},
	{"chi", newChiHandler},
	{"gin", newGinHandler},
	{"echo", newEchoHandler},
}

// eachServer runs f on the site served by every router.
func eachServer(t *testing.T, f func(t *testing.T, h http.Handler)) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			h, err := s.new()
			require.NoError(t, err)
			f(t, h)
		})
	}
}

// TestPreflights: each subtree's preflight is answered by its own policy, in
// every router, none of which has an OPTIONS route.
func TestPreflights(t *testing.T) { eachServer(t, testPreflights) }

func testPreflights(t *testing.T, h http.Handler) {
	for _, tt := range []struct {
		name, path, origin, method, header string
		status                             int
		allowOrigin, credentials           string
	}{
		{"api, frontend", "/api/items/7", app, http.MethodDelete, "content-type", http.StatusNoContent, app, "true"},
		{"api, foreign origin", "/api/items/7", corstest.Foreign, http.MethodDelete, "content-type", http.StatusForbidden, "", ""},
		{"public, frontend", "/public/search", app, http.MethodPost, "content-type", http.StatusNoContent, "*", ""},
		{"public, any origin", "/public/search", corstest.Foreign, http.MethodPost, "content-type", http.StatusNoContent, "*", ""},
		{"webhooks, frontend", "/webhooks/payments", app, http.MethodPost, "content-type", http.StatusForbidden, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := corstest.Serve(h, corstest.Preflight(tt.path, tt.origin, tt.method, tt.header))
			assert.Equal(t, tt.status, res.StatusCode)
			assert.Equal(t, tt.allowOrigin, res.Header.Get("Access-Control-Allow-Origin"))
			assert.Equal(t, tt.credentials, res.Header.Get("Access-Control-Allow-Credentials"))
			if tt.status == http.StatusNoContent {
				assert.Equal(t, tt.method, res.Header.Get("Access-Control-Allow-Methods"))
				assert.Equal(t, tt.header, res.Header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

// TestActualRequests: credentials only on /api, "*" only on /public, no
// CORS on /webhooks, and the mux's own 405s still carry their part's headers.
func TestActualRequests(t *testing.T) { eachServer(t, testActualRequests) }

func testActualRequests(t *testing.T, h http.Handler) {
	for _, tt := range []struct {
		name, method, path, origin string
		status                     int
		allowOrigin, credentials   string
	}{
		{"api, frontend", http.MethodGet, "/api/items", app, http.StatusOK, app, "true"},
		{"api, foreign origin", http.MethodGet, "/api/items", corstest.Foreign, http.StatusOK, "", ""},
		{"api, no Origin", http.MethodGet, "/api/items", "", http.StatusOK, "", ""},
		{"api, method the route lacks", http.MethodPut, "/api/items", app, http.StatusMethodNotAllowed, app, "true"},
		{"public, frontend", http.MethodGet, "/public/items", app, http.StatusOK, "*", ""},
		{"public, any origin", http.MethodGet, "/public/items", corstest.Foreign, http.StatusOK, "*", ""},
		{"public, no Origin", http.MethodGet, "/public/items", "", http.StatusOK, "*", ""},
		{"public, method the route lacks", http.MethodPut, "/public/items", corstest.Foreign, http.StatusMethodNotAllowed, "*", ""},
		{"webhooks, frontend", http.MethodPost, "/webhooks/payments", app, http.StatusAccepted, "", ""},
		{"webhooks, no Origin", http.MethodPost, "/webhooks/payments", "", http.StatusAccepted, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := corstest.Serve(h, corstest.Request(tt.method, tt.path, tt.origin))
			assert.Equal(t, tt.status, res.StatusCode)
			assert.Equal(t, tt.allowOrigin, res.Header.Get("Access-Control-Allow-Origin"))
			assert.Equal(t, tt.credentials, res.Header.Get("Access-Control-Allow-Credentials"))
			if tt.allowOrigin != "*" {
				corstest.AssertVaryOrigin(t, res) // the answer depends on Origin
			}
		})
	}
}

// TestPitfallWrappingTheRoute keeps the README's warning honest: with the
// middleware inside a method pattern, the mux answers the frontend's
// preflight itself, with 405 and no CORS headers, so the browser never
// sends the GET.
func TestPitfallWrappingTheRoute(t *testing.T) {
	m, err := cors.New(cors.Options{
		AllowedOrigins:   []string{app},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
	})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("GET /api/items", m.Handler(apiRoutes()))

	res := corstest.Serve(mux, corstest.Preflight("/api/items", app, http.MethodGet, "content-type"))
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Credentials"))

	// The same preflight through the example's Routes.
	h, err := newHandler()
	require.NoError(t, err)
	res = corstest.Serve(h, corstest.Preflight("/api/items", app, http.MethodGet, "content-type"))
	corstest.AssertPreflightAllowed(t, res, app, http.MethodGet, "content-type")
}
