package main

import (
	"encoding/json"
	"net/http"

	"github.com/corsguard/cors"
)

// newSaferHandler is the shape to prefer over newHandler: the user's cookies
// reach only the company's own frontend, and tenant origins get a second
// policy without credentials. A tenant's scripts can then read only what
// they authenticate for themselves, with a token scoped to that tenant in
// Authorization, which browsers never send on their own; a cookie the
// browser attaches anyway yields a response the script cannot read.
//
// The other safe shape keeps credentials but gives each tenant its own
// sessions: a session belongs to one tenant, and the API answers a
// tenant's origin only with that tenant's sessions.
func newSaferHandler(tenants *tenantOrigins) (http.Handler, error) {
	frontend, err := cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com"},
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
	})
	if err != nil {
		return nil, err
	}
	tenantAPI, err := cors.New(cors.Options{
		LookupOrigin:   tenants.Lookup, // no AllowCredentials
		AllowedMethods: []string{http.MethodGet},
		AllowedHeaders: []string{"Authorization"},
	})
	if err != nil {
		return nil, err
	}
	api := http.NewServeMux()
	api.HandleFunc("GET /api/orders", writeJSON([]string{"order-1", "order-2"}))
	tenantRoutes := http.NewServeMux()
	tenantRoutes.HandleFunc("GET /tenant-api/orders", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" { // a real API checks the tenant's token
			http.Error(w, "missing token", http.StatusUnauthorized)
			return
		}
		writeJSON([]string{"the tenant's own order"})(w, r)
	})

	mux := http.NewServeMux() // prefixes only, so each policy sees its preflights
	mux.Handle("/api/", frontend.Handler(api))
	mux.Handle("/tenant-api/", tenantAPI.Handler(tenantRoutes))
	return mux, nil
}

func writeJSON(v any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
}
