package cors

import (
	"net/http"
	"strings"
)

// actualValues backs the CORS header values of an actual request's response,
// each in its own one-element array so that a handler that appends to or
// rewrites one cannot reach another header, another response or the request.
type actualValues struct {
	allowOrigin, credentials, exposed, vary [1]string
}

// setActualHeaders makes the CORS headers of h exactly what the policy says
// for an actual request whose Access-Control-Allow-Origin value is
// v.allowOrigin[0] ("" for none): every Access-Control-* header already there
// goes, in any spelling, so a response never carries two
// Access-Control-Allow-Origin values, credentials the policy does not grant,
// or a reflected origin the policy refused. It may run more than once on the
// same values.
func (p *policy) setActualHeaders(h http.Header, v *actualValues) {
	p.setNoCORSHeaders(h, &v.vary)
	if v.allowOrigin[0] == "" {
		return
	}
	h[headerAllowOrigin] = v.allowOrigin[:]
	if p.credentials {
		v.credentials[0] = "true"
		h[headerAllowCredentials] = v.credentials[:]
	}
	if p.exposed != "" {
		v.exposed[0] = p.exposed
		h[headerExposeHeaders] = v.exposed[:]
	}
}

// setNoCORSHeaders makes h a response without CORS headers: every
// Access-Control-* header already there goes, in any spelling, and Vary
// names Origin, held in vary. It may run more than once on the same slot.
func (p *policy) setNoCORSHeaders(h http.Header, vary *[1]string) {
	if len(h) == 0 {
		// Nothing to scrub and no Vary to keep: the usual case costs one
		// map assignment and no call.
		if !p.anyOrigin {
			vary[0] = "Origin"
			h[headerVary] = vary[:]
		}
		return
	}
	scrubKeys(h)
	if !p.anyOrigin {
		addVary(h, "Origin", vary[:])
	}
}

// scrub deletes every Access-Control-* header from h, in any spelling, and
// moves Vary values written under another spelling ("vary") to the canonical
// key, where addVary sees them. net/http sends keys as they are in the map,
// so "access-control-allow-origin" next to ours would be a second value.
func scrub(h http.Header) {
	if len(h) > 0 { // an empty map, the usual case, costs no call
		scrubKeys(h)
	}
}

func scrubKeys(h http.Header) {
	for k, vals := range h {
		switch {
		case len(k) > len(accessControl) && (k[0] == 'A' || k[0] == 'a') && strings.EqualFold(k[:len(accessControl)], accessControl):
			delete(h, k)
		case len(k) == len(headerVary) && k != headerVary && strings.EqualFold(k, headerVary):
			delete(h, k)
			old := h[headerVary]
			h[headerVary] = append(old[:len(old):len(old)], vals...) // never into a shared array
		}
	}
}

const accessControl = "Access-Control-"

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
