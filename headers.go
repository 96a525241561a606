package cors

import (
	"net/http"
	"strings"
)

// setActualHeaders makes the CORS headers of h exactly what the policy says
// for an actual request whose Access-Control-Allow-Origin value is
// allowOrigin ("" for none), with the values in s: every Access-Control-*
// header already there goes, in any spelling, so a response never carries
// two Access-Control-Allow-Origin values, credentials the policy does not
// grant, or a reflected origin the policy refused. It may run more than once
// for the same response.
func (p *policy) setActualHeaders(h http.Header, s *valueSlots, allowOrigin string) {
	p.setNoCORSHeaders(h, s)
	if allowOrigin == "" {
		return
	}
	h[headerAllowOrigin] = s.value(slotAllowOrigin, allowOrigin)
	if p.credentials {
		h[headerAllowCredentials] = s.value(slotCredentials, "true")
	}
	if p.exposed != "" {
		h[headerExposeHeaders] = s.value(slotExposed, p.exposed)
	}
}

// setNoCORSHeaders makes h a response without CORS headers: every
// Access-Control-* header already there goes, in any spelling, and Vary
// names Origin, unless the policy answers every origin alike.
func (p *policy) setNoCORSHeaders(h http.Header, s *valueSlots) {
	scrub(h)
	if !p.anyOrigin {
		addVary(h, s.value(slotVary, headerOrigin))
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

// addVary adds vary[0] to the response's Vary header, keeping the values
// already there, unless they already name it or are "*". vary, a
// one-element slice, becomes the header when there is none yet; otherwise
// a new slice is made, never written into the existing one, which may be
// shared.
func addVary(h http.Header, vary []string) {
	var old []string
	if len(h) > 0 { // an empty map, the usual case, spares the lookup
		old = h[headerVary]
	}
	if old == nil {
		h[headerVary] = vary
		return
	}
	if varyCovers(old, vary[0]) {
		return
	}
	merged := make([]string, len(old)+1)
	copy(merged, old)
	merged[len(old)] = vary[0]
	h[headerVary] = merged
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
