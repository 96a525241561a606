package corsecho_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	corsecho "github.com/corsguard/cors/adapters/echo"
)

// newRoutes is the site: /api/ for the frontend with credentials,
// /public/ open to "*", /webhooks/ not listed.
func newRoutes(t *testing.T) *cors.Routes {
	t.Helper()
	api, err := cors.New(cors.Options{AllowedOrigins: []string{app}, AllowCredentials: true, AllowedMethods: []string{http.MethodPut}})
	require.NoError(t, err)
	public, err := cors.New(cors.Options{AllowedOrigins: []string{"*"}})
	require.NoError(t, err)
	rt, err := cors.NewRoutes(map[string]*cors.Middleware{"/api/": api, "/public/": public})
	require.NoError(t, err)
	return rt
}

// TestRoutesPolicyPerGroup: each echo group gets its own policy, and a
// group's preflight is answered by it although echo has no OPTIONS route
// (echo would answer it itself, and never run a group's middleware for it).
func TestRoutesPolicyPerGroup(t *testing.T) {
	r := echo.New()
	r.Use(corsecho.Middleware(newRoutes(t)))
	reached := 0
	route := func(c *echo.Context) error { reached++; return c.String(http.StatusOK, "ok") }
	api := r.Group("/api")
	api.PUT("/items/:id", route)
	r.Group("/public").GET("/logo", route)
	r.Group("/webhooks").POST("/stripe", route)

	res := serve(r, preflight("/api/items/1", app, http.MethodPut, ""))
	assert.Equal(t, http.StatusNoContent, res.StatusCode)
	assertAllowed(t, res)
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
	assert.Zero(t, reached)

	res = serve(r, request(http.MethodPut, "/api/items/1", app))
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
	assertAllowed(t, res)

	res = serve(r, request(http.MethodGet, "/public/logo", foreign))
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Credentials"))

	res = serve(r, preflight("/webhooks/stripe", app, http.MethodPost, "Content-Type"))
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
	assertNoCORS(t, res)
	res = serve(r, request(http.MethodPost, "/webhooks/stripe", app))
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assertNoCORS(t, res)
	assert.Equal(t, 3, reached)
}

const (
	adminOrigin = "https://admin.example.com"
	wwwOrigin   = "https://www.example.com"
)

// newAdminSite is issue 28's site: "/admin/" for the admin frontend, "/" for
// the public one, both with credentials and DELETE.
func newAdminSite(t *testing.T) *cors.Routes {
	t.Helper()
	policy := func(origin string) *cors.Middleware {
		m, err := cors.New(cors.Options{AllowedOrigins: []string{origin}, AllowCredentials: true, AllowedMethods: []string{http.MethodDelete}})
		require.NoError(t, err)
		return m
	}
	rt, err := cors.NewRoutes(map[string]*cors.Middleware{"/admin/": policy(adminOrigin), "/": policy(wwwOrigin)})
	require.NoError(t, err)
	return rt
}

// TestRoutesHoldEchoReading: echo routes RawPath when it is set, else Path,
// and cleans neither, so "/x/../admin/users" runs the site's /x/* handler
// where ServeMux, which cleans, files it under "/admin/", and
// "/admin%2Fusers" runs no admin handler at all. Whichever reading Routes
// takes, the admin origin must not read or DELETE through the site's
// handler; each origin keeps its own paths. The targets go through
// http.ReadRequest, as on the wire.
func TestRoutesHoldEchoReading(t *testing.T) {
	e := echo.New()
	e.Use(corsecho.Middleware(newAdminSite(t)))
	ran := func(key string) echo.HandlerFunc {
		return func(c *echo.Context) error {
			c.Response().Header().Set("X-Handler", key)
			return c.String(http.StatusOK, key)
		}
	}
	e.GET("/admin/users", ran("admin"))
	e.DELETE("/admin/users/:id", ran("admin"))
	e.GET("/x/*", ran("site"))
	e.DELETE("/x/*", ran("site"))

	for _, target := range []string{"/x/../admin/users", "/x/./admin/users"} {
		res := serve(e, request(http.MethodGet, target, adminOrigin))
		require.Equal(t, "site", res.Header.Get("X-Handler"), "echo runs the site handler for %s", target)
		assertNoCORS(t, res)
	}
	del := "/x/../admin/users/7"
	require.Equal(t, "site", serve(e, request(http.MethodDelete, del, "")).Header.Get("X-Handler"))
	res := serve(e, preflight(del, adminOrigin, http.MethodDelete, ""))
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
	assertNoCORS(t, res)

	res = serve(e, request(http.MethodGet, "/admin%2Fusers", wwwOrigin))
	assert.NotEqual(t, "admin", res.Header.Get("X-Handler"), "echo routes RawPath: no admin handler for /admin%2Fusers")

	res = serve(e, request(http.MethodGet, "/admin/users", adminOrigin))
	assert.Equal(t, adminOrigin, res.Header.Get("Access-Control-Allow-Origin"))
	res = serve(e, request(http.MethodGet, "/x/a", wwwOrigin))
	assert.Equal(t, wwwOrigin, res.Header.Get("Access-Control-Allow-Origin"))
	res = serve(e, preflight("/admin/users/7", adminOrigin, http.MethodDelete, ""))
	assert.Equal(t, http.StatusNoContent, res.StatusCode)
	assert.Equal(t, adminOrigin, res.Header.Get("Access-Control-Allow-Origin"))
}
