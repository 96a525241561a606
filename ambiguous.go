package cors

import "net/http"

// serveAmbiguous serves a request whose target's readings choose different
// policies (see [Routes]) as if no pattern matched: a preflight is a 403
// without CORS headers and never reaches next; anything else runs next
// with no origin allowed. p, the policy a reading chose, reports it.
func (p *policy) serveAmbiguous(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if p.refuseAmbiguous(w, r) {
		return
	}
	p.serve(w, r, "", next)
}

// applyAmbiguous is serveAmbiguous for [Routes.Apply].
func (p *policy) applyAmbiguous(w http.ResponseWriter, r *http.Request) (answered bool) {
	if p.refuseAmbiguous(w, r) {
		return true
	}
	p.setActualHeaders(w.Header(), &actualValues{})
	return false
}

// refuseAmbiguous reports a cross-origin request to an ambiguous target and
// answers it when it is a preflight.
func (p *policy) refuseAmbiguous(w http.ResponseWriter, r *http.Request) (answered bool) {
	origins := r.Header[headerOrigin]
	if len(origins) == 0 {
		return false // not a CORS request: nothing to refuse
	}
	_, preflight := preflightMethods(r, origins)
	why := Refusal{Kind: RouteAmbiguous, Preflight: preflight, Value: r.URL.EscapedPath()}
	p.refuse(r, why, func() string {
		return "routers read this path under different Routes keys (an escaped or unclean path, " +
			"\";\" parameters or another case); no origin is allowed, so no router can serve it under a looser policy"
	})
	if !preflight {
		return false
	}
	h := w.Header()
	scrub(h)
	if len(h) > 0 {
		addVary(h, p.varyPreflight(), nil)
	}
	w.WriteHeader(http.StatusForbidden)
	return true
}
