package fetch

import (
	"errors"
	"mime"
	"sort"
	"strconv"
	"strings"

	"github.com/corsguard/cors/internal/fetchheader"
	"github.com/corsguard/cors/internal/method"
)

// This file holds Fetch's request classification (§2.2.2): which request
// headers a script may not set, which are CORS-safelisted, and therefore
// whether a browser sends a preflight.

// IsForbiddenRequestHeader implements Fetch's "forbidden request-header":
// the names in [fetchheader.IsForbiddenRequestName], and the method-override
// headers when their value names a forbidden method.
func IsForbiddenRequestHeader(h Header) bool {
	if fetchheader.IsForbiddenRequestName(h.Name) {
		return true
	}
	switch strings.ToLower(h.Name) {
	case "x-http-method", "x-http-method-override", "x-method-override":
		// The value is a comma-separated method list; one forbidden method
		// makes the whole header forbidden.
		for _, m := range strings.Split(h.Value, ",") {
			if method.IsForbidden(strings.TrimSpace(m)) {
				return true
			}
		}
	}
	return false
}

// isCORSUnsafeRequestHeaderByte implements Fetch's "CORS-unsafe
// request-header byte".
func isCORSUnsafeRequestHeaderByte(b byte) bool {
	if b < 0x20 && b != 0x09 {
		return true
	}
	return strings.IndexByte("\"():<>?@[\\]{}\x7f", b) >= 0
}

func hasCORSUnsafeRequestHeaderByte(v string) bool {
	for i := 0; i < len(v); i++ {
		if isCORSUnsafeRequestHeaderByte(v[i]) {
			return true
		}
	}
	return false
}

// isLanguageValue reports whether v only has the bytes Fetch allows in
// Accept-Language and Content-Language: 0-9 A-Z a-z space * , - . ; =
func isLanguageValue(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case strings.IndexByte(" *,-.;=", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// isSimpleRangeWithStart implements Fetch's "simple range header value"
// parsing (allowWhitespace false) plus the safelist's extra rule that the
// range start must be present: "bytes=N-" or "bytes=N-M" with N <= M.
func isSimpleRangeWithStart(v string) bool {
	rest, ok := strings.CutPrefix(v, "bytes=")
	if !ok {
		return false
	}
	startText, endText, ok := strings.Cut(rest, "-")
	if !ok || !AllDigits(startText) || (endText != "" && !AllDigits(endText)) {
		return false
	}
	start, err := strconv.ParseUint(startText, 10, 64)
	if err != nil {
		return false
	}
	if endText == "" {
		return true
	}
	end, err := strconv.ParseUint(endText, 10, 64)
	return err == nil && start <= end
}

// AllDigits reports whether s is one or more ASCII digits.
func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// safelistedContentTypes are the MIME type essences Fetch lets a script send
// without a preflight (the types an HTML form can produce).
var safelistedContentTypes = map[string]bool{
	"application/x-www-form-urlencoded": true,
	"multipart/form-data":               true,
	"text/plain":                        true,
}

// IsSafelistedRequestHeader implements Fetch's "CORS-safelisted
// request-header" for one name and value.
func IsSafelistedRequestHeader(h Header) bool {
	if len(h.Value) > 128 {
		return false
	}
	switch strings.ToLower(h.Name) {
	case "accept":
		return !hasCORSUnsafeRequestHeaderByte(h.Value)
	case "accept-language", "content-language":
		return isLanguageValue(h.Value)
	case "content-type":
		if hasCORSUnsafeRequestHeaderByte(h.Value) {
			return false
		}
		// Fetch's MIME type parser ignores malformed parameters; Go
		// reports them as ErrInvalidMediaParameter but still returns the
		// lower-cased essence.
		essence, _, err := mime.ParseMediaType(h.Value)
		if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
			return false
		}
		return safelistedContentTypes[essence]
	case "range":
		return isSimpleRangeWithStart(h.Value)
	}
	return false
}

// UnsafeHeaderNames implements Fetch's "CORS-unsafe request-header names":
// the lower-cased, sorted, de-duplicated names that need the server's
// consent, exactly as a browser lists them in Access-Control-Request-Headers.
// Safelisted values that add up to more than 1024 bytes all become unsafe.
func UnsafeHeaderNames(headers []Header) []string {
	var unsafe, safelisted []string
	safeSize := 0
	for _, h := range headers {
		if IsSafelistedRequestHeader(h) {
			safelisted = append(safelisted, strings.ToLower(h.Name))
			safeSize += len(h.Value)
		} else {
			unsafe = append(unsafe, strings.ToLower(h.Name))
		}
	}
	if safeSize > 1024 {
		unsafe = append(unsafe, safelisted...)
	}
	return sortedSet(unsafe)
}

// sortedSet implements Fetch's "convert header names to a sorted-lowercase
// set" for names that are already lower-cased.
func sortedSet(names []string) []string {
	seen := make(map[string]bool, len(names))
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// PreflightReasons says, in words, why a request needs a CORS-preflight
// (#main-fetch: a method that is not CORS-safelisted, or CORS-unsafe
// request-header names). An empty result means the browser sends the request
// directly.
func PreflightReasons(m string, headers []Header) []string {
	var reasons []string
	if !method.IsSafelisted(m) {
		reasons = append(reasons, "method "+m+" is not a CORS-safelisted method (GET, HEAD, POST)")
	}
	for _, name := range UnsafeHeaderNames(headers) {
		reason := "header " + name + " is not a CORS-safelisted request-header"
		if hint := SafelistHint(name, headers); hint != "" {
			reason += ": " + hint
		}
		reasons = append(reasons, reason)
	}
	return reasons
}

// NeedsPreflight reports whether a browser sends a CORS-preflight before a
// cross-origin request with this method and these headers.
func NeedsPreflight(m string, headers []Header) bool {
	return !method.IsSafelisted(m) || len(UnsafeHeaderNames(headers)) > 0
}

// SafelistHint explains why the header called name (lower case), whose name
// can be safelisted, is not safelisted in headers; it returns "" for names
// that never are.
func SafelistHint(name string, headers []Header) string {
	found := false
	for _, h := range headers {
		if strings.ToLower(h.Name) != name {
			continue
		}
		found = true
		if IsSafelistedRequestHeader(h) {
			continue
		}
		switch name {
		case "content-type":
			return "value " + strconv.Quote(h.Value) + " is not application/x-www-form-urlencoded, multipart/form-data or text/plain"
		case "accept", "accept-language", "content-language", "range":
			return "value " + strconv.Quote(h.Value) + " is outside what the safelist allows for it"
		}
		return ""
	}
	if found {
		return "the safelisted values of this request add up to more than 1024 bytes"
	}
	return ""
}
