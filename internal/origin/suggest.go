package origin

import "strings"

// suggest rewrites a mistaken origin into the form a browser would send for
// the same site, or returns "" when it cannot guess. Parse checks the result
// before offering it.
func suggest(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" || s == "*" {
		return ""
	}
	scheme, rest := "", s
	if i := strings.Index(s, "://"); i >= 0 {
		scheme, rest = strings.ToLower(s[:i]), s[i+3:]
	} else {
		rest = strings.TrimPrefix(rest, "//")
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	rest = strings.ToLower(rest)
	if scheme == "" {
		scheme = "https"
		if isLocal(rest) {
			scheme = "http"
		}
	}
	host, port, reason := splitHostPort(rest)
	if reason != "" {
		return ""
	}
	if port != "" && port == DefaultPort(scheme) {
		port = ""
	}
	if port != "" && port != "*" {
		port = strings.TrimLeft(port, "0")
		if !isPort(port) {
			return ""
		}
	}
	if port != "" {
		port = ":" + port
	}
	return scheme + "://" + host + port
}

// isLocal reports whether a scheme-less host names the developer's own
// machine, which is usually served over plain http.
func isLocal(hostport string) bool {
	host := hostport
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.HasSuffix(hostport, "]") {
		host = hostport[:i]
	}
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "[::1]"
}
