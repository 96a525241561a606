package main

import (
	"net"
	"net/http/cookiejar"
	"net/url"
	"strings"

	"github.com/corsguard/cors/internal/origin"
)

// This file tells whether a page and an API are the same site (scheme and
// registrable domain), which decides whether the API's cookies are
// third-party cookies on the page.

// publicSuffixes decides the public suffixes behind siteOf: the library's
// embedded copy of the whole Public Suffix List (internal/publicsuffix), the
// one its validation uses.
var publicSuffixes cookiejar.PublicSuffixList = builtinSuffixes{}

// builtinSuffixes is internal/origin's list as a
// cookiejar.PublicSuffixList.
type builtinSuffixes struct{}

// PublicSuffix returns the longest suffix of domain that the list calls
// public, or its last label, the default rule of the Public Suffix List.
func (builtinSuffixes) PublicSuffix(domain string) string {
	for rest := domain; ; {
		if origin.IsPublicSuffix(rest) {
			return rest
		}
		_, after, ok := strings.Cut(rest, ".")
		if !ok {
			return rest
		}
		rest = after
	}
}

// String names the list.
func (builtinSuffixes) String() string { return "corsguard's embedded Public Suffix List" }

// siteOf returns the schemeful site of u, as browsers compare sites for
// cookies: the scheme and the registrable domain (one label above the
// public suffix), or the host itself for an IP address or a public suffix.
func siteOf(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + registrableDomain(strings.ToLower(u.Hostname()))
}

// registrableDomain returns host's registrable domain by publicSuffixes.
func registrableDomain(host string) string {
	host = strings.TrimSuffix(host, ".")
	if net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return host
	}
	suffix := publicSuffixes.PublicSuffix(host)
	if suffix == host || !strings.HasSuffix(host, "."+suffix) {
		return host
	}
	rest := strings.TrimSuffix(host, "."+suffix)
	return rest[strings.LastIndexByte(rest, '.')+1:] + "." + suffix
}

// sameSite reports whether a page on pageOrigin and u are the same site.
func sameSite(pageOrigin string, u *url.URL) bool {
	p, err := url.Parse(pageOrigin)
	if err != nil || p.Host == "" {
		return false // "null" is no site
	}
	return siteOf(p) == siteOf(u)
}
