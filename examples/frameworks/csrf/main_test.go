package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/examples/internal/corstest"
)

const (
	app  = "https://app.example.com"
	evil = "https://evil.example.net"
)

func handler(t *testing.T) http.Handler {
	t.Helper()
	h, err := newHandler()
	require.NoError(t, err)
	return h
}

// post builds a POST as a browser sends it from origin: modern browsers add
// Sec-Fetch-Site, which CrossOriginProtection reads first.
func post(origin, fetchSite string) *http.Request {
	r := corstest.Request(http.MethodPost, "/api/cart", origin)
	if fetchSite != "" {
		r.Header.Set("Sec-Fetch-Site", fetchSite)
	}
	return r
}

func TestAllowedOriginCanPost(t *testing.T) {
	// With Sec-Fetch-Site (current browsers) and without (older ones, where
	// the protection compares Origin with Host).
	for _, site := range []string{"same-site", ""} {
		res := corstest.Serve(handler(t), post(app, site))
		assert.Equal(t, http.StatusCreated, res.StatusCode, "Sec-Fetch-Site %q", site)
		corstest.AssertAllowed(t, res, app)
		assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
	}
}

func TestForeignOriginPostRejected(t *testing.T) {
	for _, site := range []string{"cross-site", ""} {
		res := corstest.Serve(handler(t), post(evil, site))
		assert.Equal(t, http.StatusForbidden, res.StatusCode, "Sec-Fetch-Site %q", site)
		corstest.AssertNoCORS(t, res)
	}
}

// TestForeignOriginCanStillGet: the protection leaves safe methods alone,
// and CORS keeps the answer from the foreign script.
func TestForeignOriginCanStillGet(t *testing.T) {
	r := corstest.Request(http.MethodGet, "/api/cart", evil)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	res := corstest.Serve(handler(t), r)
	corstest.RequireStatus(t, res, http.StatusOK)
	corstest.AssertNoCORS(t, res)
}

func TestPreflight(t *testing.T) {
	r := corstest.Preflight("/api/cart", app, http.MethodPost, "Content-Type")
	r.Header.Set("Sec-Fetch-Site", "same-site")
	res := corstest.Serve(handler(t), r)
	corstest.AssertPreflightAllowed(t, res, app, http.MethodPost, "Content-Type")
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))

	r = corstest.Preflight("/api/cart", evil, http.MethodPost, "Content-Type")
	res = corstest.Serve(handler(t), r)
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
	corstest.AssertNoCORS(t, res)
}

// TestNonBrowserClientsPass: no Origin and no Sec-Fetch-Site means not a
// browser (curl, another server); neither policy applies.
func TestNonBrowserClientsPass(t *testing.T) {
	res := corstest.Serve(handler(t), post("", ""))
	assert.Equal(t, http.StatusCreated, res.StatusCode)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
}
