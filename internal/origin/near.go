package origin

import "strings"

// Near finds the configured origin that a refused request origin most likely
// meant, and says how they differ: "case", "trailing slash", "scheme" or
// "port". It returns "", "" when none is that close. It is for diagnostics
// only: it costs O(len(configured)). Patterns among configured are skipped.
func Near(request string, configured []string) (candidate, how string) {
	if len(request) > MaxLength {
		return "", ""
	}
	trimmed := strings.TrimSuffix(request, "/")
	reqScheme, reqHost, reqPort, ok := split(trimmed)
	for _, c := range configured {
		if strings.Contains(c, "*") {
			continue
		}
		switch {
		case trimmed != request && trimmed == c:
			return c, "trailing slash"
		case strings.EqualFold(trimmed, c):
			return c, "case"
		}
		cScheme, cHost, cPort, cok := split(c)
		if !ok || !cok || !strings.EqualFold(reqHost, cHost) {
			continue
		}
		if reqScheme != cScheme && reqPort == cPort {
			return c, "scheme"
		}
		if reqScheme == cScheme && reqPort != cPort {
			return c, "port"
		}
	}
	return "", ""
}

func split(o string) (scheme, host, port string, ok bool) {
	i := strings.Index(o, "://")
	if i < 0 {
		return "", "", "", false
	}
	host, port, reason := splitHostPort(o[i+3:])
	if reason != "" {
		return "", "", "", false
	}
	return o[:i], host, port, true
}
