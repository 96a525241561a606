// Command servemux puts the CORS middleware in front of a Go 1.22+
// http.ServeMux that routes by method.
//
// The middleware must wrap the mux, not sit inside a route: a pattern such
// as "GET /api/items" makes the mux answer any other method on that path,
// OPTIONS included, with 405 Method Not Allowed before a handler runs. A
// browser's preflight is an OPTIONS request, so only a middleware that sees
// the request before the mux can answer it.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"time"

	"github.com/corsguard/cors"
)

// newMux holds the application's routes.
func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode([]string{"apple", "pear"})
	})
	mux.HandleFunc("DELETE /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// newHandler wraps mux in the CORS policy of the frontend.
func newHandler(mux *http.ServeMux) (http.Handler, error) {
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodGet, http.MethodDelete},
		AllowedHeaders: []string{"Authorization"},
		MaxAge:         time.Hour,
	})
	if err != nil {
		return nil, err
	}
	return m.Handler(mux), nil
}

func main() {
	h, err := newHandler(newMux())
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", h))
}
