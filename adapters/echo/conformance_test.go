package corsecho_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	corsecho "github.com/corsguard/cors/adapters/echo"
	"github.com/corsguard/cors/corstest"
)

// TestConformance runs the library's guarantees against a server built as
// the package documentation advises: the adapter first, echo's recovery
// behind it, and the kit's routes registered with echo.WrapHandler.
func TestConformance(t *testing.T) {
	corstest.Conformance(t, func(p corstest.Policy, routes []corstest.Route) http.Handler {
		e := echo.New()
		e.Use(corsecho.Middleware(p), middleware.Recover())
		for _, rt := range routes {
			e.Add(rt.Method, rt.Path, echo.WrapHandler(rt.Handler))
		}
		return e
	})
}
