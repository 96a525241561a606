package cors

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestLoadWithFaults sends thousands of concurrent requests through a real
// loopback server, mixing allowed, refused and preflight requests with
// handlers that panic, time out, hijack and stream. No response may be lost,
// every allowed-origin response must be readable cross-origin, and no
// goroutine may outlive the server.
func TestLoadWithFaults(t *testing.T) {
	const requests, concurrency = 3000, 64
	before := runtime.NumGoroutine()

	m := mustNew(t, Options{
		AllowedOrigins:   []string{testOrigin},
		AllowCredentials: true,
		AllowedMethods:   []string{http.MethodPut},
		AllowedHeaders:   []string{"Content-Type"},
		Logger:           slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic("load test panic") })
	mux.HandleFunc("/late-panic", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "part")
		w.(http.Flusher).Flush()
		panic("late")
	})
	mux.Handle("/slow", http.TimeoutHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(200 * time.Millisecond):
		case <-r.Context().Done():
		}
	}), 10*time.Millisecond, "timeout"))
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 3; i++ {
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/hijack", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nhijackd")
		_ = buf.Flush()
	})
	srv := httptest.NewUnstartedServer(m.Handler(mux))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // aborted handlers are expected here
	srv.Start()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}, Timeout: 30 * time.Second}

	type outcome struct {
		path, origin string
		preflight    bool
	}
	paths := []string{"/ok", "/panic", "/late-panic", "/slow", "/stream", "/hijack"}
	origins := []string{testOrigin, "https://evil.example", ""}
	var responses, aborts, readable atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, concurrency)
	for i := 0; i < requests; i++ {
		o := outcome{path: paths[i%len(paths)], origin: origins[(i/len(paths))%len(origins)], preflight: i%7 == 0}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			method := http.MethodGet
			if o.preflight {
				method = http.MethodOptions
			}
			r, err := http.NewRequestWithContext(ctx, method, srv.URL+o.path, nil)
			if !assert.NoError(t, err) {
				return
			}
			if o.origin != "" {
				r.Header.Set("Origin", o.origin)
			}
			if o.preflight {
				r.Header.Set("Access-Control-Request-Method", http.MethodPut)
			}
			res, err := client.Do(r)
			// Aborts are the contract for panics after the response started, and
			// net/http's own behaviour for panics the middleware does not wrap.
			reachesHandler := !o.preflight || o.origin == "" // OPTIONS without Origin is no preflight
			expectAbort := reachesHandler && (o.path == "/late-panic" || o.path == "/panic" && o.origin != testOrigin)
			if err != nil {
				assert.True(t, expectAbort, "%+v lost: %v", o, err)
				aborts.Add(1)
				return
			}
			_, readErr := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if readErr != nil {
				assert.True(t, expectAbort, "%+v truncated: %v", o, readErr)
				aborts.Add(1)
				return
			}
			assert.False(t, expectAbort && o.path == "/late-panic", "%+v: a truncated body must not look complete", o)
			responses.Add(1)
			switch {
			case !reachesHandler && o.origin == testOrigin:
				assert.Equal(t, http.StatusNoContent, res.StatusCode, "%+v", o)
			case !reachesHandler:
				assert.Equal(t, http.StatusForbidden, res.StatusCode, "%+v", o)
			}
			if o.origin == testOrigin && o.path != "/hijack" {
				assert.Equal(t, testOrigin, res.Header.Get("Access-Control-Allow-Origin"), "%+v", o)
				assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"), "%+v", o)
				readable.Add(1)
			} else if o.path != "/hijack" {
				assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"), "%+v", o)
			}
			// A refused preflight's 403 is cacheable by no standard cache,
			// so it needs no Vary (TestRefusedPreflightVariesOnlyWhenCacheable).
			refusedPreflight := o.preflight && o.origin != testOrigin
			if o.origin != "" && o.path != "/hijack" && !refusedPreflight {
				assert.True(t, strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Origin"), "%+v", o)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(requests), responses.Load()+aborts.Load(), "every request accounted for")
	assert.Greater(t, readable.Load(), int64(requests/5))
	t.Logf("%d responses, %d expected aborts, %d readable cross-origin", responses.Load(), aborts.Load(), readable.Load())

	client.CloseIdleConnections()
	srv.Close()
	// A plain loop: assert.Eventually would count its own goroutines.
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if runtime.NumGoroutine() > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines leaked: %d before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
	}
}
