package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/method"
)

// This file validates what the user typed, so that the check runs on
// something a browser could actually send.

// headerFlags collects repeatable -header / -H values; it implements
// flag.Value.
type headerFlags []fetch.Header

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

// list returns the headers as the fetch package takes them.
func (h headerFlags) list() []fetch.Header { return h }

// has reports whether a header of this name was given, in any case.
func (h headerFlags) has(name string) bool {
	for _, x := range h {
		if strings.EqualFold(x.Name, name) {
			return true
		}
	}
	return false
}

// parseHeaderFlag parses "Name" or "Name: value". A header given without a
// value is checked (and sent) with an empty value.
func parseHeaderFlag(s string) (fetch.Header, error) {
	name, value, _ := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	// Trim HTTP whitespace as Fetch's "normalize" does for header values.
	value = strings.Trim(value, " \t")
	if !headerlist.IsToken(name) {
		return fetch.Header{}, fmt.Errorf("header name %q is not a valid HTTP token", name)
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return fetch.Header{}, fmt.Errorf("header %s: value must not contain CR, LF or NUL", name)
	}
	h := fetch.Header{Name: name, Value: value}
	if fetch.IsForbiddenRequestHeader(h) {
		return fetch.Header{}, fmt.Errorf("header %s is a forbidden request-header: browsers do not let scripts set it", name)
	}
	return h, nil
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
