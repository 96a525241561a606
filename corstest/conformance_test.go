package corstest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/corsguard/cors/corstest"
)

// netHTTPServer is the reference adapter: Apply in front of a ServeMux,
// with a recovery that writes a 500, as a framework's does.
func netHTTPServer(p corstest.Policy, routes []corstest.Route) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.Handle(rt.Method+" "+rt.Path, rt.Handler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.Apply(w, r) {
			return
		}
		defer func() {
			if v := recover(); v != nil {
				http.Error(w, fmt.Sprint("recovered: ", v), http.StatusInternalServerError)
			}
		}()
		mux.ServeHTTP(w, r)
	})
}

func TestConformanceNetHTTP(t *testing.T) {
	corstest.Conformance(t, netHTTPServer)
}
