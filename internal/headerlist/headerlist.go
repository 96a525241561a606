// Package headerlist parses the Access-Control-Request-Headers lists of CORS
// preflights with bounded work and no allocation, and holds the set of
// allowed header names.
package headerlist

import "strings"

// Limits on what a preflight's header list may contain. Browsers send one
// line of lower-case names sorted and joined by commas (Fetch, "CORS-unsafe
// request-header names"), so real lists stay far below them; past any limit
// the preflight is refused without reading further, so a hostile value costs
// no more than these bounds allow (rs/cors GHSA-mh55-gqvf-xfwm).
const (
	MaxLines      = 8    // header lines
	MaxLength     = 4096 // bytes, all lines together
	MaxNames      = 64   // non-empty elements
	MaxEmpty      = 16   // empty elements tolerated from non-browser clients
	MaxNameLength = 128  // bytes in one name
)

// Status is the outcome of Check.
type Status uint8

// The outcomes of Check.
const (
	OK         Status = iota // every name is allowed
	NotAllowed               // Result.Culprit is not in the set
	Malformed                // Result.Culprit is not a header name
	TooLarge                 // the list exceeds a limit
)

// Result describes a checked list.
type Result struct {
	Status  Status
	Culprit string // the first refused or malformed element
	Names   int    // how many names the list holds
	// Verbatim is true when the list is one line of names joined by bare
	// commas, as browsers write it, so it can be echoed as it is.
	Verbatim bool
}

// Check reads the lines of an Access-Control-Request-Headers header and
// checks every name against allowed. Names compare case-insensitively;
// whitespace around elements, empty elements and repeated names are
// tolerated within the limits.
func Check(lines []string, allowed *Set) Result {
	if len(lines) > MaxLines {
		return Result{Status: TooLarge}
	}
	total := 0
	for _, l := range lines {
		total += len(l)
	}
	if total > MaxLength {
		return Result{Status: TooLarge}
	}
	res := Result{Verbatim: len(lines) == 1}
	empty := 0
	for _, line := range lines {
		for rest := line; ; {
			elem := rest
			comma := strings.IndexByte(rest, ',')
			if comma >= 0 {
				elem, rest = rest[:comma], rest[comma+1:]
			}
			name := trimOWS(elem)
			if len(name) != len(elem) {
				res.Verbatim = false
			}
			switch {
			case name == "":
				res.Verbatim = false
				if empty++; empty > MaxEmpty {
					return Result{Status: TooLarge}
				}
			case res.Names >= MaxNames || len(name) > MaxNameLength:
				return Result{Status: TooLarge}
			case !IsToken(name):
				return Result{Status: Malformed, Culprit: name}
			case !allowed.Contains(name):
				return Result{Status: NotAllowed, Culprit: name}
			default:
				res.Names++
			}
			if comma < 0 {
				break
			}
		}
	}
	if res.Names == 0 {
		res.Verbatim = false
	}
	return res
}

// Join returns the names of lines joined by commas, for echoing a list that
// is not Verbatim. The lines must have passed Check.
func Join(lines []string) string {
	var b strings.Builder
	n := 0
	for _, line := range lines {
		n += len(line)
	}
	b.Grow(n)
	for _, line := range lines {
		for rest := line; rest != ""; {
			var elem string
			elem, rest, _ = strings.Cut(rest, ",")
			if name := trimOWS(elem); name != "" {
				if b.Len() > 0 {
					b.WriteByte(',')
				}
				b.WriteString(name)
			}
		}
	}
	return b.String()
}

// trimOWS removes the optional whitespace (spaces and tabs) of RFC 9110.
func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// IsToken reports whether s is an RFC 9110 token, the syntax of both header
// names and methods.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tchars[s[i]] {
			return false
		}
	}
	return true
}

var tchars = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()
