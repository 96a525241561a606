// Package cors is net/http middleware that applies one CORS policy, as the
// WHATWG Fetch standard defines the protocol and browsers enforce it.
//
// Origins match byte for byte (or label by label for patterns such as
// "https://*.example.com"); preflights are answered by the middleware, so
// that a refused method or header is named in the browser's console; [New]
// refuses unsafe or impossible configurations with the fix; and every
// response carries exactly the policy's CORS headers, whatever the handler
// or an upstream wrote, a recovered panic's 500 included, so a crash never
// shows up in the browser as a CORS error. [Options.OnRefused] reports each
// refusal, for metrics.
package cors

import (
	"net/http"
	"sync/atomic"

	"github.com/corsguard/cors/internal/headerlist"
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
// [Middleware.Reconfigure]. The zero Middleware allows no origin.
type Middleware struct {
	policy atomic.Pointer[policy]
	limits logLimits // shared by every policy this Middleware applies
}

// New validates o and returns a Middleware that applies it: wrap a handler
// with [Middleware.Handler], or call [Middleware.Apply] from a framework's
// middleware. The error joins one [*ConfigError] per problem found; nothing
// is half-configured. New copies what it keeps, so later changes to o's
// slices have no effect.
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
	p.limits = &m.limits
	m.policy.Store(p)
	return nil
}

// load returns the policy in force; the zero Middleware's allows no origin.
func (m *Middleware) load() *policy {
	if p := m.policy.Load(); p != nil {
		return p
	}
	return denyAll
}

var denyAll = &policy{headers: headerlist.NewSet(nil), limits: &logLimits{}}

// Handler wraps next so that the policy applies to every request it serves.
//
// Preflights are answered without calling next. Every other request runs
// next behind a ResponseWriter that owns the response's CORS headers: when
// the status is sent, every Access-Control-* header the handler (or an inner
// middleware, or an upstream behind a reverse proxy) wrote, in any spelling,
// is replaced by exactly what the policy says for the request's origin, and
// Vary names Origin whenever the answer depends on it. A panic before the
// status is sent becomes a 500 that carries those headers.
//
// Put it outermost: before routers (a Go 1.22 "GET /api" pattern answers
// OPTIONS with 405), authentication (a 401 to a preflight is a CORS error)
// and recovery middleware. For HTTP/2 without TLS, prefer
// [http.Server.Protocols] with unencrypted HTTP/2, where it simply wraps the
// mux; with golang.org/x/net/http2/h2c it goes inside,
// h2c.NewHandler(m.Handler(mux), h2s), never outside: h2c serves HTTP/2
// streams with the handler it wraps, so a middleware around it sees only a
// connection's first request. Its signature fits http.Handle, chi's Use and
// alice chains.
func (m *Middleware) Handler(next http.Handler) http.Handler {
	return &handler{m: m, next: next}
}

type handler struct {
	m    *Middleware
	next http.Handler
}

// ServeHTTP follows the shape of one CORS request: a preflight is answered
// here, anything else is served by next behind the writer.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := h.m.load()
	origins := r.Header[headerOrigin]
	if len(origins) == 0 && !p.anyOrigin {
		p.serve(w, r, "", h.next) // most traffic: no CORS, nothing more to read
		return
	}
	if methods, ok := preflightMethods(r, origins); ok {
		p.preflight(w, r, corsRequest{origins: origins, methods: methods})
		return
	}
	p.serve(w, r, p.actualAllowOrigin(r, origins), h.next)
}

// Apply applies the policy to one request, for frameworks whose middleware
// is not func(http.Handler) http.Handler (gin, echo). It returns true when it
// answered a preflight itself: the caller must stop and write nothing more.
// Otherwise it has set the response's CORS headers and Vary, replacing any
// Access-Control-* header already there, and the caller goes on to its
// handlers.
//
// Register it ahead of every middleware that may answer on its own
// (authentication, rate limits, the framework's recovery), so that their
// 401s, 429s and 500s carry the headers too. Apply does not wrap the
// ResponseWriter: what handlers do to the headers afterwards is theirs, and
// a panic is the framework's recovery's to answer; [Middleware.Handler]
// guards both. It allocates once, for the header values.
func (m *Middleware) Apply(w http.ResponseWriter, r *http.Request) (answered bool) {
	p := m.load()
	origins := r.Header[headerOrigin]
	if methods, ok := preflightMethods(r, origins); ok {
		p.preflight(w, r, corsRequest{origins: origins, methods: methods})
		return true
	}
	vals := &actualValues{}
	vals.allowOrigin[0] = p.actualAllowOrigin(r, origins)
	p.setActualHeaders(w.Header(), vals)
	return false
}

// preflightMethods reports whether r, whose Origin lines are origins, is a
// CORS preflight, and returns its Access-Control-Request-Method lines: an
// OPTIONS request with Origin and Access-Control-Request-Method (Fetch,
// "CORS-preflight request"). Any other request with Origin is an actual
// request.
func preflightMethods(r *http.Request, origins []string) (methods []string, ok bool) {
	if len(origins) == 0 || r.Method != http.MethodOptions {
		return nil, false
	}
	methods, ok = r.Header[headerRequestMethod]
	return methods, ok
}

// corsRequest is what was read of a preflight, so that no header is looked
// up twice.
type corsRequest struct {
	origins []string // the Origin header lines
	methods []string // the Access-Control-Request-Method lines
	headers []string // the Access-Control-Request-Headers lines, once read
}

// actualAllowOrigin is the Access-Control-Allow-Origin value of the response
// to an actual request whose Origin lines are origins, or "" for none; it
// reports a refused origin.
func (p *policy) actualAllowOrigin(r *http.Request, origins []string) string {
	switch {
	case p.anyOrigin:
		// The same answer for every origin, and for none: caches need not
		// split by Origin (Fetch, "CORS protocol and HTTP caches").
		return "*"
	case len(origins) == 0:
		return "" // not a CORS request
	case len(origins) == 1 && p.allowsListedOrigin(r.Context(), origins[0]):
		return origins[0]
	}
	p.refuse(r, originRefusal(origins, false), func() string { return p.originReason(origins) })
	return ""
}

// originRefusal describes a refused Origin.
func originRefusal(origins []string, preflight bool) Refusal {
	if len(origins) != 1 {
		return Refusal{Kind: MalformedRequest, Preflight: preflight, Value: headerOrigin}
	}
	return Refusal{Kind: OriginRefused, Preflight: preflight, Value: origins[0]}
}

// allowOriginValue is what Access-Control-Allow-Origin says to origin.
func (p *policy) allowOriginValue(origin string) string {
	if p.anyOrigin {
		return "*"
	}
	return origin
}
