package cors

import (
	"net/netip"
	"strings"

	"github.com/corsguard/cors/internal/origin"
)

// plainHTTP reports whether spec serves its pages over plain HTTP from a host
// that browsers do not treat as potentially trustworthy (Secure Contexts,
// "Is origin potentially trustworthy?"): anyone on the network path of such a
// page, on public Wi-Fi or behind a hostile proxy, can inject script into it,
// which then reads whatever the page may read. Loopback hosts are exempt:
// localhost, *.localhost, 127.0.0.0/8 and [::1] never leave the machine.
func plainHTTP(spec origin.Spec) bool {
	return spec.Scheme == "http" && !trustworthyHost(spec.Host)
}

// trustworthyHost reports whether browsers treat host as loopback; a pattern's
// base stands for every host under it.
func trustworthyHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || host == "[::1]" {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.Is4() && addr.As4()[0] == 127
}

// httpsFix is spec over https, the fix for a plain-HTTP origin: the same host
// and port, except port 443, which https leaves out.
func httpsFix(spec origin.Spec) string {
	spec.Scheme = "https"
	if spec.Port == "443" {
		spec.Port = ""
	}
	return spec.String()
}

// insecureReason explains why a plain-HTTP origin is refused with credentials.
func insecureReason(credentials, optIn string) string {
	return "is plain http: anyone on the network path of its pages (public Wi-Fi, a hostile proxy) can inject " +
		"script into them and, with " + credentials + ", read your users' data with their cookies; serve the pages " +
		"over https (for an intranet that really serves them over plain http, set " + optIn + ")"
}
