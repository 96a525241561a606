package origin

import (
	"slices"
	"strings"
)

// linearMax is the size up to which comparing strings one by one beats
// hashing the request's origin.
const linearMax = 4

// Set holds configured origins and answers whether a request's Origin is one
// of them. Lookups cost O(1) in the number of origins: exact origins are a
// hash set, and patterns are found by hashing at most a few suffixes of the
// request's origin, one per distinct label count of the configured bases.
type Set struct {
	list  []string            // exact origins, in configured order
	exact map[string]struct{} // the same, when there are more than linearMax

	// patterns maps "." + base host + [":" port] (a suffix of every origin
	// the pattern allows) to the schemes configured with it.
	patterns map[string][]string
	// depths has bit n set when some pattern base has n labels.
	depths uint64
}

// Add puts a parsed spec into the set.
func (s *Set) Add(spec Spec) {
	if !spec.Pattern {
		o := spec.String()
		s.list = append(s.list, o)
		if len(s.list) > linearMax {
			if s.exact == nil {
				s.exact = make(map[string]struct{})
				for _, e := range s.list {
					s.exact[e] = struct{}{}
				}
			}
			s.exact[o] = struct{}{}
		}
		return
	}
	if s.patterns == nil {
		s.patterns = make(map[string][]string)
	}
	key := "." + spec.Host
	if spec.Port != "" {
		key += ":" + spec.Port
	}
	s.patterns[key] = append(s.patterns[key], spec.Scheme)
	s.depths |= 1 << min(strings.Count(spec.Host, ".")+1, 63)
}

// Exact returns the configured exact origins. The caller must not modify it.
func (s *Set) Exact() []string { return s.list }

// Contains reports whether origin is in the set: byte for byte equal to an
// exact origin, or a subdomain, at any depth, of a pattern's base with the
// same scheme and port.
func (s *Set) Contains(origin string) bool {
	if len(origin) > MaxLength {
		return false
	}
	if s.exact != nil {
		if _, ok := s.exact[origin]; ok {
			return true
		}
	} else {
		for _, o := range s.list {
			if o == origin {
				return true
			}
		}
	}
	return s.patterns != nil && s.matchPattern(origin)
}

func (s *Set) matchPattern(origin string) bool {
	schemeEnd := strings.Index(origin, "://")
	if schemeEnd < 0 {
		return false
	}
	hostStart := schemeEnd + 3
	host := origin[hostStart:]
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	// Walk the dots from the right; the suffix starting at the n-th dot is the
	// key of a pattern whose base has n labels.
	dot := len(host)
	for n := 1; n < 64 && s.depths>>n != 0; n++ {
		dot = strings.LastIndexByte(host[:dot], '.')
		if dot <= 0 {
			return false
		}
		if s.depths&(1<<n) == 0 {
			continue
		}
		schemes, ok := s.patterns[origin[hostStart+dot:]]
		if ok && slices.Contains(schemes, origin[:schemeEnd]) && IsDomain(host[:dot]) {
			return true
		}
	}
	return false
}
