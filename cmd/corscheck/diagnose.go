package main

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// This file turns a failed Fetch step into the likely cause and a fix. The
// browser only says what it saw; the cause is an educated guess from the
// status code and the header values, phrased as such.

// explain fills in where the failure happened, its likely cause and a fix.
func explain(r *request, kind string, resp response, f *Failure) *Failure {
	f.Step = kind
	f.Status = resp.status
	switch f.Code {
	case "missing_allow_origin_header":
		f.Cause, f.Fix = explainMissingOrigin(r, kind, resp.status)
	case "multiple_allow_origin_values":
		f.Cause, f.Fix = explainMultipleOrigins(r, resp.header)
	case "invalid_allow_origin_value", "allow_origin_mismatch":
		f.Cause, f.Fix = explainOriginMismatch(r, f.Value)
	case "wildcard_origin_not_allowed":
		f.Cause = "The server answers 'Access-Control-Allow-Origin: *', but the request is credentialed (credentials: 'include'): browsers never hand a credentialed response to a script on the strength of '*'."
		f.Fix = "Echo the request's Origin when it is in an allow-list instead of '*', with Vary: Origin (corsguard: list the origins instead of \"*\" in AllowedOrigins); or send the request without credentials if the API uses neither cookies nor HTTP authentication."
	case "invalid_allow_credentials":
		f.Cause, f.Fix = explainCredentials(kind, f.Value)
	case "preflight_invalid_status":
		f.Cause, f.Fix = explainPreflightStatus(resp.status)
	case "preflight_disallowed_redirect":
		f.Cause = fmt.Sprintf("The preflight was answered %s, a redirect to %q: browsers never follow a redirect on a preflight. Usual suspects: an http-to-https upgrade, a trailing-slash redirect, a login redirect.",
			statusLine(resp.status), resp.header.Get("Location"))
		f.Fix = "Call the final URL directly from the script, and make the server answer OPTIONS on it without redirecting."
	case "invalid_allow_methods_preflight_response":
		f.Cause = fmt.Sprintf("Access-Control-Allow-Methods is %q: not a comma-separated list of method names.", strings.Join(resp.header.Values("Access-Control-Allow-Methods"), ", "))
		f.Fix = "Send method names separated by commas, e.g. 'Access-Control-Allow-Methods: GET, POST, PUT'."
	case "invalid_allow_headers_preflight_response":
		f.Cause = fmt.Sprintf("Access-Control-Allow-Headers is %q: not a comma-separated list of header names.", strings.Join(resp.header.Values("Access-Control-Allow-Headers"), ", "))
		f.Fix = "Send header names separated by commas, e.g. 'Access-Control-Allow-Headers: Content-Type, X-Api-Key'."
	case "method_disallowed_by_preflight_response":
		methods, _ := extractList(resp.header, "Access-Control-Allow-Methods")
		f.Cause, f.Fix = explainMethod(r, methods)
	case "header_disallowed_by_preflight_response":
		names, _ := extractList(resp.header, "Access-Control-Allow-Headers")
		f.Cause, f.Fix = explainHeader(r, f.Value, names)
	case "redirect_contains_credentials", "redirect_disallowed_scheme", "invalid_redirect_location":
		f.Cause = fmt.Sprintf("The server redirected to %q, which a cross-origin fetch() may not follow.", f.Value)
		f.Fix = "Redirect to a plain http(s) URL without user:password, or better, call the final URL directly."
	case "too_many_redirects":
		f.Cause = "The server keeps redirecting (a redirect loop, or a chain longer than browsers follow)."
		f.Fix = "Call the final URL directly and fix the redirect loop on the server."
	}
	return f
}

// statusLine formats "403 Forbidden".
func statusLine(status int) string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", status, http.StatusText(status)))
}

// explainMissingOrigin covers a response without Access-Control-Allow-Origin,
// mostly guessed from the status: an error status means the server failed
// and the browser disguises that as a CORS error.
func explainMissingOrigin(r *request, kind string, status int) (cause, fix string) {
	allowOrigin := fmt.Sprintf("Add %q (exactly: scheme, host and port) to the server's allowed origins", r.serializedOrigin())
	if kind == kindPreflight {
		switch {
		case status == 405:
			return "The preflight got 405 Method Not Allowed without CORS headers: OPTIONS is not routed to the CORS middleware (the router refused the method before CORS ran).",
				"Wrap the whole router with the CORS middleware (corsguard: serve mw.Handler(router)) so it answers preflights before routing, or route OPTIONS for this path through it."
		case status == 404:
			return "The preflight got 404 Not Found without CORS headers: nothing answers OPTIONS on this path, so the CORS middleware is not in front of it.",
				"Wrap the whole router with the CORS middleware so it answers OPTIONS before routing."
		case status == 401 || status == 407:
			return fmt.Sprintf("The preflight got %s without CORS headers: authentication runs before CORS. Browsers never send cookies or Authorization on a preflight, so an auth layer in front of CORS rejects every preflight.", statusLine(status)),
				"Put the CORS middleware in front of (outside) authentication, or let OPTIONS requests that carry Access-Control-Request-Method through the auth layer."
		case status == 403:
			return fmt.Sprintf("The preflight got 403 Forbidden without CORS headers. Either the CORS layer refused origin %s (corsguard and most CORS middlewares answer a refused preflight with 403 and no CORS headers), or authentication, a WAF or a CSRF guard in front of CORS rejected the preflight, which never carries credentials.", r.serializedOrigin()),
				allowOrigin + " if it should be allowed; otherwise put the CORS middleware in front of authentication and CSRF checks."
		case status >= 500:
			return fmt.Sprintf("The server failed (%s) while answering the preflight, and the failure is disguised as a CORS error because the error response has no CORS headers.", statusLine(status)),
				"Look at the server log for this OPTIONS request and fix the failure; put the CORS middleware outermost so preflights never reach the failing code."
		case status >= 400:
			return fmt.Sprintf("The server rejected the preflight with %s before any CORS layer answered it.", statusLine(status)),
				"Put the CORS middleware in front of whatever rejects OPTIONS requests."
		}
		return fmt.Sprintf("The preflight got %s but no CORS headers: something other than the CORS layer answered OPTIONS (a router's automatic OPTIONS reply, a proxy, a static file server), or the CORS layer does not allow origin %s.", statusLine(status), r.serializedOrigin()),
			allowOrigin + ", and make the CORS middleware wrap the whole handler chain so it answers preflights itself."
	}
	if status >= 400 {
		return fmt.Sprintf("The server answered %s without CORS headers: the request failed on the server, and because its error response bypassed the CORS layer the browser disguises that failure as a CORS error (the script never sees the status).", statusLine(status)),
			"Look at the server log for this request and fix the failure; and put the CORS middleware outermost (around recovery and error handlers) so error responses carry CORS headers too and scripts see the real status."
	}
	if r.tainted {
		return "After a cross-origin redirect the browser sends 'Origin: null', and this hop of the redirect chain sends no CORS headers for it.",
			"Call the final URL directly instead of relying on the redirect."
	}
	return fmt.Sprintf("The response has no CORS headers: origin %s is not in the server's allow-list (most CORS middlewares, corsguard included, just leave the headers out for a refused origin), or no CORS middleware runs on this route.", r.serializedOrigin()),
		allowOrigin + ", and make sure the CORS middleware wraps this route."
}

// explainMultipleOrigins tells two layers adding the header from one header
// that lists several origins.
func explainMultipleOrigins(r *request, h http.Header) (cause, fix string) {
	values := h.Values("Access-Control-Allow-Origin")
	if len(values) > 1 {
		return fmt.Sprintf("The response carries %d Access-Control-Allow-Origin headers (%s): two layers add it, typically the application and a reverse proxy, API gateway or CDN, or two CORS middlewares.", len(values), strings.Join(quoteAll(values), ", ")),
			"Set the CORS headers in exactly one place and remove them from the other layer."
	}
	return fmt.Sprintf("The header lists several origins (%q), but it admits exactly one origin or '*'.", values[0]),
		fmt.Sprintf("Match the request's Origin against the allow-list on the server and send only the match: 'Access-Control-Allow-Origin: %s', with Vary: Origin.", r.serializedOrigin())
}

// explainOriginMismatch classifies how the value differs from the origin.
func explainOriginMismatch(r *request, value string) (cause, fix string) {
	origin := r.serializedOrigin()
	fix = fmt.Sprintf("Send exactly 'Access-Control-Allow-Origin: %s' (echo the request's Origin after matching it against the allow-list), and write the allowed origin as %q in the server's configuration.", origin, origin)
	if r.tainted {
		return fmt.Sprintf("After a cross-origin redirect the browser sends 'Origin: null' and compares Access-Control-Allow-Origin with 'null', but the server sent %q.", value),
			"Call the final URL directly instead of relying on a cross-origin redirect."
	}
	if value == "null" {
		return "The server sent 'null', which only matches documents with an opaque origin (sandboxed iframes, file: pages); allowing 'null' is unsafe anyway.",
			fix
	}
	if strings.EqualFold(value, origin) {
		return fmt.Sprintf("%q differs from %q only in letter case, but browsers compare origins byte for byte (and always send them in lower case).", value, origin), fix
	}
	if strings.HasPrefix(value, origin+"/") {
		return fmt.Sprintf("%q has a trailing slash or a path; an origin never has one, and browsers compare byte for byte.", value), fix
	}
	v, err := url.Parse(value)
	o, _ := url.Parse(origin)
	if err != nil || v.Scheme == "" || v.Host == "" || o == nil {
		return fmt.Sprintf("%q is not an origin at all (an origin is scheme://host[:port]).", value), fix
	}
	sameHost := strings.EqualFold(v.Hostname(), o.Hostname())
	switch {
	case sameHost && !strings.EqualFold(v.Scheme, o.Scheme):
		return fmt.Sprintf("%q has the scheme %s but the page is served over %s (common behind a TLS-terminating proxy, or an allow-list written for http during development).", value, v.Scheme, o.Scheme), fix
	case sameHost && v.Port() != o.Port() && effectivePort(v) == effectivePort(o):
		return fmt.Sprintf("%q writes the default port explicitly; browsers never do, and compare byte for byte.", value), fix
	case sameHost && v.Port() != o.Port():
		return fmt.Sprintf("%q has another port than %q (port %s vs %s): a different port is a different origin.", value, origin, effectivePort(v), effectivePort(o)), fix
	case sameHost:
		return fmt.Sprintf("%q has a path, query or extra characters; an origin is only scheme://host[:port].", value), fix
	}
	return fmt.Sprintf("The server allows another origin (%q), not %q: it probably sends a fixed value or the first entry of its allow-list instead of the matching request origin.", value, origin), fix
}

// effectivePort returns the port of u, the scheme's default when none is
// written.
func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	return defaultPort(strings.ToLower(u.Scheme))
}

// explainCredentials covers a missing or wrong Access-Control-Allow-Credentials.
func explainCredentials(kind, value string) (cause, fix string) {
	where := "response"
	if kind == kindPreflight {
		where = "preflight response"
	}
	fix = "Send 'Access-Control-Allow-Credentials: true' on both the preflight and the actual responses (corsguard: AllowCredentials: true), with the exact origin in Access-Control-Allow-Origin."
	if value == "" {
		return fmt.Sprintf("The request is credentialed (cookies, HTTP authentication or TLS client certificates), but the %s has no 'Access-Control-Allow-Credentials: true'.", where), fix
	}
	return fmt.Sprintf("Access-Control-Allow-Credentials is %q; the only value browsers accept is the lower-case 'true'.", value), fix
}

// explainPreflightStatus covers a preflight that passed the CORS check but
// did not get a 2xx status.
func explainPreflightStatus(status int) (cause, fix string) {
	switch {
	case status == 405:
		return "The preflight got 405 Method Not Allowed with CORS headers: a CORS layer added its headers but passed the OPTIONS request on to a router that has no OPTIONS route, instead of answering it.",
			"Let the CORS middleware answer preflights itself with 204 (corsguard always does) and wrap the router with it."
	case status == 401 || status == 403 || status == 407:
		return fmt.Sprintf("The preflight got %s: authentication or authorization runs before the preflight is answered. Browsers never send cookies or Authorization on a preflight.", statusLine(status)),
			"Put the CORS middleware in front of authentication so it answers preflights (with 204) before any credential check."
	case status == 404:
		return "The preflight got 404 Not Found: the CORS layer added headers but did not answer the preflight, and no route handles OPTIONS on this path.",
			"Let the CORS middleware answer preflights itself with 204 and wrap the router with it."
	case status >= 500:
		return fmt.Sprintf("The server failed (%s) while answering the preflight; the browser needs a 2xx status.", statusLine(status)),
			"Look at the server log for this OPTIONS request; the CORS middleware should answer preflights before the failing code runs."
	}
	return fmt.Sprintf("The preflight got %s; browsers need a 2xx status (usually 204 No Content).", statusLine(status)),
		"Answer preflights with 204 No Content from the CORS middleware."
}

// explainMethod covers a method missing from Access-Control-Allow-Methods.
func explainMethod(r *request, methods []string) (cause, fix string) {
	fix = fmt.Sprintf("Add %s to the allowed methods (corsguard: AllowedMethods) so the preflight answer lists it.", r.method)
	switch {
	case len(methods) == 0:
		return "The preflight response has no Access-Control-Allow-Methods; without it only GET, HEAD and POST pass.", fix
	case containsFold(methods, r.method):
		return fmt.Sprintf("Access-Control-Allow-Methods is %q: method names are compared case-sensitively, and browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT.", strings.Join(methods, ", ")),
			fmt.Sprintf("Spell the method the same way on both sides (%s in upper case is the convention).", strings.ToUpper(r.method))
	case slices.Contains(methods, "*") && r.credentials:
		return "Access-Control-Allow-Methods is '*', but for a credentialed request '*' is just a method named '*', not a wildcard.",
			fmt.Sprintf("List %s by name in Access-Control-Allow-Methods.", r.method)
	}
	return fmt.Sprintf("Access-Control-Allow-Methods is %q, which does not include %s.", strings.Join(methods, ", "), r.method), fix
}

// explainHeader covers a request header missing from
// Access-Control-Allow-Headers.
func explainHeader(r *request, name string, allowed []string) (cause, fix string) {
	fix = fmt.Sprintf("Add %s to the allowed headers (corsguard: AllowedHeaders) so the preflight answer lists it.", http.CanonicalHeaderKey(name))
	why := ""
	if hint := safelistHint(name, r.headers); hint != "" {
		why = " (" + hint + ")"
	}
	switch {
	case name == "authorization" && slices.Contains(allowed, "*"):
		return "Access-Control-Allow-Headers is '*', but '*' never covers Authorization (Fetch: Authorization is a CORS non-wildcard request-header name).",
			"List Authorization by name in Access-Control-Allow-Headers (corsguard's \"*\" answers with the requested names, which covers it)."
	case slices.Contains(allowed, "*") && r.credentials:
		return "Access-Control-Allow-Headers is '*', but for a credentialed request '*' is just a header named '*', not a wildcard.",
			fmt.Sprintf("List %s by name in Access-Control-Allow-Headers.", http.CanonicalHeaderKey(name))
	case len(allowed) == 0:
		return fmt.Sprintf("The preflight response has no Access-Control-Allow-Headers, so no header outside the CORS safelist may be sent, and %s is outside it%s.", name, why), fix
	}
	return fmt.Sprintf("Access-Control-Allow-Headers is %q, which does not include %s%s.", strings.Join(allowed, ", "), name, why), fix
}

// quoteAll quotes each string.
func quoteAll(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}
