package cors

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
)

// writer is the ResponseWriter that the handler of every request but a
// preflight writes to. Its one job: when the status line is committed, the CORS
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
//
// Writers are reused, so a request costs no allocation. A writer goes back
// to its pool when its handler returns without panicking or hijacking the
// connection (a panicked or hijacked one may still be in use), and until it
// is taken again it answers calls as a writer whose handler is gone, sending
// nothing. Its header values follow valueSlots' write-once rule. Like
// net/http's own ResponseWriter, it must not be used after the handler
// returns.
type writer struct {
	rw          http.ResponseWriter
	p           *policy
	allowOrigin string // the response's Access-Control-Allow-Origin; "" for none
	state       writerState
	returned    bool // the handler returned: no panic, not even panic(nil)
	slots       valueSlots
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
	released                     // back in the pool: the handler returned
)

// serve runs next behind a writer, and puts the writer back in its pool
// when the handler returned normally without hijacking.
func (p *policy) serve(rw http.ResponseWriter, r *http.Request, allowOrigin string, next http.Handler) {
	w, exposed := newWriter(rw)
	w.p, w.allowOrigin = p, allowOrigin
	w.run(r, exposed, next)
	if w.returned && w.state != hijacked {
		release(exposed)
	}
}

func (w *writer) run(r *http.Request, exposed http.ResponseWriter, next http.Handler) {
	// kept holds the headers present before the handler ran (set by outer
	// middleware), which a panic's 500 keeps with these values. It is nil
	// when the middleware is outermost, as it should be, and costs nothing.
	var kept []keptHeader
	if h := w.rw.Header(); len(h) > 0 {
		kept = make([]keptHeader, 0, len(h))
		for k, v := range h {
			kept = append(kept, keptHeader{k, v})
		}
	}
	defer w.finish(r, kept)
	next.ServeHTTP(exposed, r)
	w.returned = true
}

// finish runs when the handler returns or panics. It must be deferred
// directly, for recover to see the panic.
func (w *writer) finish(r *http.Request, kept []keptHeader) {
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
	w.p.logPanic(r, v, w.state != fresh)
	if w.state != fresh {
		// Too late for a 500: abort, so the client sees a broken response
		// rather than a truncated one that looks complete.
		panic(http.ErrAbortHandler)
	}
	w.writeInternalError(kept)
}

// writeInternalError answers a panic with a 500 that scripts can read: the
// CORS headers and those set before the handler ran, nothing the handler set.
func (w *writer) writeInternalError(kept []keptHeader) {
	h := w.rw.Header()
	clear(h)
	for _, k := range kept {
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

func (w *writer) setHeaders() {
	w.p.setActualHeaders(w.rw.Header(), &w.slots, w.allowOrigin)
}

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

// CloseNotify passes through: gin's Context.Stream still asserts the
// deprecated interface. Without the underlying writer's, the channel never
// receives, which the contract allows; the request's context says more.
func (w *writer) CloseNotify() <-chan bool {
	//lint:ignore SA1019 passed through for callers that still assert it
	if cn, ok := w.rw.(http.CloseNotifier); ok {
		return cn.CloseNotify()
	}
	return make(chan bool)
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

// newWriter takes a writer that exposes exactly the Flusher and Hijacker
// that rw has from its pool, and returns it both as the writer and as what
// the handler sees. A handler's type assertion then never succeeds for a
// method that cannot work.
func newWriter(rw http.ResponseWriter) (*writer, http.ResponseWriter) {
	_, canFlush := rw.(http.Flusher)
	_, canHijack := rw.(http.Hijacker)
	var w *writer
	var exposed http.ResponseWriter
	switch {
	case canFlush && canHijack:
		v := flushHijackWriters.get()
		w, exposed = &v.writer, v
	case canFlush:
		v := flushWriters.get()
		w, exposed = &v.writer, v
	case canHijack:
		v := hijackWriters.get()
		w, exposed = &v.writer, v
	default:
		w = plainWriters.get()
		exposed = w
	}
	w.rw, w.state, w.returned = rw, fresh, false
	return w, exposed
}

// release puts a writer whose handler returned back in its pool.
func release(exposed http.ResponseWriter) {
	switch v := exposed.(type) {
	case *flushHijackWriter:
		v.reset()
		flushHijackWriters.put(v)
	case *flushWriter:
		v.reset()
		flushWriters.put(v)
	case *hijackWriter:
		v.reset()
		hijackWriters.put(v)
	case *writer:
		v.reset()
		plainWriters.put(v)
	}
}

// reset keeps only the slots, and leaves the writer answering calls as one
// whose handler is gone.
func (w *writer) reset() {
	w.rw, w.p, w.allowOrigin, w.state = goneWriter{}, nil, "", released
}

var (
	plainWriters       pool[writer]
	flushWriters       pool[flushWriter]
	hijackWriters      pool[hijackWriter]
	flushHijackWriters pool[flushHijackWriter]
)

type flushWriter struct{ writer }

func (w *flushWriter) Flush() { w.flush() }

type hijackWriter struct{ writer }

func (w *hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

type flushHijackWriter struct{ writer }

func (w *flushHijackWriter) Flush()                                       { w.flush() }
func (w *flushHijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

// goneWriter stands behind a released writer, for a handler that breaks
// net/http's rule and uses its ResponseWriter after returning: it sends
// nothing and says why, rather than crash or write into a response that
// ended.
type goneWriter struct{}

var errHandlerReturned = errors.New("cors: ResponseWriter used after its handler returned")

func (goneWriter) Header() http.Header                          { return http.Header{} }
func (goneWriter) Write([]byte) (int, error)                    { return 0, errHandlerReturned }
func (goneWriter) WriteHeader(int)                              {}
func (goneWriter) Flush()                                       {}
func (goneWriter) FlushError() error                            { return errHandlerReturned }
func (goneWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return nil, nil, errHandlerReturned }
