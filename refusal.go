package cors

import (
	"net/http"
	"strconv"
)

// RefusalKind says what part of a request the policy refused.
type RefusalKind uint8

// The kinds of [Refusal], in the order the middleware checks a request.
const (
	// OriginRefused: the Origin is not allowed.
	OriginRefused RefusalKind = iota + 1
	// MethodRefused: a preflight asked for a method the policy does not allow.
	MethodRefused
	// HeaderRefused: a preflight asked for a request header the policy does
	// not allow.
	HeaderRefused
	// MalformedRequest: a request that no browser sends, such as several
	// Origin lines or an Access-Control-Request-Headers list over the limits.
	MalformedRequest
	// RouteAmbiguous: [Routes] could not tell which key's policy applies,
	// because routers read the request's path under different keys (such
	// as "/admin%2Fusers"), and so allowed no origin.
	RouteAmbiguous
)

// RefusalKinds returns every [RefusalKind], in order, for metrics that create
// their series ahead of the first refusal.
func RefusalKinds() []RefusalKind {
	return []RefusalKind{OriginRefused, MethodRefused, HeaderRefused, MalformedRequest, RouteAmbiguous}
}

// String returns the kind's name, as in "origin_refused", suitable as a
// metric label.
func (k RefusalKind) String() string {
	switch k {
	case OriginRefused:
		return "origin_refused"
	case MethodRefused:
		return "method_refused"
	case HeaderRefused:
		return "header_refused"
	case MalformedRequest:
		return "malformed_request"
	case RouteAmbiguous:
		return "route_ambiguous"
	}
	return "RefusalKind(" + strconv.Itoa(int(k)) + ")"
}

// Refusal describes why the policy refused a request, for [Options.OnRefused].
type Refusal struct {
	Kind      RefusalKind
	Preflight bool // the request was a CORS preflight
	// Value is the offending origin, method or header name, cut to at most
	// [MaxRefusalValue] bytes. It comes from the request: never use it as a
	// metric label, whose cardinality anyone could then inflate.
	Value string
}

// MaxRefusalValue is the longest [Refusal.Value] passed to
// [Options.OnRefused], in bytes.
const MaxRefusalValue = 128

// refuse reports a refused request to the OnRefused hook and explains it at
// Debug level. reason runs only when Debug is enabled.
func (p *policy) refuse(r *http.Request, why Refusal, reason func() string) {
	if p.onRefused != nil {
		why.Value = truncate(why.Value, MaxRefusalValue)
		p.callOnRefused(r, why)
	}
	p.logRefused(r, reason)
}

// callOnRefused runs the hook; a panic in it is logged, never passed on, so
// a broken metric never breaks a request.
func (p *policy) callOnRefused(r *http.Request, why Refusal) {
	defer func() {
		if v := recover(); v != nil {
			p.logHookPanic(r, v)
		}
	}()
	p.onRefused(r, why)
}

// truncate cuts s to at most n bytes without allocating.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
