package corstest

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsguard/cors"
)

// Policy is what an adapter applies to each request: a [*cors.Middleware]
// or a [*cors.Routes]. It has the method set of the adapters' own Policy
// types, so a value of it passes to them unchanged.
type Policy interface {
	Apply(w http.ResponseWriter, r *http.Request) (answered bool)
}

// Origins and request details that [Conformance] uses.
const (
	// ConformanceOrigin is the origin the kit's policies allow, with
	// credentials, PUT and the Authorization header.
	ConformanceOrigin = "https://app.example.com"
	// ConformanceForeign is an origin the kit's policies refuse.
	ConformanceForeign = "https://evil.example.net"
)

// Conformance proves that a framework adapter keeps the library's
// guarantees, as subtests of t, once for a [*cors.Middleware] and once for
// a [*cors.Routes].
//
// serve builds the framework's server the way the adapter's documentation
// tells users to: the framework's own router, the adapter applying policy,
// and the framework's own panic recovery behind it. It mounts app, through
// the framework's wrapper for an [http.Handler], on three GET routes and
// nothing else, in particular no OPTIONS route:
//
//   - GET /items, which answers 200 "ok";
//   - GET /panic, which panics;
//   - GET /stream, which writes "one\n", flushes, waits for the client to
//     read it, then writes "two\n" and flushes.
//
// The subtests check that a preflight is answered before the router (204
// with the allow headers, app never reached), that a refused origin's
// preflight is a 403 with no CORS header, that an allowed request carries
// Access-Control-Allow-Origin, credentials and Vary: Origin, that a refused
// origin's request carries no Access-Control-* header but Vary: Origin,
// that a panic through the framework's recovery is a 500 that carries the
// CORS headers, that Access-Control-* headers set upstream, before the
// framework's server, are replaced by the policy's, and that streamed
// chunks arrive one by one, with the headers.
//
// Ownership is asserted only for headers set before the adapter runs: an
// adapter built on Apply sets the headers on the way in and cannot undo
// what a handler writes after it; [cors.Middleware.Handler] guards those
// too, through its writer.
func Conformance(t *testing.T, serve func(policy Policy, app http.Handler) http.Handler) {
	t.Helper()
	o := cors.Options{
		AllowedOrigins:   []string{ConformanceOrigin},
		AllowedMethods:   []string{http.MethodPut},
		AllowedHeaders:   []string{"Authorization"},
		AllowCredentials: true,
		Logger:           slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	m, err := cors.New(o)
	if err != nil {
		t.Fatalf("cors.New: %v", err)
	}
	m2, err := cors.New(o)
	if err != nil {
		t.Fatalf("cors.New: %v", err)
	}
	rt, err := cors.NewRoutes(map[string]*cors.Middleware{"/": m2})
	if err != nil {
		t.Fatalf("cors.NewRoutes: %v", err)
	}
	t.Run("Middleware", func(t *testing.T) { conform(t, serve, m) })
	t.Run("Routes", func(t *testing.T) { conform(t, serve, rt) })
}

// app is the handler the kit asks serve to mount; reached counts requests
// that got to it.
type app struct {
	reached atomic.Int64
	read    chan struct{} // the stream's client read the first chunk
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.reached.Add(1)
	switch r.URL.Path {
	case "/items":
		_, _ = io.WriteString(w, "ok")
	case "/panic":
		panic("corstest: a bug in the handler")
	case "/stream":
		f, ok := w.(http.Flusher)
		if !ok {
			http.Error(w, "corstest: the framework's writer is no http.Flusher", http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, "one\n")
		f.Flush()
		select {
		case <-a.read:
		case <-r.Context().Done():
			return
		case <-time.After(10 * time.Second): // a safety net, not a measurement
			return
		}
		_, _ = io.WriteString(w, "two\n")
		f.Flush()
	default:
		http.NotFound(w, r)
	}
}

func conform(t *testing.T, serve func(Policy, http.Handler) http.Handler, p Policy) {
	newServer := func() (http.Handler, *app) {
		a := &app{read: make(chan struct{})}
		return serve(p, a), a
	}

	t.Run("PreflightBeforeRouter", func(t *testing.T) {
		h, a := newServer()
		res := do(h, preflightReq("/items", ConformanceOrigin, http.MethodPut, "authorization"))
		if res.StatusCode != http.StatusNoContent {
			t.Errorf("status %d, want 204: the preflight must be answered before the router, which has no OPTIONS route", res.StatusCode)
		}
		want := map[string]string{
			"Access-Control-Allow-Origin":      ConformanceOrigin,
			"Access-Control-Allow-Credentials": "true",
		}
		for name, v := range want {
			if got := res.Header.Get(name); got != v {
				t.Errorf("%s: %q, want %q", name, got, v)
			}
		}
		if got := res.Header.Get("Access-Control-Allow-Methods"); !hasToken(got, http.MethodPut) {
			t.Errorf("Access-Control-Allow-Methods: %q, want PUT", got)
		}
		if got := res.Header.Get("Access-Control-Allow-Headers"); !hasToken(strings.ToLower(got), "authorization") {
			t.Errorf("Access-Control-Allow-Headers: %q, want authorization", got)
		}
		if n := a.reached.Load(); n != 0 {
			t.Errorf("the preflight reached the app %d times, want 0", n)
		}
	})

	t.Run("RefusedPreflight", func(t *testing.T) {
		h, a := newServer()
		res := do(h, preflightReq("/items", ConformanceForeign, http.MethodPut, "authorization"))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.StatusCode)
		}
		assertNoACHeaders(t, res)
		if v := res.Header.Values("Vary"); len(v) != 0 {
			t.Errorf("Vary: %q, want none on a refused preflight's 403, which no cache stores", v)
		}
		if n := a.reached.Load(); n != 0 {
			t.Errorf("the preflight reached the app %d times, want 0", n)
		}
	})

	t.Run("AllowedRequest", func(t *testing.T) {
		h, _ := newServer()
		res := do(h, getReq("/items", ConformanceOrigin))
		assertStatusBody(t, res, http.StatusOK, "ok")
		assertAllowed(t, res)
	})

	t.Run("RefusedRequest", func(t *testing.T) {
		h, _ := newServer()
		res := do(h, getReq("/items", ConformanceForeign))
		assertStatusBody(t, res, http.StatusOK, "ok")
		assertNoACHeaders(t, res)
		assertVaryOrigin(t, res)
	})

	t.Run("PanicThroughRecovery", func(t *testing.T) {
		h, _ := newServer()
		res := do(h, getReq("/panic", ConformanceOrigin))
		if res.StatusCode != http.StatusInternalServerError {
			t.Errorf("status %d, want 500 from the framework's recovery", res.StatusCode)
		}
		assertAllowed(t, res)
	})

	t.Run("UpstreamHeadersReplaced", func(t *testing.T) {
		h, _ := newServer()
		// A proxy-like layer in front of the framework sets stale grants.
		up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Add("Access-Control-Allow-Origin", ConformanceForeign)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			h.ServeHTTP(w, r)
		})
		res := do(up, getReq("/items", ConformanceOrigin))
		if got := res.Header.Values("Access-Control-Allow-Origin"); len(got) != 1 || got[0] != ConformanceOrigin {
			t.Errorf("allowed origin: Access-Control-Allow-Origin %q, want only %q", got, ConformanceOrigin)
		}
		if got := res.Header.Values("Access-Control-Allow-Credentials"); len(got) != 1 || got[0] != "true" {
			t.Errorf("allowed origin: Access-Control-Allow-Credentials %q, want only \"true\"", got)
		}
		res = do(up, getReq("/items", ConformanceForeign))
		assertNoACHeaders(t, res)
		assertVaryOrigin(t, res)
	})

	t.Run("Stream", func(t *testing.T) {
		h, a := newServer()
		srv := httptest.NewServer(h)
		defer srv.Close()
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/stream", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", ConformanceOrigin)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatalf("GET /stream: %v", err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d, want 200", res.StatusCode)
		}
		assertAllowed(t, res)
		br := bufio.NewReader(res.Body)
		line, err := br.ReadString('\n')
		if err != nil || line != "one\n" {
			t.Fatalf("first chunk %q (%v), want \"one\\n\" before the handler ends", line, err)
		}
		close(a.read)
		line, err = br.ReadString('\n')
		if err != nil || line != "two\n" {
			t.Fatalf("second chunk %q (%v), want \"two\\n\"", line, err)
		}
	})
}

func preflightReq(target, origin, method, headers string) *http.Request {
	r := httptest.NewRequest(http.MethodOptions, target, nil)
	r.Header.Set("Origin", origin)
	r.Header.Set("Access-Control-Request-Method", method)
	if headers != "" {
		r.Header.Set("Access-Control-Request-Headers", headers)
	}
	return r
}

func getReq(target, origin string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.Header.Set("Origin", origin)
	return r
}

func do(h http.Handler, r *http.Request) *http.Response {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func assertStatusBody(t *testing.T, res *http.Response, status int, body string) {
	t.Helper()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != status || string(b) != body {
		t.Errorf("got %d %q, want %d %q", res.StatusCode, b, status, body)
	}
}

func assertAllowed(t *testing.T, res *http.Response) {
	t.Helper()
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != ConformanceOrigin {
		t.Errorf("Access-Control-Allow-Origin: %q, want %q", got, ConformanceOrigin)
	}
	if got := res.Header.Get("Access-Control-Allow-Credentials"); got != "true" {
		t.Errorf("Access-Control-Allow-Credentials: %q, want \"true\"", got)
	}
	assertVaryOrigin(t, res)
}

func assertNoACHeaders(t *testing.T, res *http.Response) {
	t.Helper()
	var names []string
	for name := range res.Header {
		if strings.HasPrefix(name, "Access-Control-") {
			names = append(names, name)
		}
	}
	if len(names) > 0 {
		t.Errorf("want no Access-Control-* header, got %s", fmt.Sprint(names))
	}
}

func assertVaryOrigin(t *testing.T, res *http.Response) {
	t.Helper()
	for _, line := range res.Header.Values("Vary") {
		if hasToken(line, "Origin") {
			return
		}
	}
	t.Errorf("Vary: %q, want Origin", res.Header.Values("Vary"))
}

// hasToken reports whether the comma-separated list has tok.
func hasToken(list, tok string) bool {
	for _, v := range strings.Split(list, ",") {
		if strings.TrimSpace(v) == tok {
			return true
		}
	}
	return false
}
