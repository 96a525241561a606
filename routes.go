package cors

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// ErrInvalidRoute is returned by [NewRoutes] for a key that is not an
// [http.ServeMux] pattern without a method, for two keys that conflict, for
// a nil policy and for an empty map.
var ErrInvalidRoute = errors.New("invalid route")

// Routes applies one policy per part of a site, chosen by the request's
// host and path as http.ServeMux chooses a handler, before any router runs.
//
// A request is served by the [Middleware] of the most specific pattern that
// matches it, whatever its method, so a preflight for /api/items is answered
// by the "/api/" policy even when the router behind has no OPTIONS route.
// A "/" key is the default. A request that no pattern matches is served as
// the zero Middleware serves it: no origin is allowed (fail closed).
//
// Patterns use the syntax of Go 1.22's ServeMux. A binary whose main module
// declares a go version below 1.22, or that runs with GODEBUG=httpmuxgo121=1,
// gets ServeMux's legacy matching, where "{id}" and "{$}" are literal text.
//
// A Routes is safe for concurrent use; each policy keeps its
// [Middleware.Reconfigure]. Choosing costs what ServeMux's matching costs, a
// few allocations per request whatever its path, on top of the policy's own.
type Routes struct {
	mux      *http.ServeMux
	patterns map[string]int // pattern -> index in policies, for redirects
	policies []*Middleware
	none     Middleware // the zero policy, for requests no pattern matches
}

// routeIndex is what Routes registers in its ServeMux: it names a policy and
// is never served.
type routeIndex int

func (routeIndex) ServeHTTP(http.ResponseWriter, *http.Request) {}

// NewRoutes returns a Routes that applies policies[pattern] to the requests
// pattern matches. Keys are [http.ServeMux] patterns without a method, such
// as "/api/", "/public/{$}", "api.example.com/" or "/tenants/{id}/files/".
//
// The error joins one [*ConfigError] per problem, each wrapping
// [ErrInvalidRoute]: a method in a key (CORS preflights use OPTIONS, so a
// policy covers every method of its pattern), two keys that conflict, a
// malformed pattern, a nil policy, an empty map. NewRoutes keeps the
// Middleware pointers, not copies: a later Reconfigure of one applies to
// its pattern.
func NewRoutes(policies map[string]*Middleware) (*Routes, error) {
	keys := make([]string, 0, len(policies))
	for k := range policies {
		keys = append(keys, k)
	}
	sort.Strings(keys) // problems in a stable order
	rt := &Routes{mux: http.NewServeMux(), patterns: make(map[string]int, len(keys))}
	var problems []*ConfigError
	add := func(key, reason, fix string) {
		problems = append(problems, &ConfigError{Field: "Routes", Value: key, Reason: reason, Fix: fix, Err: ErrInvalidRoute})
	}
	if len(keys) == 0 {
		add("", `has no patterns; map "/" to a policy for the whole site`, "")
	}
	for _, key := range keys {
		if policies[key] == nil {
			add(key, "has a nil policy; build it with New", "")
		}
		pattern, methodReason, fix := key, "", ""
		if method, rest, ok := splitMethod(key); ok {
			pattern, fix = rest, rest
			methodReason = "names the method " + method + ": CORS preflights use OPTIONS, so a policy covers every method"
		}
		if key == "" {
			add(key, `has an empty pattern; write "/" for the whole site`, "")
			continue
		}
		if err := handle(rt.mux, pattern, routeIndex(len(rt.policies))); err != nil {
			if methodReason != "" {
				add(key, methodReason+"; and without it, "+err.Error(), "")
			} else {
				add(key, err.Error(), "")
			}
			continue
		}
		if methodReason != "" {
			add(key, methodReason, fix)
		}
		rt.patterns[pattern] = len(rt.policies)
		rt.policies = append(rt.policies, policies[key])
	}
	if err := joinProblems(problems); err != nil {
		return nil, err
	}
	return rt, nil
}

// splitMethod splits "GET /api/" as ServeMux does: what precedes the first
// space or tab is a method, unless it looks like a host or path, which
// ServeMux then reports as malformed.
func splitMethod(key string) (method, rest string, ok bool) {
	i := strings.IndexAny(key, " \t")
	if i <= 0 || strings.ContainsAny(key[:i], "/{}.") {
		return "", "", false
	}
	return key[:i], strings.TrimLeft(key[i+1:], " \t"), true
}

// dropRegisteredAt removes the " (registered at file:line)" parts of
// ServeMux's conflict message: they name our own source lines, which would
// only confuse the reader.
func dropRegisteredAt(msg string) string {
	const open = " (registered at "
	for {
		i := strings.Index(msg, open)
		if i < 0 {
			return msg
		}
		j := strings.IndexByte(msg[i:], ')')
		if j < 0 {
			return msg[:i]
		}
		msg = msg[:i] + msg[i+j+1:]
	}
}

// handle registers pattern, turning ServeMux's panic into an error whose
// text reads as a reason.
func handle(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if v := recover(); v != nil {
			msg := strings.TrimPrefix(fmt.Sprint(v), "http: ")
			msg = dropRegisteredAt(msg)
			// The key is already the ConfigError's Value.
			msg = strings.TrimPrefix(msg, fmt.Sprintf("pattern %q ", pattern))
			msg = strings.TrimPrefix(msg, fmt.Sprintf("parsing %q: ", pattern))
			err = errors.New(strings.Join(strings.Fields(msg), " "))
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

// match returns the index of r's policy: the one whose pattern ServeMux
// would choose, or noMatch.
//
// When ServeMux would redirect (/api to /api/, an unclean path to its clean
// form), the policy of the pattern it names for the redirect applies, so the
// redirect a browser follows carries the headers of where it leads; a
// CONNECT request that would be redirected gets the zero policy, since
// ServeMux then names a path, not a pattern, and browsers never send
// CONNECT from a script.
func (rt *Routes) match(r *http.Request) int {
	h, pattern := rt.mux.Handler(r)
	if i, ok := h.(routeIndex); ok {
		return int(i)
	}
	if r.Method != http.MethodConnect {
		if i, ok := rt.patterns[pattern]; ok {
			return i
		}
	}
	return noMatch
}

const noMatch = -1

// Handler wraps next so that every request it serves goes through the
// policy its host and path choose, with every guarantee of
// [Middleware.Handler]: preflights answered without calling next, the
// response's CORS headers owned, a panic turned into a readable 500. Put it
// outermost, as Middleware.Handler.
func (rt *Routes) Handler(next http.Handler) http.Handler {
	hs := make([]http.Handler, len(rt.policies))
	for i, m := range rt.policies {
		hs[i] = m.Handler(next)
	}
	return &routesHandler{rt: rt, handlers: hs, none: rt.none.Handler(next)}
}

type routesHandler struct {
	rt       *Routes
	handlers []http.Handler // one per policy, in rt.policies' order
	none     http.Handler
}

func (h *routesHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if i := h.rt.match(r); i != noMatch {
		h.handlers[i].ServeHTTP(w, r)
		return
	}
	h.none.ServeHTTP(w, r)
}

// Apply applies the policy that r's host and path choose, as
// [Middleware.Apply] does, for frameworks whose middleware is not
// func(http.Handler) http.Handler. It returns true when it answered a
// preflight itself: the caller must stop and write nothing more.
func (rt *Routes) Apply(w http.ResponseWriter, r *http.Request) (answered bool) {
	if i := rt.match(r); i != noMatch {
		return rt.policies[i].Apply(w, r)
	}
	return rt.none.Apply(w, r)
}
