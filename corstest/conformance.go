package corstest

import (
	"net/http"
	"testing"
)

// Policy is what an adapter applies to each request: a [*cors.Middleware]
// or a [*cors.Routes]. It has the method set of the adapters' own Policy
// types, so a value of it passes to them unchanged.
type Policy interface {
	Apply(w http.ResponseWriter, r *http.Request) (answered bool)
}

// Origins that [Conformance] sends.
const (
	// ConformanceOrigin is the origin the kit's site policy allows, with
	// credentials, PUT and the Authorization header: the single policy of
	// the Middleware run, and the "/" key of the Routes run.
	ConformanceOrigin = "https://app.example.com"
	// ConformanceAdminOrigin is the only origin the Routes run's "/admin/"
	// key allows, with credentials, PUT, DELETE and Authorization.
	ConformanceAdminOrigin = "https://admin.example.com"
	// ConformanceForeign is an origin every policy of the kit refuses.
	ConformanceForeign = "https://evil.example.net"
)

// Route is one route that [Conformance] asks serve to register with the
// framework's router.
type Route struct {
	// Method is the route's method: GET or OPTIONS.
	Method string
	// Path is a literal path, with no parameter or wildcard, so every
	// router's syntax accepts it as it is.
	Path string
	// Handler serves the route; mount it through the framework's wrapper
	// for an [http.Handler] (gin.WrapH, echo.WrapHandler).
	Handler http.Handler
}

// Conformance proves that a framework adapter keeps the library's
// guarantees, as subtests of t: once for a [*cors.Middleware] (subtest
// "Middleware") and once for a [*cors.Routes] with four policies (subtest
// "Routes"). Each guarantee is one subtest, named after it, whose messages
// say what broke.
//
// serve builds the framework's server the way the adapter's documentation
// tells users to: the framework's own router, the adapter applying policy
// to every request, and the framework's own panic recovery behind it. It
// registers each of routes, and nothing else, with the framework's router:
//
//	for _, rt := range routes {
//		router.Handle(rt.Method, rt.Path, wrap(rt.Handler))
//	}
//
// The routes are GET /items, OPTIONS /items (which no preflight may
// reach), GET /panic (which panics), GET /stream (which flushes a chunk,
// then waits for the client to read it), GET /conn (which needs
// [http.Flusher], [http.Hijacker] and [http.ResponseController]'s
// deadlines, then hijacks the connection), GET /admin/items and GET
// /public/items. Each handler records which key's route it is, so the kit
// knows which handler the router ran. serve is called once per guarantee.
//
// The guarantees, in order: PreflightBeforeRouter, RefusedPreflight,
// AllowedRequest, RefusedRequest, NoOrigin (no Origin still gets Vary:
// Origin), OptionsNotPreflight (an OPTIONS that is no preflight reaches
// its route), OneRefusalReport (OnRefused once per refusal),
// UnmatchedRoute (the router's 404 carries the headers),
// PanicThroughRecovery, UpstreamHeadersReplaced, Stream, WriterInterfaces;
// and in the Routes run PolicyPerRoute and HostilePaths.
//
// The Routes run's keys are "/admin/" (only [ConformanceAdminOrigin]), "/"
// (only [ConformanceOrigin]), "/public/" ("*") and "partner.example.com/"
// (only https://partner.example.com); the last two without credentials.
// HostilePaths sends raw HTTP/1.1 request lines to an [httptest.Server],
// so the framework's router sees the bytes an attacker sends: whatever it
// makes of a hostile path (%2F, dot segments, //, case, a trailing slash,
// ;params, %00, an overlong or absolute-form target), the handler that ran
// must have got its own key's policy or a stricter one.
//
// A server that lets a panic escape, or that does not answer within a few
// seconds, fails the guarantee being checked; it does not crash or hang
// the test binary.
//
// Ownership is asserted only for headers set before the adapter runs: an
// adapter built on Apply sets the headers on the way in and cannot undo
// what a handler writes after it; [cors.Middleware.Handler] guards those
// too, through its writer.
func Conformance(t *testing.T, serve func(policy Policy, routes []Route) http.Handler) {
	t.Helper()
	for _, run := range runs {
		t.Run(run.name, func(t *testing.T) {
			for _, g := range run.guarantees {
				t.Run(g.name, func(t *testing.T) { g.check(t, newFixture(t, serve, run.routes)) })
			}
		})
	}
}

// reporter is the part of [testing.T] a guarantee reports to. The kit's own
// tests pass a recorder, so that a broken adapter's failures are captured.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// guarantee is one promise of the README that an adapter must keep, and the
// check that holds it.
type guarantee struct {
	name  string
	check func(t reporter, f *fixture)
}

// kitRun is one policy the kit serves through the adapter, and what it checks.
type kitRun struct {
	name       string
	routes     bool // the policy is a *cors.Routes with several keys
	guarantees []guarantee
}

// everyPolicy holds for a single Middleware and for Routes alike.
var everyPolicy = []guarantee{
	{"PreflightBeforeRouter", checkPreflightBeforeRouter},
	{"RefusedPreflight", checkRefusedPreflight},
	{"AllowedRequest", checkAllowedRequest},
	{"RefusedRequest", checkRefusedRequest},
	{"NoOrigin", checkNoOrigin},
	{"OptionsNotPreflight", checkOptionsNotPreflight},
	{"OneRefusalReport", checkOneRefusalReport},
	{"UnmatchedRoute", checkUnmatchedRoute},
	{"PanicThroughRecovery", checkPanicThroughRecovery},
	{"UpstreamHeadersReplaced", checkUpstreamHeadersReplaced},
	{"Stream", checkStream},
	{"WriterInterfaces", checkWriterInterfaces},
}

// runs is what Conformance runs, in order.
var runs = []kitRun{
	{name: "Middleware", guarantees: everyPolicy},
	{name: "Routes", routes: true, guarantees: append(append([]guarantee(nil), everyPolicy...),
		guarantee{"PolicyPerRoute", checkPolicyPerRoute},
		guarantee{"HostilePaths", checkHostilePaths},
	)},
}
