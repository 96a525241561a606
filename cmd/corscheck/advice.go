package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
)

// This file words each diagnosis as a likely cause and a fix, filled in
// with what the evidence holds. Every Diagnosis has a case: a test calls
// advice for each constant in diagnosis.go and requires both texts.

// advice returns the likely cause and the fix for d, and says which
// evidence named the layer the response came through.
func advice(d Diagnosis, e *evidence) (cause, fix string) {
	cause, fix = adviceFor(d, e)
	if l := layerOf(e.resp); l.p != nil && cause != "" && e.resp.status != 0 {
		cause += " (Layer: " + l.p.name + ", named by " + l.evidence + ".)"
	}
	return cause, fix
}

// adviceFor words the cause and the fix for d.
func adviceFor(d Diagnosis, e *evidence) (cause, fix string) {
	origin, status, kind := e.r.SerializedOrigin(), statusLine(e.resp.status), e.what()
	allowOrigin := fmt.Sprintf("Add %q (exactly: scheme, host and port) to the server's allowed origins", origin)
	sendExactly := fmt.Sprintf("Send exactly 'Access-Control-Allow-Origin: %s' (echo the request's Origin after matching it against the allow-list), and write the allowed origin as %q in the server's configuration.", origin, origin)
	switch d {
	case diagConnectionRefused:
		return fmt.Sprintf("Nothing accepts connections at %s (connection refused): the server is down, or listens on another port or address.", e.r.URL.Host),
			"Start the server, or correct the URL's host and port; check with curl -v."
	case diagDNS:
		return fmt.Sprintf("The host name %s does not resolve (DNS).", e.r.URL.Hostname()),
			"Check the host's spelling, and that it resolves from here (dig or nslookup)."
	case diagTLS:
		return fmt.Sprintf("The TLS handshake with %s failed (%s): a certificate the browser would refuse as well (expired, self-signed, for another host), or https:// to a plain-HTTP port.", e.r.URL.Host, e.errText()),
			"Fix the certificate, or the URL's scheme and port; check with curl -v."
	case diagTimeout:
		return "No response came within -timeout; this is not a CORS problem.",
			"Raise -timeout if the server is slow; otherwise find what holds the request (a proxy's upstream, a lock, a long query)."
	case diagConnectionDropped:
		passed := ""
		if e.preflightPassed {
			passed = " The preflight passed, so CORS is configured for this origin and method."
		}
		return fmt.Sprintf("The server closed the connection without answering the %s (%s): the handler crashed (net/http closes the connection when a handler panics), or the server or a proxy dropped the request (a body or header size limit, a timeout, nginx's 'return 444').%s Browsers report this as a CORS error or 'TypeError: Failed to fetch', with no status.", kind, e.errText(), passed),
			"Look in the server's log for a panic or error at this time, and in the proxy's error log. Recover panics inside the CORS middleware so that a crash becomes a 500 that carries the CORS headers (corsguard does it itself)."
	case diagNetwork:
		return fmt.Sprintf("The request did not get an HTTP response (%s); this is not a CORS problem.", e.errText()),
			"Check that the URL is reachable from here (curl -v) and raise -timeout if the server is slow."

	case diagGatewayError:
		return fmt.Sprintf("%s answered %s to the %s, without CORS headers. A %d usually comes from a proxy or load balancer that got no good answer from the application behind it (down, crashed, refused the connection, timed out): the application's CORS layer never ran.", e.proxyOr("The server"), status, kind, e.resp.status),
			"Look in the proxy's error log for this request (" + e.fixIn(func(f layerFix) string { return f.errorsLook }) + ") and at the application's health; raise the proxy's upstream timeouts (" + e.fixIn(func(f layerFix) string { return f.timeout }) + ") if the application is slow. Moving the CORS middleware will not help here. For scripts to read the proxy's own errors, add the CORS headers at the proxy for them too (" + e.fixIn(func(f layerFix) string { return f.errorCORS }) + ")."
	case diagProxyErrorPage:
		return fmt.Sprintf("%s answered %s with its own error page, without CORS headers: it refused the %s itself, and the application never saw it.%s", e.proxyOr("The proxy"), status, kind, e.bodyNote()),
			"Look in the proxy's error log for this request (" + e.fixIn(func(f layerFix) string { return f.errorsLook }) + ") and change the rule that refuses it" + e.bodyLimitHint() + ". For scripts to read the proxy's own errors, add the CORS headers at the proxy for them too (" + e.fixIn(func(f layerFix) string { return f.errorCORS }) + ")."
	case diagAllowOriginStripped:
		return fmt.Sprintf("The %s carries other CORS headers (%s) but no Access-Control-Allow-Origin: a CORS layer answered, and either a layer between it and the browser removed Access-Control-Allow-Origin (%s), or the CORS layer sends its other headers even to origins it refuses.", e.what(), strings.Join(otherCORSHeaders(e.resp.header), ", "), e.stripSuspects()),
			"Ask the application directly: rerun with -direct and its own URL (e.g. -direct http://127.0.0.1:8080" + e.r.URL.RequestURI() + "). If it sends Access-Control-Allow-Origin there, remove the rule that strips it on the way (" + e.fixIn(func(f layerFix) string { return f.strip }) + "); if not, " + strings.ToLower(allowOrigin[:1]) + allowOrigin[1:] + "."
	case diagProxyBreaksCORS:
		detail := ""
		if e.direct != nil {
			detail = " " + e.direct.detail
		} else if e.f != nil && e.f.Code == fetch.WildcardOriginNotAllowed {
			return fmt.Sprintf("%s wrote 'Access-Control-Allow-Origin: *' over the application's value: the response also says 'Access-Control-Allow-Credentials: true' and 'Vary: Origin', which an application echoing allowed origins sends, and browsers refuse '*' on a credentialed request.", e.proxyOr("A layer in front of the application")),
				"Remove the rule that sets the header at that layer (" + e.fixIn(func(f layerFix) string { return f.overwrite }) + "); check with -direct and the application's own URL that it then answers with the exact origin."
		}
		return "Straight to the application (-direct) the browser would read the response, but through " + e.r.URL.Host + " it does not: a layer between them (a reverse proxy, API gateway or CDN) changes the answer." + detail,
			"Fix that layer: it must pass the application's CORS headers through unchanged (" + e.fixIn(func(f layerFix) string { return f.overwrite }) + ") and pass OPTIONS requests on instead of answering them (" + e.fixIn(func(f layerFix) string { return f.options }) + ")."
	case diagCacheWithoutVary, diagCacheIgnoresVary:
		cause = fmt.Sprintf("A cache served a stored answer made for another request: this response (%s) has %s, while the same request with a cache-busting query gets %s.", e.cacheSignals(), e.allowOriginText(), e.freshAllowOrigin())
		if e.kind == kindPreflight {
			cause = fmt.Sprintf("A cache served a preflight answer stored for another method or header list: this preflight response (%s) has 'Access-Control-Allow-Methods: %s', 'Access-Control-Allow-Headers: %s', and the same preflight with a cache-busting query passes.", e.cacheSignals(), clip(strings.Join(e.resp.header.Values("Access-Control-Allow-Methods"), ", "), shownValueLimit), clip(strings.Join(e.resp.header.Values("Access-Control-Allow-Headers"), ", "), shownValueLimit))
			return cause, "Do not cache OPTIONS at the cache (" + e.fixIn(func(f layerFix) string { return f.preflight }) + "), or key it on Origin, Access-Control-Request-Method and Access-Control-Request-Headers; then purge the cache."
		}
		if d == diagCacheWithoutVary {
			return cause + " The response has no 'Vary: Origin', so a cache may store one origin's answer and serve it to every origin.",
				"Send 'Vary: Origin' on every response whose CORS headers depend on the origin, allowed or not (corsguard does), and keep it on the way (" + e.fixIn(func(f layerFix) string { return f.cacheKey }) + "), then purge the cache."
		}
		return cause + " The response says 'Vary: Origin', but the cache ignores it (nginx: proxy_ignore_headers Vary, or a proxy_cache_key without $http_origin; a CDN whose cache key leaves out Origin).",
			"Make the cache key include the Origin (" + e.fixIn(func(f layerFix) string { return f.cacheKey }) + "), then purge the cache."
	case diagRedirectToHTTPS, diagRedirectTrailingSlash, diagRedirectWithoutCORS:
		return redirectAdvice(d, e)
	case diagProxyRefusedOptions:
		// Only the 403 probes send the plain GET; a 405 page is not probed.
		get := ""
		if e.probe != nil && e.probe.getAllowed {
			get = ", while a plain GET from " + origin + " passes"
		}
		if v := e.probeValue(""); v != "" {
			return fmt.Sprintf("%s refused the preflight itself with 403 (its own error response) when it asks for %s%s: a rule of the proxy refuses it before the application's CORS layer sees it.", e.proxyOr("A proxy"), v, get),
				"Find the proxy rule that matches " + v + " in preflights and let CORS preflights through to the application (" + e.fixIn(func(f layerFix) string { return f.options }) + ")."
		}
		return fmt.Sprintf("%s refused the OPTIONS request itself with %s (its own error response)%s: a rule of that layer (an access rule, a method it has no route for, an authorizer) refuses OPTIONS, so preflights never reach the CORS layer.", e.proxyOr("A proxy"), status, get),
			"Let OPTIONS through to the application (" + e.fixIn(func(f layerFix) string { return f.options }) + ")."
	case diagBlockedBeforeCORS:
		asks := ""
		if v := e.probeValue(""); v != "" {
			asks = " when it asks for " + v + " (the same preflight without it passes)"
		}
		getRefused := e.probe == nil || !e.probe.getAllowed
		get := "passes"
		if getRefused {
			get = "is refused with 403 too"
		}
		if name, page := proxyPage(e.resp); page && getRefused {
			return fmt.Sprintf("%s refuses the preflight with its own 403, and a plain GET from %s %s: it refuses this URL itself, whatever the method, before any CORS layer runs (%s).", name, origin, get, e.responseSummary()),
				"Find the rule at " + name + " that refuses this URL (" + e.fixIn(func(f layerFix) string { return f.deny }) + "); once a plain GET gets through, check again."
		}
		return fmt.Sprintf("Something in front of the CORS layer refuses the preflight with 403%s: a web application firewall, an API gateway's policy or a CSRF guard. A plain GET from %s %s, and the 403 does not look like a CORS layer's refusal (%s).", asks, origin, get, e.responseSummary()),
			"Find the layer that answers 403 to these OPTIONS requests (its logs; the Server and Via headers above) and let CORS preflights (OPTIONS with Origin and Access-Control-Request-Method) through to the application."
	case diagAuthBeforeCORS:
		if fetch.IsRedirectStatus(e.resp.status) {
			return fmt.Sprintf("The preflight was redirected (%s) to a login page (%s): authentication runs before CORS. Browsers never send cookies or Authorization on a preflight and never follow a preflight's redirect, so every preflight is sent to the login.", status, clip(e.resp.header.Get("Location"), shownValueLimit)),
				"Exempt OPTIONS requests that carry Access-Control-Request-Method from the login redirect (" + e.fixIn(func(f layerFix) string { return f.auth }) + "), or put the CORS middleware in front of authentication so it answers preflights first. Calling the login URL would not help."
		}
		cause = fmt.Sprintf("%s answered the preflight with %s, without CORS headers: authentication runs before CORS. Browsers never send cookies or Authorization on a preflight, so an auth layer in front of CORS rejects every preflight.", e.proxyOr("The server"), status)
		if l := layerOf(e.resp); l.p != nil {
			return cause, "Let preflights (OPTIONS with Access-Control-Request-Method) through the authentication at " + l.p.name + " (" + e.fixIn(func(f layerFix) string { return f.auth }) + "); if authentication is the application's own middleware instead, put the CORS middleware in front of (outside) it."
		}
		return cause, "Put the CORS middleware in front of (outside) authentication, or let OPTIONS requests that carry Access-Control-Request-Method through the auth layer."

	case diagOriginNotAllowed:
		vary := ""
		if variesByOrigin(e.resp.header) {
			vary = " The response varies by Origin, so a CORS layer saw the origin and left the headers out."
		}
		fix = allowOrigin + ", and make sure the CORS middleware wraps this route."
		if l := layerOf(e.resp); l.p != nil {
			fix += " The response came through " + l.p.name + ", which may drop or rewrite the Origin request header: rerun with -direct and the application's own URL to see what the application itself answers."
		} else {
			fix += " If a proxy stands in front of the application, it may drop or rewrite the Origin request header: rerun with -direct and the application's own URL to compare."
		}
		return fmt.Sprintf("The response has no CORS headers: origin %s is not in the server's allow-list (most CORS middlewares, corsguard included, just leave the headers out for a refused origin), or no CORS middleware runs on this route.%s", origin, vary), fix
	case diagErrorWithoutCORS:
		return fmt.Sprintf("The server answered %s without CORS headers: the request failed on the server, and because its error response bypassed the CORS layer the browser disguises that failure as a CORS error (the script never sees the status).", status),
			"Look at the server log for this request and fix the failure; and " + e.errorCORSFix()
	case diagOriginNullAfterRedirect:
		return fmt.Sprintf("After a cross-origin redirect the browser sends 'Origin: null' and compares Access-Control-Allow-Origin with 'null', but this hop answers with %s.", e.allowOriginText()),
			"Call the final URL directly instead of relying on a cross-origin redirect."
	case diagPreflightNotRouted405:
		return "The preflight got 405 Method Not Allowed without CORS headers: OPTIONS is not routed to the CORS middleware (the router refused the method before CORS ran).",
			"Wrap the whole router with the CORS middleware (corsguard: serve mw.Handler(router)) so it answers preflights before routing, or route OPTIONS for this path through it."
	case diagPreflightNotRouted404:
		return "The preflight got 404 Not Found without CORS headers: nothing answers OPTIONS on this path, so the CORS middleware is not in front of it.",
			"Wrap the whole router with the CORS middleware so it answers OPTIONS before routing."
	case diagPreflightServerError:
		return fmt.Sprintf("The server failed (%s) while answering the preflight, and the failure is disguised as a CORS error because the error response has no CORS headers.", status),
			"Look at the server log for this OPTIONS request and fix the failure; put the CORS middleware outermost so preflights never reach the failing code."
	case diagPreflightRejected:
		return fmt.Sprintf("The server rejected the preflight with %s before any CORS layer answered it.", status),
			"Put the CORS middleware in front of whatever rejects OPTIONS requests."
	case diagPreflightWithoutCORS:
		if e.probe != nil && e.probe.getAllowed {
			return fmt.Sprintf("The preflight got %s but no CORS headers, while a plain GET from %s is allowed (it gets Access-Control-Allow-Origin): the allow-list admits the origin, so something before the CORS middleware answered OPTIONS itself (%s, a router's automatic OPTIONS reply, a static file server).", status, origin, e.proxyOr("a proxy")),
				"Let OPTIONS reach the CORS middleware (" + e.fixIn(func(f layerFix) string { return f.options }) + "); rerun with -direct and the application's own URL to confirm that the application answers the preflight."
		}
		return fmt.Sprintf("The preflight got %s but no CORS headers: something other than the CORS layer answered OPTIONS (a router's automatic OPTIONS reply, a proxy, a static file server), or the CORS layer does not allow origin %s.", status, origin),
			allowOrigin + ", and make the CORS middleware wrap the whole handler chain so it answers preflights itself."
	case diagPreflightForbidden:
		return fmt.Sprintf("The preflight got 403 Forbidden without CORS headers. Either the CORS layer refused origin %s (corsguard and most CORS middlewares answer a refused preflight with 403 and no CORS headers), or authentication, a WAF or a CSRF guard in front of CORS rejected the preflight, which never carries credentials.", origin),
			allowOrigin + " if it should be allowed; otherwise put the CORS middleware in front of authentication and CSRF checks."
	case diagCORSRefusedOrigin:
		return fmt.Sprintf("The CORS layer refused origin %s: the preflight got 403 with no CORS headers, and a plain GET from the same origin gets no Access-Control-Allow-Origin either. This is how corsguard and most CORS middlewares refuse an origin.", origin),
			allowOrigin + " (corsguard: AllowedOrigins), if it should be allowed."
	case diagCORSRefusedMethod:
		return fmt.Sprintf("The CORS layer refused the method %s: origin %s is allowed (a plain GET gets Access-Control-Allow-Origin, and a preflight for GET passes), but the preflight for %s got 403 without CORS headers, which browsers report as a missing Access-Control-Allow-Origin.", e.probeValue(e.r.Method), origin, e.probeValue(e.r.Method)),
			fmt.Sprintf("Add %s to the allowed methods (corsguard: AllowedMethods). Current corsguard answers such a preflight with the allowed lists, so that the browser names the method.", e.probeValue(e.r.Method))
	case diagCORSRefusedHeader:
		name := e.probeValue("a request header")
		return fmt.Sprintf("The CORS layer refused the request header %s: origin %s is allowed (a plain GET gets Access-Control-Allow-Origin, and the preflight passes without that header), but with it the preflight got 403 without CORS headers, which browsers report as a missing Access-Control-Allow-Origin.", name, origin),
			fmt.Sprintf("Add %s to the allowed headers (corsguard: AllowedHeaders), or stop sending it. Current corsguard answers such a preflight with the allowed lists, so that the browser names the header.", http.CanonicalHeaderKey(name))

	case diagAllowOriginTwice:
		values := e.resp.header.Values("Access-Control-Allow-Origin")
		return fmt.Sprintf("The response carries %d Access-Control-Allow-Origin headers (%s): two layers add it, typically the application and %s, or two CORS middlewares.", len(values), strings.Join(quoteAll(values), ", "), e.proxyOr("a reverse proxy, API gateway or CDN")),
			"Set the CORS headers in exactly one place and remove them from the other layer (" + e.fixIn(func(f layerFix) string { return f.overwrite }) + ")."
	case diagAllowOriginList:
		return fmt.Sprintf("The header lists several origins (%q), but it admits exactly one origin or '*'.", e.failureValue()),
			fmt.Sprintf("Match the request's Origin against the allow-list on the server and send only the match: 'Access-Control-Allow-Origin: %s', with Vary: Origin.", origin)
	case diagAllowOriginNull:
		return "The server sent 'null', which only matches documents with an opaque origin (sandboxed iframes, file: pages); allowing 'null' is unsafe anyway.", sendExactly
	case diagAllowOriginCase:
		return fmt.Sprintf("%q differs from %q only in letter case, but browsers compare origins byte for byte (and always send them in lower case).", e.failureValue(), origin), sendExactly
	case diagAllowOriginPath:
		return fmt.Sprintf("%q has a trailing slash or a path; an origin never has one, and browsers compare byte for byte.", e.failureValue()), sendExactly
	case diagAllowOriginScheme:
		return fmt.Sprintf("%q has the scheme %s but the page is served over %s (common behind a TLS-terminating proxy, or an allow-list written for http during development).", e.failureValue(), schemeOf(e.failureValue()), schemeOf(origin)), sendExactly
	case diagAllowOriginDefaultPort:
		return fmt.Sprintf("%q writes the default port explicitly; browsers never do, and compare byte for byte.", e.failureValue()), sendExactly
	case diagAllowOriginPort:
		return fmt.Sprintf("%q has another port than %q (port %s vs %s): a different port is a different origin.", e.failureValue(), origin, portOf(e.failureValue()), portOf(origin)), sendExactly
	case diagAllowOriginExtra:
		return fmt.Sprintf("%q has a path, query or extra characters; an origin is only scheme://host[:port].", e.failureValue()), sendExactly
	case diagAllowOriginNotAnOrigin:
		return fmt.Sprintf("%q is not an origin at all (an origin is scheme://host[:port]).", e.failureValue()), sendExactly
	case diagAllowOriginOther:
		return fmt.Sprintf("The server allows another origin (%q), not %q: it probably sends a fixed value or the first entry of its allow-list instead of the matching request origin.", e.failureValue(), origin), sendExactly
	case diagWildcardWithCredentials:
		return "The server answers 'Access-Control-Allow-Origin: *', but the request is credentialed (credentials: 'include'): browsers never hand a credentialed response to a script on the strength of '*'.",
			"Echo the request's Origin when it is in an allow-list instead of '*', with Vary: Origin (corsguard: list the origins instead of \"*\" in AllowedOrigins); or send the request without credentials if the API uses neither cookies nor HTTP authentication."
	case diagCredentialsMissing, diagCredentialsNotTrue:
		fix = "Send 'Access-Control-Allow-Credentials: true' on both the preflight and the actual responses (corsguard: AllowCredentials: true), with the exact origin in Access-Control-Allow-Origin."
		if d == diagCredentialsMissing {
			return fmt.Sprintf("The request is credentialed (cookies, HTTP authentication or TLS client certificates), but the %s has no 'Access-Control-Allow-Credentials: true'.", e.what()), fix
		}
		return fmt.Sprintf("Access-Control-Allow-Credentials is %q; the only value browsers accept is the lower-case 'true'.", e.failureValue()), fix

	case diagPreflightStatus405:
		return "The preflight got 405 Method Not Allowed with CORS headers: a CORS layer added its headers but passed the OPTIONS request on to a router that has no OPTIONS route, instead of answering it.",
			"Let the CORS middleware answer preflights itself with 204 (corsguard always does) and wrap the router with it."
	case diagPreflightStatusAuth:
		return fmt.Sprintf("The preflight got %s: authentication or authorization runs before the preflight is answered. Browsers never send cookies or Authorization on a preflight.", status),
			"Put the CORS middleware in front of authentication so it answers preflights (with 204) before any credential check."
	case diagPreflightStatus404:
		return "The preflight got 404 Not Found: the CORS layer added headers but did not answer the preflight, and no route handles OPTIONS on this path.",
			"Let the CORS middleware answer preflights itself with 204 and wrap the router with it."
	case diagPreflightStatusServerError:
		return fmt.Sprintf("The server failed (%s) while answering the preflight; the browser needs a 2xx status.", status),
			"Look at the server log for this OPTIONS request; the CORS middleware should answer preflights before the failing code runs."
	case diagPreflightStatusNotOK:
		return fmt.Sprintf("The preflight got %s; browsers need a 2xx status (usually 204 No Content).", status),
			"Answer preflights with 204 No Content from the CORS middleware."
	case diagAllowMethodsUnparsable:
		return fmt.Sprintf("Access-Control-Allow-Methods is %q: not a comma-separated list of method names.", strings.Join(e.resp.header.Values("Access-Control-Allow-Methods"), ", ")),
			"Send method names separated by commas, e.g. 'Access-Control-Allow-Methods: GET, POST, PUT'."
	case diagAllowHeadersUnparsable:
		return fmt.Sprintf("Access-Control-Allow-Headers is %q: not a comma-separated list of header names.", strings.Join(e.resp.header.Values("Access-Control-Allow-Headers"), ", ")),
			"Send header names separated by commas, e.g. 'Access-Control-Allow-Headers: Content-Type, X-Api-Key'."
	case diagMethodNotListed, diagAllowMethodsMissing, diagMethodCase, diagMethodWildcardCredentials:
		return methodAdvice(d, e)
	case diagHeaderNotListed, diagAllowHeadersMissing, diagAuthorizationWildcard, diagHeaderWildcardCredentials:
		return headerAdvice(d, e)
	case diagRedirectNotFollowable:
		return fmt.Sprintf("The server redirected to %q, which a cross-origin fetch() may not follow.", e.failureValue()),
			"Redirect to a plain http(s) URL without user:password, or better, call the final URL directly."
	case diagRedirectLoop:
		return "The server keeps redirecting (a redirect loop, or a chain longer than browsers follow).",
			"Call the final URL directly and fix the redirect loop on the server."
	}
	return "", "" // a test holds every Diagnosis to a case
}

// redirectAdvice covers a redirect without CORS headers, or any redirect of
// a preflight.
func redirectAdvice(d Diagnosis, e *evidence) (cause, fix string) {
	location := e.resp.header.Get("Location")
	target := location
	if next, err := e.r.URL.Parse(location); err == nil {
		target = next.String()
	}
	refused := "browsers block a redirect that carries no CORS headers before following it"
	if e.kind == kindPreflight {
		refused = "browsers never follow a redirect of a preflight"
	}
	fix = fmt.Sprintf("Call %s directly from the script.", target)
	switch d {
	case diagRedirectToHTTPS:
		return fmt.Sprintf("The %s got %s, an upgrade to https (%s): the API is called over http, and %s. A proxy or middleware in front of the application redirects http to https.", e.what(), statusLine(e.resp.status), target, refused),
			fix + " Pages served over https cannot call http:// APIs anyway (mixed content)."
	case diagRedirectTrailingSlash:
		return fmt.Sprintf("The %s got %s, to the same path with or without a trailing slash (%s), and %s. A router or proxy normalizes the path before any CORS layer runs (nginx does it for a 'location /path/' with proxy_pass; Go's ServeMux for a subtree pattern).", e.what(), statusLine(e.resp.status), target, refused),
			fix + " Write the path in the script exactly as the route is declared."
	}
	return fmt.Sprintf("The %s got %s, a redirect to %s, and %s. Usual suspects: a login redirect, a moved route, a proxy rule in front of the CORS layer.", e.what(), statusLine(e.resp.status), target, refused),
		fix + " If scripts must follow the redirect, put the CORS middleware in front of whatever redirects, so the redirect carries the CORS headers (a preflight must never be redirected)."
}

// methodAdvice covers a method missing from Access-Control-Allow-Methods.
func methodAdvice(d Diagnosis, e *evidence) (cause, fix string) {
	methods, _ := fetch.ExtractList(e.resp.header, "Access-Control-Allow-Methods")
	m := e.r.Method
	fix = fmt.Sprintf("Add %s to the allowed methods (corsguard: AllowedMethods) so the preflight answer lists it.", m)
	switch d {
	case diagAllowMethodsMissing:
		return "The preflight response has no Access-Control-Allow-Methods; without it only GET, HEAD and POST pass.", fix
	case diagMethodCase:
		return fmt.Sprintf("Access-Control-Allow-Methods is %q: method names are compared case-sensitively, and browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT.", strings.Join(methods, ", ")),
			fmt.Sprintf("Spell the method the same way on both sides (%s in upper case is the convention).", strings.ToUpper(m))
	case diagMethodWildcardCredentials:
		return "Access-Control-Allow-Methods is '*', but for a credentialed request '*' is just a method named '*', not a wildcard.",
			fmt.Sprintf("List %s by name in Access-Control-Allow-Methods.", m)
	}
	return fmt.Sprintf("Access-Control-Allow-Methods is %q, which does not include %s.", strings.Join(methods, ", "), m), fix
}

// headerAdvice covers a request header missing from
// Access-Control-Allow-Headers.
func headerAdvice(d Diagnosis, e *evidence) (cause, fix string) {
	allowed, _ := fetch.ExtractList(e.resp.header, "Access-Control-Allow-Headers")
	name := e.failureValue()
	fix = fmt.Sprintf("Add %s to the allowed headers (corsguard: AllowedHeaders) so the preflight answer lists it.", http.CanonicalHeaderKey(name))
	why := ""
	if hint := fetch.SafelistHint(name, e.r.Headers); hint != "" {
		why = " (" + hint + ")"
	}
	switch d {
	case diagAuthorizationWildcard:
		return "Access-Control-Allow-Headers is '*', but '*' never covers Authorization (Fetch: Authorization is a CORS non-wildcard request-header name).",
			"List Authorization by name in Access-Control-Allow-Headers (corsguard's \"*\" answers with the requested names, which covers it)."
	case diagHeaderWildcardCredentials:
		return "Access-Control-Allow-Headers is '*', but for a credentialed request '*' is just a header named '*', not a wildcard.",
			fmt.Sprintf("List %s by name in Access-Control-Allow-Headers.", http.CanonicalHeaderKey(name))
	case diagAllowHeadersMissing:
		return fmt.Sprintf("The preflight response has no Access-Control-Allow-Headers, so no header outside the CORS safelist may be sent, and %s is outside it%s.", name, why), fix
	}
	return fmt.Sprintf("Access-Control-Allow-Headers is %q, which does not include %s%s.", strings.Join(allowed, ", "), name, why), fix
}

// what names the failing exchange for a sentence.
func (e *evidence) what() string {
	if e.kind == kindPreflight {
		return "preflight"
	}
	return "request"
}

// proxyOr names the proxy that answered, or returns fallback.
func (e *evidence) proxyOr(fallback string) string {
	if l := layerOf(e.resp); l.p != nil {
		return l.p.name
	}
	return fallback
}

// stripSuspects names where a header rule may have removed
// Access-Control-Allow-Origin: the layer that answered, when the evidence
// names one, or the usual places.
func (e *evidence) stripSuspects() string {
	if l := layerOf(e.resp); l.p != nil {
		return "first suspect: a header rule at " + l.p.name + ", which the response came through"
	}
	return "a reverse proxy's header rule such as nginx's proxy_hide_header, a CDN or API gateway header rule, a security filter"
}

// errorCORSFix says how error responses get CORS headers: from the
// middleware, or, when a proxy is evidenced, possibly from the proxy that
// adds them (nginx's add_header without 'always' skips errors).
func (e *evidence) errorCORSFix() string {
	outermost := "put the CORS middleware outermost (around recovery and error handlers) so error responses carry CORS headers too and scripts see the real status."
	if l := layerOf(e.resp); l.p != nil {
		return "if the CORS headers come from " + l.p.name + " rather than the application, make it add them to error responses too (" + e.fixIn(func(f layerFix) string { return f.errorCORS }) + "); rerun with -direct to see whether the application sends any. If the application sets them, " + outermost
	}
	return outermost
}

// fixIn words a fix in the answering layer's configuration language, from
// its row of the layer table; with no layer recognized, in no product's
// terms.
func (e *evidence) fixIn(pick func(layerFix) string) string {
	if l := layerOf(e.resp); l.p != nil {
		if s := pick(l.p.fix); s != "" {
			return s
		}
		return "see " + l.p.name + "'s documentation"
	}
	return pick(anyLayer)
}

// bodyNote says, for a 413, what body corscheck sent.
func (e *evidence) bodyNote() string {
	if e.resp.status != http.StatusRequestEntityTooLarge {
		return ""
	}
	if e.bodyLen > 0 {
		return fmt.Sprintf(" corscheck sent a %d-byte body (-data/-body-size), and the proxy refused it for its size.", e.bodyLen)
	}
	return " corscheck sent no request body, so the limit is on the request's headers or Content-Length; to reproduce a body, rerun with -data @file or -body-size N."
}

// bodyLimitHint names the layer's body-size setting for a 413.
func (e *evidence) bodyLimitHint() string {
	if e.resp.status != http.StatusRequestEntityTooLarge {
		return ""
	}
	return " (" + e.fixIn(func(f layerFix) string { return f.bodyLimit }) + ")"
}

func (e *evidence) errText() string {
	if e.err == nil {
		return "no error recorded"
	}
	return e.err.Error()
}

func (e *evidence) failureValue() string {
	if e.f == nil {
		return ""
	}
	return e.f.Value
}

// probeValue is what the probes found refused, or fallback.
func (e *evidence) probeValue(fallback string) string {
	if e.probe != nil && e.probe.value != "" {
		return e.probe.value
	}
	return fallback
}

// allowOriginText describes the failing response's Access-Control-Allow-Origin.
func (e *evidence) allowOriginText() string {
	values := e.resp.header.Values("Access-Control-Allow-Origin")
	if len(values) == 0 {
		return "no Access-Control-Allow-Origin"
	}
	return "'Access-Control-Allow-Origin: " + clip(strings.Join(values, ", "), shownValueLimit) + "'"
}

// cacheSignals describes what says the response came from a cache.
func (e *evidence) cacheSignals() string {
	if signals := cacheSignals(e.resp.header); len(signals) > 0 {
		return strings.Join(signals, ", ")
	}
	if l := layerOf(e.resp); l.p != nil && l.p.cache {
		return "no Age or X-Cache HIT, but it came through " + l.p.name + ", a cache (" + l.evidence + "), and its headers change when the cache is bypassed"
	}
	return "no Age or X-Cache header, but its headers change when the cache is bypassed"
}

// freshAllowOrigin describes the cache-busting repeat's answer.
func (e *evidence) freshAllowOrigin() string {
	if e.cache == nil || e.cache.freshAllowOrigin == "" {
		return "the right Access-Control-Allow-Origin"
	}
	return "'Access-Control-Allow-Origin: " + clip(e.cache.freshAllowOrigin, shownValueLimit) + "'"
}

// responseSummary describes who wrote a response, for a cause.
func (e *evidence) responseSummary() string {
	var parts []string
	if s := e.resp.header.Get("Server"); s != "" {
		parts = append(parts, "Server: "+clip(s, 60))
	}
	if v := e.resp.header.Get("Via"); v != "" {
		parts = append(parts, "Via: "+clip(v, 60))
	}
	if e.resp.body != "" {
		parts = append(parts, fmt.Sprintf("a %d-byte body or more", len(e.resp.body)))
	}
	if len(parts) == 0 {
		return "no Vary: Origin"
	}
	return strings.Join(parts, ", ")
}

// schemeOf returns the scheme of an origin, "" when it has none.
func schemeOf(origin string) string {
	scheme, _, _ := strings.Cut(origin, "://")
	return scheme
}

// portOf returns the port of an origin, the scheme's default when none is
// written.
func portOf(origin string) string {
	u, err := url.Parse(origin)
	if err != nil {
		return "?"
	}
	return effectivePort(u)
}

// quoteAll quotes each string.
func quoteAll(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fmt.Sprintf("%q", clip(v, shownValueLimit))
	}
	return out
}
