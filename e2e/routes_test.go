package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/corsguard/cors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRoutesInChromium has Chromium judge one policy per part of a site:
// a page on one origin reads /api/ with credentials and /public/ without, and
// is refused on /webhooks/, which no policy lists.
func TestRoutesInChromium(t *testing.T) { testRoutes(t, chromium) }

// TestRoutesInFirefox runs the same cases in Firefox.
func TestRoutesInFirefox(t *testing.T) { testRoutes(t, firefox) }

// TestRoutesInWebKit runs the same cases in WebKit.
func TestRoutesInWebKit(t *testing.T) { testRoutes(t, webkit) }

func testRoutes(t *testing.T, e engine) {
	browser := e.start(t)
	page := newPageServer(t)
	api := newRoutesAPI(t, page.URL)
	tab := browser.open(t, page.URL)

	t.Run("/api/ with credentials", func(t *testing.T) {
		res := fetch(t, tab, request{url: api.URL + "/api/items", init: map[string]any{"credentials": "include"}})
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Equal(t, "api items", res.Body)
	})
	// The router has only "DELETE /api/items/{id}": the preflight is answered
	// by /api/'s policy before it, or the mux's 405 would be a CORS error.
	t.Run("/api/ preflighted, no OPTIONS route", func(t *testing.T) {
		res := fetch(t, tab, request{url: api.URL + "/api/items/7", init: map[string]any{"method": "DELETE", "credentials": "include"}})
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Equal(t, http.StatusNoContent, res.Status)
	})
	t.Run("/public/ without credentials", func(t *testing.T) {
		res := fetch(t, tab, request{url: api.URL + "/public/items"})
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Equal(t, "public items", res.Body)
	})
	t.Run("/public/ refuses credentials", func(t *testing.T) {
		// "*" is no answer to a credentialed request.
		res := fetch(t, tab, request{url: api.URL + "/public/items", init: map[string]any{"credentials": "include"}})
		assert.Equal(t, "blocked", res.Outcome)
	})
	t.Run("/webhooks/ refused", func(t *testing.T) {
		res := fetch(t, tab, request{url: api.URL + "/webhooks/payments"})
		assert.Equal(t, "blocked", res.Outcome)
	})
}

// newRoutesAPI serves three parts under their own policies, through one
// cors.Routes in front of a ServeMux with method patterns.
func newRoutesAPI(t *testing.T, pageOrigin string) *httptest.Server {
	t.Helper()
	private, err := cors.New(cors.Options{
		AllowedOrigins:   []string{pageOrigin},
		AllowedMethods:   []string{http.MethodGet, http.MethodDelete},
		AllowCredentials: true,
	})
	require.NoError(t, err)
	public, err := cors.New(cors.Options{AllowedOrigins: []string{"*"}})
	require.NoError(t, err)
	routes, err := cors.NewRoutes(map[string]*cors.Middleware{"/api/": private, "/public/": public})
	require.NoError(t, err)

	text := func(s string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, s) }
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/items", text("api items"))
	mux.HandleFunc("DELETE /api/items/{id}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("GET /public/items", text("public items"))
	mux.HandleFunc("GET /webhooks/payments", text("webhook"))
	srv := httptest.NewServer(routes.Handler(mux))
	t.Cleanup(srv.Close)
	return srv
}
