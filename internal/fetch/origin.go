package fetch

import (
	"fmt"

	"github.com/corsguard/cors/internal/origin"
)

// ValidateOrigin checks that o is an origin as a browser serializes it in the
// Origin header, by the rules the library applies to configured origins (one
// parser, so the two never disagree), or the opaque origin "null" that
// sandboxed iframes, file: pages and tainted redirects send. The error reads
// after the origin: "https://a.example/" + " has a trailing slash; ...".
func ValidateOrigin(o string) error {
	if o == "null" {
		return nil
	}
	spec, err := origin.Parse(o)
	if err != nil {
		return err
	}
	if spec.Pattern {
		return fmt.Errorf("is a pattern; a browser sends one origin, as in %q", patternInstance(spec))
	}
	return nil
}

// patternInstance returns one origin that the pattern spec matches, for
// error messages.
func patternInstance(spec origin.Spec) string {
	host := spec.Host
	switch spec.Wildcard {
	case origin.Subdomains:
		host = "app." + host
	case origin.Infix:
		host = spec.Prefix + "x" + spec.Suffix + "." + host
	}
	switch {
	case spec.AnyPort:
		host += ":3000"
	case spec.Port != "":
		host += ":" + spec.Port
	}
	return spec.Scheme + "://" + host
}
