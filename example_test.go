package cors_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
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

// A preflight for a method the policy does not allow is answered with what is
// allowed, so the browser names the method instead of reporting a missing
// Access-Control-Allow-Origin.
func ExampleMiddleware_Handler_refusedMethod() {
	m, err := cors.New(cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{http.MethodPut}})
	if err != nil {
		log.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodOptions, "/api/items/1", nil)
	r.Header.Set("Origin", "https://app.example.com")
	r.Header.Set("Access-Control-Request-Method", "PURGE")
	w := httptest.NewRecorder()
	m.Handler(http.NotFoundHandler()).ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Access-Control-Allow-Origin"))
	fmt.Println(w.Header().Get("Access-Control-Allow-Methods"))
	// Output:
	// 204 https://app.example.com
	// GET,HEAD,POST,PUT
}

// OnRefused counts refusals by kind, for a metric and an alert; the
// Prometheus version is in examples/frameworks/metrics. Never label by
// Refusal.Value: clients choose it.
func ExampleOptions_onRefused() {
	var refused [cors.RouteAmbiguous + 1]atomic.Int64
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		OnRefused: func(r *http.Request, why cors.Refusal) {
			refused[why.Kind].Add(1)
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Origin", "https://evil.example")
	m.Handler(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), r)
	fmt.Println(cors.OriginRefused, refused[cors.OriginRefused].Load())
	// Output: origin_refused 1
}

// LookupOrigin allows origins kept in a database, such as customers' own
// domains. It is called on requests, so it answers from a snapshot in
// memory, swapped whole when the table changes, never with a query per
// request.
func ExampleOptions_lookupOrigin() {
	var tenants atomic.Pointer[map[string]bool]
	reload := func() { // at startup, then on a timer or a change notification
		fromDB := map[string]bool{"https://shop.customer.example": true} // SELECT origin FROM tenants
		tenants.Store(&fromDB)
	}
	reload()

	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		// With credentials, any tenant can read the data of any logged-in
		// user: see LookupOrigin's doc for the safer shapes.
		AllowCredentials: true,
		LookupOrigin: func(ctx context.Context, origin string) (bool, error) {
			return (*tenants.Load())[origin], nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.AllowsOrigin("https://shop.customer.example"), m.AllowsOrigin("https://evil.example"))
	// Output: true false
}

// Browsers apply no CORS to WebSocket handshakes, which carry cookies:
// CheckOrigin applies the same allow-list. It has the shape of
// gorilla/websocket's Upgrader.CheckOrigin; examples/frameworks/websocket
// uses it.
func ExampleMiddleware_CheckOrigin() {
	m, err := cors.New(cors.Options{AllowedOrigins: []string{"https://app.example.com"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, origin := range []string{"https://app.example.com", "https://evil.example", ""} {
		r := httptest.NewRequest(http.MethodGet, "/ws", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		fmt.Printf("%q %v\n", origin, m.CheckOrigin(r))
	}
	// Output:
	// "https://app.example.com" true
	// "https://evil.example" false
	// "" true
}
