// Package corsgin applies a [cors.Middleware] policy, or a [cors.Routes]
// policy per part of the site, to a gin engine.
//
// Register [Middleware] with the engine's Use, ahead of every middleware that
// may answer on its own (authentication, rate limits, [gin.Recovery]):
//
//	r := gin.New()
//	r.Use(corsgin.Middleware(m), gin.Recovery(), requireToken)
//
// Then the 401 of an auth check, the 429 of a rate limiter and the 500 that
// gin.Recovery writes after a panic carry the CORS headers, and the page's
// script reads the status instead of a CORS error.
package corsgin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/corsguard/cors"
)

// Policy is what [Middleware] applies: a [*cors.Middleware] for one policy
// across the engine, or a [*cors.Routes] for one per part of the site.
type Policy interface {
	Apply(w http.ResponseWriter, r *http.Request) (answered bool)
}

// Both kinds of policy fit, so existing callers compile unchanged.
var (
	_ Policy = (*cors.Middleware)(nil)
	_ Policy = (*cors.Routes)(nil)
)

// Middleware returns a gin middleware that applies p to every request,
// through [cors.Middleware.Apply] or [cors.Routes.Apply].
//
// It answers a preflight itself and aborts the chain, so no later middleware
// and no route, an OPTIONS route included, sees it. Any other request gets
// its CORS headers and Vary: Origin on the way in, and the chain goes on. A
// middleware registered before it that aborts leaves its answer without CORS
// headers.
//
// Use the engine's Use, not a group's: gin runs only the engine's middleware
// on its 404 and 405 answers, which is where a preflight to a route without
// an OPTIONS handler ends up. For a policy per group, pass the engine's Use
// a [*cors.Routes] keyed by the groups' paths ("/api/", "/public/"): it
// chooses by path before gin routes, so each group's preflights get its
// policy. Gin writes its trailing-slash and fixed-path
// redirects (the engine's RedirectTrailingSlash, RedirectFixedPath) before
// any middleware runs, so they carry no CORS headers and a browser reports
// them as CORS errors: call the canonical path.
//
// Unlike [cors.Middleware.Handler], it does not wrap gin's writer: a handler
// that deletes the CORS headers before it writes loses them.
func Middleware(p Policy) gin.HandlerFunc {
	return func(c *gin.Context) {
		if p.Apply(c.Writer, c.Request) {
			c.Abort()
		}
	}
}
