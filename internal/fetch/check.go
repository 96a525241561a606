package fetch

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/corsguard/cors/internal/method"
)

// PreflightPrefix is how Chromium introduces a failed check of a preflight
// response.
const PreflightPrefix = "Response to preflight request doesn't pass access control check: "

// invalidHint is what Chromium 156 appends to the reasons about an invalid
// Access-Control-Allow-Origin. Before 156 it also suggested mode 'no-cors',
// here and after the missing header; TestProxiesInChromium (e2e) holds
// these messages to what Chromium prints.
const invalidHint = " Have the server send the header with a valid value."

// CheckCORS implements Fetch's "CORS check" (#cors-check) of a response to
// r, with Chromium's finer classification of a value that is not the
// origin. preflight says whether h answers the preflight. It returns nil when
// the check passes.
func CheckCORS(r *Request, h http.Header, preflight bool) *Failure {
	fail := func(code Code, reason, value string) *Failure {
		if preflight {
			reason = PreflightPrefix + reason
		}
		return &Failure{Code: code, Preflight: preflight, Reason: reason, Value: value}
	}
	// Steps 1-2: "get" combines all field lines with ", "; none is failure.
	values := h.Values("Access-Control-Allow-Origin")
	if len(values) == 0 {
		return fail(MissingAllowOriginHeader,
			"No 'Access-Control-Allow-Origin' header is present on the requested resource.", "")
	}
	origin := strings.Join(values, ", ")
	// Step 3: "*" passes unless credentials mode is "include".
	if origin == "*" {
		if r.Credentials {
			return fail(WildcardOriginNotAllowed,
				"The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.", origin)
		}
		return nil
	}
	// Step 4: otherwise it must be the serialized origin, byte for byte.
	if origin != r.SerializedOrigin() {
		switch {
		case strings.ContainsAny(origin, " ,"):
			return fail(MultipleAllowOriginValues,
				"The 'Access-Control-Allow-Origin' header contains multiple values '"+origin+"', but only one is allowed."+invalidHint, origin)
		case origin != "null" && !looksLikeURL(origin):
			return fail(InvalidAllowOriginValue,
				"The 'Access-Control-Allow-Origin' header contains the invalid value '"+origin+"'."+invalidHint, origin)
		}
		return fail(AllowOriginMismatch,
			"The 'Access-Control-Allow-Origin' header has a value '"+origin+"' that is not equal to the supplied origin."+invalidHint, origin)
	}
	// Steps 5-7: a credentialed request also needs
	// Access-Control-Allow-Credentials to be exactly "true".
	if r.Credentials {
		if acac := strings.Join(h.Values("Access-Control-Allow-Credentials"), ", "); acac != "true" {
			return fail(InvalidAllowCredentials,
				"The value of the 'Access-Control-Allow-Credentials' header in the response is '"+acac+"' which must be 'true' when the request's credentials mode is 'include'.", acac)
		}
	}
	return nil
}

// looksLikeURL mirrors Chromium's "is this a valid URL" test, which only
// picks the wording of the message: an absolute URL with a scheme and host.
func looksLikeURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// CheckPreflight implements step 7 of #cors-preflight-fetch for the response
// to r's preflight: the CORS check, an ok status, then the allow lists. It
// returns nil when the browser goes on to send the request.
func CheckPreflight(r *Request, status int, h http.Header) *Failure {
	fail := func(code Code, reason, value string) *Failure {
		return &Failure{Code: code, Preflight: true, Reason: reason, Value: value}
	}
	// Chromium refuses a redirected preflight before looking at any header
	// (Fetch reaches the same result: a 3xx is not an ok status).
	if IsRedirectStatus(status) {
		return fail(PreflightDisallowedRedirect, PreflightPrefix+"Redirect is not allowed for a preflight request.", h.Get("Location"))
	}
	// Step 7: "If a CORS check for request and response returns success
	// and response's status is an ok status".
	if f := CheckCORS(r, h, true); f != nil {
		return f
	}
	if !IsOKStatus(status) {
		return fail(PreflightInvalidStatus, PreflightPrefix+"It does not have HTTP ok status.", "")
	}
	// Steps 7.1-7.3: both lists must parse.
	methods, ok := ExtractList(h, "Access-Control-Allow-Methods")
	if !ok {
		return fail(InvalidAllowMethodsPreflightResponse,
			"Cannot parse Access-Control-Allow-Methods response header field in preflight response.", "")
	}
	names, ok := ExtractList(h, "Access-Control-Allow-Headers")
	if !ok {
		return fail(InvalidAllowHeadersPreflightResponse,
			"Cannot parse Access-Control-Allow-Headers response header field in preflight response.", "")
	}
	// Step 7.4 only applies to requests with the use-CORS-preflight flag
	// (upload listeners), which a plain fetch() does not have.
	if !MethodAllowed(r.Method, r.Credentials, methods) {
		return fail(MethodDisallowedByPreflightResponse,
			"Method "+r.Method+" is not allowed by Access-Control-Allow-Methods in preflight response.", r.Method)
	}
	if name, ok := headerNotAllowed(r, names); ok {
		return fail(HeaderDisallowedByPreflightResponse,
			"Request header field "+name+" is not allowed by Access-Control-Allow-Headers in preflight response.", name)
	}
	return nil
}

// MethodAllowed implements #cors-preflight-fetch step 7.5: the method must be
// listed byte for byte, be CORS-safelisted, or be covered by "*" when the
// request is not credentialed.
func MethodAllowed(m string, credentials bool, methods []string) bool {
	if method.IsSafelisted(m) || slices.Contains(methods, m) {
		return true
	}
	return !credentials && slices.Contains(methods, "*")
}

// headerNotAllowed implements #cors-preflight-fetch steps 7.6 and 7.7 and
// returns the first request header name the preflight does not allow.
func headerNotAllowed(r *Request, allowed []string) (string, bool) {
	// Step 7.6: Authorization (the one "CORS non-wildcard request-header
	// name") must be listed by name; "*" never covers it.
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, "Authorization") && !containsFold(allowed, "authorization") {
			return "authorization", true
		}
	}
	// Step 7.7: every CORS-unsafe name must be listed, or covered by "*"
	// when the request is not credentialed.
	wildcard := !r.Credentials && slices.Contains(allowed, "*")
	for _, name := range UnsafeHeaderNames(r.Headers) {
		if !wildcard && !containsFold(allowed, name) {
			return name, true
		}
	}
	return "", false
}
