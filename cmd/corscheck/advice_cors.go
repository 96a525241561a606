package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
)

// This file words the causes where the CORS layer answered, or should
// have: no CORS headers, a preflight not answered, a refusal.

var corsWordings = map[Diagnosis]wording{
	diagOriginNotAllowed: originNotAllowedWording,
	diagErrorWithoutCORS: errorWithoutCORSWording,
	diagOriginNullAfterRedirect: func(e *evidence) (string, string) {
		return "After a cross-origin redirect the browser sends 'Origin: null' and compares Access-Control-Allow-Origin with 'null', but this hop answers with " + e.allowOriginText() + ".",
			"Call the final URL directly instead of relying on a cross-origin redirect."
	},
	diagPreflightNotRouted405: func(e *evidence) (string, string) {
		get := ""
		if e.getAllowed() {
			get = e.expand(", while a plain GET from {origin} gets Access-Control-Allow-Origin: the CORS layer allows the origin, but")
		} else {
			get = ":"
		}
		return "The preflight got 405 Method Not Allowed without CORS headers" + get + " OPTIONS is not routed to the CORS middleware (the router refused the method before CORS ran).",
			"Wrap the whole router with the CORS middleware (corsguard: serve mw.Handler(router)) so it answers preflights before routing, or route OPTIONS for this path through it."
	},
	diagPreflightNotRouted404: text(
		"The preflight got 404 Not Found without CORS headers, while a plain GET reaches the application: nothing answers OPTIONS on this path, so the CORS middleware is not in front of it.",
		"Wrap the whole router with the CORS middleware so it answers OPTIONS before routing."),
	diagPreflightServerError: text(
		"The server failed ({status}) while answering the preflight, and the failure is disguised as a CORS error because the error response has no CORS headers.",
		"Look at the server log for this OPTIONS request and fix the failure; put the CORS middleware outermost so preflights never reach the failing code."),
	diagPreflightRejected: text(
		"The server rejected the preflight with {status} before any CORS layer answered it.",
		"Put the CORS middleware in front of whatever rejects OPTIONS requests."),
	diagPreflightWithoutCORS: preflightWithoutCORSWording,
	diagPreflightForbidden: text(
		"The preflight got 403 Forbidden without CORS headers. Either authentication, a WAF or a CSRF guard in front of CORS rejected the preflight, which never carries credentials, or the CORS layer refused origin {origin} (corsguard and most CORS middlewares answer a refused preflight with 403 and no CORS headers).",
		"If something in front of CORS answers (its logs; the Server and Via headers above), let preflights through it, or put the CORS middleware in front of authentication and CSRF checks; otherwise {allowOrigin}."),
	diagCORSRefusedOrigin: text(
		"The CORS layer refused origin {origin}: the preflight got 403 with no CORS headers, and a plain GET from the same origin gets no Access-Control-Allow-Origin either. This is how corsguard and most CORS middlewares refuse an origin.",
		"{allowOrigin} (corsguard: AllowedOrigins), if it should be allowed."),
	diagCORSRefusedMethod: func(e *evidence) (string, string) {
		m := e.probeValue(e.r.Method)
		return e.expand(fmt.Sprintf("The CORS layer refused the method %s: origin {origin} is allowed (a plain GET gets Access-Control-Allow-Origin, and a preflight for GET passes), but the preflight for %s got 403 without CORS headers, which browsers report as a missing Access-Control-Allow-Origin.", m, m)),
			fmt.Sprintf("Add %s to the allowed methods (corsguard: AllowedMethods). Current corsguard answers such a preflight with the allowed lists, so that the browser names the method.", m)
	},
	diagCORSRefusedHeader: func(e *evidence) (string, string) {
		name := e.probeValue("a request header")
		return e.expand("The CORS layer refused the request header " + name + ": origin {origin} is allowed (a plain GET gets Access-Control-Allow-Origin, and the preflight passes without that header), but with it the preflight got 403 without CORS headers, which browsers report as a missing Access-Control-Allow-Origin."),
			fmt.Sprintf("Add %s to the allowed headers (corsguard: AllowedHeaders), or stop sending it. Current corsguard answers such a preflight with the allowed lists, so that the browser names the header.", canonical(name))
	},
	diagPreflightStatus405: text(
		"The preflight got 405 Method Not Allowed with CORS headers: a CORS layer added its headers but passed the OPTIONS request on to a router that has no OPTIONS route, instead of answering it.",
		"Let the CORS middleware answer preflights itself with 204 (corsguard always does) and wrap the router with it."),
	diagPreflightStatusAuth: text(
		"The preflight got {status}: authentication or authorization runs before the preflight is answered. Browsers never send cookies or Authorization on a preflight.",
		"Put the CORS middleware in front of authentication so it answers preflights (with 204) before any credential check."),
	diagPreflightStatus404: text(
		"The preflight got 404 Not Found: the CORS layer added headers but did not answer the preflight, and no route handles OPTIONS on this path.",
		"Let the CORS middleware answer preflights itself with 204 and wrap the router with it."),
	diagPreflightStatusServerError: text(
		"The server failed ({status}) while answering the preflight; the browser needs a 2xx status.",
		"Look at the server log for this OPTIONS request; the CORS middleware should answer preflights before the failing code runs."),
	diagPreflightStatusNotOK: text(
		"The preflight got {status}; browsers need a 2xx status (usually 204 No Content).",
		"Answer preflights with 204 No Content from the CORS middleware."),
	diagAllowMethodsUnparsable: func(e *evidence) (string, string) {
		return fmt.Sprintf("Access-Control-Allow-Methods is %q: not a comma-separated list of method names.", strings.Join(e.resp.header.Values("Access-Control-Allow-Methods"), ", ")),
			"Send method names separated by commas, e.g. 'Access-Control-Allow-Methods: GET, POST, PUT'."
	},
	diagAllowHeadersUnparsable: func(e *evidence) (string, string) {
		return fmt.Sprintf("Access-Control-Allow-Headers is %q: not a comma-separated list of header names.", strings.Join(e.resp.header.Values("Access-Control-Allow-Headers"), ", ")),
			"Send header names separated by commas, e.g. 'Access-Control-Allow-Headers: Content-Type, X-Api-Key'."
	},
	diagMethodNotListed:           methodAdvice,
	diagAllowMethodsMissing:       methodAdvice,
	diagMethodCase:                methodAdvice,
	diagMethodWildcardCredentials: methodAdvice,
	diagHeaderNotListed:           headerAdvice,
	diagAllowHeadersMissing:       headerAdvice,
	diagAuthorizationWildcard:     headerAdvice,
	diagHeaderWildcardCredentials: headerAdvice,
	diagRedirectNotFollowable: func(e *evidence) (string, string) {
		return fmt.Sprintf("The server redirected to %q, which a cross-origin fetch() may not follow.", e.failureValue()),
			"Redirect to a plain http(s) URL without user:password, or better, call the final URL directly."
	},
	diagRedirectLoop: text(
		"The server keeps redirecting (a redirect loop, or a chain longer than browsers follow).",
		"Call the final URL directly and fix the redirect loop on the server."),
}

// originNotAllowedWording covers an answer without CORS headers to an
// origin the allow-list may lack, or that a layer in front changed or
// dropped on the way: the application's answer alone cannot tell, -direct
// can.
func originNotAllowedWording(e *evidence) (cause, fix string) {
	vary := ""
	if variesByOrigin(e.resp.header) {
		vary = " The response varies by Origin, so a CORS layer saw the request and left the headers out: for another origin than the one sent, or for none."
	}
	if e.preflightPassed {
		// The CORS layer allowed this origin a moment ago: the answer
		// contradicts what corscheck sent.
		vary += " Yet the preflight for this origin passed, so the allow-list admits it: the request most likely reached the CORS layer with another Origin or none (a layer in front changed it), or its rules differ by method."
	}
	fix = e.expand("{allowOrigin}, and make sure the CORS middleware wraps this route.")
	if l := e.layer(); l.name != "" {
		// A layer is on the way: prove which of the two it is before
		// touching the allow-list.
		fix = "First tell the allow-list from the layer: rerun with -direct and the application's own URL. If the application allows the origin there, " + l.name + " drops or rewrites the Origin request header on the way (" + e.fixIn(fixOrigin) + "). If it does not, " + e.expand("add {origin}") + " (exactly: scheme, host and port) to the server's allowed origins, and make sure the CORS middleware wraps this route."
	} else {
		fix += " If a proxy stands in front of the application, it may drop or rewrite the Origin request header: rerun with -direct and the application's own URL to compare."
	}
	return e.expand("The response has no CORS headers: origin {origin} is not in the server's allow-list (most CORS middlewares, corsguard included, just leave the headers out for a refused origin), no CORS middleware runs on this route, or a layer in front dropped or rewrote the Origin request header.") + vary, fix
}

// errorWithoutCORSWording covers an error response that bypassed the CORS
// layer; when a layer in front may be the one that adds the CORS headers
// (nginx's add_header without 'always' skips errors), it says so.
func errorWithoutCORSWording(e *evidence) (cause, fix string) {
	cause = e.expand("The server answered {status} without CORS headers: the request failed on the server, and because its error response bypassed the CORS layer the browser disguises that failure as a CORS error (the script never sees the status).")
	outermost := "put the CORS middleware outermost (around recovery and error handlers) so error responses carry CORS headers too and scripts see the real status."
	if l := e.layer(); l.name != "" {
		return cause, "Look at the server log for this request and fix the failure; and if the CORS headers come from " + l.name + " rather than the application, make it add them to error responses too (" + e.fixIn(fixErrorCORS) + "); rerun with -direct to see whether the application sends any. If the application sets them, " + outermost
	}
	return cause, "Look at the server log for this request and fix the failure; and " + outermost
}

// preflightWithoutCORSWording covers a 2xx preflight answer without CORS
// headers: answered before the CORS layer when a plain GET passes.
func preflightWithoutCORSWording(e *evidence) (cause, fix string) {
	if e.getAllowed() {
		return e.expand("The preflight got {status} but no CORS headers, while a plain GET from {origin} is allowed (it gets Access-Control-Allow-Origin): the allow-list admits the origin, so something before the CORS middleware answered OPTIONS itself (" + e.proxyOr("a proxy") + ", a router's automatic OPTIONS reply, a static file server)."),
			"Let OPTIONS reach the CORS middleware (" + e.fixIn(fixOptions) + "); rerun with -direct and the application's own URL to confirm that the application answers the preflight."
	}
	return e.expand("The preflight got {status} but no CORS headers: something other than the CORS layer answered OPTIONS (a router's automatic OPTIONS reply, a proxy, a static file server), or the CORS layer does not allow origin {origin}."),
		e.expand("{allowOrigin}, and make the CORS middleware wrap the whole handler chain so it answers preflights itself.")
}

// methodAdvice covers a method missing from Access-Control-Allow-Methods.
func methodAdvice(e *evidence) (cause, fix string) {
	methods, _ := fetch.ExtractList(e.resp.header, "Access-Control-Allow-Methods")
	m := e.r.Method
	fix = fmt.Sprintf("Add %s to the allowed methods (corsguard: AllowedMethods) so the preflight answer lists it.", m)
	switch {
	case len(methods) == 0:
		return "The preflight response has no Access-Control-Allow-Methods; without it only GET, HEAD and POST pass.", fix
	case containsFold(methods, m) && !slices.Contains(methods, m):
		return fmt.Sprintf("Access-Control-Allow-Methods is %q: method names are compared case-sensitively, and browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT.", strings.Join(methods, ", ")),
			fmt.Sprintf("Spell the method the same way on both sides (%s in upper case is the convention).", strings.ToUpper(m))
	case slices.Contains(methods, "*") && e.r.Credentials:
		return "Access-Control-Allow-Methods is '*', but for a credentialed request '*' is just a method named '*', not a wildcard.",
			fmt.Sprintf("List %s by name in Access-Control-Allow-Methods.", m)
	}
	return fmt.Sprintf("Access-Control-Allow-Methods is %q, which does not include %s.", strings.Join(methods, ", "), m), fix
}

// headerAdvice covers a request header missing from
// Access-Control-Allow-Headers.
func headerAdvice(e *evidence) (cause, fix string) {
	allowed, _ := fetch.ExtractList(e.resp.header, "Access-Control-Allow-Headers")
	name := e.failureValue()
	fix = fmt.Sprintf("Add %s to the allowed headers (corsguard: AllowedHeaders) so the preflight answer lists it.", http.CanonicalHeaderKey(name))
	why := ""
	if hint := fetch.SafelistHint(name, e.r.Headers); hint != "" {
		why = " (" + hint + ")"
	}
	switch {
	case name == "authorization" && slices.Contains(allowed, "*"):
		return "Access-Control-Allow-Headers is '*', but '*' never covers Authorization (Fetch: Authorization is a CORS non-wildcard request-header name).",
			"List Authorization by name in Access-Control-Allow-Headers (corsguard's \"*\" answers with the requested names, which covers it)."
	case slices.Contains(allowed, "*") && e.r.Credentials:
		return "Access-Control-Allow-Headers is '*', but for a credentialed request '*' is just a header named '*', not a wildcard.",
			fmt.Sprintf("List %s by name in Access-Control-Allow-Headers.", http.CanonicalHeaderKey(name))
	case len(allowed) == 0:
		return fmt.Sprintf("The preflight response has no Access-Control-Allow-Headers, so no header outside the CORS safelist may be sent, and %s is outside it%s.", name, why), fix
	}
	return fmt.Sprintf("Access-Control-Allow-Headers is %q, which does not include %s%s.", strings.Join(allowed, ", "), name, why), fix
}
