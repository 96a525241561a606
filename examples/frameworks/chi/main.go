// Command chi puts the CORS middleware on a github.com/go-chi/chi router.
//
// r.Use is the right place: chi runs the middlewares given to the root
// router's Use on every request before it routes, so a preflight (OPTIONS)
// to a route that only has Get is answered by the middleware, not by chi's
// 405. Put it first, ahead of any middleware that may answer on its own (an
// auth check's 401, a rate limiter's 429): answers written before it runs
// carry no CORS headers, and the frontend sees a CORS error instead of the
// status. A panic becomes a 500 with CORS headers either way: m.Handler
// recovers by itself, and Recoverer's 500 passes through it.
package main

import (
	"encoding/json"
	"log"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/corsguard/cors"
)

// newRouter builds the application's routes behind the CORS policy.
func newRouter() (*chi.Mux, error) {
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodGet, http.MethodPut},
		AllowedHeaders: []string{"Authorization", "Content-Type"},
		ExposedHeaders: []string{"ETag"},
	})
	if err != nil {
		return nil, err
	}
	r := chi.NewRouter()
	r.Use(m.Handler, middleware.Recoverer)
	r.Get("/api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"id": chi.URLParam(r, "id")})
	})
	r.Put("/api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	return r, nil
}

func main() {
	r, err := newRouter()
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", r))
}
