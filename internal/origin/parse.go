// Package origin parses configured origins and matches request origins
// against them, byte for byte, or label by label for subdomain patterns.
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

// Spec is a configured origin in the serialized form browsers send:
// scheme "://" host [":" port], or a subdomain pattern "scheme://*.host[:port]".
type Spec struct {
	Scheme  string
	Host    string // for a pattern, the base domain after "*."
	Port    string // empty for the scheme's default port
	Pattern bool   // true for "scheme://*.host[:port]"
}

// String returns the spec in its configured form.
func (s Spec) String() string {
	host := s.Host
	if s.Pattern {
		host = "*." + host
	}
	if s.Port != "" {
		host += ":" + s.Port
	}
	return s.Scheme + "://" + host
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
	if port != "" {
		if reason := checkPort(scheme, port); reason != "" {
			return Spec{}, reason
		}
	}
	spec := Spec{Scheme: scheme, Host: host, Port: port}
	if strings.HasPrefix(host, "*.") {
		spec.Pattern = true
		spec.Host = host[2:]
		if strings.Contains(spec.Host, "*") {
			return Spec{}, wildcardReason
		}
		if reason := checkDomain(spec.Host); reason != "" {
			return Spec{}, reason
		}
		if isNumericTLD(spec.Host) {
			return Spec{}, "is a pattern over an IP address; patterns match domain names only"
		}
		return spec, ""
	}
	if strings.Contains(host, "*") {
		return Spec{}, wildcardReason
	}
	if reason := checkHost(host); reason != "" {
		return Spec{}, reason
	}
	return spec, ""
}

const wildcardReason = `has a "*" that is not a whole first label; the only pattern is scheme://*.domain[:port], ` +
	`as in "https://*.example.com"`

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
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || port[0] == '0' || port[0] == '+' {
		return "has an invalid port " + strconv.Quote(port)
	}
	if defaultPort(scheme) == port {
		return "has the default port :" + port + ", which browsers leave out"
	}
	return ""
}

func defaultPort(scheme string) string {
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
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
		label++
		if label > 63 {
			return false
		}
	}
	return label > 0
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
