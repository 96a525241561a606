// Command h2c serves HTTP/2 without TLS (h2c) behind the CORS middleware,
// for servers behind a proxy that speaks h2c to them.
//
// With net/http's own unencrypted HTTP/2 (Go 1.24+: http.Server.Protocols
// with SetUnencryptedHTTP2(true)), the middleware wraps the mux as for any
// server, and every HTTP/2 stream goes through it. That server takes
// prior-knowledge connections; a request with "Upgrade: h2c" is answered
// over HTTP/1.1.
//
// Code still on golang.org/x/net/http2/h2c, which x/net now deprecates in
// favour of Protocols, must put the middleware inside h2c's handler:
//
//	h2c.NewHandler(m.Handler(mux), &http2.Server{})
//
// h2c serves an upgraded or prior-knowledge connection itself and calls the
// handler it wraps for each stream. Wrapped the other way,
// m.Handler(h2c.NewHandler(mux, h2s)), the middleware sees only the
// connection's first request, and every stream after it goes straight to
// mux: no CORS headers, preflights answered 405 by the mux, and a panic
// resets the stream instead of becoming a readable 500. HTTP/1.1 requests to
// the same server still get the headers, which hides the mistake.
package main

import (
	"encoding/json"
	"log"
	"net/http"

	"github.com/corsguard/cors"
)

// newPolicy is the frontend's policy.
func newPolicy() (*cors.Middleware, error) {
	return cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodGet, http.MethodPut},
		AllowedHeaders: []string{"Content-Type"},
	})
}

// newMux holds the application's routes.
func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode([]string{"apple", "pear"})
	})
	mux.HandleFunc("PUT /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// newServer serves h over HTTP/1.1 and unencrypted HTTP/2 on addr.
func newServer(addr string, h http.Handler) *http.Server {
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	return &http.Server{Addr: addr, Handler: h, Protocols: protocols}
}

func main() {
	m, err := newPolicy()
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(newServer("127.0.0.1:8080", m.Handler(newMux())).ListenAndServe())
}
