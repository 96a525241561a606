package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/labstack/echo/v5"
	echomiddleware "github.com/labstack/echo/v5/middleware"

	corsecho "github.com/corsguard/cors/adapters/echo"
	corsgin "github.com/corsguard/cors/adapters/gin"
)

// The same site on chi, gin and echo. In each, Routes goes where the
// framework runs middleware for every request, 404s and 405s included (chi's
// r.Use, the engine's Use in gin and echo), never on a group: the router
// answers a preflight to a route without an OPTIONS handler before a group's
// middleware runs. Routes then gives each part its own policy.

var (
	items       = []string{"apple", "pear", "the user's own plum"}
	publicItems = []string{"apple", "pear"}
)

func newChiHandler() (http.Handler, error) {
	routes, err := newRoutes()
	if err != nil {
		return nil, err
	}
	r := chi.NewRouter()
	r.Use(routes.Handler, middleware.Recoverer)
	r.Get("/api/items", writeJSON(items))
	r.Delete("/api/items/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	r.Get("/public/items", writeJSON(publicItems))
	r.Post("/public/search", writeJSON([]string{"pear"}))
	r.Post("/webhooks/payments", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	return r, nil
}

func newGinHandler() (http.Handler, error) {
	routes, err := newRoutes()
	if err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true // 405 for a method a path lacks, as the other routers answer
	r.Use(corsgin.Middleware(routes), gin.Recovery())
	api := r.Group("/api")
	api.GET("/items", func(c *gin.Context) { c.JSON(http.StatusOK, items) })
	api.DELETE("/items/:id", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	public := r.Group("/public")
	public.GET("/items", func(c *gin.Context) { c.JSON(http.StatusOK, publicItems) })
	public.POST("/search", func(c *gin.Context) { c.JSON(http.StatusOK, []string{"pear"}) })
	r.POST("/webhooks/payments", func(c *gin.Context) { c.Status(http.StatusAccepted) })
	return r, nil
}

func newEchoHandler() (http.Handler, error) {
	routes, err := newRoutes()
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.Use(corsecho.Middleware(routes), echomiddleware.Recover())
	api := e.Group("/api")
	api.GET("/items", func(c *echo.Context) error { return c.JSON(http.StatusOK, items) })
	api.DELETE("/items/:id", func(c *echo.Context) error { return c.NoContent(http.StatusNoContent) })
	public := e.Group("/public")
	public.GET("/items", func(c *echo.Context) error { return c.JSON(http.StatusOK, publicItems) })
	public.POST("/search", func(c *echo.Context) error { return c.JSON(http.StatusOK, []string{"pear"}) })
	e.POST("/webhooks/payments", func(c *echo.Context) error { return c.NoContent(http.StatusAccepted) })
	return e, nil
}
