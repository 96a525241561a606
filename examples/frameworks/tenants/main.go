// Command tenants allows the origins of customers' own domains, which live in
// a PostgreSQL table and change while the server runs.
//
// Options.LookupOrigin is asked about every origin the static list misses,
// on the request's path, so it answers from memory: a snapshot of the
// tenants table (tenants.go) that a reload swaps whole, never a query per
// request. The snapshot loads at start, reloads when the table's trigger
// sends a notification (LISTEN/NOTIFY, pgstore.go) and on a timer in case a
// notification is lost, and a reload that fails keeps the last good one.
// Until the first load succeeds every tenant origin is refused (the
// lookup's error fails closed).
//
// Credentials: newHandler trusts tenant origins with the user's cookies.
// That means any tenant can read the data of any user logged in to the API:
// a script on a tenant's page calls the API with whatever session the
// visitor's browser holds, and reads the answer. Do that only if every tenant
// may see every user's data. safer.go shows the shape to prefer: tenant
// origins under a second policy without credentials, or per-tenant sessions.
//
// Run it with DATABASE_URL set; apply schema.sql first, with -migrate.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/corsguard/cors"
)

// newHandler serves the API, with the user's cookies, to the company's own
// frontend and to every tenant origin in the snapshot. See the package
// comment before you copy it.
func newHandler(tenants *tenantOrigins) (http.Handler, error) {
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"}, // the company's own frontend
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type"},
		// With LookupOrigin below, every tenant's scripts read the
		// responses of every logged-in user: see the package comment.
		AllowCredentials: true,
		LookupOrigin:     tenants.Lookup,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/orders", writeJSON([]string{"order-1", "order-2"}))
	mux.HandleFunc("POST /api/orders", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})
	return m.Handler(mux), nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to serve on")
	apply := flag.Bool("migrate", false, "apply schema.sql to DATABASE_URL and exit")
	flag.Parse()
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		log.Fatal(errors.New("DATABASE_URL is not set (for example postgres://app@127.0.0.1:5432/app)"))
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url) // connects lazily: a database down at start is no error here
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	if *apply {
		if err := migrate(ctx, pool); err != nil {
			log.Fatal(err)
		}
		return
	}

	store := newPGStore(pool)
	tenants := &tenantOrigins{store: store}
	changed := make(chan struct{}, 1)
	go store.Listen(ctx, changed, log.Printf)
	go tenants.Run(ctx, time.Minute, changed, log.Printf)

	h, err := newHandler(tenants)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(*addr, h))
}
