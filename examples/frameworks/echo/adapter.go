package main

import (
	"github.com/labstack/echo/v5"

	"github.com/corsguard/cors"
)

// Echo adapts m to an echo middleware. Copy it into your project as is.
//
// A preflight is answered by m (204 or 403) and the chain stops there; any
// other request gets its CORS headers on the way in and goes on. Register it
// with Use, ahead of every middleware that may answer on its own:
//
//	e := echo.New()
//	e.Use(Echo(m), middleware.Recover(), requireToken)
//
// Then the 401 of an auth check, the 429 of a rate limiter and the 500 that
// echo writes after middleware.Recover() caught a panic all carry the
// headers, and the frontend reads the status instead of a CORS error. A
// middleware registered before it that answers (returns an error) leaves
// that answer without CORS headers. Echo runs Use middlewares for unmatched
// routes too, so a preflight to a route without an OPTIONS handler reaches
// the middleware.
func Echo(m *cors.Middleware) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if m.Apply(c.Response(), c.Request()) {
				return nil
			}
			return next(c)
		}
	}
}
