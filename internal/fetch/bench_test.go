package fetch

import (
	"net/http"
	"testing"
)

// The rules run once per exchange in corscheck and corstest, never on a
// server's request path; these keep their cost visible all the same.

func BenchmarkCheckPreflight(b *testing.B) {
	r := newRequest("PUT", true, Header{"Content-Type", "application/json"}, Header{"X-Api-Key", "k"}, Header{"Authorization", "Bearer t"})
	h := http.Header{
		"Access-Control-Allow-Origin":      {page},
		"Access-Control-Allow-Credentials": {"true"},
		"Access-Control-Allow-Methods":     {"GET, PUT, DELETE"},
		"Access-Control-Allow-Headers":     {"Content-Type, X-Api-Key, Authorization"},
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if CheckPreflight(r, 204, h) != nil {
			b.Fatal("refused")
		}
	}
}

func BenchmarkPreflightHeaders(b *testing.B) {
	r := newRequest("PUT", false, Header{"Content-Type", "application/json"}, Header{"X-Trace", "1"}, Header{"Accept", "text/html"})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = r.PreflightHeaders()
	}
}
