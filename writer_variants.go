// One writer type per combination of the four optional interfaces; keep it exhaustive.

package cors

import (
	"bufio"
	"io"
	"net"
	"net/http"
)

// The optional interfaces of the underlying writer, as bits: the crash-safe
// writer exposes exactly the ones the underlying writer has, so a handler's
// type assertion never succeeds for a method that cannot work. The rest stay
// reachable through Unwrap, as http.ResponseController expects.
const (
	canFlush = 1 << iota
	canHijack
	canReadFrom
	canPush
)

func capabilities(rw http.ResponseWriter) int {
	c := 0
	if _, ok := rw.(http.Flusher); ok {
		c |= canFlush
	}
	if _, ok := rw.(http.Hijacker); ok {
		c |= canHijack
	}
	if _, ok := rw.(io.ReaderFrom); ok {
		c |= canReadFrom
	}
	if _, ok := rw.(http.Pusher); ok {
		c |= canPush
	}
	return c
}

// newWriter allocates the writer variant for rw's capabilities, in one
// allocation, and returns it both as the writer and as what the handler sees.
func newWriter(rw http.ResponseWriter) (*writer, http.ResponseWriter) {
	switch capabilities(rw) {
	case 0:
		v := &writerPlain{writer{rw: rw}}
		return &v.writer, v
	case canFlush:
		v := &writerF{writer{rw: rw}}
		return &v.writer, v
	case canHijack:
		v := &writerH{writer{rw: rw}}
		return &v.writer, v
	case canFlush | canHijack:
		v := &writerFH{writer{rw: rw}}
		return &v.writer, v
	case canReadFrom:
		v := &writerR{writer{rw: rw}}
		return &v.writer, v
	case canFlush | canReadFrom:
		v := &writerFR{writer{rw: rw}}
		return &v.writer, v
	case canHijack | canReadFrom:
		v := &writerHR{writer{rw: rw}}
		return &v.writer, v
	case canFlush | canHijack | canReadFrom:
		v := &writerFHR{writer{rw: rw}}
		return &v.writer, v
	case canPush:
		v := &writerP{writer{rw: rw}}
		return &v.writer, v
	case canFlush | canPush:
		v := &writerFP{writer{rw: rw}}
		return &v.writer, v
	case canHijack | canPush:
		v := &writerHP{writer{rw: rw}}
		return &v.writer, v
	case canFlush | canHijack | canPush:
		v := &writerFHP{writer{rw: rw}}
		return &v.writer, v
	case canReadFrom | canPush:
		v := &writerRP{writer{rw: rw}}
		return &v.writer, v
	case canFlush | canReadFrom | canPush:
		v := &writerFRP{writer{rw: rw}}
		return &v.writer, v
	case canHijack | canReadFrom | canPush:
		v := &writerHRP{writer{rw: rw}}
		return &v.writer, v
	case canFlush | canHijack | canReadFrom | canPush:
		v := &writerFHRP{writer{rw: rw}}
		return &v.writer, v
	}
	panic("unreachable")
}

type writerPlain struct{ writer }

type writerF struct{ writer }

func (w *writerF) Flush() { w.flush() }

type writerH struct{ writer }

func (w *writerH) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

type writerFH struct{ writer }

func (w *writerFH) Flush()                                       { w.flush() }
func (w *writerFH) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

type writerR struct{ writer }

func (w *writerR) ReadFrom(r io.Reader) (int64, error) { return w.readFrom(r) }

type writerFR struct{ writer }

func (w *writerFR) Flush()                              { w.flush() }
func (w *writerFR) ReadFrom(r io.Reader) (int64, error) { return w.readFrom(r) }

type writerHR struct{ writer }

func (w *writerHR) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w *writerHR) ReadFrom(r io.Reader) (int64, error)          { return w.readFrom(r) }

type writerFHR struct{ writer }

func (w *writerFHR) Flush()                                       { w.flush() }
func (w *writerFHR) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w *writerFHR) ReadFrom(r io.Reader) (int64, error)          { return w.readFrom(r) }

type writerP struct{ writer }

func (w *writerP) Push(target string, opts *http.PushOptions) error { return w.push(target, opts) }

type writerFP struct{ writer }

func (w *writerFP) Flush()                                           { w.flush() }
func (w *writerFP) Push(target string, opts *http.PushOptions) error { return w.push(target, opts) }

type writerHP struct{ writer }

func (w *writerHP) Hijack() (net.Conn, *bufio.ReadWriter, error)     { return w.hijack() }
func (w *writerHP) Push(target string, opts *http.PushOptions) error { return w.push(target, opts) }

type writerFHP struct{ writer }

func (w *writerFHP) Flush()                                           { w.flush() }
func (w *writerFHP) Hijack() (net.Conn, *bufio.ReadWriter, error)     { return w.hijack() }
func (w *writerFHP) Push(target string, opts *http.PushOptions) error { return w.push(target, opts) }

type writerRP struct{ writer }

func (w *writerRP) ReadFrom(r io.Reader) (int64, error)              { return w.readFrom(r) }
func (w *writerRP) Push(target string, opts *http.PushOptions) error { return w.push(target, opts) }

type writerFRP struct{ writer }

func (w *writerFRP) Flush()                                           { w.flush() }
func (w *writerFRP) ReadFrom(r io.Reader) (int64, error)              { return w.readFrom(r) }
func (w *writerFRP) Push(target string, opts *http.PushOptions) error { return w.push(target, opts) }

type writerHRP struct{ writer }

func (w *writerHRP) Hijack() (net.Conn, *bufio.ReadWriter, error)     { return w.hijack() }
func (w *writerHRP) ReadFrom(r io.Reader) (int64, error)              { return w.readFrom(r) }
func (w *writerHRP) Push(target string, opts *http.PushOptions) error { return w.push(target, opts) }

type writerFHRP struct{ writer }

func (w *writerFHRP) Flush()                                           { w.flush() }
func (w *writerFHRP) Hijack() (net.Conn, *bufio.ReadWriter, error)     { return w.hijack() }
func (w *writerFHRP) ReadFrom(r io.Reader) (int64, error)              { return w.readFrom(r) }
func (w *writerFHRP) Push(target string, opts *http.PushOptions) error { return w.push(target, opts) }
