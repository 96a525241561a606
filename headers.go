package cors

import (
	"net/http"
	"strings"
)

// actualHeaders is the number of header values an actual request's answer
// can carry: Access-Control-Allow-Origin, -Allow-Credentials,
// -Expose-Headers and Vary.
const actualHeaders = 4

// setActualHeaders sets the CORS headers of an allowed actual request. Each
// value gets its own slice of vals, capped at length one, so a handler that
// appends to or rewrites one cannot reach another response's values, nor
// this one's other headers, nor the request's.
func (p *policy) setActualHeaders(h http.Header, origin string, vals *[actualHeaders]string) {
	vals[0] = p.allowOriginValue(origin)
	h[headerAllowOrigin] = vals[0:1:1]
	if p.credentials {
		vals[1] = "true"
		h[headerAllowCredentials] = vals[1:2:2]
	}
	if p.exposed != "" {
		vals[2] = p.exposed
		h[headerExposeHeaders] = vals[2:3:3]
	}
	if _, ok := h[headerVary]; ok {
		addVary(h, "Origin")
	} else {
		vals[3] = "Origin"
		h[headerVary] = vals[3:4:4]
	}
}

// ensureActualHeaders puts back whatever the handler removed or changed of
// the headers set by setActualHeaders, so that the status line never leaves
// without them, and never with two Access-Control-Allow-Origin values.
func (p *policy) ensureActualHeaders(h http.Header, origin string, vals *[actualHeaders]string) {
	reset := func(key, want string, i int) {
		if v := h[key]; len(v) != 1 || v[0] != want {
			vals[i] = want
			h[key] = vals[i : i+1 : i+1]
		}
	}
	reset(headerAllowOrigin, p.allowOriginValue(origin), 0)
	if p.credentials {
		reset(headerAllowCredentials, "true", 1)
	} else if p.anyOrigin {
		// A handler's "true" next to "*" would be refused by browsers anyway;
		// never send the combination.
		delete(h, headerAllowCredentials)
	}
	if p.exposed != "" {
		reset(headerExposeHeaders, p.exposed, 2)
	}
	if vary, ok := h[headerVary]; !ok {
		vals[3] = "Origin"
		h[headerVary] = vals[3:4:4]
	} else if !varyCovers(vary, "Origin") {
		addVary(h, "Origin")
	}
}

// addVary adds value to the response's Vary header, keeping the values
// already there, unless they already name it or are "*". It never writes
// into the existing slice, which may be shared.
func addVary(h http.Header, value string) {
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
