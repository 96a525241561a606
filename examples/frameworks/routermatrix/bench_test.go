package routermatrix

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkRoutesTargets is what choosing a policy costs per request, from
// an ordinary path to the longest target net/http's default MaxHeaderBytes
// lets through with every reading in play (";", case, %2F, "//", "..").
func BenchmarkRoutesTargets(b *testing.B) {
	h := newRoutes(b).Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, target := range []string{
		"/admin/users",
		"/admin%2Fusers",
		"/x/" + strings.Repeat("a/", 5<<10) + "..%2F" + strings.Repeat("..%2F", 5<<10) + "admin/users",
		"/X;a/" + strings.Repeat("A%2F/", 100<<10) + "..",
	} {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		r.Header.Set("Origin", wwwOrigin)
		b.Run(shorten(target), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
}
