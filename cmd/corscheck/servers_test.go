package main

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/internal/fetch"
)

// This file holds the misbehaving servers of the hop tests: the library
// itself, proxies that strip or cache, and the failures corscheck must tell
// apart. nginx_test.go has the same failures from a real nginx.

// otherOrigin is a second allowed origin, for the cache tests.
const otherOrigin = "https://admin.example.com"

// library serves h behind the real middleware: origins pageOrigin and
// otherOrigin, PUT and POST, X-Api-Key and Content-Type, no credentials.
func library(t *testing.T, h http.Handler) http.Handler {
	t.Helper()
	m, err := cors.New(cors.Options{
		AllowedOrigins: []string{pageOrigin, otherOrigin},
		AllowedMethods: []string{http.MethodPut, http.MethodPost},
		AllowedHeaders: []string{"X-Api-Key", "Content-Type"},
	})
	require.NoError(t, err)
	return m.Handler(h)
}

// ok answers 200 with a short JSON body.
var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true}`)
})

// quietServer starts h on loopback with net/http's own log silenced: some
// tests make handlers panic on purpose.
func quietServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// proxyTo starts a reverse proxy to target; modify, when not nil, rewrites
// each response on its way, as a proxy's header rules do.
func proxyTo(t *testing.T, target string, modify func(*http.Response) error) *httptest.Server {
	t.Helper()
	u, err := url.Parse(target)
	require.NoError(t, err)
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = modify
	p.ErrorLog = log.New(io.Discard, "", 0)
	return quietServer(t, p)
}

// closedURL returns a loopback URL where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}

// cache is a shared cache as a misconfigured CDN runs it: it stores GET
// answers by URL and serves them to everyone, whatever their Vary says.
type cache struct {
	next http.Handler
	mu   sync.Mutex
	kept map[string]*httptest.ResponseRecorder
	when map[string]time.Time
}

func newCache(next http.Handler) *cache {
	return &cache{next: next, kept: map[string]*httptest.ResponseRecorder{}, when: map[string]time.Time{}}
}

func (c *cache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		c.next.ServeHTTP(w, r)
		return
	}
	key := r.URL.RequestURI()
	c.mu.Lock()
	rec, hit := c.kept[key]
	if !hit {
		rec = httptest.NewRecorder()
		c.next.ServeHTTP(rec, r)
		c.kept[key], c.when[key] = rec, time.Now().Add(-3*time.Second)
	}
	age := int(time.Since(c.when[key]).Seconds())
	c.mu.Unlock()
	for name, values := range rec.Header() {
		w.Header()[name] = append([]string(nil), values...)
	}
	if hit {
		w.Header().Set("X-Cache", "HIT")
		w.Header().Set("Age", strconv.Itoa(age))
	} else {
		w.Header().Set("X-Cache", "MISS")
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// warm fetches u once from origin (none when empty), as another visitor
// would before the check.
func warm(t *testing.T, u, origin string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	require.NoError(t, res.Body.Close())
}

// nginxPage is nginx's own error page for status, as nginx writes it.
func nginxPage(status int) string {
	line := strconv.Itoa(status) + " " + http.StatusText(status)
	return "<html>\r\n<head><title>" + line + "</title></head>\r\n<body>\r\n<center><h1>" + line +
		"</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"
}

// fixedPage answers every request with status, the headers given as pairs,
// and body.
func fixedPage(status int, body string, kv ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			w.Header().Add(kv[i], kv[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// legacyCORS refuses a preflight as corsguard did before it named the
// refused method or header: 403, no CORS header, Vary: Origin, no body, for
// the origin, the method and the headers alike. Other requests go to the
// library.
func legacyCORS(t *testing.T, next http.Handler) http.Handler {
	lib := library(t, next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		lib.ServeHTTP(rec, r)
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if preflight {
			refused := rec.Header().Get("Access-Control-Allow-Origin") == "" ||
				fetchRefuses(r, rec.Header())
			if refused {
				w.Header().Set("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
				w.WriteHeader(http.StatusForbidden)
				return
			}
		}
		for name, values := range rec.Header() {
			w.Header()[name] = values
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// fetchRefuses reports whether a browser would refuse the preflight answer
// h to the preflight r.
func fetchRefuses(r *http.Request, h http.Header) bool {
	req := &fetch.Request{URL: r.URL, InitialURL: r.URL, Origin: r.Header.Get("Origin"), Method: r.Header.Get("Access-Control-Request-Method")}
	for _, name := range strings.Split(r.Header.Get("Access-Control-Request-Headers"), ",") {
		if name != "" {
			// "{}" is CORS-unsafe for every safelisted name as well.
			req.Headers = append(req.Headers, fetch.Header{Name: name, Value: "{}"})
		}
	}
	return fetch.CheckPreflight(req, http.StatusNoContent, h) != nil
}
