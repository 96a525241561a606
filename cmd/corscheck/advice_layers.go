package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
)

// This file words the causes where a layer other than the application's
// CORS layer answered, or changed the request or the answer: each is fixed
// in that layer, named by its evidence, in its own terms.

var layerWordings = map[Diagnosis]wording{
	diagGatewayError:          gatewayWording,
	diagProxyErrorPage:        errorPageWording,
	diagAllowOriginStripped:   strippedWording,
	diagProxyBreaksCORS:       breaksWording,
	diagCacheWithoutVary:      cacheWording,
	diagCacheIgnoresVary:      cacheWording,
	diagRedirectToHTTPS:       redirectAdvice,
	diagRedirectTrailingSlash: redirectAdvice,
	diagRedirectWithoutCORS:   redirectAdvice,
	diagProxyRefusedOptions:   refusedOptionsWording,
	diagBlockedBeforeCORS:     blockedWording,
	diagAuthBeforeCORS:        authWording,
	diagPathNotServed:         pathWording,
}

// gatewayWording covers a 502, 503 or 504: a proxy got no good answer
// from the application, whose CORS layer never ran.
func gatewayWording(e *evidence) (cause, fix string) {
	cause = e.expand("{layer} answered {status} to the {kind}, without CORS headers. ") +
		fmt.Sprintf("A %d usually comes from a proxy or load balancer that got no good answer from the application behind it (down, crashed, refused the connection, timed out): the application's CORS layer never ran.", e.resp.status)
	first := ""
	if reason := strings.ToLower(e.resp.reason); strings.Contains(reason, "refused") {
		cause += fmt.Sprintf(" Its reason phrase, %q, says the application refused the connection: it is down, or listens on another port or address than the proxy's upstream says.", e.resp.reason)
		first = "Start the application, or point the proxy's upstream at the address it listens on. "
	}
	return cause, first + "Look in the proxy's error log for this request (" + e.fixIn(fixErrorsLog) + ") and at the application's health; raise the proxy's upstream timeouts (" + e.fixIn(fixTimeout) +
		") if the application is slow. Moving the CORS middleware will not help here. For scripts to read the proxy's own errors, add the CORS headers at the proxy for them too (" + e.fixIn(fixErrorCORS) + ")."
}

// limitWording is, per limit a front layer refused a request for, what the
// cause adds and which setting the fix names.
var limitWording = map[string]struct {
	note string
	pick func(layerFix) string
}{
	limitURL:     {" The URL is longer than its request-line limit.", fixURL},
	limitHeaders: {" A request header, or all of them together, is larger than its header-buffer size (a large cookie or token).", fixHeaders},
}

// errorPageWording covers a front layer's own error: the application never
// saw the request, and a request limit is that layer's, not the
// application's.
func errorPageWording(e *evidence) (cause, fix string) {
	own := "its own error page"
	if _, page := ownPage(e.resp); !page {
		own = "its own answer"
	}
	cause = e.expand(e.proxyOr("A layer in front of the application")+" answered {status} with "+own+", without CORS headers: it refused the {kind} itself, and the application never saw it.") + e.limitNote()
	fix = "Look in the proxy's error log for this request (" + e.fixIn(fixErrorsLog) + ") and change the rule that refuses it"
	if pick := e.limitPick(); pick != nil {
		fix = "Raise the limit at that layer, not in the application (" + e.fixIn(pick) + "), or make the request smaller"
	}
	return cause, fix + ". For scripts to read the proxy's own errors, add the CORS headers at the proxy for them too (" + e.fixIn(fixErrorCORS) + ")."
}

// limitNote says, for a request refused for a limit, which one, and for a
// 413 what body corscheck sent.
func (e *evidence) limitNote() string {
	switch kind := limitKind(e.resp); kind {
	case "":
		return ""
	case limitBody:
		if e.bodyLen > 0 {
			return fmt.Sprintf(" corscheck sent a %d-byte body (-data/-body-size), and the proxy refused it for its size.", e.bodyLen)
		}
		return " corscheck sent no request body, so the limit is on the request's headers or Content-Length; to reproduce a body, rerun with -data @file or -body-size N."
	default:
		return limitWording[kind].note
	}
}

// limitPick is the setting of the limit the request was refused for, nil
// when none.
func (e *evidence) limitPick() func(layerFix) string {
	switch kind := limitKind(e.resp); kind {
	case "":
		return nil
	case limitBody:
		return fixBody
	default:
		return limitWording[kind].pick
	}
}

// strippedWording covers other CORS headers without
// Access-Control-Allow-Origin.
func strippedWording(e *evidence) (cause, fix string) {
	suspects := "a reverse proxy's header rule such as nginx's proxy_hide_header, a CDN or API gateway header rule, a security filter"
	if l := e.layer(); l.name != "" {
		suspects = "first suspect: a header rule at " + l.name + ", which the response came through"
	}
	return fmt.Sprintf("The %s carries other CORS headers (%s) but no Access-Control-Allow-Origin: a CORS layer answered, and either a layer between it and the browser removed Access-Control-Allow-Origin (%s), or the CORS layer sends its other headers even to origins it refuses.", e.what(), strings.Join(otherCORSHeaders(e.resp.header), ", "), suspects),
		"Ask the application directly: rerun with -direct and its own URL (e.g. -direct http://127.0.0.1:8080" + e.r.URL.RequestURI() + "). If it sends Access-Control-Allow-Origin there, remove the rule that strips it on the way (" + e.fixIn(fixStrip) + "); if not, " + e.expand("add {origin}") + " (exactly: scheme, host and port) to the server's allowed origins."
}

// breaksWording covers two writers of Access-Control-Allow-Origin ('*'
// beside an echoing application's Vary: Origin and credentials), or a
// layer that -direct proved wrong.
func breaksWording(e *evidence) (cause, fix string) {
	if e.direct != nil {
		return directWording(e)
	}
	return e.expand("{layer} wrote 'Access-Control-Allow-Origin: *' over the application's value: the response also says 'Access-Control-Allow-Credentials: true' and 'Vary: Origin', which an application echoing allowed origins sends, and browsers refuse '*' on a credentialed request. Two layers write the header."),
		"Remove the rule that sets the header at that layer (" + e.fixIn(fixOverwrite) + "); the application's list of allowed origins is not to blame. Check with -direct and the application's own URL that it then answers with the exact origin; if it sends '*' itself, make it echo the request's Origin instead."
}

// cacheWording covers a stored answer served for another request.
func cacheWording(e *evidence) (cause, fix string) {
	if e.kind == kindPreflight {
		return fmt.Sprintf("A cache served a preflight answer stored for another method or header list: this preflight response (%s) has 'Access-Control-Allow-Methods: %s', 'Access-Control-Allow-Headers: %s', and the same preflight with a cache-busting query passes.", e.cacheSignals(), clip(strings.Join(e.resp.header.Values("Access-Control-Allow-Methods"), ", "), shownValueLimit), clip(strings.Join(e.resp.header.Values("Access-Control-Allow-Headers"), ", "), shownValueLimit)),
			"Do not cache OPTIONS at the cache (" + e.fixIn(fixPreflight) + "), or key it on Origin, Access-Control-Request-Method and Access-Control-Request-Headers; then purge the cache."
	}
	cause = fmt.Sprintf("A cache served a stored answer made for another request: this response (%s) has %s, while the same request with a cache-busting query gets %s.", e.cacheSignals(), e.allowOriginText(), e.freshAllowOrigin())
	if e.cache == nil || !e.cache.varies {
		return cause + " The response has no 'Vary: Origin', so a cache may store one origin's answer and serve it to every origin.",
			"Send 'Vary: Origin' on every response whose CORS headers depend on the origin, allowed or not (corsguard does), and keep it on the way (" + e.fixIn(fixCacheKey) + "), then purge the cache."
	}
	return cause + " The response says 'Vary: Origin', but the cache ignores it (its cache key leaves out the Origin).",
		"Make the cache key include the Origin (" + e.fixIn(fixCacheKey) + "), then purge the cache."
}

// refusedOptionsWording covers a layer's own refusal of a preflight.
func refusedOptionsWording(e *evidence) (cause, fix string) {
	get := ""
	if e.getAllowed() {
		get = e.expand(", while a plain GET from {origin} passes")
	}
	if v := e.probeValue(""); v != "" {
		return fmt.Sprintf("%s refused the preflight itself with 403 (its own error response) when it asks for %s%s: a rule of the proxy refuses it before the application's CORS layer sees it.", e.proxyOr("A proxy"), v, get),
			"Find the proxy rule that matches " + v + " in preflights and let CORS preflights through to the application (" + e.fixIn(fixOptions) + ")."
	}
	return fmt.Sprintf("%s refused the OPTIONS request itself with %s (its own error response)%s: a rule of that layer (an access rule, a method it has no route for, an authorizer) refuses OPTIONS, so preflights never reach the CORS layer.", e.proxyOr("A proxy"), e.resp.statusText(), get),
		"Let OPTIONS through to the application (" + e.fixIn(fixOptions) + ")."
}

// blockedWording covers a 403 to preflights from something in front of
// the CORS layer.
func blockedWording(e *evidence) (cause, fix string) {
	getRefused := !e.getAllowed()
	get := "passes"
	if getRefused {
		get = "is refused with 403 too"
	}
	if l, page := e.frontAnswer(); page && getRefused {
		return fmt.Sprintf("%s refuses the preflight with its own 403, and a plain GET from %s %s: it refuses this URL itself, whatever the method, before any CORS layer runs (%s).", l.label(), e.r.SerializedOrigin(), get, e.responseSummary()),
			"Find the rule at " + l.label() + " that refuses this URL (" + e.fixIn(fixDeny) + "); once a plain GET gets through, check again."
	}
	asks := ""
	if v := e.probeValue(""); v != "" {
		asks = " when it asks for " + v + " (the same preflight without it passes)"
	}
	return fmt.Sprintf("Something in front of the CORS layer refuses the preflight with 403%s: a web application firewall, an API gateway's policy or a CSRF guard. A plain GET from %s %s, and the 403 does not look like a CORS layer's refusal (%s).", asks, e.r.SerializedOrigin(), get, e.responseSummary()),
		"Find the layer that answers 403 to these OPTIONS requests (its logs; the Server and Via headers above) and let CORS preflights (OPTIONS with Origin and Access-Control-Request-Method) through to the application (" + e.fixIn(fixDeny) + ")."
}

// authWording covers authentication that answers a preflight before CORS:
// a 401, a sign-in page or a redirect to one.
func authWording(e *evidence) (cause, fix string) {
	exempt := "Exempt OPTIONS requests that carry Access-Control-Request-Method from the authentication at " + e.proxyOr("that layer") + " (" + e.fixIn(fixAuth) + ")"
	if fetch.IsRedirectStatus(e.resp.status) {
		return e.expand("The preflight was redirected ({status}) to a login page (") + clip(e.resp.header.Get("Location"), shownValueLimit) + "): authentication runs before CORS. Browsers never send cookies or Authorization on a preflight and never follow a preflight's redirect, so every preflight is sent to the login.",
			exempt + ", or put the CORS middleware in front of authentication so it answers preflights first. Calling the login URL would not help, and neither would adding the origin: CORS never ran."
	}
	what := "answered the preflight with " + e.resp.statusText() + ", without CORS headers"
	if signInPage(e.resp) {
		what = "answered the preflight with a sign-in page (" + e.resp.statusText() + "), without CORS headers"
	}
	cause = e.proxyOr("The server") + " " + what + ": authentication runs before CORS. Browsers never send cookies or Authorization on a preflight, so an auth layer in front of CORS rejects every preflight; adding the origin would not help."
	if e.layer().by != "" {
		return cause, "Let preflights (OPTIONS with Access-Control-Request-Method) through the authentication at " + e.layer().label() + " (" + e.fixIn(fixAuth) + "); if authentication is the application's own middleware instead, put the CORS middleware in front of (outside) it."
	}
	return cause, "Put the CORS middleware in front of (outside) authentication, or let OPTIONS requests that carry Access-Control-Request-Method through the auth layer."
}

// pathWording covers a URL that no method reaches: the preflight and a
// plain GET get the same 404, so no CORS layer refused anything.
func pathWording(e *evidence) (cause, fix string) {
	return e.expand("The preflight got {status} without CORS headers, and a plain GET from {origin} gets the same: nothing serves this path as it arrives, whatever the method, so this is not a CORS refusal. Either the URL is wrong, or a layer in front maps the path away (strips, adds or rewrites a prefix) before the application sees it."),
		"Check the URL against the application's routes. If the application serves this path, prove the mapping with -direct and the application's own URL for the same path (e.g. -direct http://127.0.0.1:8080" + e.r.URL.RequestURI() + "), then fix " + e.fixIn(fixPath) + "."
}

// redirectAdvice covers a redirect without CORS headers, or any redirect of
// a preflight.
func redirectAdvice(e *evidence) (cause, fix string) {
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
	switch redirectKind(e.r.URL, location) {
	case redirectToHTTPS:
		return fmt.Sprintf("The %s got %s, an upgrade to https (%s): the API is called over http, and %s. A proxy or middleware in front of the application redirects http to https.", e.what(), e.resp.statusText(), target, refused),
			fix + " Pages served over https cannot call http:// APIs anyway (mixed content)."
	case redirectTrailingSlash:
		return fmt.Sprintf("The %s got %s, to the same path with or without a trailing slash (%s), and %s. A router or proxy normalizes the path before any CORS layer runs (nginx does it for a 'location /path/' with proxy_pass; Go's ServeMux for a subtree pattern).", e.what(), e.resp.statusText(), target, refused),
			fix + " Write the path in the script exactly as the route is declared."
	}
	return fmt.Sprintf("The %s got %s, a redirect to %s, and %s. Usual suspects: a login redirect, a moved route, a proxy rule in front of the CORS layer.", e.what(), e.resp.statusText(), target, refused),
		fix + " If scripts must follow the redirect, put the CORS middleware in front of whatever redirects, so the redirect carries the CORS headers (a preflight must never be redirected)."
}

// cacheSignals describes what says the response came from a cache.
func (e *evidence) cacheSignals() string {
	if signals := cacheSignals(e.resp.header); len(signals) > 0 {
		return strings.Join(signals, ", ")
	}
	if l := e.layer(); l.row != nil && l.row.cache {
		return "no Age or X-Cache HIT, but it came through " + l.name + ", a cache (" + l.by + "), and its headers change when the cache is bypassed"
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

// corsFreeAnswer reports whether h has no CORS header and no Vary: Origin:
// no CORS layer touched the answer.
func corsFreeAnswer(h http.Header) bool {
	return h.Get("Access-Control-Allow-Origin") == "" && len(otherCORSHeaders(h)) == 0 && !variesByOrigin(h)
}
