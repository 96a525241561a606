package routermatrix

// Which path does each router serve? The server parses the request-target
// into URL.Path (decoded) and URL.RawPath (the target as sent, set only when
// it differs from Path's default escaping); nothing is cleaned.
// URL.EscapedPath returns RawPath only when RawPath is validly escaped: a
// byte browsers send as is, such as "|", makes it escape the decoded Path
// instead, so "/admin%2Fusers|" is "/admin/users%7C" to it, while RawPath
// keeps "admin%2Fusers|" one segment (net/url url.go EscapedPath).
//
//   - net/http ServeMux (Go 1.22+; server.go findHandler, routing_tree.go
//     firstSegment): cleans EscapedPath() ("//", ".", "..") and answers 307
//     to the clean path if it changed, then matches segment by segment,
//     unescaping each segment: "/admin%2Fusers" is one segment
//     "admin/users", "/%61dmin/" is "admin". Case-sensitive. "/admin" is
//     redirected to "/admin/" only when no pattern serves "/admin" itself.
//   - chi (mux.go routeHTTP): RawPath if set, else Path; no cleaning;
//     middleware.CleanPath runs path.Clean on that same reading, so a ".."
//     removes a whole "x%2Fy" segment; StripSlashes and RedirectSlashes drop
//     a trailing slash.
//   - gin (gin.go handleHTTPRequest): decoded Path by default, so
//     "/admin%2Fusers" is "/admin/users"; UseRawPath reads RawPath when set,
//     UseEscapedPath reads EscapedPath(); UnescapePathValues only decodes
//     parameter values. RemoveExtraSlash runs cleanPath (".." resolved, "//"
//     collapsed) on that reading. RedirectTrailingSlash (default on) and
//     RedirectFixedPath (cleaned, case-insensitive match on the decoded
//     Path) redirect without running any middleware.
//   - echo (router.go DefaultRouter.Route): RawPath if set, else Path, as
//     chi; no cleaning (UseEscapedPathForMatching reads EscapedPath()). A
//     route's last parameter takes the rest of the path, slashes included.
//   - gorilla/mux (mux.go ServeHTTP, regexp.go routeRegexp.Match): decoded
//     Path by default, UseEncodedPath reads EscapedPath(); unless SkipClean
//     it cleans that reading and answers 301 to the clean path.
//   - httprouter (router.go ServeHTTP): decoded Path; RedirectTrailingSlash
//     and RedirectFixedPath (CleanPath, then case-insensitive) redirect.
//
// So the readings are: RawPath, EscapedPath() or the decoded path; cleaned
// or not; case-folded or not; with or without a trailing slash. A router
// that decodes runs the admin handler for "/admin%2Fusers", which ServeMux
// files under "/"; gin with RemoveExtraSlash runs it for
// "/x/..%2Fadmin/users". A redirect runs no handler: the browser's next
// request is chosen again on its own path. Browsers resolve "." and ".."
// segments (%2e included) before sending, so those targets come only from
// raw clients; the matrix holds Routes to them all the same. The
// asterisk-form "OPTIONS *" is answered by net/http's server itself.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.ReleaseMode)
	os.Exit(m.Run())
}

// row is one hostile path's answers on one router.
type row struct {
	target                string
	getWWW, getAdmin      answer // credentialed GETs
	delete                answer // the DELETE itself, no Origin: which handler a browser's DELETE reaches
	optionsWWW, optsAdmin answer // DELETE preflights
}

// TestRouterMatrix: whatever a router makes of a hostile path, the handler
// that runs never answers with a policy more permissive than its own key's:
// no Access-Control-Allow-Origin for www on the admin handler's response,
// no preflight that lets www DELETE where the admin handler would serve the
// DELETE, and the same the other way round.
func TestRouterMatrix(t *testing.T) {
	t.Logf("%d routers × %d targets × 5 requests", len(routers), len(hostilePaths))
	for _, rc := range routers {
		t.Run(rc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(rc.build(newRoutes(t)))
			defer srv.Close()
			addr := srv.Listener.Addr().String()
			var rows []row
			for _, target := range hostilePaths {
				r := row{
					target:     target,
					getWWW:     get(t, addr, target, wwwOrigin),
					getAdmin:   get(t, addr, target, adminOrigin),
					delete:     send(t, addr, http.MethodDelete, target),
					optionsWWW: preflight(t, addr, target, wwwOrigin, http.MethodDelete),
					optsAdmin:  preflight(t, addr, target, adminOrigin, http.MethodDelete),
				}
				r.check(t)
				rows = append(rows, r)
			}
			t.Log(summary(rows))
		})
	}
}

// check asserts that no answer of r is more permissive than the key of the
// handler that ran, or would run for the preflighted DELETE.
func (r row) check(t *testing.T) {
	t.Helper()
	target := shorten(r.target)
	if r.getWWW.handler == "admin" {
		assert.NotEqual(t, wwwOrigin, r.getWWW.origin, "GET %s from www ran the admin handler and let www read it", target)
	}
	if r.getAdmin.handler == "site" {
		assert.NotEqual(t, adminOrigin, r.getAdmin.origin, "GET %s from admin ran the site handler and let admin read it", target)
	}
	if r.delete.handler == "admin" {
		assert.False(t, r.optionsWWW.grants(wwwOrigin, http.MethodDelete),
			"preflight of DELETE %s from www granted it, and the DELETE runs the admin handler: %v", target, r.optionsWWW)
	}
	if r.delete.handler == "site" {
		assert.False(t, r.optsAdmin.grants(adminOrigin, http.MethodDelete),
			"preflight of DELETE %s from admin granted it, and the DELETE runs the site handler: %v", target, r.optsAdmin)
	}
}

// summary is the table of the rows where a handler ran for a path other
// than its clean one, with what each origin was granted.
func summary(rows []row) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
	fmt.Fprintln(w, "\ntarget\tGET from www\tGET from admin\tDELETE\tpreflight www\tpreflight admin")
	var slowest answer
	var slowTarget string
	for _, r := range rows {
		for _, a := range []answer{r.getWWW, r.getAdmin, r.delete, r.optionsWWW, r.optsAdmin} {
			if a.took > slowest.took {
				slowest, slowTarget = a, r.target
			}
		}
		if r.getWWW.handler == "" && r.delete.handler == "" {
			continue
		}
		fmt.Fprintf(w, "%s\t%v\t%v\t%v\t%v\t%v\n", shorten(r.target), r.getWWW, r.getAdmin, r.delete,
			preflightCell(r.optionsWWW, wwwOrigin), preflightCell(r.optsAdmin, adminOrigin))
	}
	_ = w.Flush()
	fmt.Fprintf(&b, "slowest answer: %v for %s", slowest.took, shorten(slowTarget))
	return b.String()
}

func preflightCell(a answer, origin string) string {
	if a.grants(origin, http.MethodDelete) {
		return fmt.Sprintf("%d grants DELETE", a.status)
	}
	return fmt.Sprintf("%d refused", a.status)
}

// TestRouterMatrixKeepsPolicies: ordinary paths keep their own policy on
// every router, so the matrix cannot pass by refusing everything; an
// uppercase parameter or an encoded slash inside one parameter reads the
// same under every key.
func TestRouterMatrixKeepsPolicies(t *testing.T) {
	for _, rc := range routers {
		t.Run(rc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(rc.build(newRoutes(t)))
			defer srv.Close()
			addr := srv.Listener.Addr().String()
			for _, p := range normalPaths {
				if p.method == http.MethodGet {
					a := get(t, addr, p.target, p.origin)
					assert.Equal(t, p.origin, a.origin, "GET %s: %v", p.target, a)
					assert.True(t, a.creds, "GET %s: credentials", p.target)
					continue
				}
				a := preflight(t, addr, p.target, p.origin, p.method)
				assert.True(t, a.grants(p.origin, p.method), "preflight %s %s from %s: %v", p.method, p.target, p.origin, a)
			}
			// The clean paths reach the handler of their own key.
			require.Equal(t, "admin", get(t, addr, "/admin/users", adminOrigin).handler)
			require.Equal(t, "site", get(t, addr, "/users/Alice", wwwOrigin).handler)
		})
	}
}
