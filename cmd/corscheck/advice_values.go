package main

import (
	"fmt"
	"net/url"
	"strings"
)

// This file words the causes where the CORS headers are there, with the
// wrong values: Access-Control-Allow-Origin and -Credentials.

var valueWordings = map[Diagnosis]wording{
	diagAllowOriginTwice: func(e *evidence) (string, string) {
		values := e.resp.header.Values("Access-Control-Allow-Origin")
		return fmt.Sprintf("The response carries %d Access-Control-Allow-Origin headers (%s): two layers add it, typically the application and %s, or two CORS middlewares.", len(values), strings.Join(quoteAll(values), ", "), e.proxyOr("a reverse proxy, API gateway or CDN")),
			"Set the CORS headers in exactly one place and remove them from the other layer (" + e.fixIn(fixOverwrite) + ")."
	},
	diagAllowOriginList: text(
		"The header lists several origins (\"{value}\"), but it admits exactly one origin or '*'.",
		"Match the request's Origin against the allow-list on the server and send only the match: 'Access-Control-Allow-Origin: {origin}', with Vary: Origin."),
	diagAllowOriginNull: text(
		"The server sent 'null', which only matches documents with an opaque origin (sandboxed iframes, file: pages); allowing 'null' is unsafe anyway.",
		"{sendExactly}"),
	diagAllowOriginCase: text(
		"\"{value}\" differs from \"{origin}\" only in letter case, but browsers compare origins byte for byte (and always send them in lower case).",
		"{sendExactly}"),
	diagAllowOriginPath: text(
		"\"{value}\" has a trailing slash or a path; an origin never has one, and browsers compare byte for byte.",
		"{sendExactly}"),
	diagAllowOriginScheme: func(e *evidence) (string, string) {
		return fmt.Sprintf("%q has the scheme %s but the page is served over %s (common behind a TLS-terminating proxy, or an allow-list written for http during development).", e.failureValue(), schemeOf(e.failureValue()), schemeOf(e.r.SerializedOrigin())), e.expand("{sendExactly}")
	},
	diagAllowOriginDefaultPort: text(
		"\"{value}\" writes the default port explicitly; browsers never do, and compare byte for byte.",
		"{sendExactly}"),
	diagAllowOriginPort: func(e *evidence) (string, string) {
		return fmt.Sprintf("%q has another port than %q (port %s vs %s): a different port is a different origin.", e.failureValue(), e.r.SerializedOrigin(), portOf(e.failureValue()), portOf(e.r.SerializedOrigin())), e.expand("{sendExactly}")
	},
	diagAllowOriginExtra: text(
		"\"{value}\" has a path, query or extra characters; an origin is only scheme://host[:port].",
		"{sendExactly}"),
	diagAllowOriginNotAnOrigin: text(
		"\"{value}\" is not an origin at all (an origin is scheme://host[:port]).",
		"{sendExactly}"),
	diagAllowOriginOther: otherOriginWording,
	diagWildcardWithCredentials: text(
		"The server answers 'Access-Control-Allow-Origin: *', but the request is credentialed (credentials: 'include'): browsers never hand a credentialed response to a script on the strength of '*'.",
		"Echo the request's Origin when it is in an allow-list instead of '*', with Vary: Origin (corsguard: list the origins instead of \"*\" in AllowedOrigins); or send the request without credentials if the API uses neither cookies nor HTTP authentication."),
	diagCredentialsMissing: text(
		"The request is credentialed (cookies, HTTP authentication or TLS client certificates), but the {kind} has no 'Access-Control-Allow-Credentials: true'.",
		credentialsFix),
	diagCredentialsNotTrue: text(
		"Access-Control-Allow-Credentials is \"{value}\"; the only value browsers accept is the lower-case 'true'.",
		credentialsFix),
}

const credentialsFix = "Send 'Access-Control-Allow-Credentials: true' on both the preflight and the actual responses (corsguard: AllowCredentials: true), with the exact origin in Access-Control-Allow-Origin."

// otherOriginWording covers an Access-Control-Allow-Origin naming another
// origin than the one sent: a fixed value, or an application that echoes
// an Origin a layer in front rewrote.
func otherOriginWording(e *evidence) (cause, fix string) {
	cause = fmt.Sprintf("The server allows another origin (%q), not %q: it probably sends a fixed value or the first entry of its allow-list instead of the matching request origin.", e.failureValue(), e.r.SerializedOrigin())
	if variesByOrigin(e.resp.header) {
		cause += " The answer varies by Origin, so the application echoes the Origin it received: a layer in front may have rewritten the Origin request header on the way (" + e.fixIn(fixOrigin) + "); rerun with -direct and the application's own URL to prove it."
	}
	return cause, e.expand("{sendExactly}")
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
