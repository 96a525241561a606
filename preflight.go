package cors

import (
	"net/http"
	"slices"

	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/method"
)

// varyPreflight lists what a preflight's answer depends on, so that caches
// keep one answer per origin, method and header list.
const varyPreflight = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

// preflight answers a CORS preflight itself; the handler never sees it.
// Success is 204 with the allow headers; a refused origin, method or header
// list gets 403 and no CORS header, so the failure shows as "OPTIONS 403" in
// the browser's network panel and in access logs rather than as a silent
// pass.
func (p *policy) preflight(w http.ResponseWriter, r *http.Request, c corsRequest) {
	origins, methods := c.origins, c.methods
	lines := r.Header[headerRequestHeaders]
	h := w.Header()

	if len(origins) != 1 || !p.allowsOrigin(origins[0]) {
		p.refusePreflight(w, r, func() string { return p.originRefusal(origins) })
		return
	}
	if len(methods) != 1 || !p.allowsMethod(methods[0]) {
		p.refusePreflight(w, r, func() string { return methodRefusal(methods) })
		return
	}
	list := headerlist.Check(lines, p.headers)
	if list.Status != headerlist.OK {
		p.refusePreflight(w, r, func() string { return headersRefusal(list) })
		return
	}

	// Fetch, "CORS-preflight fetch": the browser checks the origin (and
	// credentials) as for any CORS response, then requires the method and
	// every unsafe header name to be listed. Answering by name covers
	// credentialed requests, where "*" is read literally, and Authorization,
	// which "*" never covers.
	vals := new([6]string)                 // one allocation for all the values, none shared
	addVary(h, varyPreflight, vals[5:6:6]) // first, while an empty map spares the lookup
	vals[0] = p.allowOriginValue(origins[0])
	h[headerAllowOrigin] = vals[0:1:1]
	if p.credentials {
		vals[1] = "true"
		h[headerAllowCredentials] = vals[1:2:2]
	}
	vals[2] = methods[0]
	h[headerAllowMethods] = vals[2:3:3]
	if list.Names > 0 {
		switch {
		case list.Verbatim:
			vals[3] = lines[0] // what browsers send: echo it as it is
		case !p.headers.Any:
			vals[3] = p.headerList // a list in another shape: every allowed name covers it
		default:
			vals[3] = headerlist.Join(lines)
		}
		h[headerAllowHeaders] = vals[3:4:4]
	}
	vals[4] = p.maxAge
	h[headerMaxAge] = vals[4:5:5]
	w.WriteHeader(http.StatusNoContent)
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

func (p *policy) refusePreflight(w http.ResponseWriter, r *http.Request, reason func() string) {
	addVary(w.Header(), varyPreflight, nil)
	p.logRefused(r, reason)
	w.WriteHeader(http.StatusForbidden)
}
