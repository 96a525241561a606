package origin

import "strings"

// IsPublicSuffix reports whether domain is, by a short built-in list, a
// domain under which anyone can register a site: a single label ("com"), a
// common second level of a country domain ("co.uk", "com.au"), or a popular
// shared hosting domain ("github.io", "vercel.app"). It is no substitute for
// the Public Suffix List; it catches the patterns people write by mistake.
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
	second, tld, ok := strings.Cut(domain, ".")
	return ok && len(tld) == 2 && !strings.Contains(tld, ".") && countrySecondLevel[second]
}

var countrySecondLevel = map[string]bool{
	"ac": true, "co": true, "com": true, "edu": true, "gen": true, "go": true, "gob": true, "gov": true,
	"ltd": true, "me": true, "mil": true, "ne": true, "net": true, "nic": true, "nom": true, "or": true,
	"org": true, "plc": true, "sch": true,
}

var sharedHosting = map[string]bool{
	"amazonaws.com": true, "appspot.com": true, "azurewebsites.net": true, "blogspot.com": true,
	"cloudfront.net": true, "firebaseapp.com": true, "fly.dev": true, "github.io": true, "gitlab.io": true,
	"glitch.me": true, "herokuapp.com": true, "netlify.app": true, "ngrok-free.app": true, "ngrok.io": true,
	"onrender.com": true, "pages.dev": true, "vercel.app": true, "web.app": true, "workers.dev": true,
}
