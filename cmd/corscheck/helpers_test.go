package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

const pageOrigin = "https://app.example.com"

// hdr builds a header from name/value pairs; a name may repeat.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// with returns a copy of h where name has exactly the given values (none
// removes it).
func with(h http.Header, name string, values ...string) http.Header {
	c := h.Clone()
	c.Del(name)
	for _, v := range values {
		c.Add(name, v)
	}
	return c
}

// goodPreflight is what a correct CORS layer answers to the standard PUT
// preflight of these tests.
func goodPreflight() http.Header {
	return hdr(
		"Access-Control-Allow-Origin", pageOrigin,
		"Access-Control-Allow-Credentials", "true",
		"Access-Control-Allow-Methods", "GET, PUT, DELETE",
		"Access-Control-Allow-Headers", "X-Api-Key, Content-Type",
		"Access-Control-Max-Age", "600",
		"Vary", "Origin",
	)
}

// goodActual is what a correct CORS layer adds to the actual response.
func goodActual() http.Header {
	return hdr(
		"Access-Control-Allow-Origin", pageOrigin,
		"Access-Control-Allow-Credentials", "true",
		"Vary", "Origin",
	)
}

// behaviour is a server that answers preflights and actual requests with
// fixed statuses and headers, and records what it received.
type behaviour struct {
	preflightStatus int // default 204
	preflight       http.Header
	status          int // default 200
	actual          http.Header

	mu   sync.Mutex
	seen []*http.Request
}

func (b *behaviour) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	b.seen = append(b.seen, r.Clone(r.Context()))
	b.mu.Unlock()
	h, status := b.actual, b.status
	if status == 0 {
		status = http.StatusOK
	}
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h, status = b.preflight, b.preflightStatus
		if status == 0 {
			status = http.StatusNoContent
		}
	}
	for name, values := range h {
		w.Header()[name] = append([]string(nil), values...)
	}
	w.WriteHeader(status)
}

func (b *behaviour) requests() []*http.Request {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*http.Request(nil), b.seen...)
}

// serve starts a loopback server for the test.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// runCLI runs the command as main does and returns the exit status and output.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// runJSON runs with -json and decodes the verdict.
func runJSON(t *testing.T, args ...string) (int, Result) {
	t.Helper()
	code, stdout, stderr := runCLI(append([]string{"-json"}, args...)...)
	require.Empty(t, stderr)
	var res Result
	require.NoError(t, json.Unmarshal([]byte(stdout), &res), stdout)
	return code, res
}

// warningCodes lists the codes of the warnings.
func warningCodes(res Result) []string {
	out := []string{}
	for _, w := range res.Warnings {
		out = append(out, w.Code)
	}
	return out
}
