package bench

import (
	"net/http"
	"testing"
)

// okHandler is the inner handler: it writes a status and nothing else, so the
// figures are the middleware's.
var okHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusOK)
})

// BenchmarkCORS runs every scenario through every library, in one process.
// Names are BenchmarkCORS/scenario=<s>/library=<l>, so that
// `benchstat -col /library` puts the libraries side by side per scenario.
func BenchmarkCORS(b *testing.B) {
	for _, sc := range scenarios() {
		sc := sc
		b.Run("scenario="+sc.name, func(b *testing.B) {
			for _, lib := range libraries() {
				lib := lib
				if lib.wrappedOnly && sc.preflight {
					continue
				}
				b.Run("library="+lib.name, func(b *testing.B) {
					h := lib.wrap(b, sc.origins, okHandler)
					req := sc.newReq()
					w := newDiscardWriter()
					b.ReportAllocs()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						w.reset()
						h.ServeHTTP(w, req)
					}
				})
			}
		})
	}
}
