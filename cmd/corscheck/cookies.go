package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
)

// This file checks the cookie half of credentials: a credentialed CORS
// answer is useless when the browser will not send the cookie, which users
// report as "CORS works but I'm logged out".

// maxSetCookies bounds the Set-Cookie lines kept from one check.
const maxSetCookies = 32

// keepSetCookies keeps the Set-Cookie lines of h, up to maxSetCookies.
func (c *checker) keepSetCookies(h http.Header) {
	for _, line := range h.Values("Set-Cookie") {
		if len(c.setCookies) == maxSetCookies {
			return
		}
		c.setCookies = append(c.setCookies, clip(line, shownValueLimit))
	}
}

// setCookie is what a browser reads from one Set-Cookie line.
type setCookie struct {
	Name        string
	SameSite    string // "none", "lax", "strict", "" when absent; anything else is kept as written
	Secure      bool
	Partitioned bool
	Domain      bool // a Domain attribute is present
	Path        string
}

// parseSetCookie reads a Set-Cookie line as RFC 6265bis section 5.7 does:
// the name is what comes before the first "=" of the first part (none
// without "="), and
// attribute names compare case-insensitively. It reports false for a line
// a browser ignores (no name and no value).
func parseSetCookie(line string) (setCookie, bool) {
	parts := strings.Split(line, ";")
	name, value, found := strings.Cut(parts[0], "=")
	if !found { // a nameless cookie: the whole pair is its value
		name, value = "", parts[0]
	}
	c := setCookie{Name: strings.TrimSpace(name)}
	if c.Name == "" && strings.TrimSpace(value) == "" {
		return setCookie{}, false
	}
	for _, attr := range parts[1:] {
		k, v, _ := strings.Cut(attr, "=")
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "samesite":
			c.SameSite = strings.ToLower(v)
		case "secure":
			c.Secure = true
		case "partitioned":
			c.Partitioned = true
		case "domain":
			c.Domain = v != ""
		case "path":
			c.Path = v
		}
	}
	return c, true
}

// cookieContext is what the findings depend on besides the cookie.
type cookieContext struct {
	page        string   // the page's origin
	api         *url.URL // the URL that answered
	credentials bool     // fetch() with credentials: 'include'
}

// crossSite reports whether the page and the API are different sites.
func (cc cookieContext) crossSite() bool { return !sameSite(cc.page, cc.api) }

// cookieWarnings returns the findings about cookies for a fetch from page
// to api: third-party cookies when credentials cross sites, and each
// Set-Cookie line a browser rejects, ignores or will not send back. An API
// on a loopback host gets no third-party note: its site in development
// says nothing about the sites of the deployment.
func cookieWarnings(page string, api *url.URL, credentials bool, lines []string) []Warning {
	cc := cookieContext{page: page, api: api, credentials: credentials}
	var out []Warning
	if credentials && cc.crossSite() && !isLoopbackHost(api.Hostname()) {
		out = append(out, thirdPartyWarning(cc))
	}
	seen := map[string]bool{}
	for _, line := range lines {
		c, ok := parseSetCookie(line)
		if !ok {
			continue
		}
		for _, w := range cc.check(c) {
			if key := w.Code + "\x00" + c.Name; !seen[key] {
				seen[key] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// thirdPartyWarning says what browsers do with the API's cookies on
// another site, and what works instead.
func thirdPartyWarning(cc cookieContext) Warning {
	return Warning{
		Code: "third_party_cookies",
		Step: kindRequest,
		Message: fmt.Sprintf("The page (%s) and the API (%s) are different sites, so the API's cookies are third-party cookies on the page. Safari blocks them by default, and Firefox keeps them in a jar of the page's site (Total Cookie Protection): a session cookie set when the user signed in on the API's own site is not sent, and users see \"CORS works but I'm logged out\". Chrome still sends them unless the user blocks third-party cookies.",
			cc.page, siteOf(cc.api)),
		Fix: "Serve the API on a host of the page's site (api.example.com for a page on app.example.com), where its cookies are first-party; or authenticate with a token in the Authorization header (list Authorization in the allowed headers) instead of a cookie.",
	}
}

// check returns the findings about one cookie.
func (cc cookieContext) check(c setCookie) []Warning {
	name := fmt.Sprintf("cookie %q", c.Name)
	warn := func(code, message, fix string) Warning {
		return Warning{Code: code, Step: kindRequest, Message: message, Fix: fix}
	}
	if !cc.credentials {
		if fetch.OriginOf(cc.api) == cc.page {
			return nil
		}
		return []Warning{warn("cookie_ignored_without_credentials",
			"The response sets "+name+", but fetch() without credentials: 'include' ignores Set-Cookie from another origin: the browser never stores it.",
			"Call fetch(url, {credentials: 'include'}) and allow credentials in the policy, if the page needs this cookie.")}
	}
	var out []Warning
	secureAPI := strings.EqualFold(cc.api.Scheme, "https") || isLoopbackHost(cc.api.Hostname())
	switch {
	case c.SameSite == "none" && !c.Secure:
		out = append(out, warn("cookie_samesite_none_without_secure",
			"The response sets "+name+" with SameSite=None but without Secure: Chrome, Edge and Firefox reject the whole cookie.",
			"Add Secure (and serve the API over https): 'SameSite=None; Secure'."))
	case c.Secure && !secureAPI:
		out = append(out, warn("cookie_secure_over_http",
			"The response sets "+name+" with Secure over plain http: browsers ignore it.",
			"Serve the API over https."))
	}
	if c.Partitioned && !c.Secure {
		out = append(out, warn("cookie_partitioned_without_secure",
			"The response sets "+name+" with Partitioned but without Secure: Chrome rejects the cookie.",
			"Add Secure: 'Secure; SameSite=None; Partitioned'."))
	}
	if w, ok := prefixWarning(name, c); ok {
		out = append(out, warn("cookie_prefix_rejected", w, "Give the cookie the attributes its prefix requires, or rename it."))
	}
	if cc.crossSite() {
		out = append(out, cc.crossSiteWarnings(name, c)...)
	}
	return out
}

// crossSiteWarnings are the findings about a cookie set across sites,
// where SameSite decides whether it is ever sent back.
func (cc cookieContext) crossSiteWarnings(name string, c setCookie) []Warning {
	switch c.SameSite {
	case "lax", "strict":
		return []Warning{{Code: "cookie_samesite_not_sent_cross_site", Step: kindRequest,
			Message: fmt.Sprintf("The response sets %s with SameSite=%s, but the page's site differs from the API's: browsers never send it on this fetch (and Chrome refuses to store it from a cross-site response).", name, cookieValueName(c.SameSite)),
			Fix:     "Serve the API on a host of the page's site, where SameSite=Lax cookies are sent; or set it with 'SameSite=None; Secure' (third-party, see above), or use a token."}}
	case "none":
		if c.Partitioned {
			return []Warning{{Code: "cookie_partitioned", Step: kindRequest,
				Message: fmt.Sprintf("The response sets %s with Partitioned (CHIPS): browsers keep it in a jar of the page's site, sent back only to this API from pages of this site, apart from the cookie a visit to the API's own site sets.", name),
				Fix:     "Fine for state the API keeps per embedding site; a sign-in on the API's own site does not carry over to it."}}
		}
		return nil
	}
	return []Warning{{Code: "cookie_samesite_default_lax", Step: kindRequest,
		Message: fmt.Sprintf("The response sets %s without a valid SameSite: Chrome and Edge treat it as SameSite=Lax, which is never sent on a cross-site fetch.", name),
		Fix:     "Set 'SameSite=None; Secure' for a cookie the page must send cross-site, or serve the API on a host of the page's site."}}
}

// prefixWarning checks the __Host- and __Secure- name prefixes, whose
// cookies browsers reject without the attributes they require.
func prefixWarning(name string, c setCookie) (string, bool) {
	lower := strings.ToLower(c.Name)
	switch {
	case strings.HasPrefix(lower, "__host-") && (!c.Secure || c.Domain || c.Path != "/"):
		return "The response sets " + name + ", whose __Host- prefix requires Secure, Path=/ and no Domain: browsers reject it.", true
	case strings.HasPrefix(lower, "__secure-") && !c.Secure:
		return "The response sets " + name + ", whose __Secure- prefix requires Secure: browsers reject it.", true
	}
	return "", false
}

// cookieValueName capitalizes a SameSite value as people write it.
func cookieValueName(v string) string {
	if v == "" {
		return v
	}
	return strings.ToUpper(v[:1]) + v[1:]
}

// isLoopbackHost reports whether browsers treat host as a secure context
// over http: localhost and loopback addresses.
func isLoopbackHost(host string) bool {
	h := strings.ToLower(strings.Trim(host, "[]"))
	return h == "localhost" || strings.HasSuffix(h, ".localhost") || h == "::1" || strings.HasPrefix(h, "127.")
}
