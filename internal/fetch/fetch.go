// Package fetch holds the browser's side of the CORS protocol, as the WHATWG
// Fetch standard (https://fetch.spec.whatwg.org/) defines it and Chromium
// words it: which requests need a preflight and how it is written, the CORS
// check, the preflight response check, redirects, and the console message.
// cmd/corscheck applies it to live servers and corstest to handlers, so the
// two can never disagree about what a browser sends or accepts.
//
// Every function is pure: no network, no clock, bounded work per input.
package fetch

// Header is one request header as a script sets it.
type Header struct {
	Name  string
	Value string
}

// IsOKStatus implements Fetch's "ok status": 200 to 299.
func IsOKStatus(status int) bool { return status >= 200 && status <= 299 }

// IsRedirectStatus implements Fetch's "redirect status".
func IsRedirectStatus(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}
