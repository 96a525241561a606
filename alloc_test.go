package cors

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// reusableWriter is a ResponseWriter whose header map is cleared, not
// reallocated, between requests, so measurements show the middleware's own
// allocations and not a recorder's.
type reusableWriter struct {
	h      http.Header
	status int
}

func newReusableWriter() *reusableWriter { return &reusableWriter{h: make(http.Header, 16)} }

func (w *reusableWriter) reset() {
	clear(w.h)
	w.status = 0
}
func (w *reusableWriter) Header() http.Header         { return w.h }
func (w *reusableWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *reusableWriter) WriteHeader(code int)        { w.status = code }

// benchScenarios are the requests of the performance issue, against a policy
// configured like the peers in bench/.
func benchScenarios(tb testing.TB, origins int) (*Middleware, map[string]*http.Request) {
	allowed := []string{"https://app.example.com"}
	for i := 1; i < origins; i++ {
		allowed = append([]string{"https://app" + strconv.Itoa(i) + ".example.com"}, allowed...)
	}
	m := mustNew(tb, Options{
		AllowedOrigins:   allowed,
		AllowCredentials: true,
		AllowedMethods:   []string{"GET", "POST", "PUT"},
		AllowedHeaders:   []string{"Content-Type", "X-Api-Key"},
		ExposedHeaders:   []string{"X-Request-Id"},
		MaxAge:           600e9,
	})
	hostile := preflightReq("https://app.example.com", "PUT", "")
	hostile.Header.Set("Access-Control-Request-Headers", "content-type"+strings.Repeat(",", 1024)+"x-api-key")
	return m, map[string]*http.Request{
		"no origin":         actualReq(""),
		"allowed":           actualReq("https://app.example.com"),
		"refused":           actualReq("https://evil.example.com"),
		"preflight":         preflightReq("https://app.example.com", "PUT", "content-type,x-api-key"),
		"refused preflight": preflightReq("https://evil.example.com", "PUT", "content-type,x-api-key"),
		"hostile preflight": hostile,
	}
}

// TestAllocations holds the performance issue's allocation budget: at most
// one allocation per request, for the wrapper and every header value together,
// and none for a preflight answered with 403.
func TestAllocations(t *testing.T) {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	for _, origins := range []int{1, 100} {
		m, scenarios := benchScenarios(t, origins)
		h := m.Handler(inner)
		for name, r := range scenarios {
			w := newReusableWriter()
			allocs := testing.AllocsPerRun(200, func() {
				w.reset()
				h.ServeHTTP(w, r)
			})
			budget := 1.0
			if name == "refused preflight" || name == "hostile preflight" {
				budget = 0 // a 403 with nothing to vary (TestRefusedPreflightVariesOnlyWhenCacheable)
			}
			assert.LessOrEqual(t, allocs, budget, "%s with %d origins", name, origins)
		}
		w := newReusableWriter()
		allocs := testing.AllocsPerRun(200, func() {
			w.reset()
			m.Apply(w, scenarios["allowed"])
		})
		assert.LessOrEqual(t, allocs, 1.0, "Apply with %d origins", origins)
	}
}

func BenchmarkMiddleware(b *testing.B) {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	for _, origins := range []int{1, 100} {
		m, scenarios := benchScenarios(b, origins)
		h := m.Handler(inner)
		for _, name := range []string{"no origin", "allowed", "refused", "preflight", "refused preflight", "hostile preflight"} {
			r := scenarios[name]
			b.Run(strings.ReplaceAll(name, " ", "_")+"/origins="+strconv.Itoa(origins), func(b *testing.B) {
				w := newReusableWriter()
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					w.reset()
					h.ServeHTTP(w, r)
				}
			})
		}
	}
}

// BenchmarkRequestHeaderLimits shows that the cost of a preflight stops
// growing once a request header passes its limit.
func BenchmarkRequestHeaderLimits(b *testing.B) {
	m := mustNew(b, Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"*"}})
	h := m.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, n := range []int{16, 64, 1024, 1 << 20} {
		for _, shape := range []string{"names", "commas"} {
			var v string
			if shape == "names" {
				v = strings.Repeat("x-a,", n/4+1)
			} else {
				v = "x-a" + strings.Repeat(",", n)
			}
			r := preflightReq("https://app.example.com", "GET", "")
			r.Header.Set("Access-Control-Request-Headers", v)
			b.Run(shape+"/bytes="+strconv.Itoa(len(v)), func(b *testing.B) {
				w := newReusableWriter()
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					w.reset()
					h.ServeHTTP(w, r)
				}
			})
		}
	}
	for _, n := range []int{64, 512, 1 << 20} {
		r := actualReq("https://" + strings.Repeat("a", n) + ".example.com")
		b.Run("origin/bytes="+strconv.Itoa(n), func(b *testing.B) {
			w := newReusableWriter()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				w.reset()
				h.ServeHTTP(w, r)
			}
		})
	}
}
