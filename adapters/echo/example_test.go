package corsecho_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/corsguard/cors"
	corsecho "github.com/corsguard/cors/adapters/echo"
)

// The adapter answers the preflight itself; the actual request goes on to
// the route with its CORS headers set. Registered first, it also puts them
// on the 500 that echo writes after middleware.Recover caught a panic.
func Example() {
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodPut},
	})
	if err != nil {
		log.Fatal(err)
	}
	e := echo.New()
	e.Use(corsecho.Middleware(m), middleware.Recover())
	e.PUT("/api/items/:id", func(c *echo.Context) error { return c.String(http.StatusOK, "saved") })

	for _, method := range []string{http.MethodOptions, http.MethodPut} {
		req := httptest.NewRequest(method, "/api/items/1", nil)
		req.Header.Set("Origin", "https://app.example.com")
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", http.MethodPut)
		}
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		fmt.Printf("%s %d %s %q\n", method, w.Code, w.Header().Get("Access-Control-Allow-Origin"), w.Body)
	}
	// Output:
	// OPTIONS 204 https://app.example.com ""
	// PUT 200 https://app.example.com "saved"
}
