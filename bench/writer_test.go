package bench

import "net/http"

// discardWriter is the smallest http.ResponseWriter that keeps what a
// middleware sets: reused across iterations so that the allocations and time
// measured are the middleware's own, not those of httptest.ResponseRecorder.
// Its map starts small, as net/http's does. It deliberately implements no
// optional interface (Flusher, Hijacker...).
type discardWriter struct {
	header http.Header
	status int
}

func newDiscardWriter() *discardWriter {
	return &discardWriter{header: make(http.Header)}
}

// Header returns the reused header map.
func (w *discardWriter) Header() http.Header { return w.header }

// WriteHeader records the first status only, as net/http does.
func (w *discardWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

// Write discards the body; writing implies a 200 as in net/http.
func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(p), nil
}

// reset clears the map in place (keeping its buckets) for the next iteration.
func (w *discardWriter) reset() {
	clear(w.header)
	w.status = 0
}
