// Package method holds the Fetch standard's rules on request methods, shared
// by the middleware's configuration checks, its preflight answers and
// corscheck.
package method

import "strings"

// IsSafelisted reports whether m is a CORS-safelisted method (Fetch): GET,
// HEAD or POST, byte for byte. They need no preflight and no permission.
func IsSafelisted(m string) bool {
	return m == "GET" || m == "HEAD" || m == "POST"
}

// IsForbidden reports whether m is a forbidden method (Fetch): CONNECT,
// TRACE or TRACK in any case, which scripts cannot send at all.
func IsForbidden(m string) bool {
	return strings.EqualFold(m, "CONNECT") || strings.EqualFold(m, "TRACE") || strings.EqualFold(m, "TRACK")
}

// Normalize upper-cases the six methods Fetch normalizes (DELETE, GET, HEAD,
// OPTIONS, POST, PUT) and leaves every other method as it is, so "patch"
// reaches the server as "patch".
func Normalize(m string) string {
	for _, n := range [...]string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"} {
		if strings.EqualFold(m, n) {
			return n
		}
	}
	return m
}
