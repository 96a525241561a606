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
// behind it, and no OPTIONS route.
func TestConformance(t *testing.T) {
	corstest.Conformance(t, func(p corstest.Policy, app http.Handler) http.Handler {
		r := gin.New()
		r.Use(corsgin.Middleware(p), gin.RecoveryWithWriter(io.Discard))
		for _, path := range []string{"/items", "/panic", "/stream"} {
			r.GET(path, gin.WrapH(app))
		}
		return r
	})
}
