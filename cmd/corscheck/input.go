package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/method"
	"github.com/corsguard/cors/internal/origin"
)

// This file validates what the user typed, so that the check runs on
// something a browser could actually send.

// headerFlags collects repeatable -header / -H values; it implements
// flag.Value.
type headerFlags []header

// String implements flag.Value.
func (h *headerFlags) String() string {
	parts := make([]string, 0, len(*h))
	for _, x := range *h {
		parts = append(parts, x.Name+": "+x.Value)
	}
	return strings.Join(parts, ", ")
}

// Set implements flag.Value: it accepts "Name" or "Name: value".
func (h *headerFlags) Set(s string) error {
	x, err := parseHeaderFlag(s)
	if err != nil {
		return err
	}
	*h = append(*h, x)
	return nil
}

// parseHeaderFlag parses "Name" or "Name: value". A header given without a
// value is checked (and sent) with an empty value.
func parseHeaderFlag(s string) (header, error) {
	name, value, _ := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	// Trim HTTP whitespace as Fetch's "normalize" does for header values.
	value = strings.Trim(value, " \t")
	if !headerlist.IsToken(name) {
		return header{}, fmt.Errorf("header name %q is not a valid HTTP token", name)
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return header{}, fmt.Errorf("header %s: value must not contain CR, LF or NUL", name)
	}
	h := header{Name: name, Value: value}
	if isForbiddenRequestHeader(h) {
		return header{}, fmt.Errorf("header %s is a forbidden request-header: browsers do not let scripts set it", name)
	}
	return h, nil
}

// validateOrigin checks that o is an origin as a browser serializes it in
// the Origin header, by the rules the library applies to configured origins
// (one parser, so the two never disagree), or the opaque origin "null" that
// sandboxed iframes, file: pages and tainted redirects send.
func validateOrigin(o string) error {
	if o == "null" {
		return nil
	}
	spec, err := origin.Parse(o)
	if err != nil {
		return fmt.Errorf("-origin %q %v", o, err)
	}
	if spec.Pattern {
		return fmt.Errorf("-origin %q is a pattern; a browser sends one origin, as in %q", o,
			spec.Scheme+"://app."+strings.TrimPrefix(spec.String(), spec.Scheme+"://*."))
	}
	return nil
}

// defaultPort returns the port a URL of this scheme has when none is written.
func defaultPort(scheme string) string {
	if scheme == "https" {
		return "443"
	}
	return "80"
}

// originOf serializes the origin of an http(s) URL (Fetch/HTML "ASCII
// serialization of an origin").
func originOf(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := u.Port()
	if port == "" || port == defaultPort(scheme) {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + port
}

// parseTarget validates the URL to check.
func parseTarget(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("URL %q: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("URL %q must be an absolute http:// or https:// URL", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("URL %q has no host", raw)
	}
	if u.User != nil {
		// Fetch refuses credentials in a cross-origin request URL.
		return nil, fmt.Errorf("URL %q must not contain user info", raw)
	}
	if u.Path == "" {
		// Browsers request "/" for an empty path and print it that way.
		u.Path = "/"
	}
	u.Fragment, u.RawFragment = "", "" // never sent
	return u, nil
}

// validateMethod normalizes the method and refuses what a script cannot send.
func validateMethod(m string) (string, error) {
	if !headerlist.IsToken(m) {
		return "", fmt.Errorf("-method %q is not a valid HTTP method token", m)
	}
	if method.IsForbidden(m) {
		return "", fmt.Errorf("-method %s is forbidden: browsers do not let scripts send it", m)
	}
	return method.Normalize(m), nil
}

// errSameOrigin is returned when the URL has the -origin itself: a browser
// makes no CORS check at all then.
var errSameOrigin = errors.New("the URL has the same origin as -origin: a browser makes no CORS check for same-origin requests")
