package main

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// This file reads single signals off a response: CORS headers other than
// Access-Control-Allow-Origin, Vary, a cache's marks, a login page, a
// limit a server refused the request for. They are evidence for
// diagnose.go and layer.go, never a verdict.

// loginLocation reports whether a redirect's target looks like a login
// page: authentication ran before CORS.
func loginLocation(location string) bool {
	l := strings.ToLower(location)
	for _, word := range []string{"login", "signin", "sign-in", "sign_in", "sso", "oauth", "authorize", "/auth", "saml", "openid", "/cas/"} {
		if strings.Contains(l, word) {
			return true
		}
	}
	return false
}

// cacheSuggested reports whether anything in h suggests a cache on the
// way, stored or not: Age, X-Cache*, CF-Cache-Status, a caching layer's
// own header or Via entry.
func cacheSuggested(resp response) bool {
	h := resp.header
	for _, name := range []string{"Age", "X-Cache", "X-Cache-Status", "CF-Cache-Status", "X-Varnish", "X-Served-By", "X-Amz-Cf-Id", "X-Cache-Lookup"} {
		if h.Get(name) != "" {
			return true
		}
	}
	l := layerOf(resp)
	return l.row != nil && l.row.cache
}

// otherCORSHeaders lists the Access-Control-* response headers of h other
// than Access-Control-Allow-Origin, in canonical form and sorted order.
func otherCORSHeaders(h http.Header) []string {
	var names []string
	for name := range h {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "access-control-") && lower != "access-control-allow-origin" {
			names = append(names, http.CanonicalHeaderKey(name))
		}
	}
	sort.Strings(names)
	return names
}

// variesByOrigin reports whether the Vary header lists Origin (or "*").
func variesByOrigin(h http.Header) bool {
	for _, line := range h.Values("Vary") {
		for _, item := range strings.Split(line, ",") {
			item = strings.TrimSpace(item)
			if strings.EqualFold(item, "Origin") || item == "*" {
				return true
			}
		}
	}
	return false
}

// corsLayerRefusal reports whether a preflight's 403 has the shape a CORS
// middleware gives a refusal: no CORS header, no body, and Vary: Origin,
// which says the answer was made for this origin. corsguard refuses an
// origin this way; a firewall, an auth layer or a proxy writes a body.
func corsLayerRefusal(resp response) bool {
	return resp.status == http.StatusForbidden && resp.body == "" && len(otherCORSHeaders(resp.header)) == 0 &&
		resp.header.Get("Access-Control-Allow-Origin") == "" && variesByOrigin(resp.header)
}

// cacheSignals lists the headers by which a cache says it served resp from
// storage: Age above zero, or an X-Cache, X-Cache-Status or CF-Cache-Status
// that says HIT.
func cacheSignals(h http.Header) []string {
	var out []string
	if age := h.Get("Age"); age != "" && age != "0" {
		out = append(out, "Age: "+clip(age, 20))
	}
	for _, name := range []string{"X-Cache", "X-Cache-Status", "CF-Cache-Status"} {
		if v := h.Get(name); strings.Contains(strings.ToUpper(v), "HIT") {
			out = append(out, name+": "+clip(v, 40))
		}
	}
	return out
}

// Kinds of redirect, for the advice.
const (
	redirectOther         = ""
	redirectToHTTPS       = "https"
	redirectTrailingSlash = "trailing_slash"
)

// redirectKind tells an http-to-https upgrade and a trailing-slash
// normalization from other redirects.
func redirectKind(from *url.URL, location string) string {
	to, err := from.Parse(location)
	if err != nil {
		return redirectOther
	}
	switch {
	case strings.EqualFold(from.Scheme, "http") && strings.EqualFold(to.Scheme, "https") && strings.EqualFold(from.Hostname(), to.Hostname()):
		return redirectToHTTPS
	case strings.EqualFold(from.Host, to.Host) && from.Scheme == to.Scheme &&
		(to.Path == from.Path+"/" || from.Path == to.Path+"/"):
		return redirectTrailingSlash
	}
	return redirectOther
}

// statusLine formats "403 Forbidden".
func statusLine(status int) string {
	return strings.TrimSpace(strconv.Itoa(status) + " " + http.StatusText(status))
}

// signInPage reports whether resp is a sign-in page or a refusal that asks
// for one: an authentication layer answered, not a CORS layer.
func signInPage(resp response) bool {
	if resp.status != http.StatusForbidden && resp.status != http.StatusOK {
		return false
	}
	body := strings.ToLower(resp.body)
	for _, word := range []string{"sign in", "sign-in", "log in", "login", "type=\"password\"", "single sign-on", "authentication required"} {
		if strings.Contains(body, word) {
			return true
		}
	}
	return false
}

// limitKind says which request limit a server refused the request for,
// "" when its status names none: the body (413), the URL (414), the
// headers (431, or a 400 whose page names a header or cookie).
func limitKind(resp response) string {
	switch resp.status {
	case http.StatusRequestEntityTooLarge:
		return limitBody
	case http.StatusRequestURITooLong:
		return limitURL
	case http.StatusRequestHeaderFieldsTooLarge:
		return limitHeaders
	case http.StatusBadRequest:
		body := strings.ToLower(resp.body)
		if strings.Contains(body, "header") || strings.Contains(body, "cookie") {
			return limitHeaders
		}
	}
	return ""
}

// Kinds of request limit, for limitKind.
const (
	limitBody    = "body"
	limitURL     = "url"
	limitHeaders = "headers"
)

// htmlPage reports whether resp is an HTML page.
func htmlPage(resp response) bool {
	ct := strings.ToLower(resp.header.Get("Content-Type"))
	body := strings.ToLower(strings.TrimSpace(resp.body))
	return strings.HasPrefix(ct, "text/html") || strings.HasPrefix(body, "<!doctype html") || strings.HasPrefix(body, "<html")
}

// reasonPhrase is the status line's reason phrase as the server wrote it,
// the standard one when it wrote none.
func (r response) reasonPhrase() string {
	if r.reason != "" {
		return r.reason
	}
	return http.StatusText(r.status)
}

// statusText formats the status as the server wrote it: "502 Connection
// refused" says more than "502 Bad Gateway".
func (r response) statusText() string {
	return strings.TrimSpace(strconv.Itoa(r.status) + " " + r.reasonPhrase())
}
