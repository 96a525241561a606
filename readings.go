package cors

import (
	"net/http"
	"net/url"
	"path"
	"strings"
)

// The readings of a request's target that a router behind Routes may serve.
//
// Routers disagree about what path a request names, and a policy chosen from
// one reading while the router serves another can let a refused origin read
// a protected handler. Browsers resolve "." and ".." segments (%2e among
// them) before sending, but send %2F, ";" and case as the page wrote them.
// What Go's routers do, read from their source:
//
//   - net/http.ServeMux (Go 1.22) matches EscapedPath segment by segment, so
//     %2F stays inside a segment; it redirects an unclean path ("..", ".",
//     "//") to its clean form, and /tree to /tree/.
//   - chi and echo route RawPath when it is set, else Path, and clean nothing
//     (chi's CleanPath middleware cleans RawPath as sent).
//   - gin routes the decoded Path (RawPath with UseRawPath), collapses "//" and
//     resolves ".." with RemoveExtraSlash, and redirects a trailing slash or
//     a case-folded path (RedirectTrailingSlash, RedirectFixedPath).
//   - gorilla/mux routes the decoded Path (EscapedPath with UseEncodedPath)
//     and redirects an unclean path unless SkipClean; httprouter routes the
//     decoded Path and redirects trailing slashes and case-folded paths.
//   - Servers in front of Go (and some frameworks) drop ";" parameters;
//     some read a backslash as "/", and a rewrite may unescape the path once more.
//
// Routes therefore asks its ServeMux about every such reading: the path as
// Go escapes it, the RawPath as sent, the decoded path, decoded twice and
// with a backslash as "/", each as ServeMux
// cleans it and as a router that cleans nothing matches it literally, each
// with ";" parameters kept and dropped, case-folded, without its trailing
// slash when some key is an exact path, and the host as sent, lower-cased
// and without a trailing dot when some key names a host; and where ServeMux
// would redirect, the path as it stands too. A path that is clean,
// lower-case and the same escaped as decoded has one reading, so ordinary
// requests cost one lookup.

// maxReadings bounds the lookups per request: 5 forms (escaped as Go
// reads it, RawPath as sent, decoded, decoded twice, a backslash read as "/"), each
// cleaned by ServeMux or literal, × 2 (";" kept, dropped) × 2 (case kept,
// folded) × 2 (trailing slash kept, removed) × 2 hosts.
const maxReadings = 5 * 2 * 2 * 2 * 2 * 2

// maxReadPath is the longest escaped path whose readings Routes computes;
// a longer one that has several readings is refused (ambiguousMatch), so
// that a hostile path costs a bounded amount of work. Servers in front
// usually refuse such a request line already (nginx's default buffer is
// 8 KiB).
const maxReadPath = 8 << 10

// reading is one candidate target: an escaped path as ServeMux would see it
// in URL.EscapedPath, a host, and whether it is case-folded (matched against
// the lower-cased keys).
type reading struct {
	host, escaped string
	folded        bool
}

// needsReadings reports whether some router could read r's target, whose
// escaped path is escaped, otherwise than ServeMux does. When it is false,
// ServeMux's own reading is the only one.
func (rt *Routes) needsReadings(r *http.Request, escaped string) bool {
	if r.URL.RawPath != "" || rt.foldCollision || hasDotSegment(escaped) || strings.IndexByte(escaped, ';') >= 0 || hasUpper(escaped) {
		return true
	}
	if strings.IndexByte(r.URL.Path, '%') >= 0 || strings.IndexByte(r.URL.Path, '\\') >= 0 {
		return true // an escape left after decoding, or a backslash
	}
	if rt.exactKeys && len(escaped) > 1 && strings.HasSuffix(escaped, "/") {
		return true
	}
	_, n := rt.hostReadings(r.Host)
	return n > 1
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// readings appends to dst the targets of r other than own, r's own reading
// (the one ServeMux itself reads), without duplicates.
func (rt *Routes) readings(dst []reading, r *http.Request, own reading) []reading {
	var paths [10]string
	paths[0] = own.escaped
	n := 1
	if r.URL.RawPath != "" {
		// Path escaped by default splits where EscapedPath does; only a
		// RawPath (an escaped "/" among others) makes the decoded path
		// differ. EscapedPath ignores a RawPath with a byte it would have
		// escaped ("|"), which routers that read RawPath keep as sent.
		paths[1], paths[2], n = asSent(r.URL.RawPath), escapeSegments(r.URL.Path), 3
	}
	if twice, err := url.PathUnescape(r.URL.Path); err == nil && twice != r.URL.Path {
		// A rewrite that unescapes the path again: /admin%252Fusers.
		paths[n], n = escapeSegments(twice), n+1
	}
	if strings.IndexByte(r.URL.Path, '\\') >= 0 {
		// Servers that read a backslash as "/", as browsers do before sending.
		paths[n], n = escapeSegments(strings.ReplaceAll(r.URL.Path, "\\", "/")), n+1
	}
	for _, p := range paths[:n] {
		if hasDotSegment(p) {
			paths[n], n = literalDots(p), n+1
		}
	}
	hosts, nh := rt.hostReadings(r.Host)
	for _, host := range hosts[:nh] {
		for _, p := range paths[:n] {
			params := [2]string{p, dropParams(p)}
			for _, q := range params[:1+b2i(params[1] != p)] {
				slashes, ns := rt.slashReadings(q)
				for _, s := range slashes[:ns] {
					dst = addReading(dst, own, reading{host: host, escaped: s})
					if folded, fh := strings.ToLower(s), strings.ToLower(host); folded != s || fh != host || rt.foldCollision {
						dst = addReading(dst, own, reading{host: fh, escaped: folded, folded: true})
					}
				}
			}
		}
	}
	return dst
}

// asSent returns a RawPath as the client sent it, with only the bytes that
// URL.EscapedPath refuses in a RawPath escaped, so that ServeMux reads its
// "%2F" where a router reading RawPath does.
func asSent(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if keptInRawPath(c) {
			if b.Len() > 0 {
				b.WriteByte(c)
			}
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(raw) + 8)
			b.WriteString(raw[:i])
		}
		const hex = "0123456789ABCDEF"
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	if b.Len() == 0 {
		return raw
	}
	return b.String()
}

// keptInRawPath reports whether URL.EscapedPath accepts c unescaped in a
// RawPath (net/url's validEncoded with encodePath), "%" included.
func keptInRawPath(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-_.~!$&'()*+,;=:@[]/%", c) >= 0
}

// addReading appends c to dst unless it is the request's own reading or
// already there.
func addReading(dst []reading, own, c reading) []reading {
	if c == own {
		return dst
	}
	for _, s := range dst {
		if s == c {
			return dst
		}
	}
	return append(dst, c)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// hostReadings returns the hosts a router could read from host: as sent, and
// when some key names a host, lower-cased and without a trailing dot.
func (rt *Routes) hostReadings(host string) ([2]string, int) {
	if !rt.hostKeys {
		return [2]string{host}, 1
	}
	h, port := host, ""
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		h, port = host[:i], host[i:]
	}
	bare := strings.ToLower(strings.TrimSuffix(h, ".")) + port
	if bare == host {
		return [2]string{host}, 1
	}
	return [2]string{host, bare}, 2
}

// slashReadings returns p, and when some key is one path without its
// subtree, p without its trailing slash, as routers that strip it serve it
// (chi's StripSlashes, echo's RemoveTrailingSlash). No reading adds one:
// ServeMux's own redirect from /tree to /tree/ names that pattern, and a
// path that an exact key matches is a route as it stands.
func (rt *Routes) slashReadings(p string) ([2]string, int) {
	if !rt.exactKeys || p == "/" || !strings.HasSuffix(p, "/") {
		return [2]string{p}, 1
	}
	return [2]string{p, strings.TrimSuffix(p, "/")}, 2
}

// hasDotSegment reports whether the path p has a "." or ".." segment or an
// empty inner segment ("//"), which routers clean or keep as they choose.
func hasDotSegment(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] != '/' {
			continue
		}
		rest := p[i+1:]
		for _, seg := range [3]string{"", ".", ".."} {
			if strings.HasPrefix(rest, seg) && (len(rest) == len(seg) || rest[len(seg)] == '/') {
				if seg != "" || len(rest) > 0 {
					return true
				}
			}
		}
	}
	return false
}

// escapeSegments returns the decoded path p escaped segment by segment, so
// that ServeMux splits it where a router that routes the decoded path does:
// at every "/", those that were %2F included.
func escapeSegments(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// cleanPath cleans p as ServeMux does before it matches: path.Clean, with a
// trailing slash kept.
func cleanPath(p string) string {
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if strings.HasSuffix(p, "/") && np != "/" {
		np += "/"
	}
	return np
}

// literalDots returns the escaped path p as a router that cleans nothing
// matches it: its "." and ".." segments are escaped, and its empty inner
// segments become %00, so that ServeMux neither cleans them nor redirects,
// and only a wildcard key segment matches them, as such a router's
// parameter would.
func literalDots(p string) string {
	segs := strings.Split(p, "/")
	changed := false
	for i, s := range segs {
		switch {
		case s == ".":
			segs[i] = "%2E"
		case s == "..":
			segs[i] = "%2E%2E"
		case s == "" && i > 0 && i < len(segs)-1:
			segs[i] = "%00"
		default:
			continue
		}
		changed = true
	}
	if !changed {
		return p
	}
	return strings.Join(segs, "/")
}

// dropParams removes the ";" parameters of every segment of p, as servers
// that read RFC 2396's path parameters do ("/admin;x/users" is
// "/admin/users" to them).
func dropParams(p string) string {
	if !strings.Contains(p, ";") {
		return p
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if j := strings.IndexByte(s, ';'); j >= 0 {
			segs[i] = s[:j]
		}
	}
	return strings.Join(segs, "/")
}

// lookup returns the index of the policy that the ServeMux of c (the folded
// one for a folded reading) chooses for c, or noMatch, or ambiguousMatch
// when two keys fold to the same pattern or when the reading redirects and
// the path as it stands would choose another (see [Routes.unlessRedirected]).
func (rt *Routes) lookup(r *http.Request, c reading) int {
	i, redirected := rt.lookupOnce(r, c)
	return rt.unlessRedirected(r, c, i, redirected)
}

// lookupOnce is lookup without the second look at a redirected path.
func (rt *Routes) lookupOnce(r *http.Request, c reading) (index int, redirected bool) {
	if c.folded && rt.foldConflict {
		return ambiguousMatch, false
	}
	path, err := url.PathUnescape(c.escaped)
	if err != nil {
		return noMatch, false // no router serves a path it cannot decode
	}
	lr := &http.Request{Method: r.Method, Host: c.host, URL: &url.URL{Path: path, RawPath: c.escaped}}
	if !c.folded {
		return matchIn(rt.mux, rt.patterns, lr)
	}
	slot, redirected := matchIn(rt.foldedMux, rt.foldedPatterns, lr)
	if slot < 0 {
		return slot, redirected
	}
	return rt.folded[slot], redirected
}

// unlessRedirected returns i, the index chosen for c, when ServeMux did not
// redirect c; when it did, and c has no trailing slash, the router behind
// may serve the path as it stands instead ("/admin" by a "/{page}" route
// under "/", where ServeMux redirects to "/admin/"): i holds only if that
// literal reading, c with a last segment no key names, chooses i too.
func (rt *Routes) unlessRedirected(r *http.Request, c reading, i int, redirected bool) int {
	if !redirected {
		return i
	}
	c.escaped = cleanPath(c.escaped) // where ServeMux's clean redirect leads
	if strings.HasSuffix(c.escaped, "/") {
		return i
	}
	c.escaped += "%00"
	if literal, _ := rt.lookupOnce(r, c); literal != i {
		return ambiguousMatch
	}
	return i
}
