package e2e

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/corsguard/cors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSubdomainPatternsInChromium has Chromium judge "http://*.app.localhost:P":
// both engines resolve every *.localhost name to loopback (RFC 6761), so one
// page server is reachable under several host names, each its own origin.
func TestSubdomainPatternsInChromium(t *testing.T) { testSubdomainPatterns(t, chromium) }

// TestSubdomainPatternsInFirefox runs the same cases in Firefox.
func TestSubdomainPatternsInFirefox(t *testing.T) { testSubdomainPatterns(t, firefox) }

// TestSubdomainPatternsInWebKit runs the same cases in WebKit.
func TestSubdomainPatternsInWebKit(t *testing.T) { testSubdomainPatterns(t, webkit) }

func testSubdomainPatterns(t *testing.T, e engine) {
	browser := e.start(t)
	page := newPageServer(t)
	u, err := url.Parse(page.URL)
	require.NoError(t, err)
	port := u.Port()
	api := newTestAPI(t, cors.Options{
		AllowedOrigins:   []string{"http://*.app.localhost:" + port},
		AllowCredentials: true,
	})
	tests := []struct {
		host    string
		allowed bool
	}{
		{"tenant.app.localhost", true},
		{"a.b.app.localhost", true},
		{"app.localhost", false},     // the base itself is not a subdomain
		{"evilapp.localhost", false}, // a string suffix, not a label suffix
		{"tenant.app.localhost.localhost", false},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			tab := browser.open(t, "http://"+tt.host+":"+port+"/")
			res := fetch(t, tab, request{url: api.URL + "/hello", init: map[string]any{"credentials": "include"}})
			if !tt.allowed {
				assert.Equal(t, "blocked", res.Outcome, "origin http://%s:%s must be refused", tt.host, port)
				return
			}
			require.Equal(t, "response", res.Outcome, res.Error)
			assert.Equal(t, http.StatusOK, res.Status)
			assert.Equal(t, "hello", res.Body)
		})
	}
}
