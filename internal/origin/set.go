package origin

import (
	"math/bits"
	"slices"
	"strings"
)

// linearMax is the size up to which comparing strings one by one beats
// hashing the request's origin.
const linearMax = 4

// maxHost is the longest host a pattern matches: a DNS name has at most 253
// bytes, and Parse refuses a longer one.
const maxHost = 253

// Set holds configured origins and answers whether a request's Origin is one
// of them. Lookups cost O(1) in the number of origins: exact origins are a
// hash set, and patterns are found by hashing parts of the request's origin,
// never by scanning the patterns:
//   - exact hosts on any port: one lookup of scheme "://" host;
//   - subdomain patterns: one lookup per distinct label count of the
//     configured bases (two when some are on any port);
//   - infix patterns: one lookup of the base after the request's first label,
//     then one per distinct length of the prefixes configured under that base
//     and of the suffixes of those without a prefix (at most 62 each, usually
//     one or two), and a comparison per pattern that shares the base and that
//     prefix (or, without a prefix, that suffix), differing only in the rest,
//     the scheme or the port.
type Set struct {
	list  []string            // exact origins, in configured order
	exact map[string]struct{} // the same, when there are more than linearMax

	// anyPort holds scheme "://" host of the exact hosts allowed on any port.
	anyPort map[string]struct{}

	// subdomains maps "." + base host + [":" port] (a suffix of every origin
	// the pattern allows) to the schemes configured with it, and
	// anyPortSubdomains maps "." + base host (a suffix of every host it
	// allows) to the schemes configured with it on any port.
	subdomains        map[string][]string
	anyPortSubdomains map[string][]string
	// depths has bit n set when some subdomain pattern's base has n labels.
	depths uint64

	// infixes maps the base host of infix patterns (the host after the first
	// label) to those patterns.
	infixes map[string]*infixBase
}

// infixBase holds the infix patterns over one base host, keyed by their
// prefix, or by their suffix when they have no prefix.
type infixBase struct {
	byPrefix map[string][]infix
	bySuffix map[string][]infix
	// prefixLens has bit n set when some key of byPrefix has n bytes;
	// suffixLens the same for bySuffix.
	prefixLens, suffixLens uint64
}

// infix is one infix pattern, less what its key in infixBase says.
type infix struct {
	scheme  string
	suffix  string // the whole suffix, also when it is the key
	port    string // "" or ":" + port, as it ends the origin
	anyPort bool
}

// Add puts a parsed spec into the set.
func (s *Set) Add(spec Spec) {
	switch spec.Wildcard {
	case NoHostWildcard:
		if spec.AnyPort {
			if s.anyPort == nil {
				s.anyPort = make(map[string]struct{})
			}
			s.anyPort[spec.Scheme+"://"+spec.Host] = struct{}{}
			return
		}
		s.addExact(spec.String())
	case Subdomains:
		m, key := &s.subdomains, "."+spec.Host
		switch {
		case spec.AnyPort:
			m = &s.anyPortSubdomains
		case spec.Port != "":
			key += ":" + spec.Port
		}
		if *m == nil {
			*m = make(map[string][]string)
		}
		(*m)[key] = append((*m)[key], spec.Scheme)
		s.depths |= 1 << min(strings.Count(spec.Host, ".")+1, 63)
	case Infix:
		s.addInfix(spec)
	}
}

func (s *Set) addExact(o string) {
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
}

func (s *Set) addInfix(spec Spec) {
	if s.infixes == nil {
		s.infixes = make(map[string]*infixBase)
	}
	b := s.infixes[spec.Host]
	if b == nil {
		b = &infixBase{byPrefix: make(map[string][]infix), bySuffix: make(map[string][]infix)}
		s.infixes[spec.Host] = b
	}
	p := infix{scheme: spec.Scheme, suffix: spec.Suffix, anyPort: spec.AnyPort}
	if spec.Port != "" && !spec.AnyPort {
		p.port = ":" + spec.Port
	}
	// Parse keeps a label to 63 bytes, so every length fits the masks.
	if spec.Prefix != "" {
		b.byPrefix[spec.Prefix] = append(b.byPrefix[spec.Prefix], p)
		b.prefixLens |= 1 << min(len(spec.Prefix), 63)
	} else {
		b.bySuffix[spec.Suffix] = append(b.bySuffix[spec.Suffix], p)
		b.suffixLens |= 1 << min(len(spec.Suffix), 63)
	}
}

// Exact returns the configured exact origins. The caller must not modify it.
func (s *Set) Exact() []string { return s.list }

// Contains reports whether origin is in the set: byte for byte equal to an
// exact origin, or matched by a pattern with the same scheme: a subdomain,
// at any depth, of a subdomain pattern's base; a host of one label more than
// an infix pattern's base, the label starting with its prefix and ending with
// its suffix with at least one byte between; and the pattern's port, or for
// any port a port as browsers write it (none for the scheme's default). A
// matched host is a lower-case domain name of at most 253 bytes.
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
	if s.anyPort == nil && s.depths == 0 && s.infixes == nil {
		return false
	}
	return s.matchPattern(origin)
}

func (s *Set) matchPattern(origin string) bool {
	schemeEnd := strings.Index(origin, "://")
	if schemeEnd < 0 {
		return false
	}
	scheme, hostStart := origin[:schemeEnd], schemeEnd+3
	host, port, ok := splitRequest(origin[hostStart:])
	if !ok {
		return false
	}
	anyPortOK := port == "" || port[0] == ':' && isPort(port[1:]) && port[1:] != DefaultPort(scheme)
	if s.anyPort != nil && anyPortOK {
		if _, ok := s.anyPort[origin[:hostStart+len(host)]]; ok {
			return true
		}
	}
	if len(host) > maxHost {
		return false
	}
	return s.depths != 0 && s.matchSubdomain(origin, scheme, hostStart, host, anyPortOK) ||
		s.infixes != nil && s.matchInfix(scheme, host, port, anyPortOK)
}

// splitRequest splits the host and port of a request's origin; port is ""
// or starts with ':'. Nothing is checked that comparing with configured
// origins checks.
func splitRequest(hostport string) (host, port string, ok bool) {
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return "", "", false
		}
		host, port = hostport[:end+1], hostport[end+1:]
		return host, port, port == "" || port[0] == ':'
	}
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		return hostport[:i], hostport[i:], true
	}
	return hostport, "", true
}

func (s *Set) matchSubdomain(origin, scheme string, hostStart int, host string, anyPortOK bool) bool {
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
		schemes, ok := s.subdomains[origin[hostStart+dot:]]
		if ok && slices.Contains(schemes, scheme) && IsDomain(host[:dot]) {
			return true
		}
		if anyPortOK && s.anyPortSubdomains != nil {
			schemes, ok := s.anyPortSubdomains[host[dot:]]
			if ok && slices.Contains(schemes, scheme) && IsDomain(host[:dot]) {
				return true
			}
		}
	}
	return false
}

func (s *Set) matchInfix(scheme, host, port string, anyPortOK bool) bool {
	dot := strings.IndexByte(host, '.')
	if dot <= 0 || dot > 63 {
		return false
	}
	b := s.infixes[host[dot+1:]]
	label := host[:dot]
	if b == nil || !IsDomain(label) {
		return false
	}
	// Only affixes shorter than the label leave the "*" a byte to match.
	shorter := uint64(1)<<len(label) - 1
	for lens := b.prefixLens & shorter; lens != 0; lens &= lens - 1 {
		n := bits.TrailingZeros64(lens)
		for _, p := range b.byPrefix[label[:n]] {
			if len(p.suffix) < len(label)-n && strings.HasSuffix(label, p.suffix) && p.allows(scheme, port, anyPortOK) {
				return true
			}
		}
	}
	for lens := b.suffixLens & shorter; lens != 0; lens &= lens - 1 {
		n := bits.TrailingZeros64(lens)
		for _, p := range b.bySuffix[label[len(label)-n:]] {
			if p.allows(scheme, port, anyPortOK) {
				return true
			}
		}
	}
	return false
}

func (p *infix) allows(scheme, port string, anyPortOK bool) bool {
	if p.anyPort {
		return anyPortOK && p.scheme == scheme
	}
	return p.port == port && p.scheme == scheme
}
