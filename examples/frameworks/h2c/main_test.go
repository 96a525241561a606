package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
)

const app = "https://app.example.com"

func policy(t *testing.T) *cors.Middleware {
	t.Helper()
	m, err := newPolicy()
	require.NoError(t, err)
	return m
}

// routes is the example's mux with a handler that panics.
func routes() *http.ServeMux {
	mux := newMux()
	mux.HandleFunc("GET /api/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	return mux
}

// server is a loopback server with an h2c client for it.
type server struct {
	*httptest.Server
	client *http.Client
}

// start starts srv and a client that speaks HTTP/2 with prior knowledge
// over plain TCP, as a proxy or a gRPC client in front of it does.
func start(t *testing.T, srv *httptest.Server) server {
	t.Helper()
	srv.Start()
	t.Cleanup(srv.Close)
	protocols := new(http.Protocols)
	protocols.SetUnencryptedHTTP2(true)
	tr := &http.Transport{Protocols: protocols}
	t.Cleanup(tr.CloseIdleConnections)
	return server{srv, &http.Client{Transport: tr}}
}

// do sends one request from origin over HTTP/2 and reads the whole answer.
func do(t *testing.T, srv server, method, path, origin string, header http.Header) (*http.Response, error) {
	t.Helper()
	r, err := http.NewRequest(method, srv.URL+path, nil)
	require.NoError(t, err)
	for k, v := range header {
		r.Header[k] = v
	}
	r.Header.Set("Origin", origin)
	res, err := srv.client.Do(r)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if _, err := io.ReadAll(res.Body); err != nil {
		return nil, err
	}
	require.Equal(t, 2, res.ProtoMajor, "served over %s", res.Proto)
	return res, nil
}

var preflight = http.Header{"Access-Control-Request-Method": {http.MethodPut}, "Access-Control-Request-Headers": {"content-type"}}

// assertCORSOverH2C checks the three answers the middleware owes a browser
// when every stream goes through it.
func assertCORSOverH2C(t *testing.T, srv server) {
	t.Helper()
	res, err := do(t, srv, http.MethodGet, "/api/items", app, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, app, res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "Origin", res.Header.Get("Vary"))

	res, err = do(t, srv, http.MethodOptions, "/api/items/7", app, preflight)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, res.StatusCode)
	assert.Equal(t, app, res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, http.MethodPut, res.Header.Get("Access-Control-Allow-Methods"))

	res, err = do(t, srv, http.MethodGet, "/api/panic", app, nil)
	require.NoError(t, err, "a panic must be a readable 500, not a reset stream")
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	assert.Equal(t, app, res.Header.Get("Access-Control-Allow-Origin"))
}

// TestBuiltinH2C serves the example's server, configured as main does.
func TestBuiltinH2C(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	example := newServer("", policy(t).Handler(routes()))
	srv.Config.Handler, srv.Config.Protocols = example.Handler, example.Protocols
	assertCORSOverH2C(t, start(t, srv))
}
