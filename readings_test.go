package cors

import (
	"bufio"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	adminOrigin = "https://admin.example.com"
	siteOrigin  = "https://www.example.com"
)

// adminSite is the site: "/admin/" for the admin origin, "/" for the
// site's, both with credentials.
func adminSite(t testing.TB, onRefused func(*http.Request, Refusal)) *Routes {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	rt, err := NewRoutes(map[string]*Middleware{
		"/admin/": mustNew(t, Options{AllowedOrigins: []string{adminOrigin}, AllowCredentials: true,
			AllowedMethods: []string{http.MethodDelete}, Logger: quiet, OnRefused: onRefused}),
		"/": mustNew(t, Options{AllowedOrigins: []string{siteOrigin}, AllowCredentials: true,
			AllowedMethods: []string{http.MethodDelete}, Logger: quiet, OnRefused: onRefused}),
	})
	require.NoError(t, err)
	return rt
}

// TestRoutesFailClosedOnAmbiguousPaths: a target that some router reads
// under "/admin/" and another under "/" gets no policy at all, so neither
// origin can read it, whichever handler runs; targets every router reads
// alike keep their key's policy.
func TestRoutesFailClosedOnAmbiguousPaths(t *testing.T) {
	tests := []struct {
		target string
		want   string // the origin allowed, "" for none
	}{
		{"/admin/users", adminOrigin},
		{"/users", siteOrigin},
		{"/users/Alice", siteOrigin},        // case, read alike: both "/"
		{"/admin/users/a%2Fb", adminOrigin}, // %2F below the key: both "/admin/"
		{"/admin%2Fusers", ""},              // ServeMux: "/"; gin, gorilla/mux: "/admin/"
		{"/admin%2fusers", ""},              // the same, lower-case escape
		{"/x/..%2Fadmin/users", ""},         // gin's RemoveExtraSlash resolves it
		{"/x/%2e%2e/admin/users", ""},       // decoded and cleaned: "/admin/users"
		{"/x/../admin/users", ""},           // chi matches "/x/..." literally
		{"/admin/../users", ""},             // literal "/admin/"; cleaned "/users"
		{"//admin/users", ""},               // collapsed: "/admin/"; literal: "/"
		{"/./admin/users", ""},              // cleaned: "/admin/"; literal: "/"
		{"/admin//users", adminOrigin},      // both readings under "/admin/"
		{"/ADMIN/users", ""},                // folded: "/admin/"
		{"/Admin/users", ""},                // folded: "/admin/"
		{"/admin;x/users", ""},              // ";" dropped: "/admin/"
		{"/admin", ""},                      // ServeMux redirects to "/admin/"; a "/{page}" route under "/" serves it
		{"/admin/", adminOrigin},
		{"/x%2Fy/../admin/users/7|", ""}, // "|" makes Go ignore RawPath; chi's CleanPath reads it
		{"/admin%2Fusers|", ""},
		{"/admin%252Fusers", ""},         // a rewrite that unescapes again: "/admin/users"
		{"/admin\\users", ""},            // a backslash read as "/"
		{"/users/100%25", siteOrigin},    // decoded twice, "/users/100%" is no "/admin/"
		{"/admin/users%00", adminOrigin}, // NUL inside a segment
		{"/admin%00/users", siteOrigin},  // "admin\x00" is no "admin"
		{"http://evil.example/admin/users", adminOrigin},
		{"http://evil.example/admin%2Fusers", ""},
		{"/" + strings.Repeat("a/", 4000) + "..%2F" + strings.Repeat("../", 4000) + "admin/users", ""},
	}
	rt := adminSite(t, nil)
	for _, tt := range tests {
		name := tt.target
		if len(name) > 40 {
			name = "overlong"
		}
		t.Run(name, func(t *testing.T) {
			for _, origin := range []string{adminOrigin, siteOrigin} {
				want := ""
				if origin == tt.want {
					want = origin
				}
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, tt.target, nil)
				r.Header.Set("Origin", origin)
				rt.Handler(http.NotFoundHandler()).ServeHTTP(w, r)
				assert.Equal(t, want, w.Header().Get("Access-Control-Allow-Origin"), "GET from %s", origin)

				w = httptest.NewRecorder()
				r = httptest.NewRequest(http.MethodOptions, tt.target, nil)
				r.Header.Set("Origin", origin)
				r.Header.Set("Access-Control-Request-Method", http.MethodDelete)
				assert.True(t, rt.Apply(w, r), "a preflight is answered")
				assert.Equal(t, want, w.Header().Get("Access-Control-Allow-Origin"), "preflight from %s", origin)
				if want == "" {
					assert.Equal(t, http.StatusForbidden, w.Code)
				}
			}
		})
	}
}

// TestRoutesAmbiguityIsReported: a refused ambiguous request reaches
// OnRefused once, as RouteAmbiguous, with the path as sent; a request
// without Origin is not reported, and still runs the handler.
func TestRoutesAmbiguityIsReported(t *testing.T) {
	var got []Refusal
	rt := adminSite(t, func(r *http.Request, why Refusal) { got = append(got, why) })
	h := rt.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))

	r := httptest.NewRequest(http.MethodGet, "/admin%2Fusers", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusTeapot, w.Code, "no Origin: not a CORS request")
	assert.Empty(t, got)
	assert.Contains(t, w.Header().Get("Vary"), "Origin")

	r.Header.Set("Origin", siteOrigin)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusTeapot, w.Code, "the handler runs, with no origin allowed")
	assertNoCORSHeaders(t, w.Header())
	require.Len(t, got, 1)
	assert.Equal(t, Refusal{Kind: RouteAmbiguous, Value: "/admin%2Fusers"}, got[0])

	r = httptest.NewRequest(http.MethodOptions, "/admin%2Fusers", nil)
	r.Header.Set("Origin", siteOrigin)
	r.Header.Set("Access-Control-Request-Method", http.MethodDelete)
	r.Header.Set("Cache-Control", "x") // not a response header: the answer has none
	w = httptest.NewRecorder()
	w.Header().Set("Cache-Control", "no-store") // set by outer middleware
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusForbidden, w.Code)
	assertNoCORSHeaders(t, w.Header())
	assert.Contains(t, w.Header().Get("Vary"), "Origin", "outer headers could let a cache keep it")
	require.Len(t, got, 2)
	assert.Equal(t, Refusal{Kind: RouteAmbiguous, Preflight: true, Value: "/admin%2Fusers"}, got[1])
}

// TestRoutesAmbiguousWithoutDefault: when one reading matches no key, the
// request is ambiguous too, and refused by the zero policy.
func TestRoutesAmbiguousWithoutDefault(t *testing.T) {
	rt, err := NewRoutes(map[string]*Middleware{
		"/admin/": mustNew(t, Options{AllowedOrigins: []string{adminOrigin}}),
	})
	require.NoError(t, err)
	for _, target := range []string{"/admin%2Fusers", "/ADMIN/users", "/x/../admin/y"} {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		r.Header.Set("Origin", adminOrigin)
		w := httptest.NewRecorder()
		assert.False(t, rt.Apply(w, r))
		assertNoCORSHeaders(t, w.Header())
	}
}

// TestRoutesExactKeysDropTheTrailingSlash: with a key for one path, a
// router that strips a trailing slash could serve "/files/a/" with the
// "/files/{name}" handler.
func TestRoutesExactKeysDropTheTrailingSlash(t *testing.T) {
	rt, err := NewRoutes(map[string]*Middleware{
		"/files/{name}": mustNew(t, Options{AllowedOrigins: []string{adminOrigin}}),
		"/":             mustNew(t, Options{AllowedOrigins: []string{siteOrigin}}),
	})
	require.NoError(t, err)
	for target, want := range map[string]string{
		"/files/a":   adminOrigin,
		"/files/a/":  "",
		"/files/a/b": siteOrigin,
		"/other":     siteOrigin,
	} {
		assertOnlyAllowed(t, rt, httptest.NewRequest(http.MethodGet, target, nil), want)
	}
}

// assertOnlyAllowed checks that rt allows want, and of the two test origins
// only want ("" for neither), on r.
func assertOnlyAllowed(t *testing.T, rt *Routes, r *http.Request, want string) {
	t.Helper()
	for _, origin := range []string{adminOrigin, siteOrigin} {
		r.Header.Set("Origin", origin)
		w := httptest.NewRecorder()
		rt.Apply(w, r)
		allowed := w.Header().Get("Access-Control-Allow-Origin")
		if origin == want {
			assert.Equal(t, origin, allowed, "%s %s", r.Host, r.URL)
		} else {
			assert.Empty(t, allowed, "%s %s from %s", r.Host, r.URL, origin)
		}
	}
}

// TestRoutesHostReadings: a host key is matched as sent and as DNS reads it.
func TestRoutesHostReadings(t *testing.T) {
	rt, err := NewRoutes(map[string]*Middleware{
		"admin.example.com/": mustNew(t, Options{AllowedOrigins: []string{adminOrigin}}),
		"/":                  mustNew(t, Options{AllowedOrigins: []string{siteOrigin}}),
	})
	require.NoError(t, err)
	for host, want := range map[string]string{
		"admin.example.com":       adminOrigin,
		"admin.example.com:8443":  adminOrigin,
		"ADMIN.example.com":       "",
		"admin.example.com.":      "",
		"admin.example.com.:8443": "",
		"[::1]:8080":              siteOrigin,
		"www.example.com":         siteOrigin,
	} {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.Host = host
		assertOnlyAllowed(t, rt, r, want)
	}
}

// TestRoutesKeysThatFoldTogether: two keys that differ only in case are
// both possible for a router that folds case, so a folded reading of either
// is ambiguous.
func TestRoutesKeysThatFoldTogether(t *testing.T) {
	rt, err := NewRoutes(map[string]*Middleware{
		"/Admin/": mustNew(t, Options{AllowedOrigins: []string{adminOrigin}}),
		"/admin/": mustNew(t, Options{AllowedOrigins: []string{siteOrigin}}),
	})
	require.NoError(t, err)
	wild, err := NewRoutes(map[string]*Middleware{ // fold to one pattern but for the names
		"/Admin/{a}/": mustNew(t, Options{AllowedOrigins: []string{adminOrigin}}),
		"/admin/{b}/": mustNew(t, Options{AllowedOrigins: []string{siteOrigin}}),
	})
	require.NoError(t, err)
	for target, origin := range map[string]string{"/Admin/x/y": adminOrigin, "/admin/x/y": siteOrigin} {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		r.Header.Set("Origin", origin)
		w := httptest.NewRecorder()
		wild.Apply(w, r)
		assertNoCORSHeaders(t, w.Header())
	}
	for target, origin := range map[string]string{"/Admin/x": adminOrigin, "/admin/x": siteOrigin} {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		r.Header.Set("Origin", origin)
		w := httptest.NewRecorder()
		rt.Apply(w, r)
		assertNoCORSHeaders(t, w.Header())
	}
}

// TestRoutesForeignSyntaxRefused: patterns in other routers' syntax match
// no request they were meant for, and the fix is ServeMux's spelling.
func TestRoutesForeignSyntaxRefused(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{siteOrigin}})
	for key, fix := range map[string]string{
		"/api/*":               `use "/api/"`,
		"/api/*path":           `use "/api/"`,
		"/users/:id":           `use "/users/{id}"`,
		"api.example.com/*":    `use "api.example.com/"`,
		"/users/:id/files/*":   `use "/users/{id}/files/*"`,
		"/tenants/:t/files/:f": `use "/tenants/{t}/files/:f"`,
	} {
		_, err := NewRoutes(map[string]*Middleware{key: m})
		require.ErrorIs(t, err, ErrInvalidRoute, key)
		assert.Contains(t, err.Error(), fix, key)
		// The fix, fed back, is accepted or names the next problem.
		if next := strings.TrimSuffix(strings.TrimPrefix(fix, `use "`), `"`); !strings.ContainsAny(next, "*:") {
			_, err := NewRoutes(map[string]*Middleware{next: m})
			assert.NoError(t, err, next)
		}
	}
}

// TestRoutesExactKeyWarns: "/api" matches only /api; NewRoutes accepts it
// and says, through the policy's logger, that "/api/" covers the subtree.
func TestRoutesExactKeyWarns(t *testing.T) {
	var log strings.Builder
	m := mustNew(t, Options{AllowedOrigins: []string{siteOrigin}, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	_, err := NewRoutes(map[string]*Middleware{"/api": m, "/files/{name}": m, "/": m})
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(log.String(), "level=WARN"), log.String())
	assert.Contains(t, log.String(), `key=/api`)
	assert.Contains(t, log.String(), `write \"/api/\"`)
}

// FuzzRoutesNeverLooser: whatever the target, the policy Routes applies is
// the one ServeMux chooses for the decoded, cleaned path (what most routers
// serve) and for the escaped path, or none.
func FuzzRoutesNeverLooser(f *testing.F) {
	for _, s := range []string{"/admin%2Fusers", "/x/..%2Fadmin", "//admin/x", "/ADMIN/x", "/admin;a/x", "/a/./b", "/%zz", "*"} {
		f.Add(s)
	}
	rt := adminSite(f, nil)
	f.Fuzz(func(t *testing.T, target string) {
		raw := "GET " + target + " HTTP/1.1\r\nHost: example.com\r\n\r\n"
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil {
			return
		}
		i, _ := rt.match(r)
		if i < 0 {
			return
		}
		cleaned := path.Clean("/" + r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/") && cleaned != "/" {
			cleaned += "/"
		}
		for _, p := range []string{cleaned, strings.ToLower(cleaned)} {
			c := httptest.NewRequest(http.MethodGet, "/", nil)
			c.URL.Path, c.URL.RawPath = p, ""
			j, _ := matchIn(rt.mux, rt.patterns, c)
			assert.Equal(t, i, j, "%q chose %d; its decoded clean form %q", target, i, p)
		}
	})
}
