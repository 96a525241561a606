package e2e

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsguard/cors"
	"github.com/stretchr/testify/require"
)

// sseWait bounds how long the event-stream handler waits for the test's signal.
const sseWait = 15 * time.Second

// newPageServer serves an empty page: its origin is where the scripts run from.
// httptest listens on 127.0.0.1, so each server is its own origin.
func newPageServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// The empty icon keeps Chromium from asking for /favicon.ico and logging
		// the 404 into the console the tests read.
		io.WriteString(w, `<!doctype html><title>corsguard e2e</title><link rel="icon" href="data:,"><p>The tests call the API from here.</p>`+driverLoader)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// testAPI is an API behind the middleware, with what the tests need to observe
// from the server side.
type testAPI struct {
	URL string

	mu   sync.Mutex
	seen map[string]int // requests that reached the server, as "METHOD /path", before the middleware

	sseRelease  chan struct{} // closed by the test once the page has read the first event
	releaseOnce sync.Once
	sseEnded    atomic.Value // string: how the event-stream handler ended: "released", "timeout", "client gone"
}

// newTestAPI starts the API with the middleware configured by opts.
func newTestAPI(t *testing.T, opts cors.Options) *testAPI {
	t.Helper()
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil)) // recovered panics are expected here
	mw, err := cors.New(opts)
	require.NoError(t, err)

	a := &testAPI{seen: map[string]int{}, sseRelease: make(chan struct{})}
	srv := httptest.NewServer(a.count(mw.Handler(a.routes())))
	t.Cleanup(func() {
		a.release() // never leave the stream handler waiting
		srv.Close()
	})
	a.URL = srv.URL
	return a
}

// count records every request before the middleware sees it: preflights never
// reach the handlers, so this is the only place to count them.
func (a *testAPI) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.seen[r.Method+" "+r.URL.Path]++
		a.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// requests is how many "METHOD /path" requests reached the server.
func (a *testAPI) requests(methodAndPath string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.seen[methodAndPath]
}

func (a *testAPI) release() { a.releaseOnce.Do(func() { close(a.sseRelease) }) }

func (a *testAPI) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Request-Id", "req-42") // exposed by the policy
		w.Header().Set("X-Secret", "hidden")     // not exposed
		io.WriteString(w, "hello")
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, _ *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s3cret", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		io.WriteString(w, "logged in")
	})
	mux.HandleFunc("/whoami", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("session")
		if err != nil {
			io.WriteString(w, "no cookie")
			return
		}
		io.WriteString(w, "session="+c.Value)
	})
	mux.HandleFunc("/echo/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{
			"method":        r.Method,
			"contentType":   r.Header.Get("Content-Type"),
			"custom":        r.Header.Get("X-Custom"),
			"authorization": r.Header.Get("Authorization"),
			"body":          string(body),
		})
	})
	mux.HandleFunc("/panic", func(http.ResponseWriter, *http.Request) {
		panic("e2e: handler panics before writing")
	})
	mux.HandleFunc("/panic-after-write", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "partial")
		w.(http.Flusher).Flush() // the status and the first bytes are on the wire
		panic("e2e: handler panics after writing")
	})
	mux.HandleFunc("/fail", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+r.Host+"/target", http.StatusFound)
	})
	mux.HandleFunc("/target", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "landed")
	})
	mux.HandleFunc("/cacheable", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "max-age=600")
		io.WriteString(w, "cacheable")
	})
	mux.HandleFunc("/events", a.events)
	return mux
}

// events sends one event, then waits for the test's signal before the second:
// a page that reads the first event before that has read it incrementally.
func (a *testAPI) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "the middleware's writer lost http.Flusher", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	io.WriteString(w, "data: first\n\n")
	flusher.Flush()

	timer := time.NewTimer(sseWait)
	defer timer.Stop()
	select {
	case <-a.sseRelease:
		a.sseEnded.Store("released")
	case <-timer.C:
		a.sseEnded.Store("timeout")
	case <-r.Context().Done():
		a.sseEnded.Store("client gone")
		return
	}
	io.WriteString(w, "data: second\n\n")
}

// sseEnd is how the event-stream handler ended, "" while it runs.
func (a *testAPI) sseEnd() string {
	s, _ := a.sseEnded.Load().(string)
	return s
}
