package bench

import (
	"net/http"
	"testing"

	chicors "github.com/go-chi/cors"
	"github.com/gorilla/handlers"
	rscors "github.com/rs/cors"
)

// library wraps a handler in one CORS middleware configured with the shared
// policy (scenarios_test.go) and the given allowed origins.
type library struct {
	name string
	wrap func(tb testing.TB, origins []string, next http.Handler) http.Handler
	// wrappedOnly: it answers no preflight, so it runs only the scenarios
	// of requests that are not preflights (the floor).
	wrappedOnly bool
}

// libraries lists the contenders, in the column order benchstat shows.
// "bare" is the handler alone, what every middleware adds to; "floor" is the
// least that corsguard's guarantee costs on the paths it wraps (floor_test.go).
func libraries() []library {
	return []library{
		{name: "bare", wrap: func(_ testing.TB, _ []string, next http.Handler) http.Handler { return next }},
		{name: "corsguard", wrap: wrapCorsguard},
		{name: "floor", wrap: wrapFloor, wrappedOnly: true},
		{name: "rs-cors", wrap: wrapRsCors},
		{name: "go-chi-cors", wrap: wrapChiCors},
		{name: "gorilla-handlers", wrap: wrapGorilla},
	}
}

func wrapRsCors(_ testing.TB, origins []string, next http.Handler) http.Handler {
	return rscors.New(rscors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   allowedMethods,
		AllowedHeaders:   allowedHeaders,
		ExposedHeaders:   exposedHeaders,
		AllowCredentials: true,
		MaxAge:           maxAgeSeconds,
	}).Handler(next)
}

func wrapChiCors(_ testing.TB, origins []string, next http.Handler) http.Handler {
	return chicors.New(chicors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   allowedMethods,
		AllowedHeaders:   allowedHeaders,
		ExposedHeaders:   exposedHeaders,
		AllowCredentials: true,
		MaxAge:           maxAgeSeconds,
	}).Handler(next)
}

func wrapGorilla(_ testing.TB, origins []string, next http.Handler) http.Handler {
	return handlers.CORS(
		handlers.AllowedOrigins(origins),
		handlers.AllowedMethods(allowedMethods),
		handlers.AllowedHeaders(allowedHeaders),
		handlers.ExposedHeaders(exposedHeaders),
		handlers.AllowCredentials(),
		handlers.MaxAge(maxAgeSeconds),
	)(next)
}
