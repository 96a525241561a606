package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/corstest"
)

// startDemo runs the demo's servers on free loopback ports.
func startDemo(t *testing.T) *demo {
	t.Helper()
	cfg := config{guardedAddr: "127.0.0.1:0", handwrittenAddr: "127.0.0.1:0", pageAddr: "127.0.0.1:0", otherAddr: "127.0.0.1:0"}
	d, err := start(cfg, slog.New(slog.NewTextHandler(io.Discard, nil))) // the panics are expected
	require.NoError(t, err)
	t.Cleanup(func() { d.Close() })
	return d
}

// send makes one request and reads the whole body.
func send(t *testing.T, method, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for name, values := range header {
		req.Header[name] = values
	}
	client := &http.Client{Timeout: 5 * time.Second}
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body)
}

// tokens is a comma-separated header list, lower-cased, over all its lines.
func tokens(h http.Header, name string) []string {
	var out []string
	for _, line := range h.Values(name) {
		for _, tok := range strings.Split(line, ",") {
			if tok = strings.TrimSpace(tok); tok != "" {
				out = append(out, strings.ToLower(tok))
			}
		}
	}
	return out
}

// TestSameCallsBothStacks is the page's story without a browser: the same
// handlers answer the same calls, and only behind corsguard do the 500s keep
// Access-Control-Allow-Origin.
func TestSameCallsBothStacks(t *testing.T) {
	d := startDemo(t)
	page := http.Header{"Origin": {d.PageURL}}
	tests := []struct {
		name       string
		path       string
		header     http.Header
		wantStatus int
		wantBody   string
		guarded    bool // the page's script reads the answer behind corsguard
		handwrit   bool // ... and behind the hand-written middleware
	}{
		{"allowed GET", "/api/hello", page, http.StatusOK, `{"message":"hello from the API"}`, true, true},
		{"error path clears the headers", "/api/fail", page, http.StatusInternalServerError, "database unavailable", true, false},
		{"panic, recovered through the error path", "/api/panic", page, http.StatusInternalServerError, "internal error", true, false},
		{"origin not allowed", "/api/hello", http.Header{"Origin": {d.OtherURL}}, http.StatusOK, `{"message":"hello from the API"}`, false, false},
		{"no Origin", "/api/hello", nil, http.StatusOK, `{"message":"hello from the API"}`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, api := range stacks(d) {
				allowed := []bool{tt.guarded, tt.handwrit}[i]
				res, body := send(t, http.MethodGet, api.url+tt.path, tt.header)
				assert.Equal(t, tt.wantStatus, res.StatusCode, api.url)
				assert.Equal(t, tt.wantBody, strings.TrimSpace(body), api.url)
				if origin := tt.header.Get("Origin"); origin != "" {
					// What the page's script sees: the browser's verdict.
					v := corstest.Fetch(api.h, origin, httptest.NewRequest(http.MethodGet, api.url+tt.path, nil))
					assert.Equal(t, allowed, v.Err == nil, "%s: %v", api.url, v.Err)
				} else {
					assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"), api.url)
				}
			}
			res, _ := send(t, http.MethodGet, d.GuardedURL+tt.path, tt.header)
			assert.Contains(t, tokens(res.Header, "Vary"), "origin", "corsguard's answers vary by Origin")
		})
	}
}

// TestPreflights: an allowed JSON PUT passes its preflight; with a header the
// policy does not allow it fails, and both stacks answer so that the browser
// names the header instead of blaming the origin.
func TestPreflights(t *testing.T) {
	d := startDemo(t)
	for _, api := range stacks(d) {
		put := func(headers ...string) *http.Request {
			r := httptest.NewRequest(http.MethodPut, api.url+"/api/items/42", strings.NewReader(`{"name":"pen"}`))
			r.Header.Set("Content-Type", "application/json")
			for _, name := range headers {
				r.Header.Set(name, "k")
			}
			return r
		}
		res := corstest.Fetch(api.h, d.PageURL, put())
		require.NoError(t, res.Err, api.url)
		assert.Equal(t, http.StatusNoContent, res.Preflight.StatusCode, api.url)

		res = corstest.Fetch(api.h, d.PageURL, put("X-Api-Key"))
		assert.EqualError(t, res.Err, "Access to fetch at '"+api.url+"/api/items/42' from origin '"+d.PageURL+
			"' has been blocked by CORS policy: Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.", api.url)
	}
}

// stacks returns the two APIs with their handlers: corsguard's, then the
// hand-written middleware's.
func stacks(d *demo) []struct {
	url string
	h   http.Handler
} {
	return []struct {
		url string
		h   http.Handler
	}{{d.GuardedURL, d.servers[0].Handler}, {d.HandwrittenURL, d.servers[1].Handler}}
}

func TestPutEchoesItem(t *testing.T) {
	d := startDemo(t)
	req, err := http.NewRequest(http.MethodPut, d.GuardedURL+"/api/items/42", strings.NewReader(`{"name":"pen"}`))
	require.NoError(t, err)
	req.Header.Set("Origin", d.PageURL)
	req.Header.Set("Content-Type", "application/json")
	res, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var item map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&item))
	assert.Equal(t, map[string]any{"id": "42", "name": "pen"}, item)
}

func TestPagesServeTheScript(t *testing.T) {
	d := startDemo(t)
	for _, base := range []string{d.PageURL, d.OtherURL} {
		res, body := send(t, http.MethodGet, base+"/", nil)
		assert.Equal(t, http.StatusOK, res.StatusCode)
		assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
		// html/template writes the URLs into the script as JavaScript strings.
		for _, line := range []string{
			`const GUARDED = "` + d.GuardedURL + `";`,
			`const HANDWRITTEN = "` + d.HandwrittenURL + `";`,
			`const OTHER = "` + d.OtherURL + `";`,
		} {
			assert.Contains(t, body, line)
		}
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want config
	}{
		{"defaults", nil, config{guardedAddr: "127.0.0.1:8080", handwrittenAddr: "127.0.0.1:8083", pageAddr: "127.0.0.1:8081", otherAddr: "127.0.0.1:8082"}},
		{"flags", []string{"-api", ":0", "-handwritten", ":1", "-page", ":2", "-other", ":3"},
			config{guardedAddr: ":0", handwrittenAddr: ":1", pageAddr: ":2", otherAddr: ":3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlags(tt.args)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestPrintURLs(t *testing.T) {
	d := startDemo(t)
	var out strings.Builder
	printURLs(&out, d)
	assert.Contains(t, out.String(), "\ncorsguard    "+d.GuardedURL+"\n")
	assert.Contains(t, out.String(), "\nhandwritten  "+d.HandwrittenURL+"\n")
	assert.Contains(t, out.String(), "\npage         "+d.PageURL+"/ ")
	assert.Contains(t, out.String(), "\nother        "+d.OtherURL+"/ ")
}

// TestBusyPortNamesTheFlag: a port another program holds fails the start with
// the flag that moves that server, for each of the four.
func TestBusyPortNamesTheFlag(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	free := "127.0.0.1:0"
	tests := []struct {
		flag string
		cfg  config
	}{
		{"api", config{guardedAddr: busy.Addr().String(), handwrittenAddr: free, pageAddr: free, otherAddr: free}},
		{"handwritten", config{guardedAddr: free, handwrittenAddr: busy.Addr().String(), pageAddr: free, otherAddr: free}},
		{"page", config{guardedAddr: free, handwrittenAddr: free, pageAddr: busy.Addr().String(), otherAddr: free}},
		{"other", config{guardedAddr: free, handwrittenAddr: free, pageAddr: free, otherAddr: busy.Addr().String()}},
	}
	for _, tt := range tests {
		t.Run(tt.flag, func(t *testing.T) {
			d, err := start(tt.cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if d != nil {
				d.Close()
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, syscall.EADDRINUSE)
			assert.Contains(t, err.Error(), "address already in use")
			assert.Contains(t, err.Error(), "choose another with -"+tt.flag+" host:port")
		})
	}
}
