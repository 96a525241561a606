// Command twopolicies serves a public API open to every origin, a
// credentialed API for the frontend and webhooks for no browser at all from
// one server, each part under its own CORS policy.
//
// cors.NewRoutes maps ServeMux patterns without a method ("/api/",
// "/public/") to policies and goes outermost, so each part's preflights get
// its policy before the router, whose method patterns ("GET /api/items")
// would answer an OPTIONS request 405. "/webhooks/" is listed nowhere, so no
// origin is allowed there.
//
// frameworks.go serves the same site on chi, gin and echo.
//
// The pitfall Routes avoids: wrapping a method pattern's handler,
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

// newRoutes chooses each part's policy: "/api/" for the frontend, with
// credentials; "/public/" for any site; "/webhooks/" listed nowhere, so no
// origin is allowed there. The same Routes serves the net/http, chi, gin and
// echo versions of the server (frameworks.go).
func newRoutes() (*cors.Routes, error) {
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
	return cors.NewRoutes(map[string]*cors.Middleware{"/public/": public, "/api/": private})
}

// newHandler puts the policies in front of net/http's ServeMux, which routes
// by method.
func newHandler() (http.Handler, error) {
	routes, err := newRoutes()
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/public/", publicRoutes())
	mux.Handle("/api/", apiRoutes())
	mux.HandleFunc("POST /webhooks/payments", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})
	return routes.Handler(mux), nil
}

// publicRoutes is the open API: data any site may show.
func publicRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /public/items", writeJSON(publicItems))
	mux.HandleFunc("POST /public/search", writeJSON([]string{"pear"}))
	return mux
}

// apiRoutes is the frontend's API, called with the user's cookies.
func apiRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/items", writeJSON(items))
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
