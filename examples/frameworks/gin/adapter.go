package main

import (
	"github.com/gin-gonic/gin"

	"github.com/corsguard/cors"
)

// Gin adapts m to a gin middleware. Copy it into your project as is.
//
// A preflight is answered by m (204 or 403) and the chain stops there; any
// other request gets its CORS headers on the way in and goes on. Register it
// with the engine's Use, ahead of every middleware that may answer on its own:
//
//	r := gin.New()
//	r.Use(gin.Logger(), Gin(m), gin.Recovery(), requireToken)
//
// Then the 401 of an auth check, the 429 of a rate limiter and the 500 that
// gin.Recovery() writes after a panic all carry the headers, and the
// frontend reads the status instead of a CORS error. A middleware registered
// before it that answers (aborts) leaves that answer without CORS headers.
// Engine-level Use also covers gin's 404 answers, which is where a preflight
// to a route without an OPTIONS handler ends up.
func Gin(m *cors.Middleware) gin.HandlerFunc {
	return func(c *gin.Context) {
		if m.Apply(c.Writer, c.Request) {
			c.Abort()
			return
		}
		c.Next()
	}
}
