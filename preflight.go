package cors

import (
	"net/http"
	"slices"

	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/method"
)

// varyPreflight lists what a preflight's answer depends on, so that caches
// keep one answer per origin, method and header list. A "*" policy answers
// every origin alike, so its preflights vary by the other two only.
const (
	varyPreflight          = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
	varyPreflightAnyOrigin = "Access-Control-Request-Method, Access-Control-Request-Headers"
)

// preflight answers a CORS preflight itself; the handler never sees it.
//
// A refused origin, and a preflight no browser sends (several Origin or
// Access-Control-Request-Method lines, a header list over the limits), get
// 403 and no CORS header: nothing about the policy is revealed. Otherwise
// the answer is 204 with Access-Control-Allow-Origin, so the browser's CORS
// check passes and its error names the real culprit: when all is allowed,
// the requested method and headers are echoed with Access-Control-Max-Age;
// when the method or a header is refused, the allowed ones are listed, and
// the browser reports "Method PURGE is not allowed by
// Access-Control-Allow-Methods" rather than a missing
// Access-Control-Allow-Origin, which would send people to their origin list.
func (p *policy) preflight(w http.ResponseWriter, r *http.Request, c corsRequest) {
	h := w.Header()
	scrub(h)
	why, list := p.checkPreflight(r, &c)
	if why.Kind == OriginRefused || why.Kind == MalformedRequest {
		if len(h) > 0 {
			// Vary is for caches, and no cache stores this answer on its
			// own: OPTIONS responses are not cacheable (RFC 9110, 9.3.7)
			// and a 403 is not heuristically cacheable (RFC 9111, 4.2.2).
			// Headers set by outer middleware, such as Cache-Control,
			// could make a cache configured against the standard keep it,
			// so then it says what the answer depends on. Without them it
			// costs no allocation.
			addVary(h, p.varyPreflight(), nil)
		}
		p.refuse(r, why, func() string { return p.preflightReason(why, c, list) })
		w.WriteHeader(http.StatusForbidden)
		return
	}

	// Fetch, "CORS-preflight fetch": the browser checks the origin (and
	// credentials) as for any CORS response, then requires the method and
	// every unsafe header name to be listed. Answering by name covers
	// credentialed requests, where "*" is read literally, and Authorization,
	// which "*" never covers.
	vals := new(preflightValues) // one allocation for all the values, none shared
	addVary(h, p.varyPreflight(), vals.vary[:])
	vals.allowOrigin[0] = p.allowOriginValue(c.origins[0])
	h[headerAllowOrigin] = vals.allowOrigin[:]
	if p.credentials {
		vals.credentials[0] = "true"
		h[headerAllowCredentials] = vals.credentials[:]
	}
	switch why.Kind {
	case MethodRefused:
		p.refuse(r, why, func() string { return p.preflightReason(why, c, list) })
		vals.methods[0] = p.methodList
		vals.headers[0] = p.headerList
	case HeaderRefused:
		p.refuse(r, why, func() string { return p.preflightReason(why, c, list) })
		vals.methods[0] = c.methods[0]
		vals.headers[0] = p.headerList
	default: // allowed
		vals.methods[0] = c.methods[0]
		if list.Names > 0 {
			switch {
			case list.Verbatim:
				vals.headers[0] = c.headers[0] // what browsers send: echo it as it is
			case !p.headers.Any:
				vals.headers[0] = p.headerList // a list in another shape: every allowed name covers it
			default:
				vals.headers[0] = headerlist.Join(c.headers)
			}
		}
		vals.maxAge[0] = p.maxAge // only an allowed answer is worth caching
		h[headerMaxAge] = vals.maxAge[:]
	}
	if vals.methods[0] != "" {
		h[headerAllowMethods] = vals.methods[:]
	}
	if vals.headers[0] != "" {
		h[headerAllowHeaders] = vals.headers[:]
	}
	w.WriteHeader(http.StatusNoContent)
}

// checkPreflight applies the policy to a preflight, in the browser's order:
// origin, method, then header names. A zero Refusal means allowed.
func (p *policy) checkPreflight(r *http.Request, c *corsRequest) (Refusal, headerlist.Result) {
	if len(c.origins) != 1 || !p.allowsOrigin(r.Context(), c.origins[0]) {
		return originRefusal(c.origins, true), headerlist.Result{}
	}
	switch {
	case len(c.methods) != 1 || !headerlist.IsToken(c.methods[0]):
		return Refusal{Kind: MalformedRequest, Preflight: true, Value: headerRequestMethod}, headerlist.Result{}
	case !p.allowsMethod(c.methods[0]):
		return Refusal{Kind: MethodRefused, Preflight: true, Value: c.methods[0]}, headerlist.Result{}
	}
	c.headers = r.Header[headerRequestHeaders]
	list := headerlist.Check(c.headers, p.headers)
	switch list.Status {
	case headerlist.OK:
		return Refusal{}, list
	case headerlist.NotAllowed:
		return Refusal{Kind: HeaderRefused, Preflight: true, Value: list.Culprit}, list
	case headerlist.Malformed:
		return Refusal{Kind: MalformedRequest, Preflight: true, Value: list.Culprit}, list
	case headerlist.TooLarge:
	}
	return Refusal{Kind: MalformedRequest, Preflight: true, Value: headerRequestHeaders}, list
}

// varyPreflight is what a preflight's answer depends on.
func (p *policy) varyPreflight() string {
	if p.anyOrigin {
		return varyPreflightAnyOrigin
	}
	return varyPreflight
}

// preflightValues backs the header values of a preflight's answer, each in
// its own one-element array so that no two headers share a slice.
type preflightValues struct {
	allowOrigin, credentials, methods, headers, maxAge, vary [1]string
}

// allowsMethod applies the preflight's method check to a method token:
// methods are case-sensitive, and the CORS-safelisted GET, HEAD and POST
// always pass (Fetch, "CORS-preflight fetch", step on methods).
func (p *policy) allowsMethod(m string) bool {
	return p.anyMethod || method.IsSafelisted(m) || slices.Contains(p.methods, m)
}
