package cors_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/corsguard/cors"
)

// New validates the policy once, at startup; the Middleware then wraps the
// whole router.
func ExampleNew() {
	m, err := cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com", "http://localhost:3000"},
		AllowedMethods:   []string{http.MethodPut, http.MethodDelete},
		AllowedHeaders:   []string{"Content-Type", "Authorization"},
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: true,
		MaxAge:           time.Hour,
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/items", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, `["apple"]`)
	})
	handler := m.Handler(mux) // outermost, so preflights and every response go through it

	r := httptest.NewRequest(http.MethodGet, "/api/items", nil)
	r.Header.Set("Origin", "https://app.example.com")
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Vary"))
	// Output: 200 https://app.example.com Origin
}

// A preflight is answered by the middleware; the handler never sees it.
func ExampleMiddleware_Handler() {
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodPut},
		AllowedHeaders: []string{"Content-Type"},
	})
	if err != nil {
		log.Fatal(err)
	}
	handler := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("never reached by a preflight")
	}))

	r := httptest.NewRequest(http.MethodOptions, "/api/items/1", nil)
	r.Header.Set("Origin", "https://app.example.com")
	r.Header.Set("Access-Control-Request-Method", "PUT")
	r.Header.Set("Access-Control-Request-Headers", "content-type")
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	fmt.Println(w.Code)
	fmt.Println(w.Header().Get("Access-Control-Allow-Methods"), w.Header().Get("Access-Control-Allow-Headers"))
	fmt.Println(w.Header().Get("Access-Control-Max-Age"))
	// Output:
	// 204
	// PUT content-type
	// 600
}

// A handler that panics still answers a 500 that the page's script can read,
// instead of a connection reset that the browser reports as a CORS error.
func ExampleMiddleware_Handler_panic() {
	m, err := cors.New(cors.Options{AllowedOrigins: []string{"https://app.example.com"}})
	if err != nil {
		log.Fatal(err)
	}
	handler := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var user *struct{ Name string }
		fmt.Fprintln(w, user.Name) // nil pointer dereference
	}))
	srv := httptest.NewServer(handler)
	defer srv.Close()

	r, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	r.Header.Set("Origin", "https://app.example.com")
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		log.Fatal(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	// Output: 500 https://app.example.com
}

// FromEnv reads the policy from CORS_ALLOWED_ORIGINS and friends, so one
// binary serves every environment; a mistake stops the program at startup.
func ExampleFromEnv() {
	os.Setenv("CORS_ALLOWED_ORIGINS", "https://app.example.com, http://localhost:3000")
	os.Setenv("CORS_MAX_AGE", "2h")
	defer os.Unsetenv("CORS_ALLOWED_ORIGINS")
	defer os.Unsetenv("CORS_MAX_AGE")

	opts, err := cors.FromEnv("CORS")
	if err != nil {
		log.Fatal(err)
	}
	m, err := cors.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	_ = m
	fmt.Println(opts.AllowedOrigins, opts.MaxAge)
	// Output: [https://app.example.com http://localhost:3000] 2h0m0s
}

// Every problem is reported at once, each with what to write instead, and
// each inspectable with errors.Is and errors.As.
func ExampleConfigError() {
	_, err := cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com/", "*"},
		AllowCredentials: true,
	})
	fmt.Println(errors.Is(err, cors.ErrWildcardWithCredentials))
	var ce *cors.ConfigError
	if errors.As(err, &ce) {
		fmt.Printf("%s %q %q\n", ce.Field, ce.Value, ce.Fix)
	}
	fmt.Println(err)
	// Output:
	// true
	// AllowedOrigins "*" ""
	// AllowedOrigins: "*" allows every origin, so the other entries mean nothing; list "*" alone or only the origins
	// AllowedOrigins: "*" cannot go with AllowCredentials: browsers refuse "*" on credentialed requests, and allowing every origin with credentials would let any site read your users' data; list the origins instead
	// AllowedOrigins: "https://app.example.com/" has a trailing slash; use "https://app.example.com"
}

// Reconfigure swaps the policy while the server runs; an invalid policy is
// refused and the old one stays.
func ExampleMiddleware_Reconfigure() {
	m, err := cors.New(cors.Options{AllowedOrigins: []string{"https://app.example.com"}})
	if err != nil {
		log.Fatal(err)
	}
	err = m.Reconfigure(cors.Options{AllowedOrigins: []string{"https://app.example.com", "https://admin.example.com"}})
	fmt.Println(err)
	err = m.Reconfigure(cors.Options{AllowedOrigins: []string{"admin.example.com"}})
	fmt.Println(err)
	// Output:
	// <nil>
	// AllowedOrigins: "admin.example.com" has no scheme; origins start with "https://" or "http://"; use "https://admin.example.com"
}

// Apply serves frameworks whose middleware is not func(http.Handler)
// http.Handler: it answers preflights and tells the caller to stop, or sets
// the headers and lets the request go on.
func ExampleMiddleware_Apply() {
	m, err := cors.New(cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"PUT"}})
	if err != nil {
		log.Fatal(err)
	}
	frameworkMiddleware := func(w http.ResponseWriter, r *http.Request, next func()) {
		if m.Apply(w, r) {
			return // a preflight, answered
		}
		next()
	}

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Origin", "https://app.example.com")
	w := httptest.NewRecorder()
	frameworkMiddleware(w, r, func() { fmt.Fprint(w, "handled") })
	fmt.Println(w.Header().Get("Access-Control-Allow-Origin"), w.Body.String())
	// Output: https://app.example.com handled
}
