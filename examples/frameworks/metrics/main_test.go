package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	app     = "https://app.example.com"
	foreign = "https://evil.example.net"
	metric  = "cors_refused_requests_total"
)

// server starts the example on a loopback port, with a registry of its own.
func server(t *testing.T) *httptest.Server {
	t.Helper()
	h, err := newHandler(prometheus.NewRegistry())
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// send makes one request as a browser would; origins are its Origin lines.
func send(t *testing.T, srv *httptest.Server, method, path string, origins []string, header http.Header) *http.Response {
	t.Helper()
	r, err := http.NewRequest(method, srv.URL+path, nil)
	require.NoError(t, err)
	for k, v := range header {
		r.Header[k] = v
	}
	if origins != nil {
		r.Header["Origin"] = origins
	}
	res, err := srv.Client().Do(r)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	return res
}

// ask is a preflight's request headers: the method and header names it asks
// for.
func ask(method string, headers ...string) http.Header {
	h := http.Header{"Access-Control-Request-Method": {method}}
	if len(headers) > 0 {
		h.Set("Access-Control-Request-Headers", strings.Join(headers, ","))
	}
	return h
}

// exposition is the scrape text expected for one counted series, or for
// none when kind is empty.
func exposition(kind, preflight string, n int) string {
	if kind == "" {
		return ""
	}
	return fmt.Sprintf(`# HELP %[1]s Requests refused by the CORS policy, by what was refused.
# TYPE %[1]s counter
%[1]s{kind=%[2]q,preflight=%[3]q} %[4]d
`, metric, kind, preflight, n)
}

// TestEachRefusalIsCounted sends one request of each kind and scrapes
// /metrics: exactly one series, labelled with the kind and preflight, counts
// it, and allowed requests count nothing.
func TestEachRefusalIsCounted(t *testing.T) {
	const item, items = "/api/items/7", "/api/items"
	for _, tt := range []struct {
		name            string
		method, path    string
		origins         []string
		header          http.Header
		status          int
		kind, preflight string // the series counted; none when empty
	}{
		{"foreign origin's preflight", http.MethodOptions, item, []string{foreign}, ask(http.MethodPut), http.StatusForbidden, "origin_refused", "true"},
		{"foreign origin's GET", http.MethodGet, items, []string{foreign}, nil, http.StatusOK, "origin_refused", "false"},
		{"method not allowed", http.MethodOptions, item, []string{app}, ask(http.MethodDelete), http.StatusNoContent, "method_refused", "true"},
		{"header not allowed", http.MethodOptions, item, []string{app}, ask(http.MethodPut, "x-api-key"), http.StatusNoContent, "header_refused", "true"},
		{"two Origin lines", http.MethodGet, items, []string{app, foreign}, nil, http.StatusOK, "malformed_request", "false"},
		{"two method lines", http.MethodOptions, item, []string{app}, http.Header{"Access-Control-Request-Method": {"PUT", "GET"}}, http.StatusForbidden, "malformed_request", "true"},
		{"allowed preflight", http.MethodOptions, item, []string{app}, ask(http.MethodPut, "authorization", "content-type"), http.StatusNoContent, "", ""},
		{"allowed GET", http.MethodGet, items, []string{app}, nil, http.StatusOK, "", ""},
		{"no Origin", http.MethodGet, items, nil, nil, http.StatusOK, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := server(t)
			res := send(t, srv, tt.method, tt.path, tt.origins, tt.header)
			assert.Equal(t, tt.status, res.StatusCode)
			assert.NoError(t, testutil.ScrapeAndCompare(srv.URL+"/metrics",
				strings.NewReader(exposition(tt.kind, tt.preflight, 1)), metric))
		})
	}
}

// TestOriginsAreNotLabels sends refused requests from many origins: they
// add up in one series instead of creating one each.
func TestOriginsAreNotLabels(t *testing.T) {
	srv := server(t)
	const n = 50
	for i := range n {
		res := send(t, srv, http.MethodGet, "/api/items", []string{fmt.Sprintf("https://attacker-%d.example", i)}, nil)
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	assert.NoError(t, testutil.ScrapeAndCompare(srv.URL+"/metrics",
		strings.NewReader(exposition("origin_refused", "false", n)), metric))
}

// TestMetricsOutsideCORS: the scrape endpoint grants no origin anything.
func TestMetricsOutsideCORS(t *testing.T) {
	res := send(t, server(t), http.MethodGet, "/metrics", []string{app}, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
}
