// Command csrf pairs the CORS middleware with Go 1.25's
// http.CrossOriginProtection, built from the same list of origins.
//
// CORS decides which cross-origin scripts may read responses; it does not
// stop a foreign page from sending a form POST or a no-cors fetch, which
// change state without reading anything. CrossOriginProtection refuses such
// unsafe requests (403) unless they come from the same origin or from a
// trusted one. m.CrossOriginProtection() trusts the exact origins the CORS
// policy allows, so the two never disagree about the frontend. (It cannot
// trust "*" or "https://*.example.com" patterns: list exact origins for the
// frontends that write.)
//
// CORS goes outside: it answers preflights before the protection looks at
// anything, and its Vary: Origin reaches the protection's 403s as well.
package main

import (
	"log"
	"net/http"

	"github.com/corsguard/cors"
)

// newHandler builds the application behind both policies.
func newHandler() (http.Handler, error) {
	m, err := cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com"},
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/cart", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"items":[]}`))
	})
	mux.HandleFunc("POST /api/cart", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})
	return m.Handler(m.CrossOriginProtection().Handler(mux)), nil
}

func main() {
	h, err := newHandler()
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", h))
}
