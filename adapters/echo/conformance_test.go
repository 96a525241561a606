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
// behind it, and no OPTIONS route.
func TestConformance(t *testing.T) {
	corstest.Conformance(t, func(p corstest.Policy, app http.Handler) http.Handler {
		e := echo.New()
		e.Use(corsecho.Middleware(p), middleware.Recover())
		for _, path := range []string{"/items", "/panic", "/stream"} {
			e.GET(path, echo.WrapHandler(app))
		}
		return e
	})
}
