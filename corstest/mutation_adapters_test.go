package corstest

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"strings"
)

// The broken adapters and servers of TestConformanceCatchesBrokenAdapters.

// reflectPreflights answers every preflight itself, allowing its origin.
func reflectPreflights(p Policy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.Header().Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		correct(p, next).ServeHTTP(w, r)
	})
}

// keepUpstream leaves a response alone when CORS headers are already set.
func keepUpstream(p Policy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if w.Header().Get("Access-Control-Allow-Origin") != "" {
			next.ServeHTTP(w, r)
			return
		}
		correct(p, next).ServeHTTP(w, r)
	})
}

// skipWithoutOrigin applies the policy only to requests with Origin.
func skipWithoutOrigin(p Policy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") == "" {
			next.ServeHTTP(w, r)
			return
		}
		correct(p, next).ServeHTTP(w, r)
	})
}

// applyTwice applies the policy twice, as an adapter registered on the
// engine and again on a group would.
func applyTwice(p Policy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 2 {
			if p.Apply(w, r) {
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// withRequest hands Apply the request rewrite returns instead of the one
// the framework received.
func withRequest(rewrite func(*http.Request) *http.Request) adapter {
	return func(p Policy, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p.Apply(w, rewrite(r)) {
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// stripV1 is a router mounted behind http.StripPrefix("/v1", ...) while the
// policy's keys name paths without the prefix: /v1/admin/items runs the
// "/admin/" handler, which Routes chose "/" for. No reading of the target
// can know that; the kit must catch it.
func stripV1(mux http.Handler) http.Handler {
	strip := http.StripPrefix("/v1", mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			strip.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// stripErrors drops the CORS headers from 5xx answers.
type stripErrors struct{ http.ResponseWriter }

func (w *stripErrors) WriteHeader(code int) {
	if code >= 500 {
		for name := range w.Header() {
			if strings.HasPrefix(name, "Access-Control-") {
				w.Header().Del(name)
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *stripErrors) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// buffered holds the body until the handler ends; its Flush does nothing.
type buffered struct {
	w    http.ResponseWriter
	code int
	buf  bytes.Buffer
}

func (b *buffered) Header() http.Header         { return b.w.Header() }
func (b *buffered) WriteHeader(code int)        { b.code = code }
func (b *buffered) Write(p []byte) (int, error) { return b.buf.Write(p) }
func (b *buffered) Flush()                      {}
func (b *buffered) Unwrap() http.ResponseWriter { return b.w }
func (b *buffered) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(b.w).Hijack()
}

func (b *buffered) finish() {
	if b.code != 0 {
		b.w.WriteHeader(b.code)
	}
	_, _ = b.w.Write(b.buf.Bytes())
}

// noUnwrap keeps Flush and Hijack but hides Unwrap, so
// http.ResponseController reaches no deadline.
type noUnwrap struct{ http.ResponseWriter }

func (w noUnwrap) Flush() { w.ResponseWriter.(http.Flusher).Flush() }
func (w noUnwrap) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.ResponseWriter.(http.Hijacker).Hijack()
}
