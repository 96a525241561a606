package routermatrix

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	chimiddleware "github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/mux"
	"github.com/julienschmidt/httprouter"
	"github.com/labstack/echo/v5"
	echomiddleware "github.com/labstack/echo/v5/middleware"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	corsecho "github.com/corsguard/cors/adapters/echo"
	corsgin "github.com/corsguard/cors/adapters/gin"
)

const (
	adminOrigin = "https://admin.example.com"
	wwwOrigin   = "https://www.example.com"
)

// newRoutes is the site: "/admin/" for the admin frontend, "/" for
// the public one, both with credentials and both allowing DELETE (each
// frontend deletes its own things), so a preflight granted under the wrong
// key is a usable grant.
func newRoutes(t testing.TB) *cors.Routes {
	t.Helper()
	admin, err := cors.New(cors.Options{AllowedOrigins: []string{adminOrigin}, AllowCredentials: true, AllowedMethods: []string{http.MethodDelete}})
	require.NoError(t, err)
	site, err := cors.New(cors.Options{AllowedOrigins: []string{wwwOrigin}, AllowCredentials: true, AllowedMethods: []string{http.MethodDelete}})
	require.NoError(t, err)
	rt, err := cors.NewRoutes(map[string]*cors.Middleware{"/admin/": admin, "/": site})
	require.NoError(t, err)
	return rt
}

// A route of the site, in ServeMux's pattern syntax; each router gets it
// translated into its own. The handler names its key in X-Handler, so the
// matrix sees which one ran.
type route struct{ method, pattern, key string }

var site = []route{
	{http.MethodGet, "/admin/users", "admin"},
	{http.MethodGet, "/admin/users/{id}", "admin"},
	{http.MethodDelete, "/admin/users/{id}", "admin"},
	{http.MethodGet, "/users", "site"},
	{http.MethodGet, "/users/{id}", "site"},
	{http.MethodDelete, "/users/{id}", "site"},
	{http.MethodGet, "/x/{rest...}", "site"},
	{http.MethodGet, "/{page}", "site"}, // the site's one-segment pages: /about, /pricing
}

func handler(key string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Handler", key)
		_, _ = io.WriteString(w, key)
	}
}

// translate rewrites a pattern's "{id}" with param and "{rest...}" with rest.
func translate(pattern string, param func(name string) string, rest string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		switch {
		case s == "{rest...}":
			segs[i] = rest
		case strings.HasPrefix(s, "{"):
			segs[i] = param(strings.Trim(s, "{}"))
		}
	}
	return strings.Join(segs, "/")
}

func colon(name string) string  { return ":" + name }
func braces(name string) string { return "{" + name + "}" }

// A router configuration, mounted with Routes as its users are told to.
type router struct {
	name  string
	build func(rt *cors.Routes) http.Handler
}

var routers = []router{
	{"ServeMux", serveMux},
	{"chi", chiRouter()},
	{"chi+CleanPath", chiRouter(chimiddleware.CleanPath)},
	{"chi+StripSlashes", chiRouter(chimiddleware.StripSlashes)},
	{"chi+RedirectSlashes", chiRouter(chimiddleware.RedirectSlashes)},
	{"gin", ginEngine(func(*gin.Engine) {})},
	{"gin+RemoveExtraSlash", ginEngine(func(e *gin.Engine) { e.RemoveExtraSlash = true })},
	{"gin+UseRawPath", ginEngine(func(e *gin.Engine) { e.UseRawPath = true })},
	{"gin-UnescapePathValues", ginEngine(func(e *gin.Engine) { e.UnescapePathValues = false })},
	{"gin+UseRawPath-UnescapePathValues", ginEngine(func(e *gin.Engine) { e.UseRawPath, e.UnescapePathValues = true, false })},
	{"gin+UseEscapedPath", ginEngine(func(e *gin.Engine) { e.UseEscapedPath = true })},
	{"gin+RedirectFixedPath", ginEngine(func(e *gin.Engine) { e.RedirectFixedPath = true })},
	{"gin+UseRawPath+RemoveExtraSlash", ginEngine(func(e *gin.Engine) { e.UseRawPath, e.RemoveExtraSlash = true, true })},
	{"echo", echoServer(echo.RouterConfig{})},
	{"echo+UseEscapedPathForMatching", echoServer(echo.RouterConfig{UseEscapedPathForMatching: true})},
	{"echo+RemoveTrailingSlash", echoServer(echo.RouterConfig{}, echomiddleware.RemoveTrailingSlash())},
	{"gorilla", gorilla(func(*mux.Router) {})},
	{"gorilla+UseEncodedPath", gorilla(func(r *mux.Router) { r.UseEncodedPath() })},
	{"gorilla+SkipClean", gorilla(func(r *mux.Router) { r.SkipClean(true) })},
	{"gorilla+SkipClean+UseEncodedPath", gorilla(func(r *mux.Router) { r.SkipClean(true).UseEncodedPath() })},
	{"gorilla+StrictSlash", gorilla(func(r *mux.Router) { r.StrictSlash(true) })},
	{"httprouter", httpRouter},
}

func serveMux(rt *cors.Routes) http.Handler {
	m := http.NewServeMux()
	for _, r := range site {
		m.Handle(r.method+" "+r.pattern, handler(r.key))
	}
	return rt.Handler(m)
}

// chiRouter mounts Routes outermost, with chi's path middlewares inside, as
// chi's Use runs them.
func chiRouter(pathMiddlewares ...func(http.Handler) http.Handler) func(*cors.Routes) http.Handler {
	return func(rt *cors.Routes) http.Handler {
		r := chi.NewRouter()
		r.Use(pathMiddlewares...)
		for _, s := range site {
			r.Method(s.method, translate(s.pattern, braces, "*"), handler(s.key))
		}
		return rt.Handler(r)
	}
}

// ginEngine mounts Routes as the gin adapter's README says: the engine's
// Use, first.
func ginEngine(configure func(*gin.Engine)) func(*cors.Routes) http.Handler {
	return func(rt *cors.Routes) http.Handler {
		e := gin.New()
		configure(e)
		e.Use(corsgin.Middleware(rt))
		for _, s := range site {
			e.Handle(s.method, translate(s.pattern, colon, "*rest"), gin.WrapF(handler(s.key)))
		}
		return e
	}
}

// echoServer mounts Routes as the echo adapter's README says: the server's
// Use, and with Pre middlewares that rewrite the path, Pre too, after them,
// so that Routes sees the path echo routes.
func echoServer(config echo.RouterConfig, pre ...echo.MiddlewareFunc) func(*cors.Routes) http.Handler {
	return func(rt *cors.Routes) http.Handler {
		e := echo.NewWithConfig(echo.Config{Router: echo.NewRouter(config)})
		if len(pre) > 0 {
			e.Pre(append(pre, corsecho.Middleware(rt))...)
		} else {
			e.Use(corsecho.Middleware(rt))
		}
		for _, s := range site {
			if s.pattern == "/{page}" {
				continue // echo's last parameter takes the rest of the path: /admin/users/ too
			}
			e.Add(s.method, translate(s.pattern, colon, "*"), echo.WrapHandler(handler(s.key)))
		}
		return e
	}
}

func gorilla(configure func(*mux.Router)) func(*cors.Routes) http.Handler {
	return func(rt *cors.Routes) http.Handler {
		r := mux.NewRouter()
		configure(r)
		for _, s := range site {
			r.Handle(translate(s.pattern, braces, "{rest:.*}"), handler(s.key)).Methods(s.method)
		}
		return rt.Handler(r)
	}
}

func httpRouter(rt *cors.Routes) http.Handler {
	r := httprouter.New()
	for _, s := range site {
		if s.pattern == "/{page}" {
			continue // httprouter 1.3 refuses a parameter beside /admin, /users and /x
		}
		r.Handler(s.method, translate(s.pattern, colon, "*rest"), handler(s.key))
	}
	return rt.Handler(r)
}
