package main

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/examples/internal/corstest"
)

const frontend = "https://app.example.com"

// browser sends requests over TLS to the test server the way fetch with
// credentials: "include" does from origin: with the Origin header and the
// cookies of its jar.
type browser struct {
	t      *testing.T
	srv    *httptest.Server
	client *http.Client
}

func newBrowser(t *testing.T, srv *httptest.Server) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := srv.Client()
	c.Jar = jar
	return &browser{t: t, srv: srv, client: c}
}

// do sends r, built with a path as target, to the server.
func (b *browser) do(r *http.Request) *http.Response {
	b.t.Helper()
	u, err := url.Parse(b.srv.URL + r.URL.RequestURI())
	require.NoError(b.t, err)
	// httptest.NewRequest builds a server-side request: make it a client one.
	r.URL, r.Host, r.RequestURI = u, "", ""
	res, err := b.client.Do(r)
	require.NoError(b.t, err)
	b.t.Cleanup(func() { _ = res.Body.Close() })
	return res
}

func login(origin string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(`{"name":"ada"}`))
	r.Header.Set("Origin", origin)
	r.Header.Set("Content-Type", "application/json")
	return r
}

func TestCookieRoundTrip(t *testing.T) {
	h, err := newHandler(frontend)
	require.NoError(t, err)
	srv := httptest.NewTLSServer(h)
	defer srv.Close()
	b := newBrowser(t, srv)

	// A JSON POST is not a "simple" request: the browser asks first.
	res := b.do(corstest.Preflight("/login", frontend, http.MethodPost, "Content-Type"))
	corstest.AssertPreflightAllowed(t, res, frontend, http.MethodPost, "Content-Type")
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))

	res = b.do(login(frontend))
	corstest.RequireStatus(t, res, http.StatusNoContent)
	assertCredentialed(t, res)
	require.Len(t, res.Cookies(), 1)
	assert.True(t, res.Cookies()[0].Secure)

	res = b.do(corstest.Request(http.MethodGet, "/me", frontend))
	corstest.RequireStatus(t, res, http.StatusOK)
	assertCredentialed(t, res)
	var me map[string]string
	require.NoError(t, json.NewDecoder(res.Body).Decode(&me))
	assert.Equal(t, "ada", me["name"])

	// Another site's page rides on the same cookie: the handler answers, but
	// without CORS headers the browser keeps the answer from its script.
	res = b.do(corstest.Request(http.MethodGet, "/me", "https://evil.example.net"))
	corstest.RequireStatus(t, res, http.StatusOK)
	corstest.AssertNoCORS(t, res)
}

// TestErrorsAreReadable checks that the frontend can read a 401 too, so it can
// tell "sign in first" from a network failure.
func TestErrorsAreReadable(t *testing.T) {
	h, err := newHandler(frontend)
	require.NoError(t, err)
	srv := httptest.NewTLSServer(h)
	defer srv.Close()

	res := newBrowser(t, srv).do(corstest.Request(http.MethodGet, "/me", frontend))
	corstest.RequireStatus(t, res, http.StatusUnauthorized)
	assertCredentialed(t, res)
}

// assertCredentialed checks what a credentialed response needs: the exact
// origin, never "*", and Access-Control-Allow-Credentials: true.
func assertCredentialed(t *testing.T, res *http.Response) {
	t.Helper()
	corstest.AssertAllowed(t, res, frontend)
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
}
