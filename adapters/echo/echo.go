// Package corsecho applies a [cors.Middleware] policy, or a [cors.Routes]
// policy per part of the site, to an echo server
// (github.com/labstack/echo/v5).
//
// Register [Middleware] with the server's Use, ahead of every middleware that
// may answer on its own (authentication, rate limits, [middleware.Recover]):
//
//	e := echo.New()
//	e.Use(corsecho.Middleware(m), middleware.Recover(), requireToken)
//
// Then the 401 of an auth check, the 429 of a rate limiter and the 500 that
// echo writes after middleware.Recover caught a panic carry the CORS headers,
// and the page's script reads the status instead of a CORS error.
//
// [middleware.Recover]: https://pkg.go.dev/github.com/labstack/echo/v5/middleware#Recover
package corsecho

import (
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/corsguard/cors"
)

// Policy is what [Middleware] applies: a [*cors.Middleware] for one policy
// across the server, or a [*cors.Routes] for one per part of the site.
type Policy interface {
	Apply(w http.ResponseWriter, r *http.Request) (answered bool)
}

// Both kinds of policy fit, so existing callers compile unchanged.
var (
	_ Policy = (*cors.Middleware)(nil)
	_ Policy = (*cors.Routes)(nil)
)

// Middleware returns an echo middleware that applies p to every request,
// through [cors.Middleware.Apply] or [cors.Routes.Apply].
//
// It answers a preflight itself and returns without calling next, so no later
// middleware and no route, an OPTIONS route included, sees it. Any other
// request gets its CORS headers and Vary: Origin on the way in, and next
// runs; echo's error handler writes the errors it returns on the same
// response, headers included. A middleware registered before it that returns
// an error leaves its answer without CORS headers.
//
// Echo runs Use middleware for unmatched routes too (its 404, 405 and default
// OPTIONS answers), so a preflight to a route without an OPTIONS handler
// reaches it; a group's middleware does not see it. For a policy per group,
// pass the server's Use a [*cors.Routes] keyed by the groups' paths
// ("/api/", "/public/"). Middleware registered with Pre runs before it: one that answers
// on its own (a redirect) needs this one registered with Pre as well, first.
//
// Unlike [cors.Middleware.Handler], it does not wrap echo's writer: a handler
// that deletes the CORS headers before it writes loses them.
func Middleware(p Policy) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if p.Apply(c.Response(), c.Request()) {
				return nil
			}
			return next(c)
		}
	}
}
