// Package fetchheader holds the Fetch standard's rules on header names that
// scripts cannot set or read, shared by the middleware's configuration checks
// and corscheck.
package fetchheader

import "strings"

// forbiddenRequestNames is Fetch's list of forbidden request-header names,
// lower-cased: browsers drop them when a script sets them, so they are never
// listed in Access-Control-Request-Headers.
var forbiddenRequestNames = map[string]bool{
	"accept-charset": true, "accept-encoding": true,
	"access-control-request-headers": true, "access-control-request-method": true,
	"connection": true, "content-length": true, "cookie": true, "cookie2": true,
	"date": true, "dnt": true, "expect": true, "host": true, "keep-alive": true,
	"origin": true, "referer": true, "set-cookie": true, "te": true, "trailer": true,
	"transfer-encoding": true, "upgrade": true, "via": true,
}

// IsForbiddenRequestName reports whether a script can never set a header of
// this name, in any case (Fetch, "forbidden request-header", by name alone:
// the listed names and those starting with "Proxy-" or "Sec-").
//
// The X-HTTP-Method, X-HTTP-Method-Override and X-Method-Override names are
// forbidden only with a forbidden method in their value; the value is not
// known here, so they are not reported.
func IsForbiddenRequestName(name string) bool {
	name = strings.ToLower(name)
	return forbiddenRequestNames[name] || strings.HasPrefix(name, "proxy-") || strings.HasPrefix(name, "sec-")
}

// IsForbiddenResponseName reports whether browsers never let a script read a
// response header of this name, in any case, exposed or not (Fetch,
// "forbidden response-header name": Set-Cookie and Set-Cookie2).
func IsForbiddenResponseName(name string) bool {
	return strings.EqualFold(name, "Set-Cookie") || strings.EqualFold(name, "Set-Cookie2")
}
