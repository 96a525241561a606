package cors

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
)

// writer is the ResponseWriter that the handler of every actual request
// writes to. Its one job: when the status line is committed, the CORS
// headers are exactly the policy's, whatever the handler did to the header
// map before (deleted them, set its own in any spelling, replaced Vary); and
// a panic before that becomes a 500 that carries them.
//
// The contract, in full:
//   - WriteHeader (2xx-5xx, 101), Write, WriteString, ReadFrom, a successful
//     flush and the implicit 200 after the handler returns commit the status:
//     the CORS headers are set just before.
//   - A 1xx other than 101 (103 Early Hints) precedes the real status and
//     commits nothing. An invalid code panics, as net/http would, before
//     anything is sent, so it becomes the 500.
//   - A flush the underlying writer cannot do (http.ErrNotSupported) commits
//     nothing.
//   - A panic: before the commit, a 500 with the CORS headers and the headers
//     outer middleware set before the handler ran, with their values; after
//     it, http.ErrAbortHandler, so a truncated body never looks complete.
//   - http.Flusher and http.Hijacker are exposed exactly when the underlying
//     writer has them (handlers test for them); io.ReaderFrom,
//     io.StringWriter, http.Pusher and http.CloseNotifier always are, passing
//     through or with the fallbacks their contracts allow; Unwrap serves
//     http.ResponseController.
type writer struct {
	rw       http.ResponseWriter
	p        *policy
	r        *http.Request
	state    writerState
	returned bool // the handler returned: no panic, not even panic(nil)
	vals     actualValues

	// kept holds the headers present before the handler ran (set by outer
	// middleware), which a panic's 500 keeps with these values. It is nil
	// when the middleware is outermost, as it should be, and costs nothing.
	kept []keptHeader
}

type keptHeader struct {
	key    string
	values []string
}

type writerState uint8

const (
	fresh     writerState = iota // nothing sent yet
	committed                    // status line sent: a panic can only abort
	hijacked                     // the handler owns the connection
)

// serve runs next behind the writer. The writer and all header values are
// one allocation (two when outer middleware has already set headers).
func (p *policy) serve(rw http.ResponseWriter, r *http.Request, allowOrigin string, next http.Handler) {
	w, exposed := newWriter(rw)
	w.p, w.r, w.vals.allowOrigin[0] = p, r, allowOrigin
	if h := rw.Header(); len(h) > 0 {
		w.kept = make([]keptHeader, 0, len(h))
		for k, v := range h {
			w.kept = append(w.kept, keptHeader{k, v})
		}
	}
	defer w.finish()
	next.ServeHTTP(exposed, r)
	w.returned = true
}

// finish runs when the handler returns or panics. It must be deferred
// directly, for recover to see the panic.
func (w *writer) finish() {
	v := recover()
	if w.returned {
		if w.state == fresh {
			// net/http will send an implicit 200 with whatever headers the
			// handler left: make sure ours are among them.
			w.setHeaders()
		}
		return
	}
	// A panic; v is nil for panic(nil) under GODEBUG=panicnil=1 and for
	// runtime.Goexit, which must not pass for a normal return.
	if v == http.ErrAbortHandler {
		panic(v) // the handler asked net/http to abort, quietly
	}
	w.p.logPanic(w.r, v, w.state != fresh)
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
	clear(h)
	for _, k := range w.kept {
		h[k.key] = k.values
	}
	w.setHeaders()
	h["Content-Type"] = []string{"text/plain; charset=utf-8"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	delete(h, "Content-Length")
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
	if code < 100 || code > 999 {
		// net/http would panic too, but after this writer had marked the
		// response sent: panic first, so the client gets the readable 500.
		panic("invalid WriteHeader code " + strconv.Itoa(code))
	}
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

// WriteString is Write without copying s, when the underlying writer can.
func (w *writer) WriteString(s string) (int, error) {
	w.commit()
	return io.WriteString(w.rw, s)
}

// ReadFrom keeps the underlying writer's ReadFrom (http.ServeFile's
// sendfile path), and copies otherwise.
func (w *writer) ReadFrom(src io.Reader) (int64, error) {
	w.commit()
	if rf, ok := w.rw.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(w.rw, src)
}

// Push initiates an HTTP/2 server push, or returns http.ErrNotSupported
// when the underlying writer cannot, as http.Pusher allows.
func (w *writer) Push(target string, opts *http.PushOptions) error {
	if p, ok := w.rw.(http.Pusher); ok {
		return p.Push(target, opts)
	}
	return http.ErrNotSupported
}

// CloseNotify passes through; without the underlying writer's, the channel
// receives when the request's context ends, as the client going away does.
// Deprecated interfaces still have callers: gin's Context.Stream asserts it.
func (w *writer) CloseNotify() <-chan bool {
	//lint:ignore SA1019 passed through for callers that still assert it
	if cn, ok := w.rw.(http.CloseNotifier); ok {
		return cn.CloseNotify()
	}
	ch := make(chan bool, 1)
	context.AfterFunc(w.r.Context(), func() { ch <- true })
	return ch
}

// Unwrap returns the underlying ResponseWriter, for http.ResponseController.
func (w *writer) Unwrap() http.ResponseWriter { return w.rw }

// FlushError flushes like http.ResponseController.Flush, which calls it. A
// flush that cannot happen (http.ErrNotSupported) sends nothing, so it does
// not commit: headers deleted afterwards are put back, and a later panic is
// still answered with the 500.
func (w *writer) FlushError() error {
	if w.state == fresh {
		w.setHeaders()
	}
	err := http.NewResponseController(w.rw).Flush()
	if !errors.Is(err, http.ErrNotSupported) && w.state == fresh {
		w.state = committed
	}
	return err
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

// newWriter allocates the writer that exposes exactly the Flusher and
// Hijacker that rw has, in one allocation, and returns it both as the writer
// and as what the handler sees. A handler's type assertion then never
// succeeds for a method that cannot work.
func newWriter(rw http.ResponseWriter) (*writer, http.ResponseWriter) {
	_, canFlush := rw.(http.Flusher)
	_, canHijack := rw.(http.Hijacker)
	switch {
	case canFlush && canHijack:
		v := &flushHijackWriter{writer{rw: rw}}
		return &v.writer, v
	case canFlush:
		v := &flushWriter{writer{rw: rw}}
		return &v.writer, v
	case canHijack:
		v := &hijackWriter{writer{rw: rw}}
		return &v.writer, v
	}
	v := &writer{rw: rw}
	return v, v
}

type flushWriter struct{ writer }

func (w *flushWriter) Flush() { w.flush() }

type hijackWriter struct{ writer }

func (w *hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

type flushHijackWriter struct{ writer }

func (w *flushHijackWriter) Flush()                                       { w.flush() }
func (w *flushHijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
