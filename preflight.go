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
// A refused origin gets 403 and no CORS header: nothing about the policy is
// revealed to it. An allowed origin always gets 204 with
// Access-Control-Allow-Origin, so the browser's CORS check passes and its
// error names the real culprit: on success the requested method and headers
// are echoed with Access-Control-Max-Age; on a refused method or header the
// allowed ones are listed instead, and the browser reports "Method PURGE is
// not allowed by Access-Control-Allow-Methods" rather than a missing
// Access-Control-Allow-Origin, which would send people to their origin list.
func (p *policy) preflight(w http.ResponseWriter, r *http.Request, c corsRequest) {
	origins, methods := c.origins, c.methods
	h := w.Header()
	vary := varyPreflight
	if p.anyOrigin {
		vary = varyPreflightAnyOrigin
	}

	if len(origins) != 1 || !p.allowsOrigin(r.Context(), origins[0]) {
		scrub(h)
		addVary(h, vary, nil)
		p.refuse(r, originRefusal(origins, true), func() string { return p.originReason(origins) })
		w.WriteHeader(http.StatusForbidden)
		return
	}
	var refusal Refusal
	var list headerlist.Result
	lines := r.Header[headerRequestHeaders]
	methodOK := len(methods) == 1 && p.allowsMethod(methods[0])
	switch {
	case len(methods) != 1:
		refusal = Refusal{Kind: MalformedRequest, Preflight: true, Value: headerRequestMethod}
	case !methodOK:
		refusal = Refusal{Kind: MethodRefused, Preflight: true, Value: methods[0]}
	default:
		list = headerlist.Check(lines, p.headers)
		switch list.Status {
		case headerlist.OK:
		case headerlist.NotAllowed:
			refusal = Refusal{Kind: HeaderRefused, Preflight: true, Value: list.Culprit}
		default: // a malformed name, or over the limits
			refusal = Refusal{Kind: MalformedRequest, Preflight: true, Value: list.Culprit}
			if refusal.Value == "" {
				refusal.Value = headerRequestHeaders
			}
		}
	}

	// Fetch, "CORS-preflight fetch": the browser checks the origin (and
	// credentials) as for any CORS response, then requires the method and
	// every unsafe header name to be listed. Answering by name covers
	// credentialed requests, where "*" is read literally, and Authorization,
	// which "*" never covers.
	scrub(h)
	vals := new(preflightValues) // one allocation for all the values, none shared
	addVary(h, vary, vals.vary[:])
	vals.allowOrigin[0] = p.allowOriginValue(origins[0])
	h[headerAllowOrigin] = vals.allowOrigin[:]
	if p.credentials {
		vals.credentials[0] = "true"
		h[headerAllowCredentials] = vals.credentials[:]
	}
	if refusal.Kind != 0 {
		p.refuse(r, refusal, func() string { return preflightReason(refusal, methods, list) })
		// The lists of what is allowed: the browser then names what is not.
		// A malformed request comes from no browser; it gets no list that
		// could pass for a grant.
		switch {
		case methodOK:
			vals.methods[0] = methods[0]
		case refusal.Kind == MethodRefused:
			vals.methods[0] = p.methodList
		}
		if refusal.Kind != MalformedRequest {
			vals.headers[0] = p.headerList
		}
	} else {
		vals.methods[0] = methods[0]
		if list.Names > 0 {
			switch {
			case list.Verbatim:
				vals.headers[0] = lines[0] // what browsers send: echo it as it is
			case !p.headers.Any:
				vals.headers[0] = p.headerList // a list in another shape: every allowed name covers it
			default:
				vals.headers[0] = headerlist.Join(lines)
			}
		}
		vals.maxAge[0] = p.maxAge
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

// preflightValues backs the header values of a preflight's answer, each in
// its own one-element array so that no two headers share a slice.
type preflightValues struct {
	allowOrigin, credentials, methods, headers, maxAge, vary [1]string
}

// allowsMethod applies the preflight's method check: methods are
// case-sensitive tokens, and the CORS-safelisted GET, HEAD and POST always
// pass (Fetch, "CORS-preflight fetch", step on methods).
func (p *policy) allowsMethod(m string) bool {
	switch {
	case !headerlist.IsToken(m):
		return false
	case p.anyMethod, method.IsSafelisted(m):
		return true
	}
	return slices.Contains(p.methods, m)
}
