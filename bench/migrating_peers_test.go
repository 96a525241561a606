package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"

	chicors "github.com/go-chi/cors"
	rscors "github.com/rs/cors"
	"github.com/stretchr/testify/assert"
)

// TestMigratingPeerStatements checks what MIGRATING.md says about rs/cors and
// go-chi/cors against their own code, at the versions this module requires:
// MaxAge of 0 and below, and an origin function next to an origin list.
func TestMigratingPeerStatements(t *testing.T) {
	const listed = "https://listed.example"
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	rs := func(maxAge int, fn func(string) bool) http.Handler {
		return rscors.New(rscors.Options{AllowedOrigins: []string{listed}, MaxAge: maxAge, AllowOriginFunc: fn}).Handler(next)
	}
	chi := func(maxAge int, fn func(*http.Request, string) bool) http.Handler {
		return chicors.Handler(chicors.Options{AllowedOrigins: []string{listed}, MaxAge: maxAge, AllowOriginFunc: fn})(next)
	}
	never := func(string) bool { return false }
	tests := []struct {
		name    string
		h       http.Handler
		maxAge  []string // the Access-Control-Max-Age values of the preflight's answer
		allowed bool     // the listed origin is allowed
	}{
		{"rs/cors: MaxAge 0 sends none", rs(0, nil), nil, true},
		{"rs/cors: a negative MaxAge sends 0", rs(-1, nil), []string{"0"}, true},
		{"go-chi/cors: MaxAge 0 sends none", chi(0, nil), nil, true},
		{"go-chi/cors: a negative MaxAge sends none", chi(-1, nil), nil, true},
		{"rs/cors: AllowOriginFunc set, the list is ignored", rs(0, never), nil, false},
		{"go-chi/cors: AllowOriginFunc set, the list is ignored", chi(0, func(*http.Request, string) bool { return false }), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodOptions, "http://api.example.net/", nil)
			r.Header.Set("Origin", listed)
			r.Header.Set("Access-Control-Request-Method", http.MethodPost)
			w := httptest.NewRecorder()
			tt.h.ServeHTTP(w, r)
			if tt.allowed {
				assert.Equal(t, tt.maxAge, w.Header().Values("Access-Control-Max-Age"))
			}
			assert.Equal(t, tt.allowed, w.Header().Get("Access-Control-Allow-Origin") == listed)
		})
	}
}
