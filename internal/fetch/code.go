package fetch

// Code names why a browser refuses a response to a script, one constant per
// failure of the CORS protocol that Chromium reports (its CorsError values,
// in snake case). The set is closed: [Codes] lists every one, and a test
// holds the list to the constants below.
type Code string

// The failures of the CORS check (#cors-check), of a preflight
// (#cors-preflight-fetch) and of following a redirect (#http-redirect-fetch).
const (
	MissingAllowOriginHeader             Code = "missing_allow_origin_header"
	MultipleAllowOriginValues            Code = "multiple_allow_origin_values"
	InvalidAllowOriginValue              Code = "invalid_allow_origin_value"
	AllowOriginMismatch                  Code = "allow_origin_mismatch"
	WildcardOriginNotAllowed             Code = "wildcard_origin_not_allowed"
	InvalidAllowCredentials              Code = "invalid_allow_credentials"
	PreflightInvalidStatus               Code = "preflight_invalid_status"
	PreflightDisallowedRedirect          Code = "preflight_disallowed_redirect"
	InvalidAllowMethodsPreflightResponse Code = "invalid_allow_methods_preflight_response"
	InvalidAllowHeadersPreflightResponse Code = "invalid_allow_headers_preflight_response"
	MethodDisallowedByPreflightResponse  Code = "method_disallowed_by_preflight_response"
	HeaderDisallowedByPreflightResponse  Code = "header_disallowed_by_preflight_response"
	InvalidRedirectLocation              Code = "invalid_redirect_location"
	RedirectDisallowedScheme             Code = "redirect_disallowed_scheme"
	RedirectContainsCredentials          Code = "redirect_contains_credentials"
	TooManyRedirects                     Code = "too_many_redirects"
)

// Codes returns every Code, in the order above.
func Codes() []Code {
	return []Code{
		MissingAllowOriginHeader, MultipleAllowOriginValues, InvalidAllowOriginValue,
		AllowOriginMismatch, WildcardOriginNotAllowed, InvalidAllowCredentials,
		PreflightInvalidStatus, PreflightDisallowedRedirect,
		InvalidAllowMethodsPreflightResponse, InvalidAllowHeadersPreflightResponse,
		MethodDisallowedByPreflightResponse, HeaderDisallowedByPreflightResponse,
		InvalidRedirectLocation, RedirectDisallowedScheme, RedirectContainsCredentials,
		TooManyRedirects,
	}
}

// Failure is a refusal: what the browser saw, in Chromium's words.
type Failure struct {
	Code Code
	// Preflight is true when the preflight failed: the browser then never
	// sends the request itself.
	Preflight bool
	// Reason is what Chromium prints after "has been blocked by CORS
	// policy: ".
	Reason string
	// Value is the offending header value, method or header name, if any.
	Value string
}
