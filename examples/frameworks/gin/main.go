// Command gin puts the CORS middleware on a github.com/gin-gonic/gin engine
// through the adapter github.com/corsguard/cors/adapters/gin.
package main

import (
	"log"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/corsguard/cors"
	corsgin "github.com/corsguard/cors/adapters/gin"
)

// newPolicy builds the CORS policy of the frontend.
func newPolicy() (*cors.Middleware, error) {
	return cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type"},
	})
}

// newEngine builds the application's routes behind m.
func newEngine(m *cors.Middleware) *gin.Engine {
	r := gin.New()
	r.Use(gin.Logger(), corsgin.Middleware(m), gin.Recovery()) // CORS ahead of anything that answers
	r.GET("/api/items", func(c *gin.Context) {
		c.JSON(http.StatusOK, []string{"apple", "pear"})
	})
	r.POST("/api/items", func(c *gin.Context) {
		c.Status(http.StatusCreated)
	})
	return r
}

func main() {
	m, err := newPolicy()
	if err != nil {
		log.Fatal(err)
	}
	r := newEngine(m)
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", r))
}
