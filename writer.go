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
// It is allocated for every request, so it holds only what the request path
// needs (48 bytes without CORS headers, 96 with); what only a panic needs,
// the request and the headers outer middleware set, stays in serve's frame.
type writer[S slots] struct {
	rw       http.ResponseWriter
	p        *policy
	state    writerState
	returned bool // the handler returned: no panic, not even panic(nil)

	// slots back the header values the writer sets, in the writer's own
	// allocation: all four CORS values for an allowed origin, Vary alone
	// otherwise, so the common request without Origin allocates least.
	slots S
}

// slots are the two layouts of a writer's header values.
type slots interface {
	actualValues | varyOnly
}

// varyOnly backs the one value a response without CORS headers gets.
type varyOnly struct{ vary [1]string }

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
	if allowOrigin == "" {
		w, exposed := newWriter[varyOnly](rw)
		w.serve(p, r, exposed, next)
		return
	}
	w, exposed := newWriter[actualValues](rw)
	w.slots.allowOrigin[0] = allowOrigin
	w.serve(p, r, exposed, next)
}

func (w *writer[S]) serve(p *policy, r *http.Request, exposed http.ResponseWriter, next http.Handler) {
	w.p = p
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
func (w *writer[S]) finish(r *http.Request, kept []keptHeader) {
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
func (w *writer[S]) writeInternalError(kept []keptHeader) {
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

func (w *writer[S]) setHeaders() {
	switch v := any(&w.slots).(type) {
	case *actualValues:
		w.p.setActualHeaders(w.rw.Header(), v)
	case *varyOnly:
		w.p.setNoCORSHeaders(w.rw.Header(), &v.vary)
	}
}

// commit is called before anything that sends the status line.
func (w *writer[S]) commit() {
	if w.state == fresh {
		w.setHeaders()
		w.state = committed
	}
}

// Header returns the underlying writer's header map.
func (w *writer[S]) Header() http.Header { return w.rw.Header() }

// WriteHeader sends the status with the CORS headers in place.
func (w *writer[S]) WriteHeader(code int) {
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
func (w *writer[S]) Write(b []byte) (int, error) {
	w.commit()
	return w.rw.Write(b)
}

// WriteString is Write without copying s, when the underlying writer can.
func (w *writer[S]) WriteString(s string) (int, error) {
	w.commit()
	return io.WriteString(w.rw, s)
}

// ReadFrom keeps the underlying writer's ReadFrom (http.ServeFile's
// sendfile path), and copies otherwise.
func (w *writer[S]) ReadFrom(src io.Reader) (int64, error) {
	w.commit()
	if rf, ok := w.rw.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(w.rw, src)
}

// Push initiates an HTTP/2 server push, or returns http.ErrNotSupported
// when the underlying writer cannot, as http.Pusher allows.
func (w *writer[S]) Push(target string, opts *http.PushOptions) error {
	if p, ok := w.rw.(http.Pusher); ok {
		return p.Push(target, opts)
	}
	return http.ErrNotSupported
}

// CloseNotify passes through: gin's Context.Stream still asserts the
// deprecated interface. Without the underlying writer's, the channel never
// receives, which the contract allows; the request's context says more.
func (w *writer[S]) CloseNotify() <-chan bool {
	//lint:ignore SA1019 passed through for callers that still assert it
	if cn, ok := w.rw.(http.CloseNotifier); ok {
		return cn.CloseNotify()
	}
	return make(chan bool)
}

// Unwrap returns the underlying ResponseWriter, for http.ResponseController.
func (w *writer[S]) Unwrap() http.ResponseWriter { return w.rw }

// FlushError flushes like http.ResponseController.Flush, which calls it. A
// flush that cannot happen (http.ErrNotSupported) sends nothing, so it does
// not commit: headers deleted afterwards are put back, and a later panic is
// still answered with the 500.
func (w *writer[S]) FlushError() error {
	if w.state == fresh {
		w.setHeaders()
	}
	err := http.NewResponseController(w.rw).Flush()
	if !errors.Is(err, http.ErrNotSupported) && w.state == fresh {
		w.state = committed
	}
	return err
}

func (w *writer[S]) flush() {
	w.commit()
	w.rw.(http.Flusher).Flush()
}

func (w *writer[S]) hijack() (net.Conn, *bufio.ReadWriter, error) {
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
func newWriter[S slots](rw http.ResponseWriter) (*writer[S], http.ResponseWriter) {
	_, canFlush := rw.(http.Flusher)
	_, canHijack := rw.(http.Hijacker)
	switch {
	case canFlush && canHijack:
		v := &flushHijackWriter[S]{writer[S]{rw: rw}}
		return &v.writer, v
	case canFlush:
		v := &flushWriter[S]{writer[S]{rw: rw}}
		return &v.writer, v
	case canHijack:
		v := &hijackWriter[S]{writer[S]{rw: rw}}
		return &v.writer, v
	}
	v := &writer[S]{rw: rw}
	return v, v
}

type flushWriter[S slots] struct{ writer[S] }

func (w *flushWriter[S]) Flush() { w.flush() }

type hijackWriter[S slots] struct{ writer[S] }

func (w *hijackWriter[S]) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

type flushHijackWriter[S slots] struct{ writer[S] }

func (w *flushHijackWriter[S]) Flush()                                       { w.flush() }
func (w *flushHijackWriter[S]) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
