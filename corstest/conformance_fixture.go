package corstest

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corsguard/cors"
)

// The Routes run's keys, and the partner key's host and origin.
const (
	keySite         = "/"
	keyAdmin        = "/admin/"
	keyPublic       = "/public/"
	partnerHost     = "partner.example.com"
	keyPartner      = partnerHost + "/"
	partnerOrigin   = "https://partner.example.com"
	exposedHeader   = "X-Total"
	streamWait      = 2 * time.Second // a flushed chunk that takes longer was buffered
	refusedMethod   = http.MethodPatch
	preflightHeader = "authorization"
)

// answerTimeout is how long a request may take before the server counts as
// hung; a variable, so that the kit's own test of a hung server is quick.
var answerTimeout = 5 * time.Second

// allowedBy is the origin each key of the Routes run allows; the
// Middleware run is the site policy alone.
var allowedBy = map[string]string{keySite: ConformanceOrigin, keyAdmin: ConformanceAdminOrigin, keyPartner: partnerOrigin, keyPublic: "*"}

// fixture is one guarantee's server: the policy applied through the
// adapter, the same policy's own Handler for reference, and what the
// routes' handlers saw.
type fixture struct {
	h         http.Handler // serve's server
	routes    bool         // the Routes run
	reference http.Handler // a twin of the policy, through its own Handler

	refusals atomic.Int64 // OnRefused calls of the policy the adapter applies
	reached  atomic.Int64 // requests that reached a route's handler
	read     chan struct{}

	mu     sync.Mutex
	served string // the key of the last route whose handler ran
}

func newFixture(t reporter, serve func(Policy, []Route) http.Handler, routes bool) *fixture {
	t.Helper()
	f := &fixture{routes: routes, read: make(chan struct{})}
	count := func(*http.Request, cors.Refusal) { f.refusals.Add(1) }
	p, _, err := buildPolicy(routes, count)
	if err != nil {
		t.Fatalf("corstest: building the kit's policy: %v", err)
	}
	_, wrap, err := buildPolicy(routes, nil)
	if err != nil {
		t.Fatalf("corstest: building the kit's policy: %v", err)
	}
	f.reference = wrap(http.NotFoundHandler())
	f.h = build(t, serve, p, f.appRoutes())
	return f
}

// build calls serve, turning its panic (a route the framework refuses, say)
// into a failure.
func build(t reporter, serve func(Policy, []Route) http.Handler, p Policy, routes []Route) (h http.Handler) {
	t.Helper()
	defer func() {
		if v := recover(); v != nil {
			t.Fatalf("serve panicked: %v", v)
		}
	}()
	return serve(p, routes)
}

// buildPolicy returns the run's policy and its Handler method.
func buildPolicy(routes bool, onRefused func(*http.Request, cors.Refusal)) (Policy, func(http.Handler) http.Handler, error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := func(origin string, credentials bool, methods ...string) cors.Options {
		return cors.Options{
			AllowedOrigins: []string{origin}, AllowedMethods: methods,
			AllowedHeaders: []string{"Authorization"}, ExposedHeaders: []string{exposedHeader},
			AllowCredentials: credentials, Logger: quiet, OnRefused: onRefused,
		}
	}
	site, err := cors.New(opts(ConformanceOrigin, true, http.MethodPut))
	if err != nil || !routes {
		return site, site.Handler, err
	}
	admin, err := cors.New(opts(ConformanceAdminOrigin, true, http.MethodPut, http.MethodDelete))
	if err != nil {
		return nil, nil, err
	}
	partner, err := cors.New(opts(partnerOrigin, false, http.MethodPut))
	if err != nil {
		return nil, nil, err
	}
	public, err := cors.New(cors.Options{AllowedOrigins: []string{"*"}, Logger: quiet, OnRefused: onRefused})
	if err != nil {
		return nil, nil, err
	}
	rt, err := cors.NewRoutes(map[string]*cors.Middleware{keySite: site, keyAdmin: admin, keyPartner: partner, keyPublic: public})
	if err != nil {
		return nil, nil, err
	}
	return rt, rt.Handler, nil
}

// appRoutes are the routes serve registers; see [Conformance].
func (f *fixture) appRoutes() []Route {
	text := func(key, body string) http.Handler {
		return f.route(key, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body) })
	}
	return []Route{
		{http.MethodGet, "/items", text(keySite, "ok")},
		{http.MethodOptions, "/items", text(keySite, "options")},
		{http.MethodGet, "/panic", f.route(keySite, func(http.ResponseWriter, *http.Request) { panic("corstest: a bug in the handler") })},
		{http.MethodGet, "/stream", f.route(keySite, f.stream)},
		{http.MethodGet, "/conn", f.route(keySite, hijack)},
		{http.MethodGet, "/admin/items", text(keyAdmin, "admin")},
		{http.MethodGet, "/public/items", text(keyPublic, "public")},
	}
}

// route counts the requests that reach serve and records key as the
// policy they are served under.
func (f *fixture) route(key string, serve http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.reached.Add(1)
		f.mu.Lock()
		f.served = key
		f.mu.Unlock()
		serve(w, r)
	})
}

// takeServed returns the key of the route that served the last request,
// "" for none, and forgets it.
func (f *fixture) takeServed() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := f.served
	f.served = ""
	return key
}

// stream writes "one\n", flushes, waits for the client to read it, then
// writes "two\n".
func (f *fixture) stream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "corstest: the framework's writer is no http.Flusher", http.StatusInternalServerError)
		return
	}
	_, _ = io.WriteString(w, "one\n")
	fl.Flush()
	select {
	case <-f.read:
	case <-r.Context().Done():
		return
	case <-time.After(10 * time.Second): // a safety net, not a measurement
		return
	}
	_, _ = io.WriteString(w, "two\n")
	fl.Flush()
}

// hijack needs what WebSockets and long polls need of the writer, then
// answers on the hijacked connection.
func hijack(w http.ResponseWriter, _ *http.Request) {
	var missing []string
	if _, ok := w.(http.Flusher); !ok {
		missing = append(missing, "http.Flusher")
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		missing = append(missing, "http.Hijacker")
	}
	if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
		missing = append(missing, "http.ResponseController's SetWriteDeadline (Unwrap): "+err.Error())
	}
	if len(missing) > 0 {
		http.Error(w, "missing "+strings.Join(missing, ", "), http.StatusInternalServerError)
		return
	}
	conn, brw, err := hj.Hijack()
	if err != nil {
		http.Error(w, "Hijack: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	_, _ = brw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
	_ = brw.Flush()
}
