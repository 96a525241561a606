package publicsuffix

import "strings"

// kind says what the list holds for one domain; several bits may be set.
type kind uint8

const (
	normal    kind = 1 << iota // a rule "d"
	wildcard                   // a rule "*.d": every name one label below d is a suffix
	exception                  // a rule "!d": d is not a suffix after all
	covers                     // a public suffix lies at or below d
)

// table holds the rules keyed by domain. Its keys are substrings of the
// embedded text, so building it allocates only the map.
type table struct {
	kinds map[string]kind
	rules []Rule // in the list's order, for Example and Rules
}

// is applies the Public Suffix List algorithm to domain.
func (t *table) is(domain string) bool {
	// An exception rule at domain or above it prevails, and names a suffix
	// strictly above domain.
	if !t.noExceptionAtOrAbove(domain) {
		return false
	}
	if t.kinds[domain]&normal != 0 {
		return true
	}
	_, parent, ok := strings.Cut(domain, ".")
	if !ok {
		return true // the default rule "*"
	}
	return t.kinds[parent]&wildcard != 0
}

// markCovers records, after every rule is in, which domains have a public
// suffix at or below them: every rule that names a suffix, and each of its
// ancestors.
func (t *table) markCovers() {
	for _, r := range t.rules {
		switch {
		case r.Type == Normal && t.is(r.Domain):
		case r.Type == Wildcard && t.noExceptionAtOrAbove(r.Domain):
		default:
			continue
		}
		for d := r.Domain; ; {
			t.kinds[d] |= covers
			_, parent, ok := strings.Cut(d, ".")
			if !ok {
				break
			}
			d = parent
		}
	}
}

// noExceptionAtOrAbove reports whether no exception rule names domain or a
// domain above it: otherwise domain is no suffix, and a wildcard at domain
// makes no name below it one (bar those the exception spares).
func (t *table) noExceptionAtOrAbove(domain string) bool {
	for d := domain; ; {
		if t.kinds[d]&exception != 0 {
			return false
		}
		_, parent, ok := strings.Cut(d, ".")
		if !ok {
			return true
		}
		d = parent
	}
}

// shallowestBelow is the rule, as the list writes it, whose suffixes lie
// strictly below domain with the fewest labels; ties go to the list's order.
func (t *table) shallowestBelow(domain string) string {
	best, bestLabels, tail := "", 0, "."+domain
	for _, r := range t.rules {
		if !strings.HasSuffix(r.Domain, tail) && (r.Type != Wildcard || r.Domain != domain) {
			continue
		}
		labels := strings.Count(r.Domain, ".") + 1
		switch {
		case r.Type == Wildcard && t.noExceptionAtOrAbove(r.Domain):
			labels++
		case r.Type == Normal && t.is(r.Domain):
		default:
			continue
		}
		if best == "" || labels < bestLabels {
			best, bestLabels = r.String(), labels
		}
	}
	return best
}
