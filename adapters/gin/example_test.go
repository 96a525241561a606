package corsgin_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"

	"github.com/corsguard/cors"
	corsgin "github.com/corsguard/cors/adapters/gin"
)

// The adapter answers the preflight itself; the actual request goes on to
// the route with its CORS headers set. Registered first, it also puts them
// on the 500 that gin.Recovery writes after a panic.
func Example() {
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodPut},
	})
	if err != nil {
		log.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode) // gin's debug mode lists the routes on standard output
	r := gin.New()
	r.Use(corsgin.Middleware(m), gin.Recovery())
	r.PUT("/api/items/:id", func(c *gin.Context) { c.String(http.StatusOK, "saved") })

	for _, method := range []string{http.MethodOptions, http.MethodPut} {
		req := httptest.NewRequest(method, "/api/items/1", nil)
		req.Header.Set("Origin", "https://app.example.com")
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", http.MethodPut)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		fmt.Printf("%s %d %s %q\n", method, w.Code, w.Header().Get("Access-Control-Allow-Origin"), w.Body)
	}
	// Output:
	// OPTIONS 204 https://app.example.com ""
	// PUT 200 https://app.example.com "saved"
}
