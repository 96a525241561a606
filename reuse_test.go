package cors

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corsValues are the CORS response headers and Vary, as slices: the arrays a
// response's header map holds.
func corsValues(h http.Header) map[string][]string {
	got := map[string][]string{}
	for k, v := range h {
		if k == headerVary || len(k) > len(accessControl) && k[:len(accessControl)] == accessControl {
			got[k] = v
		}
	}
	return got
}

// snapshot copies what the arrays hold now.
func snapshot(vals map[string][]string) map[string][]string {
	c := map[string][]string{}
	for k, v := range vals {
		c[k] = append([]string(nil), v...)
	}
	return c
}

// TestEarlierResponsesKeepTheirValues: header values are reused from
// response to response, so a response's header map, read after the response
// (by outer middleware, a cache, net/http itself), must still hold what it
// was given, whatever later responses needed.
func TestEarlierResponsesKeepTheirValues(t *testing.T) {
	m := mustNew(t, Options{
		AllowedOrigins:   []string{"https://a.example", "https://b.example"},
		AllowCredentials: true,
		AllowedMethods:   []string{"PUT", "DELETE"},
		AllowedHeaders:   []string{"X-A", "X-B"},
		ExposedHeaders:   []string{"X-Request-Id"},
	})
	h := m.Handler(okHandler)
	requests := []*http.Request{
		actualReq("https://a.example"),
		actualReq("https://b.example"),
		actualReq(""),
		actualReq("https://evil.example"),
		preflightReq("https://a.example", "PUT", "x-a"),
		preflightReq("https://b.example", "DELETE", "x-b"),
		preflightReq("https://b.example", "PATCH", ""),
		preflightReq("https://evil.example", "PUT", ""),
	}
	var held []map[string][]string
	var want []map[string][]string
	for round := 0; round < 3; round++ {
		for _, r := range requests {
			for _, apply := range []bool{false, true} {
				w := httptest.NewRecorder()
				if apply {
					m.Apply(w, r)
				} else {
					h.ServeHTTP(w, r)
				}
				vals := corsValues(w.Header())
				held = append(held, vals)
				want = append(want, snapshot(vals))
			}
		}
	}
	for i := range held {
		assert.Equal(t, want[i], held[i], "response %d", i)
	}
}

// TestRewrittenValueIsNotHandedOn: code that rewrites a value in place,
// after the status is sent (when it no longer matters to its own response),
// must not reach a later response.
func TestRewrittenValueIsNotHandedOn(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, AllowCredentials: true, ExposedHeaders: []string{"X-Id"}})
	rewrite := func(h http.Header) {
		for _, v := range corsValues(h) {
			v[0] = "tampered"
		}
	}
	inner := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		rewrite(w.Header()) // the handler, after the status
	}))
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(w, r)
		rewrite(w.Header()) // outer middleware, after the response
	})
	for _, origin := range []string{testOrigin, "", "https://evil.example", testOrigin} {
		w := serve(outer, actualReq(origin))
		assert.Equal(t, "tampered", w.Header().Get("Vary"), "the rewrite happened")
		next := serve(m.Handler(okHandler), actualReq(origin))
		assert.Equal(t, "Origin", next.Header().Get("Vary"), "origin %q", origin)
		if origin == testOrigin {
			assert.Equal(t, testOrigin, next.Header().Get("Access-Control-Allow-Origin"))
			assert.Equal(t, "true", next.Header().Get("Access-Control-Allow-Credentials"))
			assert.Equal(t, "X-Id", next.Header().Get("Access-Control-Expose-Headers"))
		}
	}
	pre := serve(m.Handler(okHandler), preflightReq(testOrigin, "GET", ""))
	rewrite(pre.Header())
	pre = serve(m.Handler(okHandler), preflightReq(testOrigin, "GET", ""))
	assert.Equal(t, testOrigin, pre.Header().Get("Access-Control-Allow-Origin"))
	assert.Equal(t, varyPreflight, pre.Header().Get("Vary"))
}

// TestConcurrentResponsesKeepTheirValues runs responses for several origins
// at once, each read again after the others ran; under -race, any write into
// an array another response holds is reported.
func TestConcurrentResponsesKeepTheirValues(t *testing.T) {
	origins := make([]string, 8)
	for i := range origins {
		origins[i] = fmt.Sprintf("https://app%d.example", i)
	}
	m := mustNew(t, Options{AllowedOrigins: origins, AllowCredentials: true})
	h := m.Handler(okHandler)
	var wg sync.WaitGroup
	recorders := make([][]*httptest.ResponseRecorder, len(origins))
	for i, origin := range origins {
		i, origin := i, origin // the module is go 1.21: one variable per loop
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 300; n++ {
				r := actualReq(origin)
				if n%3 == 1 {
					r = preflightReq(origin, "GET", "")
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				_ = w.Header().Get("Access-Control-Allow-Origin") // read after the response, as a logger would
				recorders[i] = append(recorders[i], w)
			}
		}()
	}
	wg.Wait()
	for i, rs := range recorders {
		for _, w := range rs {
			assert.Equal(t, origins[i], w.Header().Get("Access-Control-Allow-Origin"))
		}
	}
}

// TestWriterUsedAfterReturnSendsNothing: a handler that keeps its
// ResponseWriter past returning breaks net/http's rule; until the writer
// serves another request, it sends nothing and says why.
func TestWriterUsedAfterReturnSendsNothing(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}})
	var kept http.ResponseWriter
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kept = w
		w.WriteHeader(http.StatusAccepted)
	}))
	res := serve(h, actualReq(testOrigin))
	require.Equal(t, http.StatusAccepted, res.Code)

	_, err := kept.Write([]byte("late"))
	assert.ErrorIs(t, err, errHandlerReturned)
	kept.WriteHeader(http.StatusTeapot)
	kept.Header().Set("X-Late", "1")
	assert.ErrorIs(t, http.NewResponseController(kept).Flush(), errHandlerReturned)
	kept.(http.Flusher).Flush()
	assert.Equal(t, http.StatusAccepted, res.Code)
	assert.Empty(t, res.Header().Get("X-Late"))
	assert.Empty(t, res.Body.String())

	h.ServeHTTP(hijackingWriter{plainWriter{h: http.Header{}}}, actualReq(testOrigin))
	_, _, err = kept.(http.Hijacker).Hijack()
	assert.ErrorIs(t, err, errHandlerReturned)
}

// TestWriterIsReusedOnlyAfterANormalReturn: a writer whose handler panicked
// or hijacked the connection may still be in use somewhere; it never serves
// another request.
func TestWriterIsReusedOnlyAfterANormalReturn(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, Logger: quiet})
	var seen []http.ResponseWriter
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, w)
		switch r.URL.Path {
		case "/panic":
			panic("boom")
		case "/hijack":
			_, _, _ = w.(http.Hijacker).Hijack()
		}
	}))
	under := func() http.ResponseWriter { return hijackingWriter{plainWriter{h: http.Header{}}} }
	for _, path := range []string{"/panic", "/hijack"} {
		seen = nil
		h.ServeHTTP(under(), httptest.NewRequest(http.MethodGet, path, nil))
		for n := 0; n < 20; n++ {
			h.ServeHTTP(under(), httptest.NewRequest(http.MethodGet, "/", nil))
		}
		for _, w := range seen[1:] {
			assert.NotSame(t, seen[0], w, path)
		}
	}
}

// hijackingWriter's Hijack succeeds (with no connection, which the handlers
// here never use).
type hijackingWriter struct{ plainWriter }

func (hijackingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return nil, nil, nil }
