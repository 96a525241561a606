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

const (
	adminOrigin = "https://admin.example.com"
	wwwOrigin   = "https://www.example.com"
)

// TestRoutesHoldGinReading is issue 28's exploit: gin routes the decoded
// path (and with RemoveExtraSlash, the cleaned one), so it runs the admin
// handler for targets that ServeMux files under "/". The www origin must
// not read that handler's answer nor be granted its DELETE; the admin
// origin keeps its own paths. The targets go through http.ReadRequest, as
// on the wire: %2F stays in RawPath.
func TestRoutesHoldGinReading(t *testing.T) {
	for _, tc := range []struct {
		name      string
		configure func(*gin.Engine)
		get, del  string // a GET and a DELETE target gin serves with the admin handler
	}{
		{"default", func(*gin.Engine) {}, "/admin%2Fusers", "/admin%2Fusers/7"},
		{"RemoveExtraSlash", func(e *gin.Engine) { e.RemoveExtraSlash = true }, "/x/..%2Fadmin/users", "/x/..%2Fadmin/users/7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := gin.New()
			tc.configure(r)
			r.Use(corsgin.Middleware(newAdminSite(t)))
			ran := func(key string) gin.HandlerFunc {
				return func(c *gin.Context) { c.Header("X-Handler", key); c.String(http.StatusOK, key) }
			}
			r.GET("/admin/users", ran("admin"))
			r.DELETE("/admin/users/:id", ran("admin"))
			r.GET("/x/*rest", ran("site"))

			res := serve(r, request(http.MethodGet, tc.get, wwwOrigin))
			require.Equal(t, "admin", res.Header.Get("X-Handler"), "gin runs the admin handler for %s", tc.get)
			assertNoCORS(t, res)

			res = serve(r, request(http.MethodDelete, tc.del, ""))
			require.Equal(t, "admin", res.Header.Get("X-Handler"), "gin runs the admin handler for DELETE %s", tc.del)
			res = serve(r, preflight(tc.del, wwwOrigin, http.MethodDelete, ""))
			assert.Equal(t, http.StatusForbidden, res.StatusCode)
			assertNoCORS(t, res)

			res = serve(r, request(http.MethodGet, "/admin/users", adminOrigin))
			assert.Equal(t, adminOrigin, res.Header.Get("Access-Control-Allow-Origin"))
			res = serve(r, preflight("/admin/users/7", adminOrigin, http.MethodDelete, ""))
			assert.Equal(t, http.StatusNoContent, res.StatusCode)
			assert.Equal(t, adminOrigin, res.Header.Get("Access-Control-Allow-Origin"))
		})
	}
}
