// Package cors is net/http middleware that applies one CORS policy, as the
// WHATWG Fetch standard defines the protocol and browsers enforce it.
//
// Origins match byte for byte (or label by label for "https://*.example.com"
// patterns); preflights are answered by the middleware; New refuses unsafe
// or impossible configurations; and every response to an allowed origin,
// a recovered panic's 500 included, carries the CORS headers, so a crash
// never shows up in the browser as a CORS error.
package cors

import (
	"net/http"
	"sync/atomic"
)

// Header names, in canonical form so that the request path can index header
// maps directly.
const (
	headerOrigin           = "Origin"
	headerVary             = "Vary"
	headerAllowOrigin      = "Access-Control-Allow-Origin"
	headerAllowCredentials = "Access-Control-Allow-Credentials"
	headerExposeHeaders    = "Access-Control-Expose-Headers"
	headerAllowMethods     = "Access-Control-Allow-Methods"
	headerAllowHeaders     = "Access-Control-Allow-Headers"
	headerMaxAge           = "Access-Control-Max-Age"
	headerRequestMethod    = "Access-Control-Request-Method"
	headerRequestHeaders   = "Access-Control-Request-Headers"
)

// Middleware applies a CORS policy to HTTP handlers. It is safe for
// concurrent use, and its policy can be replaced while it serves with
// Reconfigure. The zero Middleware allows no origin.
type Middleware struct {
	policy atomic.Pointer[policy]
}

// New validates o and returns a Middleware that applies it. The error joins
// one *ConfigError per problem found; nothing is half-configured. New copies
// what it keeps, so later changes to o's slices have no effect.
func New(o Options) (*Middleware, error) {
	m := &Middleware{}
	if err := m.Reconfigure(o); err != nil {
		return nil, err
	}
	return m, nil
}

// Reconfigure validates o and, if it is valid, makes it the policy for every
// request that starts afterwards; requests in flight finish under the policy
// they started with. If o is invalid, the current policy stays in force and
// the error says why, as New's does.
func (m *Middleware) Reconfigure(o Options) error {
	p, err := compile(o)
	if err != nil {
		return err
	}
	m.policy.Store(p)
	return nil
}

// Handler wraps next so that the policy applies to every request it serves.
// Put it outermost, before routers, authentication and recovery middleware:
// preflights must reach it, and it must see every response to add its
// headers. Its signature fits http.Handle, chi's Use and alice chains.
func (m *Middleware) Handler(next http.Handler) http.Handler {
	return &handler{m: m, next: next}
}

type handler struct {
	m    *Middleware
	next http.Handler
}

// ServeHTTP follows the shape of one CORS request: no Origin, preflight,
// refused origin, or allowed origin.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := h.m.policy.Load()
	switch c := p.classify(r); c.kind {
	case preflightRequest:
		p.preflight(w, r, c)
	case allowedRequest:
		p.serveAllowed(w, r, c.origins[0], h.next)
	default:
		p.withoutCORS(w, r, c)
		h.next.ServeHTTP(w, r)
	}
}

// Apply applies the policy to one request, for frameworks whose middleware
// is not func(http.Handler) http.Handler (gin, echo). It returns true when it
// answered a preflight itself: the caller must stop and write nothing more.
// Otherwise it has set the CORS headers (for an allowed origin) and Vary,
// and the caller goes on to its handlers.
//
// Register it ahead of every middleware that may answer on its own
// (authentication, rate limits, the framework's recovery), so that their
// 401s, 429s and 500s carry the headers too. Apply does not wrap the
// ResponseWriter: a handler that deletes its headers before writing loses
// them, which Handler prevents. It allocates once, for the header values.
func (m *Middleware) Apply(w http.ResponseWriter, r *http.Request) (answered bool) {
	p := m.policy.Load()
	switch c := p.classify(r); c.kind {
	case preflightRequest:
		p.preflight(w, r, c)
		return true
	case allowedRequest:
		vals := &[actualHeaders]string{p.allowOriginValue(c.origins[0])}
		p.setActualHeaders(w.Header(), vals)
	default:
		p.withoutCORS(w, r, c)
	}
	return false
}

type requestKind uint8

const (
	noCORS requestKind = iota // no Origin: same-origin or not from a browser
	preflightRequest
	refusedRequest
	allowedRequest
)

// corsRequest is what classify read of a request, so that no header is
// looked up twice.
type corsRequest struct {
	kind    requestKind
	origins []string // the Origin header lines
	methods []string // the Access-Control-Request-Method lines of a preflight
}

// classify sorts a request by the Fetch standard's definitions. A CORS
// preflight is an OPTIONS request with Origin and
// Access-Control-Request-Method (Fetch, "CORS-preflight request"); any other
// request with Origin is an actual request.
func (p *policy) classify(r *http.Request) corsRequest {
	origins, ok := r.Header[headerOrigin]
	if !ok || p == nil {
		return corsRequest{kind: noCORS}
	}
	if r.Method == http.MethodOptions {
		if methods, ok := r.Header[headerRequestMethod]; ok {
			return corsRequest{kind: preflightRequest, origins: origins, methods: methods}
		}
	}
	if len(origins) == 1 && p.allowsOrigin(origins[0]) {
		return corsRequest{kind: allowedRequest, origins: origins}
	}
	return corsRequest{kind: refusedRequest, origins: origins}
}

// withoutCORS answers a request that gets no CORS headers: it varies by
// Origin all the same, and a refusal is explained at Debug level.
func (p *policy) withoutCORS(w http.ResponseWriter, r *http.Request, c corsRequest) {
	addVary(w.Header(), "Origin", nil)
	if c.kind == refusedRequest {
		p.logRefused(r, func() string { return p.originRefusal(c.origins) })
	}
}

// allowsOrigin compares the request's origin with the allowed ones.
func (p *policy) allowsOrigin(origin string) bool {
	return p.anyOrigin || p.origins.Contains(origin)
}

// allowOriginValue is what Access-Control-Allow-Origin says to origin.
func (p *policy) allowOriginValue(origin string) string {
	if p.anyOrigin {
		return "*"
	}
	return origin
}
