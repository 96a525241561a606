package cors

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"slices"
)

// writer is the crash-safe ResponseWriter of an allowed actual request. Its
// one job: the CORS headers are in place whenever the status line is
// committed, and a panic before that becomes a 500 that carries them.
//
// It sets the headers at that moment rather than before the handler runs:
// whatever the handler did to the header map in between (deleted them, set
// its own, replaced Vary), the response leaves with the policy's headers, and
// each is set once.
type writer struct {
	rw    http.ResponseWriter
	p     *policy
	r     *http.Request
	state writerState

	// vals backs the CORS header values; vals[0], the allowed origin, is
	// set first. The handler cannot reach vals before the headers are set,
	// and they are set once.
	vals [actualHeaders]string

	// kept lists the header keys present before the handler ran (set by
	// outer middleware), which survive into a panic's 500. It is nil when
	// the middleware is outermost, as it should be, and costs nothing then.
	kept []string
}

type writerState uint8

const (
	fresh     writerState = iota // nothing sent yet
	committed                    // status line sent: a panic can only abort
	hijacked                     // the handler owns the connection
)

// serveAllowed serves an allowed actual request through the crash-safe
// writer. The writer and all header values are one allocation (two when
// outer middleware has already set headers, whose names a panic's 500 keeps).
func (p *policy) serveAllowed(rw http.ResponseWriter, r *http.Request, origin string, next http.Handler) {
	w, exposed := newWriter(rw)
	w.p, w.r, w.vals[0] = p, r, p.allowOriginValue(origin)
	h := rw.Header()
	if len(h) > 0 {
		w.kept = make([]string, 0, len(h))
		for k := range h {
			w.kept = append(w.kept, k)
		}
	}
	defer w.finish()
	next.ServeHTTP(exposed, r)
}

// finish runs when the handler returns or panics. It must be deferred
// directly, for recover to see the panic.
func (w *writer) finish() {
	v := recover()
	if v == nil {
		if w.state == fresh {
			// net/http will send an implicit 200 with whatever headers the
			// handler left: make sure ours are among them.
			w.setHeaders()
		}
		return
	}
	if v == http.ErrAbortHandler {
		panic(v) // the handler asked net/http to abort, quietly
	}
	w.p.logPanic(w.r.Context(), w.r, v, w.state != fresh)
	if w.state != fresh {
		// Too late for a 500: abort, so the client sees a broken response
		// rather than a truncated one that looks complete.
		panic(http.ErrAbortHandler)
	}
	w.writeInternalError()
}

// writeInternalError answers a panic with a 500 that scripts can read: the
// CORS headers and those set before the handler ran, nothing the handler set.
func (w *writer) writeInternalError() {
	h := w.rw.Header()
	for k := range h {
		if !slices.Contains(w.kept, k) {
			delete(h, k)
		}
	}
	w.setHeaders()
	h["Content-Type"] = []string{"text/plain; charset=utf-8"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	w.state = committed
	w.rw.WriteHeader(http.StatusInternalServerError)
	_, _ = io.WriteString(w.rw, "Internal Server Error\n")
}

func (w *writer) setHeaders() { w.p.setActualHeaders(w.rw.Header(), &w.vals) }

// commit is called before anything that sends the status line.
func (w *writer) commit() {
	if w.state == fresh {
		w.setHeaders()
		w.state = committed
	}
}

// Header returns the underlying writer's header map.
func (w *writer) Header() http.Header { return w.rw.Header() }

// WriteHeader sends the status with the CORS headers in place.
func (w *writer) WriteHeader(code int) {
	// 1xx informational answers (103 Early Hints) precede the real status,
	// which is the one browsers check.
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.commit()
	}
	w.rw.WriteHeader(code)
}

// Write sends the body, and first the status with the CORS headers in place.
func (w *writer) Write(b []byte) (int, error) {
	w.commit()
	return w.rw.Write(b)
}

// Unwrap returns the underlying ResponseWriter, for http.ResponseController.
func (w *writer) Unwrap() http.ResponseWriter { return w.rw }

// FlushError flushes like http.ResponseController.Flush, which calls it, and
// reports http.ErrNotSupported when the underlying writer cannot flush.
func (w *writer) FlushError() error {
	w.commit()
	return http.NewResponseController(w.rw).Flush()
}

func (w *writer) flush() {
	w.commit()
	w.rw.(http.Flusher).Flush()
}

func (w *writer) hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := w.rw.(http.Hijacker).Hijack()
	if err == nil {
		w.state = hijacked
	}
	return c, rw, err
}

func (w *writer) readFrom(r io.Reader) (int64, error) {
	w.commit()
	return w.rw.(io.ReaderFrom).ReadFrom(r)
}

func (w *writer) push(target string, opts *http.PushOptions) error {
	return w.rw.(http.Pusher).Push(target, opts)
}
