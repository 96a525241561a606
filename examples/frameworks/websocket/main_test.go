package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
)

const (
	app     = "https://app.example.com"
	partner = "https://partner.example.org"
	foreign = "https://evil.example.net"
)

// server starts the example behind m on a loopback port.
func server(t *testing.T, m *cors.Middleware) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(newHandler(m))
	t.Cleanup(srv.Close)
	return srv
}

func policy(t *testing.T) *cors.Middleware {
	t.Helper()
	m, err := newPolicy()
	require.NoError(t, err)
	return m
}

// dial opens the socket as a browser page of origin would; an empty origin
// sends no Origin header, as non-browser clients do.
func dial(t *testing.T, srv *httptest.Server, origin string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	conn, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/ws", h)
	if conn != nil {
		t.Cleanup(func() { _ = conn.Close() })
	}
	return conn, res, err
}

// requireEcho exchanges one message over conn.
func requireEcho(t *testing.T, conn *websocket.Conn) {
	t.Helper()
	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte("ping")))
	kind, msg, err := conn.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, websocket.TextMessage, kind)
	assert.Equal(t, "ping", string(msg))
}

// requireOpens dials from origin and exchanges a message.
func requireOpens(t *testing.T, srv *httptest.Server, origin string) {
	t.Helper()
	conn, res, err := dial(t, srv, origin)
	require.NoError(t, err, "origin %q", origin)
	assert.Equal(t, http.StatusSwitchingProtocols, res.StatusCode)
	requireEcho(t, conn)
}

// assertRefused dials from origin and expects the handshake's 403.
func assertRefused(t *testing.T, srv *httptest.Server, origin string) {
	t.Helper()
	conn, res, err := dial(t, srv, origin)
	assert.Nil(t, conn)
	assert.ErrorIs(t, err, websocket.ErrBadHandshake, "origin %q", origin)
	if assert.NotNil(t, res) {
		assert.Equal(t, http.StatusForbidden, res.StatusCode, "origin %q", origin)
	}
}

func TestHandshake(t *testing.T) {
	srv := server(t, policy(t))
	for _, tt := range []struct {
		name, origin string
		opens        bool
	}{
		{"allowed origin", app, true},
		{"no Origin: not a browser", "", true},
		{"foreign origin", foreign, false},
		{"the API's own origin, not listed", srv.URL, false},
		{"allowed origin over http", "http://app.example.com", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opens {
				requireOpens(t, srv, tt.origin)
			} else {
				assertRefused(t, srv, tt.origin)
			}
		})
	}
}

// TestAPIOnTheSamePolicy: the JSON API beside the socket answers the same
// origins.
func TestAPIOnTheSamePolicy(t *testing.T) {
	srv := server(t, policy(t))
	for _, tt := range []struct {
		origin, allowOrigin string
	}{
		{app, app},
		{foreign, ""},
	} {
		r, err := http.NewRequest(http.MethodGet, srv.URL+"/api/status", nil)
		require.NoError(t, err)
		r.Header.Set("Origin", tt.origin)
		res, err := srv.Client().Do(r)
		require.NoError(t, err)
		require.NoError(t, res.Body.Close())
		require.Equal(t, http.StatusOK, res.StatusCode)
		assert.Equal(t, tt.allowOrigin, res.Header.Get("Access-Control-Allow-Origin"), "origin %q", tt.origin)
	}
}

// TestWildcardPolicyOpensNoHandshake: "*" lets every script read the API,
// but it names no origin, so no browser page gets a socket.
func TestWildcardPolicyOpensNoHandshake(t *testing.T) {
	m, err := cors.New(cors.Options{AllowedOrigins: []string{"*"}})
	require.NoError(t, err)
	srv := server(t, m)
	for _, origin := range []string{app, foreign} {
		assertRefused(t, srv, origin)
	}
	requireOpens(t, srv, "")
}

// TestReconfigure: a new list applies to the next handshake.
func TestReconfigure(t *testing.T) {
	m := policy(t)
	srv := server(t, m)
	requireOpens(t, srv, app)
	assertRefused(t, srv, partner)

	require.NoError(t, m.Reconfigure(cors.Options{AllowedOrigins: []string{partner}, AllowCredentials: true}))
	requireOpens(t, srv, partner)
	assertRefused(t, srv, app)
}
