package cors

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
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
// Routes assumes nothing about the router behind it. Routers read the same
// request target differently: %2F as a separator or not, "." and ".."
// segments and "//" cleaned or kept, ";" parameters dropped, a path matched
// case-insensitively or without its trailing slash, "/api" served as it
// stands where ServeMux would redirect it to "/api/". Routes matches every
// such reading; when they all choose one pattern, its policy applies, and
// when they choose different ones (say "/admin%2Fusers", which ServeMux
// reads under "/" and gin under "/admin/"), the request is served as if no
// pattern matched: no origin is allowed, a preflight is a 403, and the
// refusal reaches OnRefused and the log of the policy ServeMux would have
// chosen as [RouteAmbiguous]. A path over 8 KiB with more than one reading
// is refused so, unread. Host keys are matched as sent and as DNS reads them
// (lower-case, no trailing dot).
//
// Browsers resolve "." and ".." before sending, but send %2F, ";" and case
// as the page wrote them, so a page meets the refusal only for a path that
// straddles two keys that way, or one a slash short of its key ("/api" for
// an "/api/" key: request "/api/", or add an "/api" key).
//
// Patterns use the syntax of Go 1.22's ServeMux. A binary whose main module
// declares a go version below 1.22, or that runs with GODEBUG=httpmuxgo121=1,
// gets ServeMux's legacy matching, where "{id}" and "{$}" are literal text.
//
// A Routes is safe for concurrent use; each policy keeps its
// [Middleware.Reconfigure]. Choosing costs what ServeMux's matching costs, a
// few allocations per request, once per reading: a clean, lower-case path
// without escapes has one.
type Routes struct {
	mux      *http.ServeMux
	patterns map[string]int // pattern -> index in policies, for redirects
	// foldedMux holds the keys lower-cased, for routers that match paths
	// case-insensitively; a pattern two keys fold to maps to ambiguousMatch.
	foldedMux      *http.ServeMux
	foldedPatterns map[string]int // lower-cased pattern -> slot in folded
	folded         []int          // slot -> index in policies, or ambiguousMatch
	foldConflict   bool           // folding made two keys conflict otherwise
	foldCollision  bool           // two keys fold to one pattern: fold every path
	hostKeys       bool           // some key names a host
	exactKeys      bool           // some key matches a path without its subtree
	rootOnly       bool           // "/" is the only key: every reading chooses it
	policies       []*Middleware
	none           Middleware // the zero policy, for requests no pattern matches
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
// policy covers every method of its pattern), a segment in another router's
// syntax ("/api/*" or "/users/:id", which ServeMux reads as literal text;
// the fix is "/api/" or "/users/{id}"), two keys that conflict, a malformed
// pattern, a nil policy, an empty map. A key without a trailing slash, such
// as "/api", matches that one path and nothing beneath it: it is accepted,
// with a Warn record through its policy's Logger that names "/api/". NewRoutes
// keeps the Middleware pointers, not copies: a later Reconfigure of one
// applies to its pattern.
func NewRoutes(policies map[string]*Middleware) (*Routes, error) {
	keys := make([]string, 0, len(policies))
	for k := range policies {
		keys = append(keys, k)
	}
	sort.Strings(keys) // problems in a stable order
	rt := &Routes{
		mux: http.NewServeMux(), patterns: make(map[string]int, len(keys)),
		foldedMux: http.NewServeMux(), foldedPatterns: make(map[string]int, len(keys)),
	}
	var problems []*ConfigError
	add := func(key, reason, fix string) {
		problems = append(problems, &ConfigError{Field: "Routes", Value: key, Reason: reason, Fix: fix, Err: ErrInvalidRoute})
	}
	if len(keys) == 0 {
		add("", `has no patterns; map "/" to a policy for the whole site`, "")
	}
	var folded []int // foldedMux's routeIndex -> policy index, or ambiguousMatch
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
		if reason, fix, ok := foreignSyntax(pattern); ok {
			add(key, reason, fix)
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
		folded = rt.addFolded(folded, pattern, len(rt.policies))
		host, path, _ := strings.Cut(pattern, "/")
		rt.hostKeys = rt.hostKeys || host != ""
		rt.exactKeys = rt.exactKeys || isExactPath(path)
		rt.patterns[pattern] = len(rt.policies)
		rt.policies = append(rt.policies, policies[key])
	}
	if err := joinProblems(problems); err != nil {
		return nil, err
	}
	rt.folded = folded
	_, root := rt.patterns["/"]
	rt.rootOnly = root && len(rt.policies) == 1
	rt.warnExactKeys()
	return rt, nil
}

// addFolded registers pattern, lower-cased, in foldedMux. Two keys that fold
// to the same pattern make it ambiguous: a router that matches paths
// case-insensitively could serve either.
func (rt *Routes) addFolded(folded []int, pattern string, policy int) []int {
	lower := strings.ToLower(pattern)
	if slot, ok := rt.foldedPatterns[lower]; ok {
		folded[slot] = ambiguousMatch
		rt.foldCollision = true
		return folded
	}
	if handle(rt.foldedMux, lower, routeIndex(len(folded))) != nil {
		// Folding made it conflict with another key in some other way: no
		// folded reading can be trusted.
		rt.foldConflict, rt.foldCollision = true, true
		return folded
	}
	rt.foldedPatterns[lower] = len(folded)
	return append(folded, policy)
}

// isExactPath reports whether a pattern's path (after its first "/") matches
// one path, with or without a wildcard, rather than a subtree ("api/",
// "{path...}") or a path with its trailing slash ("status/{$}").
func isExactPath(path string) bool {
	return path != "" && !strings.HasSuffix(path, "/") && !strings.HasSuffix(path, "/{$}") && !strings.HasSuffix(path, "...}")
}

// foreignSyntax reports a pattern written in another router's syntax, which
// ServeMux would read as literal text and so match no request meant: a "*"
// segment (chi, echo, gin's "*path") or a ":name" segment (gin, echo,
// httprouter).
func foreignSyntax(pattern string) (reason, fix string, ok bool) {
	host, path, _ := strings.Cut(pattern, "/")
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case strings.HasPrefix(s, "*"):
			subtree := host + "/" + strings.Join(segs[:i], "/")
			if i > 0 {
				subtree += "/"
			}
			return `has a "` + s + `" segment, which ServeMux matches as the literal text ` + strconv.Quote(s) +
				`, not as everything beneath; a pattern ending in "/" covers its subtree`, subtree, true
		case strings.HasPrefix(s, ":") && len(s) > 1:
			segs[i] = "{" + s[1:] + "}"
			return `has a "` + s + `" segment, which ServeMux matches as the literal text ` + strconv.Quote(s) +
				`; a ServeMux wildcard is written in braces`, host + "/" + strings.Join(segs, "/"), true
		}
	}
	return "", "", false
}

// warnExactKeys logs, through each key's policy, a key that matches one path
// alone where a subtree was likely meant ("/api" rather than "/api/").
func (rt *Routes) warnExactKeys() {
	for pattern, i := range rt.patterns {
		_, path, _ := strings.Cut(pattern, "/")
		if !isExactPath(path) || strings.HasSuffix(path, "}") {
			continue // a wildcard's last segment is meant to be one segment
		}
		rt.policies[i].load().log().LogAttrs(context.Background(), slog.LevelWarn,
			"cors: Routes key matches one path alone, nothing beneath it",
			slog.String("key", pattern),
			slog.String("fix", `write "`+pattern+`/" for the path and everything beneath it`))
	}
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
// chooses for every reading of r's target (see [Routes]), or noMatch; and
// when the readings disagree, ambiguousMatch, with reporter the policy that
// reports it (the first one a reading chose), or noMatch.
func (rt *Routes) match(r *http.Request) (index, reporter int) {
	own := reading{host: r.Host, escaped: r.URL.EscapedPath()}
	native, redirected := matchIn(rt.mux, rt.patterns, r)
	if rt.rootOnly {
		return native, native // a "/" key alone: every reading chooses it
	}
	index = rt.unlessRedirected(r, own, native, redirected)
	if index == native && !rt.needsReadings(r, own.escaped) {
		return index, index
	}
	switch {
	case index != native:
	case len(own.escaped) > maxReadPath:
		index = ambiguousMatch // too long to read every way: fail closed
	default:
		var buf [maxReadings]reading
		for _, c := range rt.readings(buf[:0], r, own) {
			if index = rt.lookup(r, c); index != native {
				break
			}
		}
	}
	if index == native {
		return index, index
	}
	if reporter = native; reporter < 0 {
		reporter = index
	}
	return ambiguousMatch, reporter
}

// matchIn returns the index of the policy whose pattern mux chooses for r,
// or noMatch, and whether mux would redirect r there.
//
// When ServeMux would redirect (/api to /api/, an unclean path to its clean
// form), it is the pattern it names for the redirect, which
// [Routes.unlessRedirected] then holds against the path as it stands; a
// CONNECT request that would be redirected gets the zero policy, since
// ServeMux then names a path, not a pattern, and browsers never send
// CONNECT from a script.
func matchIn(mux *http.ServeMux, patterns map[string]int, r *http.Request) (index int, redirected bool) {
	h, pattern := mux.Handler(r)
	if i, ok := h.(routeIndex); ok {
		return int(i), false
	}
	if r.Method != http.MethodConnect {
		if i, ok := patterns[pattern]; ok {
			return i, true
		}
	}
	return noMatch, false
}

// noMatch is the index of no policy; ambiguousMatch, of no policy because
// two readings of the target choose different ones.
const (
	noMatch        = -1
	ambiguousMatch = -2
)

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
	return &routesHandler{rt: rt, handlers: hs, none: rt.none.Handler(next), next: next}
}

type routesHandler struct {
	rt       *Routes
	handlers []http.Handler // one per policy, in rt.policies' order
	none     http.Handler
	next     http.Handler
}

func (h *routesHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch i, reporter := h.rt.match(r); i {
	case noMatch:
		h.none.ServeHTTP(w, r)
	case ambiguousMatch:
		h.rt.policy(reporter).serveAmbiguous(w, r, h.next)
	default:
		h.handlers[i].ServeHTTP(w, r)
	}
}

// Apply applies the policy that r's host and path choose, as
// [Middleware.Apply] does, for frameworks whose middleware is not
// func(http.Handler) http.Handler. It returns true when it answered a
// preflight itself: the caller must stop and write nothing more.
func (rt *Routes) Apply(w http.ResponseWriter, r *http.Request) (answered bool) {
	switch i, reporter := rt.match(r); i {
	case noMatch:
		return rt.none.Apply(w, r)
	case ambiguousMatch:
		return rt.policy(reporter).applyAmbiguous(w, r)
	default:
		return rt.policies[i].Apply(w, r)
	}
}

// policy returns the policy in force at index i, or the zero policy's.
func (rt *Routes) policy(i int) *policy {
	if i < 0 {
		return rt.none.load()
	}
	return rt.policies[i].load()
}
