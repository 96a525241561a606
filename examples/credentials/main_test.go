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

	"github.com/corsguard/cors/corstest"
)

const (
	frontend = "https://app.example.com"
	api      = "https://api.example.com"
)

// browser is the frontend's page: fetch(..., {credentials: "include"})
// through the API's handler, with a cookie jar that keeps what the API sets
// and sends it back, as a browser does for a same-site API over HTTPS.
type browser struct {
	t      *testing.T
	h      http.Handler
	origin string
	jar    http.CookieJar
}

func newBrowser(t *testing.T, h http.Handler, origin string) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, h: h, origin: origin, jar: jar}
}

// fetch runs r, whose target is a path on the API, with the jar's cookies,
// and stores the cookies of a response the browser accepted.
func (b *browser) fetch(r *http.Request) *corstest.Result {
	b.t.Helper()
	u, err := url.Parse(api + r.URL.RequestURI())
	require.NoError(b.t, err)
	for _, c := range b.jar.Cookies(u) {
		r.AddCookie(c)
	}
	res := corstest.FetchWithCredentials(b.h, b.origin, r)
	if res.Err == nil {
		b.jar.SetCookies(u, res.Response.Cookies())
	}
	return res
}

// request builds a request to path on the API over HTTPS.
func request(method, path, body string) *http.Request {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, api+path, nil)
	} else {
		r = httptest.NewRequest(method, api+path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}

func TestCookieRoundTrip(t *testing.T) {
	h, err := newHandler(frontend)
	require.NoError(t, err)
	b := newBrowser(t, h, frontend)

	// A JSON POST is not a "simple" request: the browser asks first.
	res := b.fetch(request(http.MethodPost, "/login", `{"name":"ada"}`))
	require.NoError(t, res.Err)
	require.NotNil(t, res.Preflight, "a JSON POST is preflighted")
	require.Equal(t, http.StatusNoContent, res.Response.StatusCode)
	require.Len(t, res.Response.Cookies(), 1)
	assert.True(t, res.Response.Cookies()[0].Secure)

	res = b.fetch(request(http.MethodGet, "/me", ""))
	require.NoError(t, res.Err)
	require.Equal(t, http.StatusOK, res.Response.StatusCode)
	var me map[string]string
	require.NoError(t, json.NewDecoder(res.Response.Body).Decode(&me))
	assert.Equal(t, "ada", me["name"])

	// Another site's page rides on the same cookie: the handler answers,
	// but the browser keeps the answer from its script.
	evil := newBrowser(t, h, "https://evil.example.net")
	evil.jar = b.jar
	res = evil.fetch(request(http.MethodGet, "/me", ""))
	require.Error(t, res.Err)
	assert.Equal(t, http.StatusOK, res.Response.StatusCode)
}

// TestErrorsAreReadable checks that the frontend can read a 401 too, so it can
// tell "sign in first" from a network failure.
func TestErrorsAreReadable(t *testing.T) {
	h, err := newHandler(frontend)
	require.NoError(t, err)

	res := newBrowser(t, h, frontend).fetch(request(http.MethodGet, "/me", ""))
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusUnauthorized, res.Response.StatusCode)
}
