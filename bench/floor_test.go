package bench

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
)

// The floor is the least code that gives, on each path corsguard wraps
// (every request but a preflight), the guarantee corsguard gives there,
// without sharing a header value array between responses:
//   - the response's CORS headers are exactly the path's, set when the status
//     is sent, whatever the handler did to the header map: every
//     Access-Control-* key in any spelling goes, and Vary names Origin;
//   - a panic before the status (panic(nil) and runtime.Goexit included, and
//     an invalid status code) is a 500 that carries them and the headers
//     outer middleware set before the handler ran, with their values;
//   - a 1xx informational status (103 Early Hints) sends nothing early;
//   - http.Flusher and http.Hijacker are exposed exactly when the underlying
//     writer has them, so streaming and hijacking keep working.
//
// So it reads Origin, checks it against the allowed origins in the cheapest
// way for their number, and wraps the writer in one allocation that also
// holds the path's header values (Vary alone, or all four). It has no policy
// to load and no preflight to tell apart. Like corsguard, it reports each
// refused origin, to a hook (nil here) and to the logger at Debug level,
// which costs one Enabled call when Debug is off, as in the benchmark.
// Whatever corsguard spends beyond it is the cost of its code, not of its
// guarantee.
// It answers no preflight; the floor library runs only the wrapped scenarios.
type floorMiddleware struct {
	next    http.Handler
	origins []string            // a few: compared one by one
	set     map[string]struct{} // many: hashed

	onRefused func(r *http.Request, origin string)
	logger    *slog.Logger
}

func wrapFloor(_ testing.TB, origins []string, next http.Handler) http.Handler {
	m := &floorMiddleware{next: next, logger: quietLogger}
	if len(origins) <= 4 {
		m.origins = origins
	} else {
		m.set = make(map[string]struct{}, len(origins))
		for _, o := range origins {
			m.set[o] = struct{}{}
		}
	}
	return m
}

func (m *floorMiddleware) allowed(origin string) bool {
	if m.set != nil {
		_, ok := m.set[origin]
		return ok
	}
	for _, o := range m.origins {
		if o == origin {
			return true
		}
	}
	return false
}

func (m *floorMiddleware) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	origins := r.Header["Origin"]
	if len(origins) == 1 && m.allowed(origins[0]) {
		w := &floorWriter[floorAllowed]{rw: rw}
		w.vals.allowOrigin[0] = origins[0]
		serveFloor(w, r, m.next)
		return
	}
	if len(origins) > 0 {
		m.refuse(r, origins[0])
	}
	serveFloor(&floorWriter[floorVary]{rw: rw}, r, m.next)
}

func (m *floorMiddleware) refuse(r *http.Request, origin string) {
	if m.onRefused != nil {
		m.onRefused(r, origin)
	}
	if ctx := r.Context(); m.logger.Enabled(ctx, slog.LevelDebug) {
		m.logger.LogAttrs(ctx, slog.LevelDebug, "refused", slog.String("origin", origin))
	}
}

// floorVary and floorAllowed hold the header values of a response without
// CORS headers and of an allowed one, each in an array of its own.
type floorVary struct{ vary [1]string }

type floorAllowed struct {
	allowOrigin, credentials, exposed, vary [1]string
}

type floorValues interface{ floorVary | floorAllowed }

type floorWriter[V floorValues] struct {
	rw        http.ResponseWriter
	committed bool
	vals      V
}

// serveFloor runs next behind w, exposing Flusher and Hijacker only when the
// underlying writer has them (the discard writer has neither, so only the
// two type assertions are paid here).
func serveFloor[V floorValues](w *floorWriter[V], r *http.Request, next http.Handler) {
	var exposed http.ResponseWriter = w
	_, canFlush := w.rw.(http.Flusher)
	_, canHijack := w.rw.(http.Hijacker)
	if canFlush || canHijack {
		exposed = floorFlushHijacker[V]{w}
	}
	var kept http.Header // what outer middleware set, for a panic's 500
	if h := w.rw.Header(); len(h) > 0 {
		kept = h.Clone()
	}
	returned := false
	defer func() {
		recover()
		if returned {
			w.commit()
			return
		}
		if w.committed {
			panic(http.ErrAbortHandler)
		}
		h := w.rw.Header()
		clear(h)
		for k, v := range kept {
			h[k] = v
		}
		w.commit()
		w.rw.WriteHeader(http.StatusInternalServerError)
	}()
	next.ServeHTTP(exposed, r)
	returned = true
}

func (w *floorWriter[V]) Header() http.Header { return w.rw.Header() }

func (w *floorWriter[V]) Write(b []byte) (int, error) {
	w.commit()
	return w.rw.Write(b)
}

func (w *floorWriter[V]) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic("invalid WriteHeader code") // before anything is sent: the 500
	}
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.commit()
	}
	w.rw.WriteHeader(code)
}

func (w *floorWriter[V]) commit() {
	if w.committed {
		return
	}
	w.committed = true
	h := w.rw.Header()
	if len(h) > 0 { // an empty map, the usual case, costs no iteration
		for k := range h {
			if len(k) > len("Access-Control-") && strings.EqualFold(k[:len("Access-Control-")], "Access-Control-") {
				delete(h, k)
			}
		}
	}
	switch v := any(&w.vals).(type) {
	case *floorVary:
		v.vary[0] = "Origin"
		h["Vary"] = v.vary[:]
	case *floorAllowed:
		v.vary[0] = "Origin"
		h["Vary"] = v.vary[:]
		h["Access-Control-Allow-Origin"] = v.allowOrigin[:]
		v.credentials[0] = "true"
		h["Access-Control-Allow-Credentials"] = v.credentials[:]
		v.exposed[0] = "X-Request-Id"
		h["Access-Control-Expose-Headers"] = v.exposed[:]
	}
}

// floorFlushHijacker is the wrapper for writers that stream or hijack; the
// benchmark never builds it, it is here so the floor keeps that guarantee.
type floorFlushHijacker[V floorValues] struct{ *floorWriter[V] }

func (w floorFlushHijacker[V]) Flush() {
	w.commit()
	w.rw.(http.Flusher).Flush()
}

func (w floorFlushHijacker[V]) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.rw.(http.Hijacker).Hijack()
}
