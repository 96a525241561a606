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
		return fmt.Errorf("is a pattern; a browser sends one origin, as in %q", spec.Example())
	}
	return nil
}
