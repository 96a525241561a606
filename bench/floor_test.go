package bench

import (
	"net/http"
	"testing"
)

// BenchmarkWrapperFloor measures the least that any middleware can cost on a
// request without Origin if it guarantees, as corsguard does, that the
// response's Vary names Origin whatever the handler does to the header map,
// and shares no value array between responses: it must see the status being
// sent, so it wraps the ResponseWriter, and each response needs a Vary array
// of its own, one heap allocation (here together with the wrapper). This one
// does nothing else (no policy, no CORS header to remove, no panic to
// answer), so the gap between it and rs/cors, which adds a Vary slice shared
// by every response up front, is the price of the guarantee, not of
// corsguard's code.
func BenchmarkWrapperFloor(b *testing.B) {
	h := floorMiddleware{okHandler}
	req := scenarios()[0].newReq()
	if req.Header.Get("Origin") != "" {
		b.Fatal("the first scenario must be the request without Origin")
	}
	w := newDiscardWriter()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w.reset()
		h.ServeHTTP(w, req)
	}
	if got := w.Header().Get("Vary"); got != "Origin" {
		b.Fatalf("Vary %q, want Origin", got)
	}
}

type floorMiddleware struct{ next http.Handler }

func (m floorMiddleware) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &floorWriter{rw: rw}
	defer func() {
		if v := recover(); v != nil {
			panic(v)
		}
	}()
	m.next.ServeHTTP(w, r)
	w.commit()
}

type floorWriter struct {
	rw        http.ResponseWriter
	committed bool
	vary      [1]string
}

func (w *floorWriter) Header() http.Header { return w.rw.Header() }

func (w *floorWriter) Write(b []byte) (int, error) {
	w.commit()
	return w.rw.Write(b)
}

func (w *floorWriter) WriteHeader(code int) {
	w.commit()
	w.rw.WriteHeader(code)
}

func (w *floorWriter) commit() {
	if !w.committed {
		w.vary[0] = "Origin"
		w.rw.Header()["Vary"] = w.vary[:]
		w.committed = true
	}
}
