package main

import (
	"context"
	"net/http"

	rscors "github.com/rs/cors"
)

// The policy matches the micro-benchmarks' (../scenarios_test.go).
const (
	allowedOrigin    = "https://app.example.com"
	requestedHeaders = "content-type,x-api-key"
	maxAgeSeconds    = 600
)

var (
	allowedMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut}
	allowedHeaders = []string{"Content-Type", "X-Api-Key"}
	exposedHeaders = []string{"X-Request-Id"}
)

// requestKind is one request shape the load is made of.
type requestKind struct {
	name      string
	preflight bool
}

var kinds = []requestKind{{name: "actual (GET, allowed origin)"}, {name: "preflight (PUT, 2 headers)", preflight: true}}

func (k requestKind) newReq(url string) func(context.Context) *http.Request {
	return func(ctx context.Context) *http.Request {
		method := http.MethodGet
		if k.preflight {
			method = http.MethodOptions
		}
		req, err := http.NewRequestWithContext(ctx, method, url, nil)
		if err != nil {
			panic(err) // the URL is ours: cannot happen
		}
		req.Header.Set("Origin", allowedOrigin)
		if k.preflight {
			req.Header.Set("Access-Control-Request-Method", http.MethodPut)
			req.Header.Set("Access-Control-Request-Headers", requestedHeaders)
		}
		return req
	}
}

func rsCors(next http.Handler) http.Handler {
	return rscors.New(rscors.Options{
		AllowedOrigins:   []string{allowedOrigin},
		AllowedMethods:   allowedMethods,
		AllowedHeaders:   allowedHeaders,
		ExposedHeaders:   exposedHeaders,
		AllowCredentials: true,
		MaxAge:           maxAgeSeconds,
	}).Handler(next)
}
