package origin

import (
	"strings"

	"github.com/corsguard/cors/internal/publicsuffix"
)

// IsPublicSuffix reports whether domain is a public suffix by the complete
// Public Suffix List (package publicsuffix): a name under which anyone can
// register a site, such as "com", "co.uk", "github.io" or, by the wildcard
// rule "*.compute.amazonaws.com", any name one label below
// compute.amazonaws.com.
//
// "localhost" is not one: RFC 6761 keeps it and its subdomains on the
// loopback interface, where no one registers anything, though the list's
// default rule calls every unlisted top-level domain a public suffix; check
// [Spec.Loopback] before consulting another list. Neither is anything that
// is not a domain name, such as "[::1]".
func IsPublicSuffix(domain string) bool {
	return isListDomain(domain) && publicsuffix.Is(domain)
}

// HasPublicSuffixAtOrBelow reports whether the list holds a public suffix
// at domain or anywhere under it, with one map lookup: a pattern whose base
// is domain then matches names anyone can register.
func HasPublicSuffixAtOrBelow(domain string) bool {
	return isListDomain(domain) && publicsuffix.AtOrBelow(domain)
}

// PublicSuffixAtOrBelow names a public suffix at domain or anywhere under
// it ("up.railway.app" for "railway.app", "*.compute.amazonaws.com" for
// "amazonaws.com"), or returns "" when the list holds none: a pattern
// "*." + domain, which matches subdomains at any depth, then matches names
// anyone can register.
func PublicSuffixAtOrBelow(domain string) string {
	if !HasPublicSuffixAtOrBelow(domain) {
		return ""
	}
	return publicsuffix.Example(domain)
}

// isListDomain reports whether the list may judge domain: a domain name
// outside the loopback names of RFC 6761.
func isListDomain(domain string) bool {
	return domain != "localhost" && !strings.HasSuffix(domain, ".localhost") && IsDomain(domain)
}
