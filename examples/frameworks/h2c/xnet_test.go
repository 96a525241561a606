//lint:file-ignore SA1019 the deprecated x/net h2c package is what this file is about: existing code still wraps handlers with it.

package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
)

// TestXNetH2CRightOrder: the middleware inside h2c's handler sees every
// stream.
func TestXNetH2CRightOrder(t *testing.T) {
	h := h2c.NewHandler(policy(t).Handler(routes()), &http2.Server{})
	assertCORSOverH2C(t, start(t, httptest.NewUnstartedServer(h)))
}

// TestXNetH2CWrongOrder is the order the example warns against: the
// middleware outside h2c sees only the connection's first request, and
// every stream goes around it.
func TestXNetH2CWrongOrder(t *testing.T) {
	h := policy(t).Handler(h2c.NewHandler(routes(), &http2.Server{}))
	srv := start(t, httptest.NewUnstartedServer(h))

	res, err := do(t, srv, http.MethodGet, "/api/items", app, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, res.Header.Values("Vary"))

	res, err = do(t, srv, http.MethodOptions, "/api/items/7", app, preflight)
	require.NoError(t, err)
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode, "the mux answers the preflight")
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))

	_, err = do(t, srv, http.MethodGet, "/api/panic", app, nil)
	assert.ErrorContains(t, err, "INTERNAL_ERROR", "the panic resets the stream")

	// Why it goes unnoticed: HTTP/1.1 requests to the same server pass
	// through the middleware and get the headers.
	r, err := http.NewRequest(http.MethodGet, srv.URL+"/api/items", nil)
	require.NoError(t, err)
	r.Header.Set("Origin", app)
	res, err = srv.Client().Do(r)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, 1, res.ProtoMajor)
	assert.Equal(t, app, res.Header.Get("Access-Control-Allow-Origin"))
}
