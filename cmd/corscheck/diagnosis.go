package main

// Diagnosis names the likely cause of a failure: the layer that made the
// response and what it got wrong. The set is closed: every constant has a
// cause and a fix in the advice_*.go tables, which a test holds for each one, and
// diagnose.go picks one for every failure.
type Diagnosis string

// No HTTP response (failure code network_error).
const (
	diagConnectionRefused Diagnosis = "connection_refused"
	diagDNS               Diagnosis = "dns_failure"
	diagTLS               Diagnosis = "tls_failure"
	diagTimeout           Diagnosis = "timeout"
	diagConnectionDropped Diagnosis = "connection_dropped"
	diagNetwork           Diagnosis = "network_failure"
)

// Another layer answered, or changed the answer, before the browser saw it.
const (
	diagGatewayError          Diagnosis = "gateway_error"
	diagProxyErrorPage        Diagnosis = "proxy_error_page"
	diagAllowOriginStripped   Diagnosis = "allow_origin_stripped"
	diagProxyBreaksCORS       Diagnosis = "proxy_breaks_cors"
	diagCacheWithoutVary      Diagnosis = "cache_without_vary_origin"
	diagCacheIgnoresVary      Diagnosis = "cache_ignores_vary_origin"
	diagRedirectToHTTPS       Diagnosis = "redirect_to_https"
	diagRedirectTrailingSlash Diagnosis = "redirect_trailing_slash"
	diagRedirectWithoutCORS   Diagnosis = "redirect_without_cors"
	diagProxyRefusedOptions   Diagnosis = "proxy_refused_options"
	diagBlockedBeforeCORS     Diagnosis = "blocked_before_cors"
	diagAuthBeforeCORS        Diagnosis = "auth_before_cors"
	diagPathNotServed         Diagnosis = "path_not_served"
)

// No CORS headers at all.
const (
	diagOriginNotAllowed        Diagnosis = "origin_not_allowed"
	diagErrorWithoutCORS        Diagnosis = "error_without_cors"
	diagOriginNullAfterRedirect Diagnosis = "origin_null_after_redirect"
	diagPreflightNotRouted405   Diagnosis = "preflight_not_routed_405"
	diagPreflightNotRouted404   Diagnosis = "preflight_not_routed_404"
	diagPreflightServerError    Diagnosis = "preflight_server_error"
	diagPreflightRejected       Diagnosis = "preflight_rejected"
	diagPreflightWithoutCORS    Diagnosis = "preflight_answered_without_cors"
	diagPreflightForbidden      Diagnosis = "preflight_forbidden"
	diagCORSRefusedOrigin       Diagnosis = "cors_refused_origin"
	diagCORSRefusedMethod       Diagnosis = "cors_refused_method"
	diagCORSRefusedHeader       Diagnosis = "cors_refused_header"
)

// CORS headers with the wrong values.
const (
	diagAllowOriginTwice        Diagnosis = "allow_origin_added_twice"
	diagAllowOriginList         Diagnosis = "allow_origin_lists_several"
	diagAllowOriginNull         Diagnosis = "allow_origin_null"
	diagAllowOriginCase         Diagnosis = "allow_origin_case"
	diagAllowOriginPath         Diagnosis = "allow_origin_path"
	diagAllowOriginScheme       Diagnosis = "allow_origin_scheme"
	diagAllowOriginDefaultPort  Diagnosis = "allow_origin_default_port"
	diagAllowOriginPort         Diagnosis = "allow_origin_port"
	diagAllowOriginExtra        Diagnosis = "allow_origin_extra"
	diagAllowOriginNotAnOrigin  Diagnosis = "allow_origin_not_an_origin"
	diagAllowOriginOther        Diagnosis = "allow_origin_other_origin"
	diagWildcardWithCredentials Diagnosis = "wildcard_with_credentials"
	diagCredentialsMissing      Diagnosis = "allow_credentials_missing"
	diagCredentialsNotTrue      Diagnosis = "allow_credentials_not_true"
)

// The preflight's status or allow lists.
const (
	diagPreflightStatus405         Diagnosis = "preflight_status_405"
	diagPreflightStatusAuth        Diagnosis = "preflight_status_auth"
	diagPreflightStatus404         Diagnosis = "preflight_status_404"
	diagPreflightStatusServerError Diagnosis = "preflight_status_server_error"
	diagPreflightStatusNotOK       Diagnosis = "preflight_status_not_ok"
	diagAllowMethodsUnparsable     Diagnosis = "allow_methods_unparsable"
	diagAllowHeadersUnparsable     Diagnosis = "allow_headers_unparsable"
	diagMethodNotListed            Diagnosis = "method_not_listed"
	diagAllowMethodsMissing        Diagnosis = "allow_methods_missing"
	diagMethodCase                 Diagnosis = "method_case"
	diagMethodWildcardCredentials  Diagnosis = "method_wildcard_with_credentials"
	diagHeaderNotListed            Diagnosis = "header_not_listed"
	diagAllowHeadersMissing        Diagnosis = "allow_headers_missing"
	diagAuthorizationWildcard      Diagnosis = "authorization_not_covered_by_wildcard"
	diagHeaderWildcardCredentials  Diagnosis = "header_wildcard_with_credentials"
)

// Redirects a browser does not follow.
const (
	diagRedirectNotFollowable Diagnosis = "redirect_not_followable"
	diagRedirectLoop          Diagnosis = "redirect_loop"
)
