package corstest

import (
	"net/http"
	"slices"
	"strings"
)

// checkPreflightBeforeRouter: an allowed preflight is answered by the
// adapter exactly as the policy's own Handler answers it (204, the allow
// headers), before the router, so its OPTIONS route never runs.
func checkPreflightBeforeRouter(t reporter, f *fixture) {
	res := do(t, f.h, preflightReq("/items", ConformanceOrigin, http.MethodPut, preflightHeader))
	if res.StatusCode != http.StatusNoContent {
		t.Errorf("%s: status %d, want 204: the adapter must answer the preflight itself, before the router", what(res), res.StatusCode)
	}
	assertAsThePolicyAnswers(t, f, res)
	assertNotReached(t, f, res)
}

// checkRefusedPreflight: a refused origin's preflight is a 403 without
// CORS headers or Vary; a refused method's is the policy's 204 that names
// the allowed methods, without Max-Age. Neither reaches the router.
func checkRefusedPreflight(t reporter, f *fixture) {
	res := do(t, f.h, preflightReq("/items", ConformanceForeign, http.MethodPut, preflightHeader))
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("%s from a refused origin: status %d, want 403", what(res), res.StatusCode)
	}
	assertNoACHeaders(t, res)
	if v := res.Header.Values("Vary"); len(v) != 0 {
		t.Errorf("%s from a refused origin: Vary: %q, want none on a 403 no cache stores", what(res), v)
	}
	assertNotReached(t, f, res)
	res = do(t, f.h, preflightReq("/items", ConformanceOrigin, refusedMethod, ""))
	assertAsThePolicyAnswers(t, f, res)
	if v := res.Header.Get("Access-Control-Max-Age"); v != "" {
		t.Errorf("%s of a refused method: Access-Control-Max-Age %q, want none", what(res), v)
	}
	assertNotReached(t, f, res)
}

// assertAsThePolicyAnswers compares res, the adapter's answer to a
// preflight, with the answer of the policy's own Handler.
func assertAsThePolicyAnswers(t reporter, f *fixture, res *http.Response) {
	t.Helper()
	r := res.Request.Clone(res.Request.Context())
	want := do(t, f.reference, r)
	if res.StatusCode != want.StatusCode {
		t.Errorf("%s: status %d, want %d as the policy's own Handler answers", what(res), res.StatusCode, want.StatusCode)
	}
	for _, name := range corsNames(res.Header, want.Header) {
		if got, w := res.Header.Values(name), want.Header.Values(name); !slices.Equal(got, w) {
			t.Errorf("%s: %s %q, want %q as the policy's own Handler answers", what(res), name, got, w)
		}
	}
}

// corsNames lists the Access-Control-* and Vary names in a or b.
func corsNames(a, b http.Header) []string {
	names := []string{"Vary"}
	for _, h := range []http.Header{a, b} {
		for name := range h {
			if strings.HasPrefix(name, "Access-Control-") && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	return names
}

func assertNotReached(t reporter, f *fixture, res *http.Response) {
	t.Helper()
	if n := f.reached.Load(); n != 0 {
		t.Errorf("%s: a preflight reached the router's handler (%d times): the adapter must answer it and stop the chain", what(res), n)
	}
}

// checkAllowedRequest: an allowed origin's request runs the handler and
// carries the policy's headers and Vary: Origin.
func checkAllowedRequest(t reporter, f *fixture) {
	res := do(t, f.h, getReq("/items", ConformanceOrigin))
	assertStatusBody(t, res, http.StatusOK, "ok")
	assertAllowed(t, res)
}

// checkRefusedRequest: a refused origin's request runs the handler and
// carries no CORS header, but Vary: Origin.
func checkRefusedRequest(t reporter, f *fixture) {
	res := do(t, f.h, getReq("/items", ConformanceForeign))
	assertStatusBody(t, res, http.StatusOK, "ok")
	assertNoACHeaders(t, res)
	assertVaryOrigin(t, res)
}

// checkNoOrigin: a request without Origin (same-origin, curl) goes
// through the policy too: no CORS header, and Vary: Origin, so that a cache
// never serves it to a cross-origin request.
func checkNoOrigin(t reporter, f *fixture) {
	res := do(t, f.h, getReq("/items", ""))
	assertStatusBody(t, res, http.StatusOK, "ok")
	assertNoACHeaders(t, res)
	if !varies(res.Header, "Origin") {
		t.Errorf("%s without Origin: Vary %q, want Origin: the adapter must apply the policy to requests without Origin too", what(res), res.Header.Values("Vary"))
	}
}

// checkOptionsNotPreflight: an OPTIONS request without Origin or without
// Access-Control-Request-Method is no preflight; it reaches the router's
// OPTIONS route like any request.
func checkOptionsNotPreflight(t reporter, f *fixture) {
	noMethod := originReq(http.MethodOptions, "/items", ConformanceOrigin)
	for _, r := range []*http.Request{noMethod, preflightReq("/items", "", http.MethodPut, ""), originReq(http.MethodOptions, "/items", "")} {
		before := f.reached.Load()
		res := do(t, f.h, r)
		if f.reached.Load() == before {
			t.Errorf("%s (Origin %q, Access-Control-Request-Method %q) is no preflight, yet it never reached the OPTIONS route (status %d): the adapter must answer only preflights",
				what(res), r.Header.Get("Origin"), r.Header.Get("Access-Control-Request-Method"), res.StatusCode)
			continue
		}
		assertStatusBody(t, res, http.StatusOK, "options")
		if r == noMethod {
			assertAllowed(t, res)
		}
	}
}

// checkOneRefusalReport: each refused request is reported once to
// OnRefused, and an allowed one never.
func checkOneRefusalReport(t reporter, f *fixture) {
	cases := []struct {
		r    *http.Request
		want int64
	}{
		{getReq("/items", ConformanceOrigin), 0},
		{getReq("/items", ConformanceForeign), 1},
		{preflightReq("/items", ConformanceForeign, http.MethodPut, ""), 1},
		{preflightReq("/items", ConformanceOrigin, refusedMethod, ""), 1},
	}
	for _, c := range cases {
		f.refusals.Store(0)
		res := do(t, f.h, c.r)
		if n := f.refusals.Load(); n != c.want {
			t.Errorf("%s from %s: OnRefused called %d times, want %d: the adapter must apply the policy once per request",
				what(res), c.r.Header.Get("Origin"), n, c.want)
		}
	}
}

// checkUnmatchedRoute: the framework's answer to a path it has no route
// for carries the CORS headers, as every status does.
func checkUnmatchedRoute(t reporter, f *fixture) {
	res := do(t, f.h, getReq("/nowhere", ConformanceOrigin))
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != ConformanceOrigin {
		t.Errorf("%s: the router's %d carries Access-Control-Allow-Origin %q, want %q: apply the policy to every request, before the router",
			what(res), res.StatusCode, got, ConformanceOrigin)
	}
	assertVaryOrigin(t, res)
}

// checkPanicThroughRecovery: a panic in the handler is a 500 from the
// framework's recovery that carries the CORS headers.
func checkPanicThroughRecovery(t reporter, f *fixture) {
	res := do(t, f.h, getReq("/panic", ConformanceOrigin))
	if res.StatusCode != http.StatusInternalServerError {
		t.Errorf("%s: status %d, want 500 from the framework's recovery", what(res), res.StatusCode)
	}
	assertAllowed(t, res)
}

// checkUpstreamHeadersReplaced: Access-Control-* headers set before the
// framework's server are replaced by the policy's, and a Vary set there is
// kept, with Origin added.
func checkUpstreamHeadersReplaced(t reporter, f *fixture) {
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Add("Access-Control-Allow-Origin", ConformanceForeign)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Accept-Encoding")
		f.h.ServeHTTP(w, r)
	})
	res := do(t, up, getReq("/items", ConformanceOrigin))
	assertAllowed(t, res)
	res = do(t, up, getReq("/items", ConformanceForeign))
	assertNoACHeaders(t, res)
	assertVaryOrigin(t, res)
	if !varies(res.Header, "Accept-Encoding") {
		t.Errorf("%s: Vary %q, want Accept-Encoding, set upstream, kept", what(res), res.Header.Values("Vary"))
	}
}
