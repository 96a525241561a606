// Command twopolicies serves a public API open to every origin and a
// credentialed API for the frontend from one server, each under its own
// CORS policy.
//
// Each policy must see its subtree's preflights before any mux that routes
// by method does. An outer mux routes by path prefix only ("/api/",
// "/public/"), hands each subtree to its policy's middleware, and the method
// patterns ("GET /api/items") live in the inner muxes behind it.
//
// The pitfall: wrapping a method pattern's handler,
// mux.Handle("GET /api/items", m.Handler(h)), puts the middleware behind the
// router. A preflight is an OPTIONS request, which "GET /api/items" does not
// match, so the mux answers it with 405 and no CORS headers before the
// middleware runs, and the browser reports a CORS error.
package main

import (
	"encoding/json"
	"log"
	"net/http"

	"github.com/corsguard/cors"
)

// newHandler routes each subtree through its own policy.
func newHandler() (http.Handler, error) {
	public, err := cors.New(cors.Options{
		AllowedOrigins: []string{"*"}, // no credentials: "*" is refused with them
	})
	if err != nil {
		return nil, err
	}
	private, err := cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com"},
		AllowedMethods:   []string{http.MethodGet, http.MethodDelete},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux() // prefixes only: a method pattern here would answer preflights
	mux.Handle("/public/", public.Handler(publicRoutes()))
	mux.Handle("/api/", private.Handler(apiRoutes()))
	return mux, nil
}

// publicRoutes is the open API: data any site may show.
func publicRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /public/items", writeJSON([]string{"apple", "pear"}))
	mux.HandleFunc("POST /public/search", writeJSON([]string{"pear"}))
	return mux
}

// apiRoutes is the frontend's API, called with the user's cookies.
func apiRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/items", writeJSON([]string{"apple", "pear", "the user's own plum"}))
	mux.HandleFunc("DELETE /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

func writeJSON(v any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
}

func main() {
	h, err := newHandler()
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", h))
}
