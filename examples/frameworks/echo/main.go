// Command echo puts the CORS middleware on a github.com/labstack/echo/v5
// server through the adapter github.com/corsguard/cors/adapters/echo.
package main

import (
	"log"
	"net/http"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/corsguard/cors"
	corsecho "github.com/corsguard/cors/adapters/echo"
)

// newPolicy builds the CORS policy of the frontend.
func newPolicy() (*cors.Middleware, error) {
	return cors.New(cors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type"},
	})
}

// newEcho builds the application's routes behind m.
func newEcho(m *cors.Middleware) *echo.Echo {
	e := echo.New()
	e.Use(corsecho.Middleware(m), middleware.Recover()) // CORS ahead of anything that answers
	e.GET("/api/items", func(c *echo.Context) error {
		return c.JSON(http.StatusOK, []string{"apple", "pear"})
	})
	e.POST("/api/items", func(c *echo.Context) error {
		return c.NoContent(http.StatusCreated)
	})
	return e
}

func main() {
	m, err := newPolicy()
	if err != nil {
		log.Fatal(err)
	}
	e := newEcho(m)
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", e))
}
