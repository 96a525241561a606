package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
	"github.com/corsguard/cors/internal/method"
)

// This file asks the server the few extra questions that tell apart causes
// the failing response alone cannot: who refused a preflight with 403, and
// whether a cache served the answer. Probes run only after a failure, each
// is one request, and every one is shown in the report as a "probe" step.

// maxHeaderProbes bounds the preflights sent one header at a time.
const maxHeaderProbes = 4

// probeFindings is what the 403 probes showed.
type probeFindings struct {
	diagnosis Diagnosis // "" when the probes could not tell
	value     string    // the refused method or header name
	// getAllowed is set when a plain GET from the same origin passed, so
	// the allow-list admits the origin.
	getAllowed bool
}

// cacheFindings is what the cache-busting repeat showed.
type cacheFindings struct {
	stored           bool   // the repeat passed: a cache served the failing answer
	varies           bool   // the failing answer says Vary: Origin
	freshAllowOrigin string // the repeat's Access-Control-Allow-Origin
}

// probe runs the probes that apply to the failure in e, if any.
func (c *checker) probe(ctx context.Context, e *evidence) {
	code, status, h := e.f.Code, e.resp.status, e.resp.header
	plain := !e.r.Tainted && len(otherCORSHeaders(h)) == 0
	switch {
	case e.kind == kindPreflight && code == fetch.MissingAllowOriginHeader && status == http.StatusForbidden &&
		plain && h.Get("WWW-Authenticate") == "":
		e.probe = c.probe403(ctx, e)
	case e.kind == kindPreflight && (code == fetch.MethodDisallowedByPreflightResponse || code == fetch.HeaderDisallowedByPreflightResponse) &&
		!e.r.Tainted && cacheSuggested(e.resp):
		// A cache may serve a preflight answer stored for another method
		// or header list.
		e.cache = c.bustCache(ctx, e)
	case e.kind == kindPreflight && code == fetch.MissingAllowOriginHeader && plain &&
		(status >= 200 && status < 300 || status == http.StatusNotFound || status == http.StatusMethodNotAllowed):
		// Answered before the CORS layer, or a URL nothing serves: a
		// plain GET tells, and shows the application's own answer.
		e.probe = c.probePlainGet(ctx, e)
	case code == fetch.MissingAllowOriginHeader && plain && limitKind(e.resp) != "" && e.app == nil && !ownsPage(e.resp):
		// Whose limit: the application's answer to a request within
		// every limit shows whether the refusal differs from it.
		e.probe = c.probePlainGet(ctx, e)
	case e.kind == kindRequest && (code == fetch.MissingAllowOriginHeader || code == fetch.AllowOriginMismatch) &&
		(e.r.Method == http.MethodGet || e.r.Method == http.MethodHead) && !e.r.Tainted &&
		(plain || cacheSuggested(e.resp)) && status < 400 && !fetch.IsRedirectStatus(status):
		// Shared caches store successful answers; an error is the error's.
		e.cache = c.bustCache(ctx, e)
	}
}

// probePlainGet asks whether the origin may GET at all, when a preflight
// got a 2xx, 404 or 405 without CORS headers: if it may, something before
// the CORS layer answered OPTIONS itself, and the allow-list is not to
// blame; if GET gets the same 404, nothing serves the path. Its answer is
// the application's own, to compare the failing one with.
func (c *checker) probePlainGet(ctx context.Context, e *evidence) *probeFindings {
	r := e.r
	get := &fetch.Request{URL: r.URL, InitialURL: r.URL, Origin: r.Origin, Method: http.MethodGet}
	step, resp, err := c.send(ctx, kindProbe, http.MethodGet, r.URL, get.RequestHeaders())
	step.Notes = append(step.Notes, "is origin "+r.Origin+" allowed at all? The same origin on a plain GET")
	if err != nil {
		return nil
	}
	e.learnApp(resp)
	step.setOutcome(nil)
	if fetch.CheckCORS(get, resp.header, false) != nil {
		step.Outcome = outcomeFail
		if e.kind == kindPreflight && e.resp.status == http.StatusNotFound && resp.status == http.StatusNotFound {
			return &probeFindings{diagnosis: diagPathNotServed}
		}
		return nil
	}
	return &probeFindings{getAllowed: true}
}

// learnApp keeps resp as the application's own answer when it is one a
// request within every limit got, and none is known yet.
func (e *evidence) learnApp(resp response) {
	if e.app == nil && resp.status < 400 {
		e.app = &resp
	}
}

// probe403 tells a CORS layer's refusal of the origin, the method or a
// header from a firewall, an auth layer or a proxy rule that refuses
// OPTIONS: the same origin on a plain GET, then the preflight without the
// request headers, then one header at a time, then a preflight for GET.
func (c *checker) probe403(ctx context.Context, e *evidence) *probeFindings {
	r := e.r
	get := &fetch.Request{URL: r.URL, InitialURL: r.URL, Origin: r.Origin, Method: http.MethodGet}
	step, resp, err := c.send(ctx, kindProbe, http.MethodGet, r.URL, get.RequestHeaders())
	step.Notes = append(step.Notes, "is origin "+r.Origin+" allowed at all? The same origin on a plain GET")
	if err != nil {
		return nil
	}
	e.learnApp(resp)
	step.setOutcome(nil)
	if fetch.CheckCORS(get, resp.header, false) != nil {
		step.Outcome = outcomeFail
		return getRefused(e, resp)
	}
	return c.narrow403(ctx, e)
}

// getRefused tells, when a plain GET from the origin was refused too, who
// refuses: authentication, the CORS layer, or a layer's own page.
func getRefused(e *evidence, get response) *probeFindings {
	_, page := ownPage(e.resp)
	switch {
	case authAnswer(get) || fetch.IsRedirectStatus(get.status) && loginLocation(get.header.Get("Location")):
		// The GET went to a sign-in too: authentication in front.
		return &probeFindings{diagnosis: diagAuthBeforeCORS}
	case corsLayerRefusal(e.resp), variesByOrigin(get.header) && get.status < 400:
		return &probeFindings{diagnosis: diagCORSRefusedOrigin}
	case page && get.status == http.StatusForbidden:
		return &probeFindings{diagnosis: diagBlockedBeforeCORS}
	case page:
		return &probeFindings{diagnosis: diagProxyRefusedOptions}
	}
	return nil
}

// narrow403 finds, once the origin may GET, what the 403 refuses: a
// header, the method, or OPTIONS itself.
func (c *checker) narrow403(ctx context.Context, e *evidence) *probeFindings {
	r := e.r
	if unsafe := fetch.UnsafeHeaderNames(r.Headers); len(unsafe) > 0 {
		ok, err := c.probePreflight(ctx, r, r.Method, nil, "the same preflight without Access-Control-Request-Headers")
		if err != nil {
			return nil
		}
		if ok {
			return c.probeHeaders(ctx, e, unsafe)
		}
	}
	if !method.IsSafelisted(r.Method) {
		ok, err := c.probePreflight(ctx, r, http.MethodGet, nil, "a preflight for GET, which every CORS layer allows")
		if err != nil {
			return nil
		}
		if ok {
			return refusedBy(e, r.Method)
		}
	}
	// Even the plainest preflight is refused: something in front of the
	// CORS layer refuses OPTIONS.
	if corsLayerRefusal(e.resp) {
		return nil
	}
	return refusedBy(e, "")
}

// probeHeaders sends the preflight with one request header at a time, and
// names the first one refused.
func (c *checker) probeHeaders(ctx context.Context, e *evidence, unsafe []string) *probeFindings {
	for i, name := range unsafe {
		if i == maxHeaderProbes {
			last := c.res.Steps[len(c.res.Steps)-1]
			last.Notes = append(last.Notes, "stopped after "+strconv.Itoa(maxHeaderProbes)+" headers")
			return nil
		}
		ok, err := c.probePreflight(ctx, e.r, e.r.Method, []string{name}, "the preflight with only "+name)
		if err != nil {
			return nil
		}
		if !ok {
			return refusedBy(e, name)
		}
	}
	return nil // each header alone passes
}

// refusedBy says who refused value (the method, a header, or "" for
// OPTIONS itself) while the origin may GET: a refusal shaped like a CORS
// layer's is the CORS layer's; a server's own error page is a proxy rule's;
// any other 403 comes from something in front of the CORS layer.
func refusedBy(e *evidence, value string) *probeFindings {
	switch {
	case corsLayerRefusal(e.resp) && value == e.r.Method:
		return &probeFindings{diagnosis: diagCORSRefusedMethod, value: value, getAllowed: true}
	case corsLayerRefusal(e.resp):
		return &probeFindings{diagnosis: diagCORSRefusedHeader, value: value, getAllowed: true}
	case ownsPage(e.resp):
		return &probeFindings{diagnosis: diagProxyRefusedOptions, value: value, getAllowed: true}
	}
	return &probeFindings{diagnosis: diagBlockedBeforeCORS, value: value, getAllowed: true}
}

// probePreflight sends a preflight for m with the given request header
// names and reports whether it was answered as an allowed one: an ok status
// that passes the CORS check.
func (c *checker) probePreflight(ctx context.Context, r *fetch.Request, m string, names []string, note string) (bool, error) {
	p := &fetch.Request{URL: r.URL, InitialURL: r.URL, Origin: r.Origin, Method: m}
	headers := p.PreflightHeaders()
	if len(names) > 0 {
		headers = append(headers, fetch.Header{Name: "Access-Control-Request-Headers", Value: strings.Join(names, ",")})
	}
	step, resp, err := c.send(ctx, kindProbe, http.MethodOptions, r.URL, headers)
	step.Notes = append(step.Notes, note)
	if err != nil {
		return false, err
	}
	ok := fetch.IsOKStatus(resp.status) && fetch.CheckCORS(p, resp.header, true) == nil
	step.Outcome = outcomePass
	if !ok {
		step.Outcome = outcomeFail
	}
	return ok, nil
}

// bustCache repeats the failed request with a query no cache has seen: if
// the fresh answer passes, a cache served the failing one.
func (c *checker) bustCache(ctx context.Context, e *evidence) *cacheFindings {
	u := *e.r.URL
	if u.RawQuery != "" {
		u.RawQuery += "&"
	}
	u.RawQuery += "corscheck-nocache=" + randomHex()
	method, headers := e.r.Method, e.r.RequestHeaders()
	if e.kind == kindPreflight {
		method, headers = http.MethodOptions, e.r.PreflightHeaders()
	}
	step, resp, err := c.send(ctx, kindProbe, method, &u, headers)
	step.Notes = append(step.Notes, "the same "+e.what()+" with a cache-busting query; did a cache serve the answer?")
	if err != nil {
		return nil
	}
	f := fetch.CheckCORS(e.r, resp.header, false)
	if e.kind == kindPreflight {
		f = fetch.CheckPreflight(e.r, resp.status, resp.header)
	}
	step.setOutcome(f)
	if f != nil {
		step.Notes = append(step.Notes, "the same failure without a cache: no cache is to blame")
	}
	return &cacheFindings{
		stored:           f == nil,
		varies:           variesByOrigin(e.resp.header),
		freshAllowOrigin: strings.Join(resp.header.Values("Access-Control-Allow-Origin"), ", "),
	}
}

// randomHex returns 16 random hex digits.
func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported platforms
	return hex.EncodeToString(b)
}
