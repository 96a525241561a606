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
	slots := preflightSlots.get()
	defer preflightSlots.put(slots) // written once, so reusable once the values are in h
	addVary(h, slots.value(slotVary, p.varyPreflight()))
	why, list := p.checkPreflight(r, &c)
	if why.Kind == OriginRefused || why.Kind == MalformedRequest {
		p.refuse(r, why, func() string { return p.preflightReason(why, c, list) })
		w.WriteHeader(http.StatusForbidden)
		return
	}

	// Fetch, "CORS-preflight fetch": the browser checks the origin (and
	// credentials) as for any CORS response, then requires the method and
	// every unsafe header name to be listed. Answering by name covers
	// credentialed requests, where "*" is read literally, and Authorization,
	// which "*" never covers.
	h[headerAllowOrigin] = slots.value(slotAllowOrigin, p.allowOriginValue(c.origins[0]))
	if p.credentials {
		h[headerAllowCredentials] = slots.value(slotCredentials, "true")
	}
	var methods, headers string
	switch why.Kind {
	case MethodRefused:
		p.refuse(r, why, func() string { return p.preflightReason(why, c, list) })
		methods, headers = p.methodList, p.headerList
	case HeaderRefused:
		p.refuse(r, why, func() string { return p.preflightReason(why, c, list) })
		methods, headers = c.methods[0], p.headerList
	default: // allowed
		methods = c.methods[0]
		if list.Names > 0 {
			switch {
			case list.Verbatim:
				headers = c.headers[0] // what browsers send: echo it as it is
			case !p.headers.Any:
				headers = p.headerList // a list in another shape: every allowed name covers it
			default:
				headers = headerlist.Join(c.headers)
			}
		}
		h[headerMaxAge] = slots.value(slotMaxAge, p.maxAge) // only an allowed answer is worth caching
	}
	if methods != "" {
		h[headerAllowMethods] = slots.value(slotMethods, methods)
	}
	if headers != "" {
		h[headerAllowHeaders] = slots.value(slotHeaders, headers)
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

// allowsMethod applies the preflight's method check to a method token:
// methods are case-sensitive, and the CORS-safelisted GET, HEAD and POST
// always pass (Fetch, "CORS-preflight fetch", step on methods).
func (p *policy) allowsMethod(m string) bool {
	return p.anyMethod || method.IsSafelisted(m) || slices.Contains(p.methods, m)
}
