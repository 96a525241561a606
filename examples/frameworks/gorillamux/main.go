// Command gorillamux puts the CORS middleware in front of a
// github.com/gorilla/mux router.
//
// Wrap the router (m.Handler(router)); do not hand the middleware to
// router.Use. gorilla runs Use middlewares only after a route matched, and a
// route restricted with .Methods("GET", ...) does not match a preflight
// (OPTIONS): gorilla answers 405 itself and the middleware never runs. Adding
// OPTIONS to every route's Methods would work but is easy to forget;
// wrapping needs nothing per route.
package main

import (
	"encoding/json"
	"log"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/corsguard/cors"
)

// newRouter holds the application's routes.
func newRouter() *mux.Router {
	r := mux.NewRouter()
	r.HandleFunc("/api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"id": mux.Vars(r)["id"]})
	}).Methods(http.MethodGet)
	r.HandleFunc("/api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}).Methods(http.MethodPatch)
	return r
}

// newHandler wraps router in the CORS policy of the frontend.
func newHandler(router *mux.Router) (http.Handler, error) {
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodGet, http.MethodPatch},
		AllowedHeaders: []string{"Content-Type"},
	})
	if err != nil {
		return nil, err
	}
	return m.Handler(router), nil
}

func main() {
	h, err := newHandler(newRouter())
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", h))
}
