package origin

import "strings"

// IsPublicSuffix reports whether domain is, by a short built-in list, a
// domain under which anyone can register a site: a single label ("com"), a
// common second level of a country domain ("co.uk", "com.au"), or a popular
// shared hosting domain ("github.io", "vercel.app", or any name one label
// below a wildcard rule such as "*.compute.amazonaws.com"). It is no
// substitute for the Public Suffix List; it catches the patterns people
// write by mistake.
//
// "localhost" is not one: RFC 6761 keeps it and its subdomains on the
// loopback interface, where no one registers anything. Neither is anything
// that is not a domain name, such as "[::1]". A Public Suffix List may still
// call "localhost" a public suffix (an unlisted top-level domain is one by
// its default rule); check [Spec.Loopback] before consulting one.
func IsPublicSuffix(domain string) bool {
	if domain == "localhost" || !IsDomain(domain) {
		return false
	}
	if !strings.Contains(domain, ".") {
		return true
	}
	if sharedHosting[domain] {
		return true
	}
	second, parent, _ := strings.Cut(domain, ".")
	if wildcardHosting[parent] {
		return true
	}
	return len(parent) == 2 && !strings.Contains(parent, ".") && countrySecondLevel[second]
}

// HasPublicSuffixBelow reports whether the built-in list holds a public
// suffix strictly under domain, so that a pattern "*." + domain, which
// matches subdomains at any depth, matches names anyone can register.
func HasPublicSuffixBelow(domain string) bool {
	if domain == "localhost" || !IsDomain(domain) {
		return false
	}
	tail := "." + domain
	for rule := range sharedHosting {
		if strings.HasSuffix(rule, tail) {
			return true
		}
	}
	for parent := range wildcardHosting {
		if parent == domain || strings.HasSuffix(parent, tail) {
			return true
		}
	}
	return false
}

var countrySecondLevel = map[string]bool{
	"ac": true, "co": true, "com": true, "edu": true, "gen": true, "go": true, "gob": true, "gov": true,
	"ltd": true, "me": true, "mil": true, "ne": true, "net": true, "nic": true, "nom": true, "or": true,
	"org": true, "plc": true, "sch": true,
}

// sharedHosting holds Public Suffix List rules, as the list states them, of
// platforms where anyone gets an HTTPS subdomain in minutes.
var sharedHosting = map[string]bool{
	"a.run.app": true, "appspot.com": true, "azurewebsites.net": true, "blogspot.com": true,
	"cloudfront.net": true, "firebaseapp.com": true, "fly.dev": true, "github.io": true, "gitlab.io": true,
	"herokuapp.com": true, "netlify.app": true, "ngrok-free.app": true, "ngrok-free.dev": true,
	"ngrok.app": true, "ngrok.dev": true, "ngrok.io": true, "ngrok.pro": true,
	"onrender.com": true, "pages.dev": true, "vercel.app": true, "web.app": true, "workers.dev": true,
}

// wildcardHosting holds the parents of Public Suffix List wildcard rules
// ("*.run.app" is "run.app"): every name one label below is a public suffix.
var wildcardHosting = map[string]bool{
	"compute.amazonaws.com": true, "compute-1.amazonaws.com": true, "elb.amazonaws.com": true,
	"run.app": true,
}
