// Command tenants allows, with credentials, the origins of customers' own
// domains, which live in a database and change while the server runs.
//
// Options.LookupOrigin is asked about every origin the static list misses,
// on the request's path, so it answers from memory: a snapshot of the
// tenants' origins (tenants.go) that a reload swaps whole, never a query per
// request. Requests read the snapshot without a lock; a reload that fails
// keeps the last good one; and until the first load succeeds the lookup
// fails, which refuses the origin (the middleware fails closed).
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"time"

	"github.com/corsguard/cors"
)

// newHandler serves the API to the company's own frontend and to every
// tenant origin in the snapshot.
func newHandler(tenants *tenantOrigins) (http.Handler, error) {
	m, err := cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com"}, // the company's own frontend
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   []string{"Content-Type"},
		AllowCredentials: true,
		LookupOrigin:     tenants.Lookup,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/orders", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode([]string{"order-1", "order-2"})
	})
	mux.HandleFunc("POST /api/orders", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})
	return m.Handler(mux), nil
}

func main() {
	store := newMemStore("https://shop.customer-one.example", "https://store.customer-two.example")
	tenants := &tenantOrigins{store: store}
	ctx := context.Background()
	if err := tenants.Reload(ctx); err != nil {
		log.Fatal(err)
	}
	// Also call tenants.Reload right after the table changes, or on a
	// change notification, so a new tenant need not wait for the timer.
	go tenants.ReloadEvery(ctx, 30*time.Second, log.Printf)

	h, err := newHandler(tenants)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", h))
}
