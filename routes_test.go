package cors

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	routesFrontend = "https://app.example.com"
	routesOther    = "https://other.example"
)

// siteRoutes is the site: /api/ for the frontend with credentials,
// /public/ open to "*", /webhooks/ not listed (so no CORS), plus a host
// pattern, a wildcard pattern and an exact {$} pattern.
func siteRoutes(t testing.TB) (*Routes, map[string]*Middleware) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ms := map[string]*Middleware{
		"/api/": mustNew(t, Options{AllowedOrigins: []string{routesFrontend}, AllowCredentials: true,
			AllowedMethods: []string{http.MethodPut}, Logger: quiet}),
		"/public/":             mustNew(t, Options{AllowedOrigins: []string{"*"}, Logger: quiet}),
		"api.example.com/":     mustNew(t, Options{AllowedOrigins: []string{routesOther}, Logger: quiet}),
		"/tenants/{id}/files/": mustNew(t, Options{AllowedOrigins: []string{"https://files.example"}, Logger: quiet}),
		"/status/{$}":          mustNew(t, Options{AllowedOrigins: []string{"https://status.example"}, Logger: quiet}),
	}
	rt, err := NewRoutes(ms)
	require.NoError(t, err)
	return rt, ms
}

func routesReq(method, target, origin string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	if method == http.MethodOptions {
		r.Header.Set("Access-Control-Request-Method", http.MethodPut)
	}
	return r
}

func TestRoutesChooseThePolicy(t *testing.T) {
	rt, _ := siteRoutes(t)
	tests := []struct {
		name, method, target, origin string
		wantCode                     int
		wantACAO, wantCredentials    string
		wantNext                     bool
	}{
		{"api with credentials", http.MethodGet, "/api/items", routesFrontend, 200, routesFrontend, "true", true},
		{"api preflight answered by /api/", http.MethodOptions, "/api/items", routesFrontend, 204, routesFrontend, "true", false},
		{"api refuses another origin", http.MethodGet, "/api/items", routesOther, 200, "", "", true},
		{"api preflight refused for another origin", http.MethodOptions, "/api/items", routesOther, 403, "", "", false},
		{"public open to any origin", http.MethodGet, "/public/logo.png", routesOther, 200, "*", "", true},
		{"webhooks not listed: no origin allowed", http.MethodPost, "/webhooks/stripe", routesFrontend, 200, "", "", true},
		{"webhooks preflight refused", http.MethodOptions, "/webhooks/stripe", routesFrontend, 403, "", "", false},
		{"host pattern wins over paths", http.MethodGet, "http://api.example.com/api/items", routesOther, 200, routesOther, "", true},
		{"host pattern with a port", http.MethodGet, "http://api.example.com:8080/x", routesOther, 200, routesOther, "", true},
		{"wildcard segment", http.MethodGet, "/tenants/42/files/a.txt", "https://files.example", 200, "https://files.example", "", true},
		{"wildcard needs its segments", http.MethodGet, "/tenants/42/other", "https://files.example", 200, "", "", true},
		{"exact {$} matches itself", http.MethodGet, "/status/", "https://status.example", 200, "https://status.example", "", true},
		{"exact {$} matches nothing beneath", http.MethodGet, "/status/x", "https://status.example", 200, "", "", true},
		{"unclean path read two ways allows no origin", http.MethodGet, "/public/../api/items", routesFrontend, 200, "", "", true},
		{"unclean path read one way takes its clean form's policy", http.MethodGet, "/api/x/../items", routesFrontend, 200, routesFrontend, "true", true},
		{"trailing-slash redirect takes its target's policy", http.MethodGet, "/api", routesFrontend, 200, routesFrontend, "true", true},
		{"CONNECT redirect gets no policy", http.MethodConnect, "/public", routesOther, 200, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reached := false
			h := rt.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }))
			r := routesReq(tt.method, tt.target, tt.origin)
			if tt.method == http.MethodConnect {
				r.URL.Path, r.URL.RawPath = tt.target, ""
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, tt.wantCode, w.Code)
			assert.Equal(t, tt.wantACAO, w.Header().Get("Access-Control-Allow-Origin"))
			assert.Equal(t, tt.wantCredentials, w.Header().Get("Access-Control-Allow-Credentials"))
			assert.Equal(t, tt.wantNext, reached)
			if tt.wantACAO != "*" && tt.wantCode != http.StatusForbidden { // a 403 preflight has nothing to vary
				assert.Contains(t, w.Header().Get("Vary"), "Origin")
			}

			// Apply chooses the same policy and answers the same preflights.
			w = httptest.NewRecorder()
			answered := rt.Apply(w, routesReq(tt.method, tt.target, tt.origin))
			assert.Equal(t, !tt.wantNext, answered)
			if answered {
				assert.Equal(t, tt.wantCode, w.Code)
			}
			assert.Equal(t, tt.wantACAO, w.Header().Get("Access-Control-Allow-Origin"))
		})
	}
}

func TestRoutesRootIsTheDefault(t *testing.T) {
	rt, err := NewRoutes(map[string]*Middleware{
		"/":     mustNew(t, Options{AllowedOrigins: []string{routesOther}}),
		"/api/": mustNew(t, Options{AllowedOrigins: []string{routesFrontend}}),
	})
	require.NoError(t, err)
	for target, want := range map[string]string{"/anything": routesOther, "/api/x": routesFrontend} {
		w := httptest.NewRecorder()
		assert.False(t, rt.Apply(w, routesReq(http.MethodGet, target, want)))
		assert.Equal(t, want, w.Header().Get("Access-Control-Allow-Origin"), target)
	}
}

func TestRoutesHandlerOwnsTheHeadersAndRecoversPanics(t *testing.T) {
	rt, _ := siteRoutes(t)
	h := rt.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*") // the policy's answer replaces it
		if r.URL.Path == "/api/boom" {
			panic("boom")
		}
	}))
	for _, target := range []string{"/api/items", "/api/boom"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, routesReq(http.MethodGet, target, routesFrontend))
		assert.Equal(t, []string{routesFrontend}, w.Header().Values("Access-Control-Allow-Origin"), target)
		assert.Equal(t, "true", w.Header().Get("Access-Control-Allow-Credentials"), target)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, routesReq(http.MethodGet, "/api/boom", routesFrontend))
	assert.Equal(t, http.StatusInternalServerError, w.Code)

	w = httptest.NewRecorder()
	h.ServeHTTP(w, routesReq(http.MethodGet, "/webhooks/x", routesFrontend))
	assertNoCORSHeaders(t, w.Header()) // no match: the handler's "*" is removed
}

func TestRoutesReconfigure(t *testing.T) {
	rt, ms := siteRoutes(t)
	h := rt.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	require.NoError(t, ms["/api/"].Reconfigure(Options{AllowedOrigins: []string{routesOther}}))
	for origin, want := range map[string]string{routesOther: routesOther, routesFrontend: ""} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, routesReq(http.MethodGet, "/api/items", origin))
		assert.Equal(t, want, w.Header().Get("Access-Control-Allow-Origin"), origin)
		w = httptest.NewRecorder()
		rt.Apply(w, routesReq(http.MethodGet, "/api/items", origin))
		assert.Equal(t, want, w.Header().Get("Access-Control-Allow-Origin"), origin)
	}
	// The other patterns keep their policies.
	w := httptest.NewRecorder()
	h.ServeHTTP(w, routesReq(http.MethodGet, "/public/x", routesFrontend))
	assert.Equal(t, "*", w.Header().Get("Access-Control-Allow-Origin"))
}

func TestRoutesOnRefusedOfTheChosenPolicy(t *testing.T) {
	var api, public []Refusal
	rt, err := NewRoutes(map[string]*Middleware{
		"/api/":    mustNew(t, Options{AllowedOrigins: []string{routesFrontend}, OnRefused: func(_ *http.Request, why Refusal) { api = append(api, why) }}),
		"/public/": mustNew(t, Options{AllowedOrigins: []string{routesFrontend}, OnRefused: func(_ *http.Request, why Refusal) { public = append(public, why) }}),
	})
	require.NoError(t, err)
	rt.Apply(httptest.NewRecorder(), routesReq(http.MethodGet, "/api/x", routesOther))
	assert.Equal(t, []Refusal{{Kind: OriginRefused, Value: routesOther}}, api)
	assert.Empty(t, public)
}

func TestNewRoutesRefuses(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{routesFrontend}})
	tests := []struct {
		name     string
		policies map[string]*Middleware
		want     []ConfigError // Err is always ErrInvalidRoute
	}{
		{"empty map", map[string]*Middleware{}, []ConfigError{{Reason: `has no patterns; map "/" to a policy for the whole site`}}},
		{"nil map", nil, []ConfigError{{Reason: `has no patterns; map "/" to a policy for the whole site`}}},
		{"nil policy", map[string]*Middleware{"/api/": nil}, []ConfigError{{Value: "/api/", Reason: "has a nil policy; build it with New"}}},
		{"method", map[string]*Middleware{"GET /api/": m}, []ConfigError{{Value: "GET /api/",
			Reason: "names the method GET: CORS preflights use OPTIONS, so a policy covers every method", Fix: "/api/"}}},
		{"method and tab", map[string]*Middleware{"OPTIONS\t/api/": m}, []ConfigError{{Value: "OPTIONS\t/api/",
			Reason: "names the method OPTIONS: CORS preflights use OPTIONS, so a policy covers every method", Fix: "/api/"}}},
		{"method and a conflict", map[string]*Middleware{"GET /api/": m, "/api/": m}, []ConfigError{{Value: "GET /api/"}}},
		{"conflict", map[string]*Middleware{"/a/{x}": m, "/{y}/b": m}, []ConfigError{{Value: "/{y}/b"}}},
		{"equivalent patterns", map[string]*Middleware{"/api/": m, "/api/{rest...}": m}, []ConfigError{{Value: "/api/{rest...}"}}},
		{"no slash", map[string]*Middleware{"api": m}, []ConfigError{{Value: "api"}}},
		{"empty key", map[string]*Middleware{"": m}, []ConfigError{{Reason: `has an empty pattern; write "/" for the whole site`}}},
		{"bad wildcard", map[string]*Middleware{"/a/{": m}, []ConfigError{{Value: "/a/{"}}},
		{"every problem at once", map[string]*Middleware{"GET /x/": m, "/y/": nil, "/{z": m}, []ConfigError{
			{Value: "/y/", Reason: "has a nil policy; build it with New"},
			{Value: "/{z"},
			{Value: "GET /x/", Reason: "names the method GET: CORS preflights use OPTIONS, so a policy covers every method", Fix: "/x/"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt, err := NewRoutes(tt.policies)
			require.Error(t, err)
			assert.Nil(t, rt)
			assert.ErrorIs(t, err, ErrInvalidRoute)
			var got []*ConfigError
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var ce *ConfigError
				require.True(t, errors.As(e, &ce))
				got = append(got, ce)
			}
			require.Len(t, got, len(tt.want), err.Error())
			for i, w := range tt.want {
				assert.Equal(t, "Routes", got[i].Field)
				assert.Equal(t, w.Value, got[i].Value)
				assert.Equal(t, w.Fix, got[i].Fix)
				assert.Same(t, ErrInvalidRoute, got[i].Err)
				if w.Reason != "" {
					assert.Equal(t, w.Reason, got[i].Reason)
				} else { // ServeMux's own words, without our source lines
					assert.NotEmpty(t, got[i].Reason)
					assert.NotContains(t, got[i].Reason, "registered at")
					assert.NotContains(t, got[i].Reason, "\n")
					assert.NotContains(t, got[i].Reason, "http:")
				}
			}
			for _, ce := range got { // every fix is itself valid
				if ce.Fix != "" {
					_, err := NewRoutes(map[string]*Middleware{ce.Fix: m})
					assert.NoError(t, err, ce.Fix)
				}
			}
		})
	}
}

// BenchmarkRoutes compares the single-policy path with the same request
// through Routes, for each kind of pattern.
func BenchmarkRoutes(b *testing.B) {
	rt, ms := siteRoutes(b)
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for _, bb := range []struct {
		name string
		h    http.Handler
		r    *http.Request
	}{
		{"single policy", ms["/api/"].Handler(next), routesReq(http.MethodGet, "/api/items", routesFrontend)},
		{"routes path", rt.Handler(next), routesReq(http.MethodGet, "/api/items", routesFrontend)},
		{"routes wildcard", rt.Handler(next), routesReq(http.MethodGet, "/tenants/42/files/a", "https://files.example")},
		{"routes host", rt.Handler(next), routesReq(http.MethodGet, "http://api.example.com/x", routesOther)},
		{"routes no match", rt.Handler(next), routesReq(http.MethodGet, "/webhooks/x", routesFrontend)},
		{"routes mixed case", rt.Handler(next), routesReq(http.MethodGet, "/api/Items", routesFrontend)},
		{"routes escaped slash", rt.Handler(next), routesReq(http.MethodGet, "/api/a%2Fb", routesFrontend)},
		{"routes ambiguous", rt.Handler(next), routesReq(http.MethodGet, "/public%2F..%2Fapi/items", routesFrontend)},
	} {
		b.Run(strings.ReplaceAll(bb.name, " ", "_"), func(b *testing.B) {
			w := newReusableWriter()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				w.reset()
				bb.h.ServeHTTP(w, bb.r)
			}
		})
	}
}

// TestRoutesAllocationsAreBounded: choosing the policy costs ServeMux's own
// matching, a few allocations on top of the chosen policy's own path (at
// most one), and no more for a long or hostile path. It is measured, not
// zero: http.ServeMux.Handler allocates as it matches.
func TestRoutesAllocationsAreBounded(t *testing.T) {
	const budget = 8 // on top of the policy's own; Go 1.26 needs 3 to 7
	rt, ms := siteRoutes(t)
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	routed := rt.Handler(next)
	long := "/" + strings.Repeat("a/", 2000)
	for _, tt := range []struct {
		name   string
		single http.Handler // the chosen policy alone
		r      *http.Request
	}{
		{"path", ms["/api/"].Handler(next), routesReq(http.MethodGet, "/api/items", routesFrontend)},
		{"path preflight", ms["/api/"].Handler(next), routesReq(http.MethodOptions, "/api/items", routesFrontend)},
		{"host", ms["api.example.com/"].Handler(next), routesReq(http.MethodGet, "http://api.example.com/x", routesOther)},
		{"wildcard", ms["/tenants/{id}/files/"].Handler(next), routesReq(http.MethodGet, "/tenants/42/files/a", "https://files.example")},
		{"long wildcard path", ms["/tenants/{id}/files/"].Handler(next), routesReq(http.MethodGet, "/tenants/42/files"+long, "https://files.example")},
		{"no match", (&Middleware{}).Handler(next), routesReq(http.MethodGet, "/webhooks/x", routesFrontend)},
		{"long path, no match", (&Middleware{}).Handler(next), routesReq(http.MethodGet, "/webhooks"+long+"x", routesFrontend)},
	} {
		measure := func(h http.Handler) float64 {
			w := newReusableWriter()
			return testing.AllocsPerRun(100, func() {
				w.reset()
				h.ServeHTTP(w, tt.r)
			})
		}
		single, viaRoutes := measure(tt.single), measure(routed)
		t.Logf("%s: %v allocs alone, %v through Routes", tt.name, single, viaRoutes)
		assert.LessOrEqual(t, single, 1.0, tt.name)
		assert.LessOrEqual(t, viaRoutes, single+budget, tt.name)
	}
}

func TestDropRegisteredAt(t *testing.T) {
	for in, want := range map[string]string{
		`pattern "/b" (registered at x.go:1) conflicts with pattern "/a" (registered at y.go:2): same`: `pattern "/b" conflicts with pattern "/a": same`,
		"no location":               "no location",
		"cut (registered at x.go:1": "cut",
	} {
		assert.Equal(t, want, dropRegisteredAt(in))
	}
}
