package cors

import (
	"bufio"
	"io"
	"net"
	"net/http"
)

// writer is the crash-safe ResponseWriter of an allowed actual request. Its
// one job: the CORS headers are in place whenever the status line is
// committed, and a panic before that becomes a 500 that carries them.
type writer struct {
	rw     http.ResponseWriter
	p      *policy
	r      *http.Request
	origin string
	state  writerState

	vals [actualHeaders]string // backing store of the CORS header values

	// kept lists the header keys present before the handler ran (set by
	// outer middleware), which survive into a panic's 500.
	kept    []string
	keptBuf [4]string
}

type writerState uint8

const (
	fresh     writerState = iota // nothing sent yet
	committed                    // status line sent: a panic can only abort
	hijacked                     // the handler owns the connection
)

// serveAllowed serves an allowed actual request through the crash-safe
// writer. The writer and all header values are one allocation.
func (p *policy) serveAllowed(rw http.ResponseWriter, r *http.Request, origin string, next http.Handler) {
	w, exposed := newWriter(rw)
	w.p, w.r, w.origin = p, r, origin
	h := rw.Header()
	if len(h) > 0 {
		w.kept = w.keptBuf[:0]
		for k := range h {
			w.kept = append(w.kept, k)
		}
	}
	p.setActualHeaders(h, origin, &w.vals)
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
			w.ensure()
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
		if !w.isKept(k) {
			delete(h, k)
		}
	}
	w.ensure()
	h["Content-Type"] = []string{"text/plain; charset=utf-8"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	w.state = committed
	w.rw.WriteHeader(http.StatusInternalServerError)
	_, _ = io.WriteString(w.rw, "Internal Server Error\n")
}

func (w *writer) isKept(key string) bool {
	for _, k := range w.kept {
		if k == key {
			return true
		}
	}
	return false
}

func (w *writer) ensure() { w.p.ensureActualHeaders(w.rw.Header(), w.origin, &w.vals) }

// commit is called before anything that sends the status line.
func (w *writer) commit() {
	if w.state == fresh {
		w.ensure()
		w.state = committed
	}
}

// Header returns the underlying writer's header map.
func (w *writer) Header() http.Header { return w.rw.Header() }

// WriteHeader sends the status with the CORS headers in place.
func (w *writer) WriteHeader(code int) {
	if w.state == fresh {
		w.ensure()
		// 1xx informational answers (103 Early Hints) precede the real status.
		if code >= 200 || code == http.StatusSwitchingProtocols {
			w.state = committed
		}
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
