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
	addVary(h, "Origin", vals[3:4:4]) // first, while an empty map spares the lookup
	h[headerAllowOrigin] = vals[0:1:1]
	if p.credentials {
		vals[1] = "true"
		h[headerAllowCredentials] = vals[1:2:2]
	} else if p.anyOrigin {
		// A handler's "true" next to "*" would be refused by browsers anyway;
		// never send the combination.
		delete(h, headerAllowCredentials)
	}
	if p.exposed != "" {
		vals[2] = p.exposed
		h[headerExposeHeaders] = vals[2:3:3]
	}
}

// addVary adds value to the response's Vary header, keeping the values
// already there, unless they already name it or are "*". It never writes
// into the existing slice, which may be shared. slot, when not nil, is a
// fresh one-element slice to hold value if there is no Vary yet, so that the
// usual case costs no allocation of its own.
func addVary(h http.Header, value string, slot []string) {
	var old []string
	if len(h) > 0 { // an empty map, the usual case, spares the lookup
		old = h[headerVary]
	}
	if old == nil {
		if slot == nil {
			slot = make([]string, 1)
		}
		slot[0] = value
		h[headerVary] = slot
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
