package cors

import (
	"net/http"
	"strings"
)

// actualHeaders is the number of header values an actual request's answer
// can carry: Access-Control-Allow-Origin, -Allow-Credentials,
// -Expose-Headers and Vary.
const actualHeaders = 4

// setActualHeaders sets the CORS headers of an allowed actual request,
// replacing whatever the handler put under those names, so that a response
// never carries two Access-Control-Allow-Origin values, nor "*" with
// credentials. vals[0] holds the Access-Control-Allow-Origin value. Each
// value gets its own slice of vals, capped at length one, so a handler that
// appends to or rewrites one cannot reach another response's values, nor
// this one's other headers, nor the request's.
func (p *policy) setActualHeaders(h http.Header, vals *[actualHeaders]string) {
	untouched := len(h) == 0 // nothing to merge with: saves the Vary lookup
	h[headerAllowOrigin] = vals[0:1:1]
	if p.credentials {
		vals[1] = "true"
		h[headerAllowCredentials] = vals[1:2:2]
	} else if p.anyOrigin && len(h) > 1 {
		// A handler's "true" next to "*" would be refused by browsers anyway;
		// never send the combination.
		delete(h, headerAllowCredentials)
	}
	if p.exposed != "" {
		vals[2] = p.exposed
		h[headerExposeHeaders] = vals[2:3:3]
	}
	switch {
	case untouched || h[headerVary] == nil:
		vals[3] = "Origin"
		h[headerVary] = vals[3:4:4]
	case !varyCovers(h[headerVary], "Origin"):
		addVary(h, "Origin")
	}
}

// addVary adds value to the response's Vary header, keeping the values
// already there, unless they already name it or are "*". It never writes
// into the existing slice, which may be shared.
func addVary(h http.Header, value string) {
	if len(h) == 0 { // the usual case, and one map lookup saved
		h[headerVary] = []string{value}
		return
	}
	old, ok := h[headerVary]
	if !ok {
		h[headerVary] = []string{value}
		return
	}
	if varyCovers(old, value) {
		return
	}
	vary := make([]string, len(old)+1)
	copy(vary, old)
	vary[len(old)] = value
	h[headerVary] = vary
}

// varyCovers reports whether the Vary values already list every field name
// in value (a comma-separated list), or "*". It does not allocate.
func varyCovers(vary []string, value string) bool {
	for rest := value; rest != ""; {
		var name string
		name, rest, _ = strings.Cut(rest, ",")
		if !varyHas(vary, strings.TrimSpace(name)) {
			return false
		}
	}
	return true
}

func varyHas(vary []string, name string) bool {
	for _, line := range vary {
		for rest := line; rest != ""; {
			var field string
			field, rest, _ = strings.Cut(rest, ",")
			field = strings.TrimSpace(field)
			if field == "*" || strings.EqualFold(field, name) {
				return true
			}
		}
	}
	return false
}
