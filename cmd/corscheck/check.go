package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/method"
)

// This file runs the browser's side of the CORS protocol against a live
// server, one function per step of the Fetch standard
// (https://fetch.spec.whatwg.org/). Advice on failures is in diagnose.go and
// non-blocking findings are in warnings.go.

// maxRedirects is Fetch's redirect limit (#http-redirect-fetch, step 5).
const maxRedirects = 20

// bodyLimit bounds how much of a response body is read and discarded; the
// verdict never depends on the body.
const bodyLimit = 1 << 20

// Step kinds, as they appear in the report.
const (
	kindPreflight = "preflight"
	kindRequest   = "request"
)

// request is the state Fetch keeps for one script-initiated fetch() in
// "cors" mode.
type request struct {
	url         *url.URL
	initialURL  *url.URL
	origin      string // the document's origin (-origin)
	tainted     bool   // Fetch's "tainted origin flag", set by cross-origin redirects
	method      string
	headers     []header
	credentials bool // credentials mode "include"
	redirects   int
}

// serializedOrigin implements Fetch "byte-serializing a request origin":
// after a cross-origin redirect the origin is sent and matched as "null".
func (r *request) serializedOrigin() string {
	if r.tainted {
		return "null"
	}
	return r.origin
}

// checker runs the algorithm and records every step in res.
type checker struct {
	transport *http.Transport
	res       *Result
}

// newChecker returns a checker that talks to the server through a bare
// transport: no redirect is followed and no Location is parsed behind the
// algorithm's back (see followRedirect), and no cookie jar is involved.
func newChecker(res *Result) *checker {
	return &checker{res: res, transport: http.DefaultTransport.(*http.Transport).Clone()}
}

// run implements the path of Fetch "main fetch" (#main-fetch) that a
// cross-origin fetch() takes: for each URL in the redirect chain, a
// CORS-preflight when "main fetch" asks for one, then the request itself
// through "HTTP fetch". It stops at the first failure, as the browser does.
func (c *checker) run(ctx context.Context, r *request) {
	defer c.transport.CloseIdleConnections()
	// Each round either ends the fetch or follows a redirect, and
	// followRedirect gives up after maxRedirects; ctx bounds the time.
	for {
		// #main-fetch: a method that is not CORS-safelisted or any
		// CORS-unsafe request-header name makes HTTP fetch run with
		// makeCORSPreflight set.
		if len(preflightReasons(r.method, r.headers)) > 0 {
			f, err := c.preflightFetch(ctx, r)
			if c.stopped(r, f, err) {
				return
			}
		}
		resp, f, err := c.httpFetch(ctx, r)
		if c.stopped(r, f, err) {
			return
		}
		location := resp.header.Get("Location")
		if !isRedirectStatus(resp.status) || location == "" {
			c.finish(r, nil, nil)
			return
		}
		if f := c.followRedirect(r, resp.status, location); f != nil {
			c.finish(r, f, nil)
			return
		}
	}
}

// stopped records a failure or network error and reports whether the fetch
// ends here.
func (c *checker) stopped(r *request, f *Failure, err error) bool {
	if f == nil && err == nil {
		return false
	}
	c.finish(r, f, err)
	return true
}

// finish sets the verdict: allowed when there is neither a CORS failure nor
// a network error.
func (c *checker) finish(r *request, f *Failure, err error) {
	switch {
	case err != nil:
		c.res.Verdict, c.res.ExitCode = verdictError, exitError
		msg := err.Error()
		if n := len(c.res.Steps); n > 0 {
			msg = c.res.Steps[n-1].Method + " " + c.res.Steps[n-1].URL + ": " + msg
		}
		c.res.Failure = &Failure{
			Code:    "network_error",
			Step:    lastStepKind(c.res),
			Message: msg,
			Reason:  err.Error(),
			Cause:   "The request did not get an HTTP response (connection refused, DNS failure, TLS error or timeout); this is not a CORS problem.",
			Fix:     "Check that the URL is reachable from here (try curl -v) and raise -timeout if the server is slow.",
		}
	case f != nil:
		c.res.Verdict, c.res.ExitCode = verdictBlocked, exitBlocked
		f.Message = consoleMessage(r, f.Reason)
		c.res.Failure = f
	default:
		c.res.Verdict, c.res.ExitCode, c.res.Allowed = verdictAllowed, exitAllowed, true
	}
}

// consoleMessage phrases a failure the way Chromium's console does.
func consoleMessage(r *request, reason string) string {
	from := ""
	if r.url.String() != r.initialURL.String() {
		from = "(redirected from '" + r.initialURL.String() + "') "
	}
	return "Access to fetch at '" + r.url.String() + "' " + from + "from origin '" + r.origin +
		"' has been blocked by CORS policy: " + reason
}

// preflightFetch implements Fetch "CORS-preflight fetch"
// (#cors-preflight-fetch). The preflight never carries credentials or the
// request's own headers.
func (c *checker) preflightFetch(ctx context.Context, r *request) (*Failure, error) {
	// Steps 1-5: OPTIONS with Accept: */*, the Origin,
	// Access-Control-Request-Method and, when there are CORS-unsafe names,
	// Access-Control-Request-Headers: lower-case, sorted, de-duplicated and
	// joined by "," without spaces (the spec deliberately avoids ", ").
	headers := []header{
		{Name: "Accept", Value: "*/*"},
		{Name: "Origin", Value: r.serializedOrigin()},
		{Name: "Access-Control-Request-Method", Value: r.method},
	}
	unsafe := unsafeHeaderNames(r.headers)
	if len(unsafe) > 0 {
		headers = append(headers, header{Name: "Access-Control-Request-Headers", Value: strings.Join(unsafe, ",")})
	}
	// Step 6: send it.
	step, resp, err := c.send(ctx, kindPreflight, http.MethodOptions, r.url, headers)
	if err != nil {
		return nil, err
	}
	f := checkPreflightResponse(r, resp, unsafe)
	// Steps 7.8-7.9 (Access-Control-Max-Age) and other findings never block.
	c.res.Warnings = append(c.res.Warnings, preflightWarnings(r, resp, f == nil)...)
	step.setOutcome(f)
	return f, nil
}

// checkPreflightResponse implements step 7 of #cors-preflight-fetch: the
// CORS check, an ok status, then the allow lists.
func checkPreflightResponse(r *request, resp response, unsafe []string) *Failure {
	// Chromium refuses a redirected preflight before looking at any header
	// (Fetch reaches the same result: a 3xx is not an ok status).
	if isRedirectStatus(resp.status) {
		return explain(r, kindPreflight, resp, &Failure{
			Code:   "preflight_disallowed_redirect",
			Reason: preflightPrefix + "Redirect is not allowed for a preflight request.",
		})
	}
	// Step 7: "If a CORS check for request and response returns success
	// and response's status is an ok status".
	if f := corsCheck(r, kindPreflight, resp); f != nil {
		return f
	}
	if !isOKStatus(resp.status) {
		return explain(r, kindPreflight, resp, &Failure{
			Code:   "preflight_invalid_status",
			Reason: preflightPrefix + "It does not have HTTP ok status.",
		})
	}
	// Steps 7.1-7.3: both lists must parse.
	methods, ok := extractList(resp.header, "Access-Control-Allow-Methods")
	if !ok {
		return explain(r, kindPreflight, resp, &Failure{
			Code:   "invalid_allow_methods_preflight_response",
			Reason: "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
		})
	}
	headerNames, ok := extractList(resp.header, "Access-Control-Allow-Headers")
	if !ok {
		return explain(r, kindPreflight, resp, &Failure{
			Code:   "invalid_allow_headers_preflight_response",
			Reason: "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
		})
	}
	// Step 7.4 only applies to requests with the use-CORS-preflight flag
	// (upload listeners), which a plain fetch() does not have.
	if !methodAllowed(r, methods) {
		return explain(r, kindPreflight, resp, &Failure{
			Code:   "method_disallowed_by_preflight_response",
			Reason: "Method " + r.method + " is not allowed by Access-Control-Allow-Methods in preflight response.",
			Value:  r.method,
		})
	}
	if name, ok := headerNotAllowed(r, unsafe, headerNames); ok {
		return explain(r, kindPreflight, resp, &Failure{
			Code:   "header_disallowed_by_preflight_response",
			Reason: "Request header field " + name + " is not allowed by Access-Control-Allow-Headers in preflight response.",
			Value:  name,
		})
	}
	return nil
}

// preflightPrefix is how Chromium introduces the CORS check of a preflight.
const preflightPrefix = "Response to preflight request doesn't pass access control check: "

// methodAllowed implements #cors-preflight-fetch step 7.5: the method must
// be listed byte for byte, be CORS-safelisted, or be covered by "*" when the
// request is not credentialed.
func methodAllowed(r *request, methods []string) bool {
	if method.IsSafelisted(r.method) || slices.Contains(methods, r.method) {
		return true
	}
	return !r.credentials && slices.Contains(methods, "*")
}

// headerNotAllowed implements #cors-preflight-fetch steps 7.6 and 7.7 and
// returns the first request header name the preflight does not allow.
func headerNotAllowed(r *request, unsafe, allowed []string) (string, bool) {
	// Step 7.6: Authorization (the one "CORS non-wildcard request-header
	// name") must be listed by name; "*" never covers it.
	for _, h := range r.headers {
		if strings.EqualFold(h.Name, "Authorization") && !containsFold(allowed, "authorization") {
			return "authorization", true
		}
	}
	// Step 7.7: every CORS-unsafe name must be listed, or covered by "*"
	// when the request is not credentialed.
	wildcard := !r.credentials && slices.Contains(allowed, "*")
	for _, name := range unsafe {
		if !containsFold(allowed, name) && !wildcard {
			return name, true
		}
	}
	return "", false
}

// extractList implements Fetch "extracting header list values" for the
// #method / #field-name lists: all field lines combined, split on commas,
// empty elements skipped (as Chromium does), every element a token. A
// missing header is an empty list.
func extractList(h http.Header, name string) ([]string, bool) {
	var out []string
	for _, line := range h.Values(name) {
		for _, item := range strings.Split(line, ",") {
			item = strings.Trim(item, " \t")
			if item == "" {
				continue
			}
			if !headerlist.IsToken(item) {
				return nil, false
			}
			out = append(out, item)
		}
	}
	return out, true
}

// httpFetch implements the part of Fetch "HTTP fetch" (#http-fetch) that a
// "cors" request sees: send the request and run the CORS check on whatever
// comes back, redirects included, before any redirect is followed.
func (c *checker) httpFetch(ctx context.Context, r *request) (response, *Failure, error) {
	headers := []header{{Name: "Origin", Value: r.serializedOrigin()}}
	headers = append(headers, r.headers...)
	step, resp, err := c.send(ctx, kindRequest, r.method, r.url, headers)
	if err != nil {
		return resp, nil, err
	}
	f := corsCheck(r, kindRequest, resp)
	c.res.Warnings = append(c.res.Warnings, responseWarnings(r, kindRequest, resp)...)
	step.setOutcome(f)
	if f == nil && isRedirectStatus(resp.status) && resp.header.Get("Location") != "" {
		step.Outcome = outcomeRedirect
		step.Notes = append(step.Notes, fmt.Sprintf(
			"the %d carries valid CORS headers, so the browser follows it to %s",
			resp.status, resp.header.Get("Location")))
	}
	return resp, f, nil
}

// corsCheck implements Fetch "CORS check" (#cors-check), with Chromium's
// finer classification of a value that is not the origin.
func corsCheck(r *request, kind string, resp response) *Failure {
	prefix := ""
	if kind == kindPreflight {
		prefix = preflightPrefix
	}
	fail := func(code, reason, value string) *Failure {
		return explain(r, kind, resp, &Failure{Code: code, Reason: prefix + reason, Value: value})
	}
	// Steps 1-2: "get" combines all field lines with ", "; none is failure.
	values := resp.header.Values("Access-Control-Allow-Origin")
	if len(values) == 0 {
		return fail("missing_allow_origin_header",
			"No 'Access-Control-Allow-Origin' header is present on the requested resource."+fetchNoCorsHint, "")
	}
	origin := strings.Join(values, ", ")
	// Step 3: "*" passes unless credentials mode is "include".
	if origin == "*" {
		if r.credentials {
			return fail("wildcard_origin_not_allowed",
				"The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.", origin)
		}
		return nil
	}
	// Step 4: otherwise it must be the serialized origin, byte for byte.
	if origin != r.serializedOrigin() {
		switch {
		case strings.ContainsAny(origin, " ,"):
			return fail("multiple_allow_origin_values",
				"The 'Access-Control-Allow-Origin' header contains multiple values '"+origin+"', but only one is allowed."+fetchInvalidHint, origin)
		case origin != "null" && !looksLikeURL(origin):
			return fail("invalid_allow_origin_value",
				"The 'Access-Control-Allow-Origin' header contains the invalid value '"+origin+"'."+fetchInvalidHint, origin)
		}
		return fail("allow_origin_mismatch",
			"The 'Access-Control-Allow-Origin' header has a value '"+origin+"' that is not equal to the supplied origin."+fetchInvalidHint, origin)
	}
	// Steps 5-7: a credentialed request also needs
	// Access-Control-Allow-Credentials to be exactly "true".
	if r.credentials {
		if acac := strings.Join(resp.header.Values("Access-Control-Allow-Credentials"), ", "); acac != "true" {
			return fail("invalid_allow_credentials",
				"The value of the 'Access-Control-Allow-Credentials' header in the response is '"+acac+"' which must be 'true' when the request's credentials mode is 'include'.", acac)
		}
	}
	return nil
}

// Chromium's hints for fetch() callers, appended to some reasons.
const (
	fetchNoCorsHint  = " If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled."
	fetchInvalidHint = " Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled."
)

// looksLikeURL mirrors Chromium's "is this a valid URL" test, which only
// picks the wording of the message: an absolute URL with a scheme and host.
func looksLikeURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// followRedirect implements Fetch "HTTP-redirect fetch"
// (#http-redirect-fetch) for a response whose CORS check passed. It updates
// r for the next hop, or returns why the browser stops.
func (c *checker) followRedirect(r *request, status int, location string) *Failure {
	step := c.res.Steps[len(c.res.Steps)-1]
	// Steps 2-3: the Location is parsed against the current URL.
	next, err := r.url.Parse(location)
	if err != nil {
		return explain(r, kindRequest, response{status: status}, &Failure{
			Code:   "invalid_redirect_location",
			Reason: "Redirect location '" + location + "' is not a valid URL.",
			Value:  location,
		})
	}
	// Step 4: only HTTP(S) redirects are followed.
	if next.Scheme != "http" && next.Scheme != "https" {
		return explain(r, kindRequest, response{status: status}, &Failure{
			Code:   "redirect_disallowed_scheme",
			Reason: "Redirect location '" + next.String() + "' has a disallowed scheme for cross-origin requests.",
			Value:  next.String(),
		})
	}
	// Steps 5-6: at most 20 redirects.
	if r.redirects >= maxRedirects {
		return explain(r, kindRequest, response{status: status}, &Failure{
			Code:   "too_many_redirects",
			Reason: "net::ERR_TOO_MANY_REDIRECTS (more than " + strconv.Itoa(maxRedirects) + " redirects).",
		})
	}
	r.redirects++
	// Steps 7-8: a "cors" request never follows a URL with credentials.
	if next.User != nil {
		return explain(r, kindRequest, response{status: status}, &Failure{
			Code:   "redirect_contains_credentials",
			Reason: "Redirect location '" + next.String() + "' contains a username and password, which is disallowed for cross-origin requests.",
			Value:  next.String(),
		})
	}
	// Step 10: 301/302 turn POST into GET, 303 turns anything but GET/HEAD
	// into GET; the body and its headers go.
	if ((status == 301 || status == 302) && r.method == "POST") || (status == 303 && r.method != "GET" && r.method != "HEAD") {
		step.Notes = append(step.Notes, fmt.Sprintf("a %d turns %s into GET and drops the request-body headers", status, r.method))
		r.method = "GET"
		r.headers = removeHeaders(r.headers, "content-encoding", "content-language", "content-location", "content-type")
	}
	crossOrigin := originOf(r.url) != originOf(next)
	// Step 11: Authorization is dropped on a cross-origin redirect.
	if crossOrigin {
		before := len(r.headers)
		r.headers = removeHeaders(r.headers, "authorization")
		if len(r.headers) != before {
			step.Notes = append(step.Notes, "the redirect is cross-origin, so the browser drops the Authorization header")
		}
	}
	// Step 12: a cross-origin redirect of a cross-origin request taints the
	// origin: from now on it is sent and matched as "null".
	if crossOrigin && originOf(r.url) != r.serializedOrigin() && !r.tainted {
		r.tainted = true
		step.Notes = append(step.Notes, "the redirect is cross-origin, so the browser now sends Origin: null and needs Access-Control-Allow-Origin: null or *")
	}
	if next.Path == "" {
		next.Path = "/"
	}
	next.Fragment, next.RawFragment = "", ""
	r.url = next
	return nil
}

// removeHeaders returns headers without the given lower-case names.
func removeHeaders(headers []header, names ...string) []header {
	out := headers[:0:0]
	for _, h := range headers {
		if !slices.Contains(names, strings.ToLower(h.Name)) {
			out = append(out, h)
		}
	}
	return out
}
