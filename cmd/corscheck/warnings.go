package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
)

// This file finds what does not block the request today but will bite later:
// caches mixing origins, preflight caching the browser ignores, and an
// Authorization header that "*" does not cover.

// Browser caps on Access-Control-Max-Age, in seconds.
const (
	chromiumMaxAge = 7200  // Chromium: 2 hours
	firefoxMaxAge  = 86400 // Firefox: 24 hours
)

// responseWarnings checks a response of either kind.
func responseWarnings(r *fetch.Request, kind string, resp response) []Warning {
	var out []Warning
	if w, ok := varyWarning(r, kind, resp); ok {
		out = append(out, w)
	}
	return out
}

// preflightWarnings checks a preflight response; the cache and allow-list
// findings only matter when the preflight passed.
func preflightWarnings(r *fetch.Request, resp response, passed bool) []Warning {
	out := responseWarnings(r, kindPreflight, resp)
	if !passed {
		return out
	}
	if w, ok := maxAgeWarning(resp); ok {
		out = append(out, w)
	}
	if w, ok := authorizationWildcardWarning(r, resp); ok {
		out = append(out, w)
	}
	return out
}

// varyWarning flags an answer that echoes the origin without
// "Vary: Origin": a shared cache may then hand it to another origin.
func varyWarning(r *fetch.Request, kind string, resp response) (Warning, bool) {
	if strings.Join(resp.header.Values("Access-Control-Allow-Origin"), ", ") != r.SerializedOrigin() {
		return Warning{}, false
	}
	if variesByOrigin(resp.header) {
		return Warning{}, false
	}
	what := "response"
	if kind == kindPreflight {
		what = "preflight response"
	}
	return Warning{
		Code: "missing_vary_origin",
		Step: kind,
		Message: fmt.Sprintf("The %s echoes the origin in Access-Control-Allow-Origin but has no 'Vary: Origin': a CDN or shared cache can serve this answer, made for %s, to another origin, whose requests then fail.",
			what, r.SerializedOrigin()),
		Fix: "Add 'Vary: Origin' to every response whose CORS headers depend on the Origin, allowed or not (corsguard does).",
	}, true
}

// maxAgeWarning implements the reading of Access-Control-Max-Age in
// #cors-preflight-fetch steps 7.8-7.9 (failure means 5 s; the browser then
// applies its own cap) and flags what the browser will not honour.
func maxAgeWarning(resp response) (Warning, bool) {
	values := resp.header.Values("Access-Control-Max-Age")
	if len(values) == 0 {
		return Warning{}, false
	}
	raw := strings.Join(values, ", ")
	seconds, err := strconv.ParseUint(raw, 10, 63)
	if err != nil || !fetch.AllDigits(raw) {
		return Warning{
			Code:    "max_age_invalid",
			Step:    kindPreflight,
			Message: fmt.Sprintf("Access-Control-Max-Age is %q, not a single number of seconds: browsers ignore it and cache the preflight for 5 s only.", raw),
			Fix:     "Send one whole number of seconds, at most 7200 (e.g. 'Access-Control-Max-Age: 600').",
		}, true
	}
	if seconds <= chromiumMaxAge {
		return Warning{}, false
	}
	firefox := fmt.Sprintf("Firefox honours it in full (its cap is %d s)", firefoxMaxAge)
	if seconds > firefoxMaxAge {
		firefox = fmt.Sprintf("Firefox caps it at %d s", firefoxMaxAge)
	}
	return Warning{
		Code: "max_age_above_browser_cap",
		Step: kindPreflight,
		Message: fmt.Sprintf("Access-Control-Max-Age is %d s, above what Chromium honours: Chromium caches this preflight for %d s at most; %s. Browsers will send preflights more often than the server expects, and differently from one another.",
			seconds, chromiumMaxAge, firefox),
		Fix: fmt.Sprintf("Use at most %d s so every browser behaves the same (corsguard: MaxAge: 2 * time.Hour or less).", chromiumMaxAge),
	}, true
}

// authorizationWildcardWarning flags Access-Control-Allow-Headers: * without
// Authorization: fine for this request, fatal for the first one that sends
// Authorization (#cors-preflight-fetch step 7.6).
func authorizationWildcardWarning(r *fetch.Request, resp response) (Warning, bool) {
	allowed, ok := fetch.ExtractList(resp.header, "Access-Control-Allow-Headers")
	if !ok || r.Credentials || !slices.Contains(allowed, "*") || containsFold(allowed, "authorization") {
		return Warning{}, false
	}
	return Warning{
		Code:    "authorization_wildcard_only",
		Step:    kindPreflight,
		Message: "Access-Control-Allow-Headers is '*' without Authorization: '*' never covers Authorization, so the first request that sends an Authorization header will fail its preflight.",
		Fix:     "List Authorization by name next to '*' (e.g. 'Access-Control-Allow-Headers: *, Authorization') if clients send it.",
	}, true
}

// bodyCutWarning flags a response whose body ended early: fetch() resolves,
// but reading the body (response.json()) rejects with a network error.
func bodyCutWarning(resp response) (Warning, bool) {
	if resp.bodyErr == nil {
		return Warning{}, false
	}
	return Warning{
		Code: "response_body_cut",
		Step: kindRequest,
		Message: fmt.Sprintf("The connection closed before the end of the body (%s): the script gets the status and headers, but reading the body fails with 'TypeError: network error'. A handler that panics after it started writing does this.",
			clip(resp.bodyErr.Error(), shownValueLimit)),
		Fix: "Look in the server's log for a panic or a write error on this request.",
	}, true
}
