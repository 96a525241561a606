package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startDemo runs the demo's three servers on free loopback ports with the
// built-in policy (CORS_ALLOWED_ORIGINS unset).
func startDemo(t *testing.T, unsafe bool) *demo {
	t.Helper()
	t.Setenv("CORS_ALLOWED_ORIGINS", "")
	return startWithEnvPolicy(t, unsafe)
}

// startWithEnvPolicy starts the demo with whatever CORS_* the test has set.
func startWithEnvPolicy(t *testing.T, unsafe bool) *demo {
	t.Helper()
	cfg := config{apiAddr: "127.0.0.1:0", pageAddr: "127.0.0.1:0", otherAddr: "127.0.0.1:0", unsafe: unsafe}
	d, err := start(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	t.Cleanup(func() { d.Close() })
	return d
}

// send makes one request and reads the whole body.
func send(t *testing.T, method, url string, header http.Header) (*http.Response, string, error) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for name, values := range header {
		req.Header[name] = values
	}
	res, err := newClient().Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body), nil
}

// newClient opens a fresh connection per request, so a dropped connection is
// never hidden by a retry on another one.
func newClient() *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
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

func TestAPIHeaders(t *testing.T) {
	d := startDemo(t, false)
	page := http.Header{"Origin": {d.PageURL}}

	tests := []struct {
		name        string
		method      string
		path        string
		header      http.Header
		wantStatus  int
		wantAllowed bool // Access-Control-Allow-Origin is the page's origin, with credentials
	}{
		{"simple GET", http.MethodGet, "/api/hello", page, http.StatusOK, true},
		{"handler panics", http.MethodGet, "/api/panic", page, http.StatusInternalServerError, true},
		{"handler returns 500", http.MethodGet, "/api/fail", page, http.StatusInternalServerError, true},
		{"no cookie", http.MethodGet, "/api/me", page, http.StatusUnauthorized, true},
		{"origin not allowed", http.MethodGet, "/api/hello", http.Header{"Origin": {d.OtherURL}}, http.StatusOK, false},
		{"no Origin", http.MethodGet, "/api/hello", nil, http.StatusOK, false},
		{"preflight, method not allowed", http.MethodOptions, "/api/items/1", http.Header{
			"Origin": {d.PageURL}, "Access-Control-Request-Method": {http.MethodDelete},
		}, http.StatusForbidden, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _, err := send(t, tt.method, d.APIURL+tt.path, tt.header)
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, res.StatusCode)
			assert.Contains(t, tokens(res.Header, "Vary"), "origin")
			if tt.wantAllowed {
				assert.Equal(t, d.PageURL, res.Header.Get("Access-Control-Allow-Origin"))
				assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
				assert.Equal(t, []string{"x-request-id"}, tokens(res.Header, "Access-Control-Expose-Headers"))
			} else {
				assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
				assert.Empty(t, res.Header.Get("Access-Control-Allow-Credentials"))
			}
		})
	}
}

func TestPreflightForJSONPut(t *testing.T) {
	d := startDemo(t, false)
	res, body, err := send(t, http.MethodOptions, d.APIURL+"/api/items/42", http.Header{
		"Origin":                         {d.PageURL},
		"Access-Control-Request-Method":  {http.MethodPut},
		"Access-Control-Request-Headers": {"content-type"},
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, res.StatusCode)
	assert.Empty(t, body)
	assert.Equal(t, d.PageURL, res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
	assert.Contains(t, tokens(res.Header, "Access-Control-Allow-Methods"), "put")
	assert.Contains(t, tokens(res.Header, "Access-Control-Allow-Headers"), "content-type")
	assert.Equal(t, "600", res.Header.Get("Access-Control-Max-Age"), "the default MaxAge is 10 minutes")
}

func TestCookieRoundTrip(t *testing.T) {
	d := startDemo(t, false)
	res, body, err := send(t, http.MethodPost, d.APIURL+"/api/login", http.Header{"Origin": {d.PageURL}})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode)
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "demo_session" {
			cookie = c
		}
	}
	require.NotNil(t, cookie, "login must set demo_session")
	assert.Equal(t, http.SameSiteLaxMode, cookie.SameSite)
	assert.Equal(t, d.PageURL, res.Header.Get("Access-Control-Allow-Origin"))

	res, echoed, err := send(t, http.MethodGet, d.APIURL+"/api/me", http.Header{
		"Origin": {d.PageURL}, "Cookie": {cookie.Name + "=" + cookie.Value},
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.JSONEq(t, body, echoed, "me echoes the session login set")
}

func TestPutEchoesItem(t *testing.T) {
	d := startDemo(t, false)
	req, err := http.NewRequest(http.MethodPut, d.APIURL+"/api/items/42", strings.NewReader(`{"name":"pen"}`))
	require.NoError(t, err)
	req.Header.Set("Origin", d.PageURL)
	req.Header.Set("Content-Type", "application/json")
	res, err := newClient().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var item map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&item))
	assert.Equal(t, map[string]any{"id": "42", "name": "pen"}, item)
	assert.Equal(t, d.PageURL, res.Header.Get("Access-Control-Allow-Origin"))
}

func TestPagesServeTheScript(t *testing.T) {
	d := startDemo(t, false)
	for _, base := range []string{d.PageURL, d.OtherURL} {
		res, body, err := send(t, http.MethodGet, base+"/", nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, res.StatusCode)
		assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
		// html/template writes the URLs into the script as JavaScript strings.
		assert.True(t, strings.Contains(body, `const API = "`+d.APIURL+`";`), "API URL missing from the page")
		assert.True(t, strings.Contains(body, `const OTHER = "`+d.OtherURL+`";`), "foreign origin missing from the page")
	}
}

// TestUnsafeMode shows what the naive middleware gets wrong: the panic drops the
// connection, so a browser has no response, hence no CORS headers, to show.
func TestUnsafeMode(t *testing.T) {
	d := startDemo(t, true)
	page := http.Header{"Origin": {d.PageURL}}

	_, _, err := send(t, http.MethodGet, d.APIURL+"/api/panic", page)
	assert.Error(t, err, "the panic must drop the connection")

	res, _, err := send(t, http.MethodGet, d.APIURL+"/api/fail", page)
	require.NoError(t, err)
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	assert.Equal(t, d.PageURL, res.Header.Get("Access-Control-Allow-Origin"))
}

func TestPolicyFromEnvironment(t *testing.T) {
	t.Setenv("CORS_ALLOWED_ORIGINS", "http://app.example.test")
	d := startWithEnvPolicy(t, false)

	res, _, err := send(t, http.MethodGet, d.APIURL+"/api/hello", http.Header{"Origin": {"http://app.example.test"}})
	require.NoError(t, err)
	assert.Equal(t, "http://app.example.test", res.Header.Get("Access-Control-Allow-Origin"))

	res, _, err = send(t, http.MethodGet, d.APIURL+"/api/hello", http.Header{"Origin": {d.PageURL}})
	require.NoError(t, err)
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"), "the environment replaces the built-in policy")
}

func TestInvalidEnvironmentStopsTheDemo(t *testing.T) {
	t.Setenv("CORS_ALLOWED_ORIGINS", "not an origin")
	cfg := config{apiAddr: "127.0.0.1:0", pageAddr: "127.0.0.1:0", otherAddr: "127.0.0.1:0"}
	_, err := start(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	assert.Error(t, err)
}

func TestParseFlags(t *testing.T) {
	env := func(values map[string]string) func(string) string {
		return func(k string) string { return values[k] }
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want config
	}{
		{"defaults", nil, nil, config{apiAddr: "127.0.0.1:8080", pageAddr: "127.0.0.1:8081", otherAddr: "127.0.0.1:8082"}},
		{"DEMO_UNSAFE=1", nil, map[string]string{"DEMO_UNSAFE": "1"},
			config{apiAddr: "127.0.0.1:8080", pageAddr: "127.0.0.1:8081", otherAddr: "127.0.0.1:8082", unsafe: true}},
		{"flags", []string{"-api", "127.0.0.1:0", "-page", "127.0.0.1:0", "-other", "127.0.0.1:0", "-unsafe"}, nil,
			config{apiAddr: "127.0.0.1:0", pageAddr: "127.0.0.1:0", otherAddr: "127.0.0.1:0", unsafe: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlags(tt.args, env(tt.env))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestPrintURLs(t *testing.T) {
	d := startDemo(t, false)
	var out strings.Builder
	printURLs(&out, d)
	assert.Contains(t, out.String(), "\nAPI    "+d.APIURL+"\n")
	assert.Contains(t, out.String(), "\npage   "+d.PageURL+"/ ")
	assert.Contains(t, out.String(), "\nother  "+d.OtherURL+"/ ")
}
