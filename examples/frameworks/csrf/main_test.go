package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/corstest"
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

// post is a form-like POST to the cart, as a page's fetch() or form sends
// it; fetchSite, when not empty, is the Sec-Fetch-Site a current browser
// adds, which CrossOriginProtection reads first.
func post(fetchSite string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/api/cart", nil)
	if fetchSite != "" {
		r.Header.Set("Sec-Fetch-Site", fetchSite)
	}
	return r
}

func TestAllowedOriginCanPost(t *testing.T) {
	// With Sec-Fetch-Site (current browsers) and without (older ones, where
	// the protection compares Origin with Host).
	for _, site := range []string{"same-site", ""} {
		res := corstest.FetchWithCredentials(handler(t), app, post(site))
		require.NoError(t, res.Err, "Sec-Fetch-Site %q", site)
		assert.Equal(t, http.StatusCreated, res.Response.StatusCode, "Sec-Fetch-Site %q", site)
	}
}

// TestForeignOriginPostRejected: CORS alone would keep the answer from the
// foreign script, but the POST would still have changed the cart. The
// protection refuses it before the handler runs.
func TestForeignOriginPostRejected(t *testing.T) {
	for _, site := range []string{"cross-site", ""} {
		res := corstest.FetchWithCredentials(handler(t), evil, post(site))
		require.Error(t, res.Err, "Sec-Fetch-Site %q", site)
		assert.Equal(t, http.StatusForbidden, res.Response.StatusCode, "Sec-Fetch-Site %q", site)
	}
}

// TestForeignOriginCanStillGet: the protection leaves safe methods alone,
// and CORS keeps the answer from the foreign script.
func TestForeignOriginCanStillGet(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/api/cart", nil)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	res := corstest.FetchWithCredentials(handler(t), evil, r)
	require.Error(t, res.Err)
	assert.Equal(t, http.StatusOK, res.Response.StatusCode)
}

// TestJSONPost: a JSON body needs a preflight, which CORS answers before
// the protection looks at anything.
func TestJSONPost(t *testing.T) {
	postJSON := func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/api/cart", strings.NewReader(`{"sku":"pen"}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Sec-Fetch-Site", "same-site")
		return r
	}
	res := corstest.FetchWithCredentials(handler(t), app, postJSON())
	require.NoError(t, res.Err)
	assert.Equal(t, http.StatusCreated, res.Response.StatusCode)

	res = corstest.FetchWithCredentials(handler(t), evil, postJSON())
	require.Error(t, res.Err)
	assert.Nil(t, res.Response, "the POST is never sent")
}

// TestNonBrowserClientsPass: no Origin and no Sec-Fetch-Site means not a
// browser (curl, another server); neither policy applies.
func TestNonBrowserClientsPass(t *testing.T) {
	rec := httptest.NewRecorder()
	handler(t).ServeHTTP(rec, post(""))
	assert.Equal(t, http.StatusCreated, rec.Code)
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
}
