package main

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// This file reads, from one response, which layer made it: a proxy's own
// error page, a cache, a CORS layer's refusal. The answers are evidence for
// diagnose.go, never a verdict.

// proxy is a reverse proxy, load balancer or CDN that corscheck recognizes
// by its Server header or by the error pages it writes itself.
type proxy struct {
	name   string
	server string // prefix of its Server header, lower case; "" when it sends none
	page   string // text its own error pages have, lower case; "" when unknown
}

// proxies are recognized in this order.
var proxies = []proxy{
	{name: "nginx", server: "nginx", page: "<center>nginx"},
	{name: "Apache httpd", server: "apache", page: "<address>apache"},
	{name: "Envoy", server: "envoy", page: "upstream connect error or disconnect/reset before headers"},
	{name: "HAProxy", page: "no server is available to handle this request"},
	{name: "Varnish", server: "varnish", page: "guru meditation"},
	{name: "Cloudflare", server: "cloudflare"},
	{name: "AWS Elastic Load Balancing", server: "awselb"},
	{name: "Caddy", server: "caddy"},
}

// proxyPage returns the proxy whose own error page resp is, if any: the
// proxy answered, and the application never saw the request.
func proxyPage(resp response) (string, bool) {
	body := strings.ToLower(resp.body)
	for _, p := range proxies {
		if p.page != "" && strings.Contains(body, p.page) {
			return p.name, true
		}
	}
	return "", false
}

// proxyOf names the proxy that resp passed through or came from, by its
// error page or its Server header; "" when none is recognized.
func proxyOf(resp response) string {
	if name, ok := proxyPage(resp); ok {
		return name
	}
	server := strings.ToLower(resp.header.Get("Server"))
	for _, p := range proxies {
		if p.server != "" && strings.HasPrefix(server, p.server) {
			return p.name
		}
	}
	return ""
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
