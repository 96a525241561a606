package cors_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/corsguard/cors"
)

// NewRoutes gives each part of a site its own policy: the frontend reads
// /api/ with credentials, anyone reads /public/, and /webhooks/, listed
// nowhere, allows no origin. The router needs no OPTIONS route: Routes
// answers preflights before it runs.
func ExampleNewRoutes() {
	api, err := cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com"},
		AllowedMethods:   []string{http.MethodPut},
		AllowCredentials: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	public, err := cors.New(cors.Options{AllowedOrigins: []string{"*"}})
	if err != nil {
		log.Fatal(err)
	}
	routes, err := cors.NewRoutes(map[string]*cors.Middleware{"/api/": api, "/public/": public})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("GET /public/", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("POST /webhooks/", func(w http.ResponseWriter, r *http.Request) {})
	handler := routes.Handler(mux) // outermost, as a single Middleware

	for _, req := range []struct{ method, path string }{
		{http.MethodOptions, "/api/items/1"},
		{http.MethodPut, "/api/items/1"},
		{http.MethodGet, "/public/logo.png"},
		{http.MethodPost, "/webhooks/stripe"},
	} {
		r := httptest.NewRequest(req.method, req.path, nil)
		r.Header.Set("Origin", "https://app.example.com")
		if req.method == http.MethodOptions {
			r.Header.Set("Access-Control-Request-Method", http.MethodPut)
		}
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		fmt.Printf("%s %s: %d %q\n", req.method, req.path, w.Code, w.Header().Get("Access-Control-Allow-Origin"))
	}
	// Output:
	// OPTIONS /api/items/1: 204 "https://app.example.com"
	// PUT /api/items/1: 200 "https://app.example.com"
	// GET /public/logo.png: 200 "*"
	// POST /webhooks/stripe: 200 ""
}
