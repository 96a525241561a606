package corsgin_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"

	corsgin "github.com/corsguard/cors/adapters/gin"
	"github.com/corsguard/cors/corstest"
)

// TestConformance runs the library's guarantees against an engine built as
// the package documentation advises: the adapter first, gin's recovery
// behind it, and the kit's routes registered with gin.WrapH.
func TestConformance(t *testing.T) {
	corstest.Conformance(t, func(p corstest.Policy, routes []corstest.Route) http.Handler {
		r := gin.New()
		r.Use(corsgin.Middleware(p), gin.RecoveryWithWriter(io.Discard))
		for _, rt := range routes {
			r.Handle(rt.Method, rt.Path, gin.WrapH(rt.Handler))
		}
		return r
	})
}
