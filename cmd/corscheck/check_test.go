package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/corsguard/cors/internal/fetch"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// putArgs is a credentialed PUT with a custom header: it needs a preflight.
var putArgs = []string{"-method", "PUT", "-H", "X-Api-Key: k", "-credentials"}

func TestMisbehavingServers(t *testing.T) {
	preflightNo := func(status int) *behaviour {
		return &behaviour{preflightStatus: status, preflight: http.Header{}, actual: goodActual()}
	}
	acao := func(values ...string) *behaviour {
		return &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Origin", values...), actual: goodActual()}
	}
	tests := []struct {
		name     string
		args     []string
		srv      *behaviour
		exit     int
		code     string // failure code; "" when allowed
		diag     Diagnosis
		step     string
		message  string // part of the console message
		cause    string // part of the likely cause
		fix      string // part of the fix
		warnings []string
	}{
		{
			name: "correct server", args: putArgs,
			srv:  &behaviour{preflight: goodPreflight(), actual: goodActual()},
			exit: exitAllowed, warnings: []string{},
		},
		{
			name: "simple GET on a correct server",
			srv:  &behaviour{actual: with(goodActual(), "Access-Control-Allow-Credentials")},
			exit: exitAllowed, warnings: []string{},
		},
		{
			name: "wildcard origin without credentials", args: []string{"-method", "DELETE"},
			srv: &behaviour{
				preflight: hdr("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "*"),
				actual:    hdr("Access-Control-Allow-Origin", "*"),
			},
			exit: exitAllowed, warnings: []string{},
		},
		{
			name: "no ACAO on the actual response", diag: diagOriginNotAllowed,
			srv:  &behaviour{actual: http.Header{}},
			exit: exitBlocked, code: "missing_allow_origin_header", step: kindRequest,
			message: "has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			cause:   "is not in the server's allow-list",
			fix:     `Add "https://app.example.com" (exactly: scheme, host and port) to the server's allowed origins`,
		},
		{
			name: "no ACAO on a 2xx preflight", diag: diagPreflightWithoutCORS, args: putArgs, srv: preflightNo(http.StatusOK),
			exit: exitBlocked, code: "missing_allow_origin_header", step: kindPreflight,
			message: "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			cause:   "while a plain GET from https://app.example.com is allowed",
			fix:     "Let OPTIONS reach the CORS middleware",
		},
		{
			name: "ACAO with a trailing slash", diag: diagAllowOriginPath, args: putArgs, srv: acao(pageOrigin + "/"),
			exit: exitBlocked, code: "allow_origin_mismatch", step: kindPreflight,
			message: "The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com/' that is not equal to the supplied origin.",
			cause:   "trailing slash",
			fix:     "Send exactly 'Access-Control-Allow-Origin: https://app.example.com'",
		},
		{
			name: "ACAO with another scheme", diag: diagAllowOriginScheme, args: putArgs, srv: acao("http://app.example.com"),
			exit: exitBlocked, code: "allow_origin_mismatch", step: kindPreflight,
			message: "has a value 'http://app.example.com' that is not equal to the supplied origin",
			cause:   "has the scheme http but the page is served over https",
			fix:     "Send exactly",
		},
		{
			name: "ACAO with another port", diag: diagAllowOriginPort, args: putArgs, srv: acao("https://app.example.com:8443"),
			exit: exitBlocked, code: "allow_origin_mismatch", step: kindPreflight,
			cause: "port 8443 vs 443", fix: "Send exactly",
		},
		{
			name: "ACAO with the default port written", diag: diagAllowOriginDefaultPort, args: putArgs, srv: acao("https://app.example.com:443"),
			exit: exitBlocked, code: "allow_origin_mismatch", step: kindPreflight,
			cause: "writes the default port explicitly", fix: "Send exactly",
		},
		{
			name: "ACAO in another case", diag: diagAllowOriginCase, args: putArgs, srv: acao("https://App.Example.com"),
			exit: exitBlocked, code: "allow_origin_mismatch", step: kindPreflight,
			cause: "only in letter case", fix: "Send exactly",
		},
		{
			name: "ACAO for another host", diag: diagAllowOriginOther, args: putArgs, srv: acao("https://admin.example.com"),
			exit: exitBlocked, code: "allow_origin_mismatch", step: kindPreflight,
			cause: "first entry of its allow-list", fix: "Send exactly",
		},
		{
			name: "ACAO null", diag: diagAllowOriginNull, args: putArgs, srv: acao("null"),
			exit: exitBlocked, code: "allow_origin_mismatch", step: kindPreflight,
			cause: "opaque origin", fix: "Send exactly",
		},
		{
			name: "ACAO not an origin", diag: diagAllowOriginNotAnOrigin, args: putArgs, srv: acao("app.example.com"),
			exit: exitBlocked, code: "invalid_allow_origin_value", step: kindPreflight,
			message: "The 'Access-Control-Allow-Origin' header contains the invalid value 'app.example.com'.",
			cause:   "is not an origin at all", fix: "Send exactly",
		},
		{
			name: "ACAO for a look-alike host", diag: diagAllowOriginOther, args: putArgs, srv: acao("https://app.example.com.evil"),
			exit: exitBlocked, code: "allow_origin_mismatch", step: kindPreflight,
			cause: "another origin",
		},
		{
			name: "ACAO with a path", diag: diagAllowOriginPath, args: putArgs, srv: acao("https://app.example.com/app"),
			exit: exitBlocked, code: "allow_origin_mismatch", step: kindPreflight,
			cause: "a trailing slash or a path",
		},
		{
			name: "ACAO with a query", diag: diagAllowOriginExtra, args: putArgs, srv: acao("https://app.example.com?x=1"),
			exit: exitBlocked, code: "allow_origin_mismatch", step: kindPreflight,
			cause: "has a path, query or extra characters",
		},
		{
			// Without Vary: Origin, one writer: '*' and credentials (with it,
			// two writers: TestLayerAnswersNotBlamedOnApp).
			name: "wildcard with credentials", diag: diagWildcardWithCredentials, args: putArgs,
			srv:  &behaviour{preflight: with(with(goodPreflight(), "Access-Control-Allow-Origin", "*"), "Vary"), actual: goodActual()},
			exit: exitBlocked, code: "wildcard_origin_not_allowed", step: kindPreflight,
			message: "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
			cause:   "credentialed", fix: "Echo the request's Origin",
		},
		{
			name: "two ACAO header lines", diag: diagAllowOriginTwice, args: putArgs, srv: acao(pageOrigin, pageOrigin),
			exit: exitBlocked, code: "multiple_allow_origin_values", step: kindPreflight,
			message: "The 'Access-Control-Allow-Origin' header contains multiple values 'https://app.example.com, https://app.example.com', but only one is allowed.",
			cause:   "2 Access-Control-Allow-Origin headers", fix: "exactly one place",
		},
		{
			name: "one ACAO listing several origins", diag: diagAllowOriginList, args: putArgs, srv: acao(pageOrigin + " https://admin.example.com"),
			exit: exitBlocked, code: "multiple_allow_origin_values", step: kindPreflight,
			cause: "lists several origins", fix: "send only the match",
		},
		{
			name: "preflight 405 without CORS headers", diag: diagPreflightNotRouted405, args: putArgs, srv: preflightNo(http.StatusMethodNotAllowed),
			exit: exitBlocked, code: "missing_allow_origin_header", step: kindPreflight,
			message: "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin'",
			cause:   "OPTIONS is not routed to the CORS middleware", fix: "Wrap the whole router",
		},
		{
			name: "preflight 401", diag: diagAuthBeforeCORS, args: putArgs, srv: preflightNo(http.StatusUnauthorized),
			exit: exitBlocked, code: "missing_allow_origin_header", step: kindPreflight,
			cause: "authentication runs before CORS", fix: "in front of (outside) authentication",
		},
		{
			// Every preflight is refused, while a plain GET passes: probes
			// find OPTIONS blocked before any CORS layer.
			name: "preflight 403", diag: diagBlockedBeforeCORS, args: putArgs, srv: preflightNo(http.StatusForbidden),
			exit: exitBlocked, code: "missing_allow_origin_header", step: kindPreflight,
			cause: "Something in front of the CORS layer refuses the preflight with 403", fix: "let CORS preflights",
		},
		{
			name: "preflight 404", diag: diagPreflightNotRouted404, args: putArgs, srv: preflightNo(http.StatusNotFound),
			exit: exitBlocked, code: "missing_allow_origin_header", step: kindPreflight,
			cause: "nothing answers OPTIONS", fix: "Wrap the whole router",
		},
		{
			name: "preflight 500", diag: diagPreflightServerError, args: putArgs, srv: preflightNo(http.StatusInternalServerError),
			exit: exitBlocked, code: "missing_allow_origin_header", step: kindPreflight,
			cause: "The server failed (500 Internal Server Error) while answering the preflight, and the failure is disguised as a CORS error",
			fix:   "server log",
		},
		{
			name: "preflight 400", diag: diagPreflightRejected, args: putArgs, srv: preflightNo(http.StatusBadRequest),
			exit: exitBlocked, code: "missing_allow_origin_header", step: kindPreflight,
			cause: "rejected the preflight with 400 Bad Request", fix: "in front of whatever rejects",
		},
		{
			name: "preflight 405 with CORS headers", diag: diagPreflightStatus405, args: putArgs,
			srv:  &behaviour{preflightStatus: http.StatusMethodNotAllowed, preflight: goodPreflight()},
			exit: exitBlocked, code: "preflight_invalid_status", step: kindPreflight,
			message: "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
			cause:   "passed the OPTIONS request on to a router", fix: "answer preflights itself",
		},
		{
			name: "preflight 403 with CORS headers", diag: diagPreflightStatusAuth, args: putArgs,
			srv:  &behaviour{preflightStatus: http.StatusForbidden, preflight: goodPreflight()},
			exit: exitBlocked, code: "preflight_invalid_status", step: kindPreflight,
			cause: "authentication or authorization runs before", fix: "in front of authentication",
		},
		{
			name: "preflight 404 with CORS headers", diag: diagPreflightStatus404, args: putArgs,
			srv:  &behaviour{preflightStatus: http.StatusNotFound, preflight: goodPreflight()},
			exit: exitBlocked, code: "preflight_invalid_status", step: kindPreflight,
			cause: "no route handles OPTIONS", fix: "answer preflights itself",
		},
		{
			name: "preflight 500 with CORS headers", diag: diagPreflightStatusServerError, args: putArgs,
			srv:  &behaviour{preflightStatus: http.StatusInternalServerError, preflight: goodPreflight()},
			exit: exitBlocked, code: "preflight_invalid_status", step: kindPreflight,
			cause: "The server failed (500 Internal Server Error)", fix: "server log",
		},
		{
			name: "preflight 304 with CORS headers", diag: diagPreflightStatusNotOK, args: putArgs,
			srv:  &behaviour{preflightStatus: http.StatusNotModified, preflight: goodPreflight()},
			exit: exitBlocked, code: "preflight_invalid_status", step: kindPreflight,
			cause: "304 Not Modified", fix: "204 No Content",
		},
		{
			name: "method missing", diag: diagMethodNotListed, args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Methods", "GET, POST")},
			exit: exitBlocked, code: "method_disallowed_by_preflight_response", step: kindPreflight,
			message: "has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
			cause:   `Access-Control-Allow-Methods is "GET, POST", which does not include PUT`,
			fix:     "Add PUT to the allowed methods",
		},
		{
			name: "no Access-Control-Allow-Methods", diag: diagAllowMethodsMissing, args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Methods")},
			exit: exitBlocked, code: "method_disallowed_by_preflight_response", step: kindPreflight,
			cause: "only GET, HEAD and POST pass", fix: "Add PUT",
		},
		{
			name: "method listed in lower case", diag: diagMethodCase, args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Methods", "get, put")},
			exit: exitBlocked, code: "method_disallowed_by_preflight_response", step: kindPreflight,
			cause: "compared case-sensitively", fix: "PUT in upper case",
		},
		{
			name: "methods wildcard with credentials", diag: diagMethodWildcardCredentials, args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Methods", "*")},
			exit: exitBlocked, code: "method_disallowed_by_preflight_response", step: kindPreflight,
			cause: "'*' is just a method named '*'", fix: "List PUT by name",
		},
		{
			name: "unparsable Access-Control-Allow-Methods", diag: diagAllowMethodsUnparsable, args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Methods", "GET; PUT")},
			exit: exitBlocked, code: "invalid_allow_methods_preflight_response", step: kindPreflight,
			message: "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
			cause:   `"GET; PUT"`, fix: "separated by commas",
		},
		{
			name: "unparsable Access-Control-Allow-Headers", diag: diagAllowHeadersUnparsable, args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Headers", "X-Api-Key X-Other")},
			exit: exitBlocked, code: "invalid_allow_headers_preflight_response", step: kindPreflight,
			message: "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
			cause:   "not a comma-separated list", fix: "separated by commas",
		},
		{
			name: "header missing", diag: diagHeaderNotListed, args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Headers", "Content-Type")},
			exit: exitBlocked, code: "header_disallowed_by_preflight_response", step: kindPreflight,
			message: "Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.",
			cause:   `Access-Control-Allow-Headers is "Content-Type", which does not include x-api-key`,
			fix:     "Add X-Api-Key to the allowed headers",
		},
		{
			name: "no Access-Control-Allow-Headers for a JSON body", diag: diagAllowHeadersMissing,
			args: []string{"-method", "POST", "-H", "Content-Type: application/json"},
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Headers")},
			exit: exitBlocked, code: "header_disallowed_by_preflight_response", step: kindPreflight,
			message: "Request header field content-type is not allowed",
			cause:   `value "application/json" is not application/x-www-form-urlencoded, multipart/form-data or text/plain`,
			fix:     "Add Content-Type",
		},
		{
			name: "headers wildcard with credentials", diag: diagHeaderWildcardCredentials, args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Headers", "*")},
			exit: exitBlocked, code: "header_disallowed_by_preflight_response", step: kindPreflight,
			cause: "'*' is just a header named '*'", fix: "List X-Api-Key by name",
		},
		{
			name: "Authorization covered by * only", diag: diagAuthorizationWildcard,
			args: []string{"-method", "PUT", "-H", "Authorization: Bearer t"},
			srv: &behaviour{
				preflight: hdr("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*"),
				actual:    hdr("Access-Control-Allow-Origin", "*"),
			},
			exit: exitBlocked, code: "header_disallowed_by_preflight_response", step: kindPreflight,
			message: "Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.",
			cause:   "'*' never covers Authorization", fix: "List Authorization by name",
		},
		{
			name: "ACAC missing on the preflight", diag: diagCredentialsMissing, args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Allow-Credentials"), actual: goodActual()},
			exit: exitBlocked, code: "invalid_allow_credentials", step: kindPreflight,
			message: "Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
			cause:   "the preflight has no 'Access-Control-Allow-Credentials: true'",
			fix:     "AllowCredentials: true",
		},
		{
			name: "ACAC not lower-case on the actual response", diag: diagCredentialsNotTrue, args: putArgs,
			srv:  &behaviour{preflight: goodPreflight(), actual: with(goodActual(), "Access-Control-Allow-Credentials", "True")},
			exit: exitBlocked, code: "invalid_allow_credentials", step: kindRequest,
			message: "header in the response is 'True' which must be 'true'",
			cause:   "lower-case 'true'", fix: "Access-Control-Allow-Credentials: true",
		},
		{
			name: "500 without CORS headers on the actual request", diag: diagErrorWithoutCORS, args: putArgs,
			srv:  &behaviour{preflight: goodPreflight(), status: http.StatusInternalServerError, actual: http.Header{}},
			exit: exitBlocked, code: "missing_allow_origin_header", step: kindRequest,
			message: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			cause:   "the request failed on the server, and because its error response bypassed the CORS layer the browser disguises that failure as a CORS error",
			fix:     "put the CORS middleware outermost",
		},
		{
			name: "no Vary: Origin", args: putArgs,
			srv: &behaviour{
				preflight: with(goodPreflight(), "Vary"),
				actual:    with(goodActual(), "Vary", "Accept-Encoding"),
			},
			exit: exitAllowed, warnings: []string{"missing_vary_origin", "missing_vary_origin"},
		},
		{
			name: "Max-Age 86400", args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Max-Age", "86400"), actual: goodActual()},
			exit: exitAllowed, warnings: []string{"max_age_above_browser_cap"},
		},
		{
			name: "Max-Age not a number", args: putArgs,
			srv:  &behaviour{preflight: with(goodPreflight(), "Access-Control-Max-Age", "1h"), actual: goodActual()},
			exit: exitAllowed, warnings: []string{"max_age_invalid"},
		},
		{
			name: "Authorization covered by * only, not sent yet",
			args: []string{"-method", "PUT", "-H", "X-Api-Key: k"},
			srv: &behaviour{
				preflight: hdr("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*"),
				actual:    hdr("Access-Control-Allow-Origin", "*"),
			},
			exit: exitAllowed, warnings: []string{"authorization_wildcard_only"},
		},
		{
			name: "Authorization listed by name",
			args: []string{"-method", "PUT", "-H", "Authorization: Bearer t"},
			srv: &behaviour{
				preflight: hdr("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*, Authorization"),
				actual:    hdr("Access-Control-Allow-Origin", "*"),
			},
			exit: exitAllowed, warnings: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.srv)
			args := append([]string{"-origin", pageOrigin}, tt.args...)
			args = append(args, srv.URL+"/items")

			code, res := runJSON(t, args...)
			assert.Equal(t, tt.exit, code)
			assert.Equal(t, tt.exit, res.ExitCode)
			assert.Equal(t, tt.exit == exitAllowed, res.Allowed)
			if tt.warnings != nil {
				assert.Equal(t, tt.warnings, warningCodes(res))
			}
			if tt.code == "" {
				assert.Equal(t, verdictAllowed, res.Verdict)
				assert.Nil(t, res.Failure)
				return
			}
			assert.Equal(t, verdictBlocked, res.Verdict)
			require.NotNil(t, res.Failure)
			f := res.Failure
			assert.Equal(t, tt.code, string(f.Code))
			assert.Equal(t, tt.diag, f.Diagnosis)
			assert.Equal(t, tt.step, f.Step)
			assert.True(t, strings.HasPrefix(f.Message, "Access to fetch at '"+srv.URL+"/items' from origin '"+pageOrigin+"' has been blocked by CORS policy: "), f.Message)
			assert.Contains(t, f.Message, f.Reason)
			assert.Contains(t, f.Message, tt.message)
			assert.Contains(t, f.Cause, tt.cause)
			assert.Contains(t, f.Fix, tt.fix)
			if tt.step == kindPreflight {
				assert.Nil(t, lastStep(res.Steps, kindRequest), "the browser stops after a failed preflight")
			}

			// The text report says the same.
			code, text, stderr := runCLI(args...)
			assert.Equal(t, tt.exit, code)
			assert.Empty(t, stderr)
			assert.Contains(t, text, "Verdict: BLOCKED")
			assert.Contains(t, text, "Console: "+f.Message)
			assert.Contains(t, text, "Likely cause ["+string(f.Diagnosis)+"]: "+f.Cause)
			assert.Contains(t, text, "Fix: "+f.Fix)
		})
	}
}

// The preflight is written as browsers write it, and the actual request
// carries the script's headers.
func TestPreflightRequestOnTheWire(t *testing.T) {
	b := &behaviour{
		preflight: with(goodPreflight(), "Access-Control-Allow-Headers", "x-api-key, x-trace, content-type, authorization"),
		actual:    goodActual(),
	}
	srv := serve(t, b)
	code, res := runJSON(t, "-origin", pageOrigin, "-method", "put", "-credentials",
		"-H", "X-Trace: 1", "-header", "X-Api-Key", "-H", "x-trace: 2",
		"-H", "Content-Type: application/json", "-H", "Accept: text/html",
		"-H", "Authorization: Bearer t", srv.URL)
	require.Equal(t, exitAllowed, code, res.Failure)

	seen := b.requests()
	require.Len(t, seen, 2)
	pre, actual := seen[0], seen[1]
	assert.Equal(t, http.MethodOptions, pre.Method)
	assert.Equal(t, pageOrigin, pre.Header.Get("Origin"))
	assert.Equal(t, "PUT", pre.Header.Get("Access-Control-Request-Method"), "put is normalized")
	assert.Equal(t, "authorization,content-type,x-api-key,x-trace", pre.Header.Get("Access-Control-Request-Headers"))
	assert.Equal(t, "*/*", pre.Header.Get("Accept"))
	assert.Empty(t, pre.Header.Get("Authorization"), "a preflight never carries credentials")
	assert.Empty(t, pre.Header.Get("X-Api-Key"))

	assert.Equal(t, "PUT", actual.Method)
	assert.Equal(t, pageOrigin, actual.Header.Get("Origin"))
	assert.Equal(t, "Bearer t", actual.Header.Get("Authorization"))
	assert.Equal(t, []string{"1", "2"}, actual.Header.Values("X-Trace"))
	assert.Equal(t, []string{""}, actual.Header.Values("X-Api-Key"))

	assert.True(t, res.Preflight.Needed)
	assert.Equal(t, []string{
		"method PUT is not a CORS-safelisted method (GET, HEAD, POST)",
		"header authorization is not a CORS-safelisted request-header",
		`header content-type is not a CORS-safelisted request-header: value "application/json" is not application/x-www-form-urlencoded, multipart/form-data or text/plain`,
		"header x-api-key is not a CORS-safelisted request-header",
		"header x-trace is not a CORS-safelisted request-header",
	}, res.Preflight.Reasons, "names lower-cased, sorted, de-duplicated")
}

// A request with safelisted method and headers goes out without preflight.
func TestNoPreflightForSafelistedRequest(t *testing.T) {
	b := &behaviour{actual: hdr("Access-Control-Allow-Origin", "*")}
	srv := serve(t, b)
	code, res := runJSON(t, "-origin", pageOrigin, "-method", "POST",
		"-H", "Content-Type: text/plain;charset=UTF-8", "-H", "Accept-Language: en-GB, fr;q=0.5", srv.URL)
	assert.Equal(t, exitAllowed, code)
	assert.False(t, res.Preflight.Needed)
	require.Len(t, res.Steps, 1)
	assert.Equal(t, kindRequest, res.Steps[0].Kind)
	assert.Len(t, b.requests(), 1)
}

// redirector answers /from with a redirect to target, adding the given
// headers, and /to with the final answer.
// Preflights are redirected too when redirectPreflights is set; otherwise
// they get 204 with the headers and permissive allow lists.
type redirector struct {
	status             int
	target             string
	headers            http.Header
	final              *behaviour
	redirectPreflights bool
}

func (rd *redirector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/to" {
		rd.final.ServeHTTP(w, r)
		return
	}
	if r.Method == http.MethodOptions && !rd.redirectPreflights {
		for name, values := range rd.headers {
			w.Header()[name] = values
		}
		w.Header().Set("Access-Control-Allow-Methods", "PUT")
		w.Header().Set("Access-Control-Allow-Headers", "Authorization, X-Api-Key")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	for name, values := range rd.headers {
		w.Header()[name] = values
	}
	w.Header().Set("Location", rd.target)
	w.WriteHeader(rd.status)
}

func TestRedirects(t *testing.T) {
	star := hdr("Access-Control-Allow-Origin", "*")
	t.Run("preflight redirect fails", func(t *testing.T) {
		srv := serve(t, &redirector{status: http.StatusMovedPermanently, target: "/to", headers: goodPreflight(), final: &behaviour{}, redirectPreflights: true})
		code, res := runJSON(t, append([]string{"-origin", pageOrigin}, append(putArgs, srv.URL+"/from")...)...)
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Failure)
		assert.Equal(t, "preflight_disallowed_redirect", string(res.Failure.Code))
		assert.Contains(t, res.Failure.Message, "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.")
		assert.Equal(t, diagRedirectWithoutCORS, res.Failure.Diagnosis)
		assert.Contains(t, res.Failure.Cause, "a redirect to "+srv.URL+"/to, and browsers never follow a redirect of a preflight")
		assert.Contains(t, res.Failure.Fix, "Call "+srv.URL+"/to directly from the script.")
	})
	t.Run("same-origin redirect with CORS headers is followed", func(t *testing.T) {
		rd := &redirector{status: http.StatusFound, target: "/to", headers: star, final: &behaviour{actual: star}}
		srv := serve(t, rd)
		code, res := runJSON(t, "-origin", pageOrigin, srv.URL+"/from")
		assert.Equal(t, exitAllowed, code)
		require.Len(t, res.Steps, 2)
		assert.Equal(t, outcomeRedirect, res.Steps[0].Outcome)
		assert.Equal(t, 302, res.Steps[0].Status)
		assert.Contains(t, res.Steps[0].Notes[0], "the 302 carries valid CORS headers, so the browser follows it")
		assert.Equal(t, srv.URL+"/to", res.Steps[1].URL)
		assert.Equal(t, outcomePass, res.Steps[1].Outcome)

		_, text, _ := runCLI("-origin", pageOrigin, srv.URL+"/from")
		assert.Contains(t, text, "note: the 302 carries valid CORS headers")
	})
	t.Run("redirect without CORS headers fails on the 3xx itself", func(t *testing.T) {
		srv := serve(t, &redirector{status: http.StatusTemporaryRedirect, target: "/to", final: &behaviour{actual: star}})
		code, res := runJSON(t, "-origin", pageOrigin, srv.URL+"/from")
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Failure)
		assert.Equal(t, "missing_allow_origin_header", string(res.Failure.Code))
		assert.Equal(t, 307, res.Failure.Status)
		assert.Len(t, res.Steps, 1, "the browser does not follow it")
	})
	t.Run("303 turns POST into GET", func(t *testing.T) {
		final := &behaviour{actual: star}
		srv := serve(t, &redirector{status: http.StatusSeeOther, target: "/to", headers: star, final: final})
		code, res := runJSON(t, "-origin", pageOrigin, "-method", "POST", "-H", "Content-Type: text/plain", srv.URL+"/from")
		assert.Equal(t, exitAllowed, code)
		require.Len(t, res.Steps, 2)
		assert.Contains(t, res.Steps[0].Notes, "a 303 turns POST into GET and drops the request-body headers")
		assert.Equal(t, "GET", res.Steps[1].Method)
		seen := final.requests()
		require.Len(t, seen, 1)
		assert.Empty(t, seen[0].Header.Get("Content-Type"))
	})
	t.Run("cross-origin redirect taints the origin", func(t *testing.T) {
		other := serve(t, &behaviour{actual: goodActual()})
		srv := serve(t, &redirector{status: http.StatusFound, target: other.URL + "/to", headers: star, final: &behaviour{}})
		code, res := runJSON(t, "-origin", pageOrigin, "-H", "Authorization: Bearer t", srv.URL+"/from")
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Failure)
		assert.Equal(t, "allow_origin_mismatch", string(res.Failure.Code))
		assert.Contains(t, res.Failure.Message, "Access to fetch at '"+other.URL+"/to' (redirected from '"+srv.URL+"/from') from origin '"+pageOrigin+"'")
		assert.Contains(t, res.Failure.Cause, "'Origin: null'")
		require.Len(t, res.Steps, 3, "preflight, redirect, request to the other server")
		assert.Equal(t, outcomeRedirect, res.Steps[1].Outcome)
		assert.Contains(t, res.Steps[1].Notes, "the redirect is cross-origin, so the browser drops the Authorization header")
		assert.Equal(t, "null", res.Steps[2].RequestHeaders[0].Value, "Origin: null after the redirect")
	})
	t.Run("cross-origin redirect to a server without CORS headers", func(t *testing.T) {
		other := serve(t, &behaviour{actual: http.Header{}})
		srv := serve(t, &redirector{status: http.StatusFound, target: other.URL + "/to", headers: star, final: &behaviour{}})
		code, res := runJSON(t, "-origin", pageOrigin, srv.URL+"/from")
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Failure)
		assert.Equal(t, "missing_allow_origin_header", string(res.Failure.Code))
		assert.Contains(t, res.Failure.Cause, "'Origin: null'")
	})
	t.Run("redirect loop", func(t *testing.T) {
		srv := serve(t, &redirector{status: http.StatusFound, target: "/from", headers: star, final: &behaviour{}})
		code, res := runJSON(t, "-origin", pageOrigin, srv.URL+"/from")
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Failure)
		assert.Equal(t, "too_many_redirects", string(res.Failure.Code))
		assert.Len(t, res.Steps, fetch.MaxRedirects+1)
	})
	for _, target := range []string{"ftp://files.example.com/x", "http://user:pw@127.0.0.1:1/x", "http://[::1"} {
		t.Run("redirect to "+target, func(t *testing.T) {
			srv := serve(t, &redirector{status: http.StatusFound, target: target, headers: star, final: &behaviour{}})
			code, res := runJSON(t, "-origin", pageOrigin, srv.URL+"/from")
			assert.Equal(t, exitBlocked, code)
			require.NotNil(t, res.Failure)
			assert.Contains(t, []string{"redirect_disallowed_scheme", "redirect_contains_credentials", "invalid_redirect_location"}, string(res.Failure.Code))
			assert.Contains(t, res.Failure.Fix, "call the final URL directly")
		})
	}
}

// A page with an opaque origin sends "Origin: null"; only "null" or "*"
// lets it read the response.
func TestNullOrigin(t *testing.T) {
	srv := serve(t, &behaviour{actual: hdr("Access-Control-Allow-Origin", "null", "Vary", "Origin")})
	code, res := runJSON(t, "-origin", "null", srv.URL)
	assert.Equal(t, exitAllowed, code, res.Failure)

	srv = serve(t, &behaviour{actual: goodActual()})
	code, res = runJSON(t, "-origin", "null", srv.URL)
	assert.Equal(t, exitBlocked, code)
	require.NotNil(t, res.Failure)
	assert.Equal(t, "allow_origin_mismatch", string(res.Failure.Code))
	assert.Contains(t, res.Failure.Cause, "The server allows another origin")
}
