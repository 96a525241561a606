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
// the package documentation advises: the adapter first, with Use or, where
// a Pre middleware answers on its own, with Pre; echo's recovery behind it;
// the kit's routes registered with echo.WrapHandler.
func TestConformance(t *testing.T) {
	for _, pre := range []bool{false, true} {
		name := "Use"
		if pre {
			name = "Pre"
		}
		t.Run(name, func(t *testing.T) {
			corstest.Conformance(t, func(p corstest.Policy, routes []corstest.Route) http.Handler {
				e := echo.New()
				if pre {
					e.Pre(corsecho.Middleware(p))
					e.Use(middleware.Recover())
				} else {
					e.Use(corsecho.Middleware(p), middleware.Recover())
				}
				for _, rt := range routes {
					e.Add(rt.Method, rt.Path, echo.WrapHandler(rt.Handler))
				}
				return e
			})
		})
	}
}
