package corstest_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/corstest"
)

// api is an application behind the CORS middleware: the page at
// https://app.example.com may PUT JSON.
func api() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/items/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/crash") {
			panic("a nil map somewhere")
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodPut},
		AllowedHeaders: []string{"Content-Type"},
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		panic(err)
	}
	return m.Handler(mux)
}

func ExampleFetch() {
	r := httptest.NewRequest(http.MethodPut, "https://api.example.com/items/7", strings.NewReader(`{"name":"pen"}`))
	r.Header.Set("Content-Type", "application/json")

	res := corstest.Fetch(api(), "https://app.example.com", r)
	fmt.Println(res.Err)
	fmt.Println("preflight:", res.Preflight.StatusCode, res.Preflight.Header.Get("Access-Control-Allow-Methods"))
	fmt.Println("response:", res.Response.StatusCode)
	// Output:
	// <nil>
	// preflight: 204 PUT
	// response: 200
}

// A page on an origin the policy does not list gets nothing: its preflight is
// refused, and the request itself is never sent.
func ExampleFetch_refusedOrigin() {
	r := httptest.NewRequest(http.MethodPut, "https://api.example.com/items/7", strings.NewReader(`{}`))
	r.Header.Set("Content-Type", "application/json")

	res := corstest.Fetch(api(), "https://evil.example.net", r)
	fmt.Println(res.Err)
	fmt.Println("request sent:", res.Response != nil)
	// Output:
	// Access to fetch at 'https://api.example.com/items/7' from origin 'https://evil.example.net' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.
	// request sent: false
}

// With the middleware outermost, a handler's crash is a 500 the script can
// read, not a CORS error.
func ExampleFetch_panic() {
	r := httptest.NewRequest(http.MethodGet, "https://api.example.com/items/crash", nil)

	res := corstest.Fetch(api(), "https://app.example.com", r)
	fmt.Println(res.Err, res.Response.StatusCode)
	// Output:
	// <nil> 500
}

// An authentication check in front of the CORS middleware refuses the
// preflight, which never carries credentials: the classic "CORS error" that
// is really a middleware order problem.
func ExampleFetch_middlewareOrder() {
	requireToken := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				http.Error(w, "token required", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	r := httptest.NewRequest(http.MethodGet, "https://api.example.com/items/7", nil)
	r.Header.Set("Authorization", "Bearer t0ken")

	res := corstest.Fetch(requireToken(api()), "https://app.example.com", r)
	fmt.Println(res.Err)
	fmt.Println("preflight:", res.Preflight.StatusCode)
	// Output:
	// Access to fetch at 'https://api.example.com/items/7' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.
	// preflight: 401
}

// A hand-written middleware that answers "*" works until the page sends
// cookies.
func ExampleFetchWithCredentials() {
	star := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Credentials", "true")
	})
	r := httptest.NewRequest(http.MethodGet, "https://api.example.com/me", nil)
	r.Header.Set("Cookie", "session=s3cret")

	fmt.Println(corstest.Fetch(star, "https://app.example.com", r).Err)
	fmt.Println(corstest.FetchWithCredentials(star, "https://app.example.com", r).Err)
	// Output:
	// <nil>
	// Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.
}

func ExampleBlockedError() {
	// This handler lists the methods it allows, but not the one asked for.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Methods", "GET, PUT")
		w.Header().Set("Vary", "Origin")
		w.WriteHeader(http.StatusNoContent)
	})
	r := httptest.NewRequest("PURGE", "https://api.example.com/cache", nil)

	var blocked *corstest.BlockedError
	if errors.As(corstest.Fetch(h, "https://app.example.com", r).Err, &blocked) {
		fmt.Println("preflight:", blocked.Preflight)
		fmt.Println(blocked.Reason)
	}
	// Output:
	// preflight: true
	// Method PURGE is not allowed by Access-Control-Allow-Methods in preflight response.
}

// An adapter's author proves it keeps the library's guarantees in one test.
// Here the "framework" is a ServeMux behind Apply and a recovery; a gin or
// echo adapter registers each route with gin.WrapH or echo.WrapHandler
// instead.
func ExampleConformance() {
	serve := func(p corstest.Policy, routes []corstest.Route) http.Handler {
		mux := http.NewServeMux()
		for _, rt := range routes {
			mux.Handle(rt.Method+" "+rt.Path, rt.Handler)
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p.Apply(w, r) {
				return // a preflight, answered before the router
			}
			defer func() {
				if recover() != nil {
					http.Error(w, "internal error", http.StatusInternalServerError)
				}
			}()
			mux.ServeHTTP(w, r)
		})
	}
	// In a test: corstest.Conformance(t, serve)
	_ = serve
	fmt.Println("ok")
	// Output: ok
}
