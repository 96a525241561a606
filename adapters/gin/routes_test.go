package corsgin_test

import (
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	corsgin "github.com/corsguard/cors/adapters/gin"
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

// TestRoutesPolicyPerGroup: each gin group gets its own policy, and a
// group's preflight is answered by it although gin has no OPTIONS route
// (gin would answer 404, and never run a group's middleware for it).
func TestRoutesPolicyPerGroup(t *testing.T) {
	r := gin.New()
	r.Use(corsgin.Middleware(newRoutes(t)))
	reached := 0
	route := func(c *gin.Context) { reached++; c.String(http.StatusOK, "ok") }
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
