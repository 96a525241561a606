package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	gincors "github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
)

// TestMigratingGinChecksTheListBeforeTheFunc checks what MIGRATING.md says of
// gin-contrib/cors against its own code: with both AllowOrigins and an
// AllowOriginFunc, as in its README, an origin in the list is allowed
// whatever the function says, and the function allows the others.
func TestMigratingGinChecksTheListBeforeTheFunc(t *testing.T) {
	gin.SetMode(gin.TestMode)
	engine := gin.New()
	engine.Use(gincors.New(gincors.Config{
		AllowOrigins:    []string{"https://foo.com"},
		AllowMethods:    []string{http.MethodPut, http.MethodPatch},
		AllowOriginFunc: func(origin string) bool { return origin == "https://github.com" },
	}))
	engine.GET("/", func(c *gin.Context) { c.Status(http.StatusOK) })
	for origin, allowed := range map[string]bool{
		"https://foo.com":      true,
		"https://github.com":   true,
		"https://evil.example": false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Origin", origin)
		w := httptest.NewRecorder()
		engine.ServeHTTP(w, r)
		assert.Equal(t, allowed, w.Header().Get("Access-Control-Allow-Origin") == origin, origin)
	}
}
