// Package origin parses configured origins and matches request origins
// against them: byte for byte, or label by label for patterns (a "*" in the
// first label of the host, or ":*" for any port of a loopback host), never by
// substrings or regular expressions.
package origin

import (
	"net/netip"
	"strconv"
	"strings"
)

// MaxLength is the longest origin, configured or requested, that is ever
// matched. A DNS name has at most 253 bytes, so a real origin stays far below;
// a longer Origin header is refused after one length check.
const MaxLength = 512

// Spec is a configured origin: an exact origin in the serialized form
// browsers send, scheme "://" host [":" port], or a pattern that matches many
// of them. A pattern has one "*" in the first label of its host, or ":*" for
// its port, or both:
//
//	https://*.example.com           subdomains of example.com, at any depth
//	https://myapp-*-acme.vercel.app one label: "myapp-", one or more label bytes, "-acme"
//	http://localhost:*              any port, or none; loopback hosts only
type Spec struct {
	Scheme string
	// Host is the host, or for a host pattern the base domain that follows
	// its first label: "example.com" in both "https://*.example.com" and
	// "https://app-*.example.com".
	Host string
	Port string // empty for the scheme's default port, and when AnyPort
	// Pattern is true when the spec matches more than one origin: Wildcard is
	// not NoHostWildcard, or AnyPort is true. An exact origin has it false.
	Pattern  bool
	Wildcard HostWildcard
	// Prefix and Suffix are the literal text around the "*" of an Infix first
	// label, at least one of them non-empty: "myapp-" and "-acme" above.
	Prefix, Suffix string
	// AnyPort is true for ":*": every port of the host, and its default one.
	// Parse allows it only where Loopback is true.
	AnyPort bool
}

// HostWildcard says where a spec's host has its "*".
type HostWildcard uint8

const (
	// NoHostWildcard is a host matched byte for byte.
	NoHostWildcard HostWildcard = iota
	// Subdomains is "*." + Host: every subdomain of Host, at any depth.
	Subdomains
	// Infix is Prefix + "*" + Suffix + "." + Host: one label in front of
	// Host, the "*" standing for one or more bytes valid in a DNS label
	// (never a dot).
	Infix
)

// String returns the spec in its configured form.
func (s Spec) String() string { return s.format("*.", "*", ":*") }

// Example returns one origin that the spec matches, for messages: a pattern's
// wildcards are filled in ("app." for subdomains, "x" inside a first label,
// port 3000 for any port).
func (s Spec) Example() string { return s.format("app.", "x", ":3000") }

// format writes the spec with subdomains, infix and anyPort in place of its
// wildcards.
func (s Spec) format(subdomains, infix, anyPort string) string {
	host := s.Host
	switch s.Wildcard {
	case NoHostWildcard:
	case Subdomains:
		host = subdomains + host
	case Infix:
		host = s.Prefix + infix + s.Suffix + "." + host
	}
	switch {
	case s.AnyPort:
		host += anyPort
	case s.Port != "":
		host += ":" + s.Port
	}
	return s.Scheme + "://" + host
}

// Loopback reports whether every origin the spec matches is on the user's
// own machine: its host is 127.0.0.1, [::1], localhost or a subdomain of
// localhost, which RFC 6761 reserves for loopback.
func (s Spec) Loopback() bool {
	switch s.Host {
	case "127.0.0.1", "[::1]":
		return s.Wildcard == NoHostWildcard
	}
	return s.Host == "localhost" || strings.HasSuffix(s.Host, ".localhost")
}

// Error says why a configured origin is not one browsers send, and what to
// write instead when that can be worked out.
type Error struct {
	Reason string // e.g. "has a trailing slash"
	Fix    string // e.g. "https://app.example.com"; empty when unknown
}

func (e *Error) Error() string {
	if e.Fix == "" {
		return e.Reason
	}
	return e.Reason + `; use "` + e.Fix + `"`
}

// Parse validates a configured origin. Browsers serialize an origin as
// scheme://host[:port] with a lower-case scheme and host, no path and no
// default port (WHATWG URL, "serialization of an origin"); anything else can
// never equal a request's Origin header, so it is refused with a fix.
func Parse(s string) (Spec, error) {
	spec, reason := parse(s)
	if reason == "" {
		return spec, nil
	}
	e := &Error{Reason: reason}
	if fix := suggest(s); fix != "" && fix != s {
		if _, r := parse(fix); r == "" {
			e.Fix = fix
		}
	}
	return Spec{}, e
}

func parse(s string) (Spec, string) {
	switch {
	case s == "":
		return Spec{}, "is empty"
	case s == "null":
		return Spec{}, `is the origin browsers send from sandboxed iframes, file: pages and cross-origin redirects; ` +
			`any site can make its requests carry it, so it cannot be allowed`
	case s == "*":
		return Spec{}, `is the wildcard; it must be the only entry`
	case len(s) > MaxLength:
		return Spec{}, "is longer than " + strconv.Itoa(MaxLength) + " bytes, which no browser sends"
	}
	if strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return Spec{}, "contains white space or control characters"
	}
	schemeEnd := strings.Index(s, "://")
	if schemeEnd < 0 {
		return Spec{}, `has no scheme; origins start with "https://" or "http://"`
	}
	scheme, rest := s[:schemeEnd], s[schemeEnd+3:]
	if !isScheme(scheme) {
		return Spec{}, "has an invalid scheme " + strconv.Quote(scheme)
	}
	if hasUpper(scheme) {
		return Spec{}, "has upper-case letters; browsers send origins in lower case"
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		switch {
		case rest[i:] == "/":
			return Spec{}, "has a trailing slash"
		case rest[i] == '/':
			return Spec{}, "has a path; an origin is only scheme://host[:port]"
		case rest[i] == '?':
			return Spec{}, "has a query; an origin is only scheme://host[:port]"
		default:
			return Spec{}, "has a fragment; an origin is only scheme://host[:port]"
		}
	}
	if strings.Contains(rest, "@") {
		return Spec{}, "has user info; browsers never send it in an origin"
	}
	host, port, reason := splitHostPort(rest)
	if reason != "" {
		return Spec{}, reason
	}
	spec := Spec{Scheme: scheme, Host: host, Port: port}
	if port == "*" {
		spec.Port, spec.AnyPort = "", true
	} else if port != "" {
		if reason := checkPort(scheme, port); reason != "" {
			return Spec{}, reason
		}
	}
	if reason := parseHost(&spec, host); reason != "" {
		return Spec{}, reason
	}
	if spec.AnyPort && !spec.Loopback() {
		return Spec{}, anyPortReason(spec)
	}
	spec.Pattern = spec.AnyPort || spec.Wildcard != NoHostWildcard
	return spec, ""
}

// parseHost checks host and records it in spec: as it is, or split around
// its "*" into Prefix, Suffix and the base domain.
//
// An infix label directly under a top-level domain is refused, with or
// without credentials: there every name it matches is a domain anyone can
// register, so it describes no one's deployments. "localhost" is the
// exception: RFC 6761 keeps its subdomains on loopback, registered by no one.
func parseHost(spec *Spec, host string) string {
	star := strings.IndexByte(host, '*')
	if star < 0 {
		return checkHost(host)
	}
	dot := strings.IndexByte(host, '.')
	switch {
	case host[0] == '[':
		return ipPatternReason
	case strings.Count(host, "*") > 1:
		return `has more than one "*"` + patternForms
	case dot < 0:
		return `has a "*" with no domain after it` + patternForms
	case star > dot:
		return `has a "*" outside the first label` + patternForms
	}
	label, base := host[:dot], host[dot+1:]
	if reason := checkDomain(base); reason != "" {
		return reason
	}
	if isNumericTLD(base) {
		return ipPatternReason
	}
	spec.Host = base
	if label == "*" {
		spec.Wildcard = Subdomains
		return ""
	}
	spec.Wildcard = Infix
	spec.Prefix, spec.Suffix, _ = strings.Cut(label, "*")
	if reason := checkInfix(label, base); reason != "" {
		return reason
	}
	if !strings.Contains(base, ".") && base != "localhost" {
		reason := `has a "*" in a label directly under the top-level domain ` + strconv.Quote(base) +
			`, where anyone can register every name it matches; put it under a domain of your own, ` +
			`as in "https://myapp-*.example.com"`
		if spec.Prefix == "" && isLetter(spec.Suffix[0]) && IsDomain(spec.Suffix+"."+base) {
			// "https://*example.com" most likely lost the dot of "*.".
			reason += `, or for the subdomains of ` + spec.Suffix + "." + base + ` write "` +
				spec.Scheme + "://*." + spec.Suffix + "." + base + `"`
		}
		return reason
	}
	return ""
}

// checkInfix checks the first label of an infix pattern, whose "*" stands
// for at least one byte.
func checkInfix(label, base string) string {
	for i := 0; i < len(label); i++ {
		if label[i] >= 0x80 {
			return `has a non-ASCII host; browsers send the punycode form ("xn--...")`
		}
	}
	if hasUpper(label) {
		return "has upper-case letters; browsers send origins in lower case"
	}
	for i := 0; i < len(label); i++ {
		if c := label[i]; c != '*' && !isLabelByte(c) {
			return "has an invalid first label " + strconv.Quote(label)
		}
	}
	switch {
	case len(label) > 63:
		return "has a first label longer than 63 bytes"
	case len(label)+1+len(base) > 253:
		return "has a host longer than 253 bytes"
	}
	return ""
}

const (
	patternForms = `; a pattern has one "*", in the first label of its host, ` +
		`as in "https://*.example.com" or "https://myapp-*.example.com"`
	ipPatternReason = "is a pattern over an IP address; patterns match domain names only"
)

// anyPortReason refuses ":*" on a host that is not loopback, showing the
// spec with a port in its place.
func anyPortReason(spec Spec) string {
	spec.AnyPort, spec.Port = false, "8080"
	if DefaultPort(spec.Scheme) == "443" {
		spec.Port = "8443"
	}
	return `allows any port, which only loopback hosts (localhost, *.localhost, 127.0.0.1, [::1]) may; ` +
		`list the ports, as in "` + spec.String() + `"`
}

func splitHostPort(hostport string) (host, port, reason string) {
	if hostport == "" {
		return "", "", "has no host"
	}
	if hostport[0] == '[' {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return "", "", "has an unclosed IPv6 bracket"
		}
		host, rest := hostport[:end+1], hostport[end+1:]
		if rest == "" {
			return host, "", ""
		}
		if rest[0] != ':' {
			return "", "", "has characters after the IPv6 address"
		}
		if rest == ":" {
			return "", "", "has an empty port"
		}
		return host, rest[1:], ""
	}
	i := strings.LastIndexByte(hostport, ':')
	if i < 0 {
		return hostport, "", ""
	}
	if i == len(hostport)-1 {
		return "", "", "has an empty port"
	}
	host = hostport[:i]
	if host == "" {
		return "", "", "has no host"
	}
	return host, hostport[i+1:], ""
}

func checkPort(scheme, port string) string {
	if !isPort(port) {
		return "has an invalid port " + strconv.Quote(port)
	}
	if DefaultPort(scheme) == port {
		return "has the default port :" + port + ", which browsers leave out"
	}
	return ""
}

// isPort reports whether port is a number from 1 to 65535 in decimal digits
// without leading zeros, as browsers write it.
func isPort(port string) bool {
	if port == "" || len(port) > 5 || port[0] == '0' {
		return false
	}
	n := 0
	for i := 0; i < len(port); i++ {
		c := port[i]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n <= 65535
}

// DefaultPort returns the port a URL of a special scheme has when none is
// written (WHATWG URL, "default port"): 80 for http and ws, 443 for https
// and wss, and "" for every other scheme, whose ports are never left out.
func DefaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

func checkHost(host string) string {
	if host[0] == '[' {
		addr, err := netip.ParseAddr(host[1 : len(host)-1])
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return "has an invalid IPv6 address"
		}
		if want := "[" + ipv6String(addr) + "]"; want != host {
			return "has an IPv6 address that browsers write as " + want
		}
		return ""
	}
	if isNumericTLD(host) {
		addr, err := netip.ParseAddr(host)
		if err != nil || !addr.Is4() {
			return "has an invalid IPv4 address; browsers write it as four decimal numbers"
		}
		return ""
	}
	return checkDomain(host)
}

// isNumericTLD reports whether the URL parser would read host as IPv4: it
// does so when the last label is a number (WHATWG URL, "ends in a number").
func isNumericTLD(host string) bool {
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	if strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X") {
		return true
	}
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return false
		}
	}
	return true
}

func checkDomain(host string) string {
	if len(host) > 253 {
		return "has a host longer than 253 bytes"
	}
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			return `has a non-ASCII host; browsers send the punycode form ("xn--...")`
		}
	}
	if hasUpper(host) {
		return "has upper-case letters; browsers send origins in lower case"
	}
	if !IsDomain(host) {
		return "has an invalid host " + strconv.Quote(host)
	}
	return ""
}

// IsDomain reports whether s is a lower-case domain name: dot-separated
// non-empty labels of at most 63 letters, digits, '-' or '_'.
func IsDomain(s string) bool {
	if s == "" {
		return false
	}
	label := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if label == 0 {
				return false
			}
			label = 0
			continue
		case !isLabelByte(c):
			return false
		}
		label++
		if label > 63 {
			return false
		}
	}
	return label > 0
}

// isLabelByte reports whether c may appear in a label of a lower-case
// domain name.
func isLabelByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

func isScheme(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// ipv6String serializes an IPv6 address as the URL standard does: lower-case
// hex pieces, the first longest run of two or more zero pieces compressed,
// and never the dotted IPv4 tail that netip prints for mapped addresses.
func ipv6String(addr netip.Addr) string {
	b := addr.As16()
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	start, length := -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > length {
			start, length = i, j-i
		}
		i = j
	}
	var sb strings.Builder
	for i := 0; i < 8; i++ {
		if i == start {
			sb.WriteString("::")
			i += length - 1
			continue
		}
		if i > 0 && i != start+length {
			sb.WriteByte(':')
		}
		sb.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
	}
	return sb.String()
}
