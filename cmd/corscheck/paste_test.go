package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Firefox's wording, as its console prints it (curly quotes included).
const ffBlocked = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. "

var pastedTests = []struct {
	name        string
	message     string
	browser     string
	url, origin string
	code        string
	preflight   bool
	method      string
	header      string
	credentials bool
	status      int
}{
	{
		name:    "Chromium, no ACAO",
		message: "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.",
		browser: "chromium", url: "https://api.example.com/items", origin: "https://app.example.com", code: "missing_allow_origin_header",
	},
	{
		// Chromium 156 dropped the "If an opaque response serves your needs" sentence.
		name:    "Chromium 156, no ACAO, without the opaque-response sentence",
		message: "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
		browser: "chromium", url: "https://api.example.com/items", origin: "https://app.example.com", code: "missing_allow_origin_header",
	},
	{
		name: "Chromium, with DevTools' line prefix and the next line",
		message: "(index):12 Access to XMLHttpRequest at 'https://api.example.com/items' from origin 'http://localhost:3000' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.\n" +
			"(index):12 PUT https://api.example.com/items net::ERR_FAILED",
		browser: "chromium", url: "https://api.example.com/items", origin: "http://localhost:3000", code: "preflight_invalid_status", preflight: true,
	},
	{
		name:    "Chromium, method",
		message: "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: Method PURGE is not allowed by Access-Control-Allow-Methods in preflight response.",
		browser: "chromium", url: "https://api.example.com/items", origin: "https://app.example.com", code: "method_disallowed_by_preflight_response", preflight: true, method: "PURGE",
	},
	{
		name:    "Chromium, header",
		message: "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.",
		browser: "chromium", url: "https://api.example.com/items", origin: "https://app.example.com", code: "header_disallowed_by_preflight_response", preflight: true, header: "x-api-key",
	},
	{
		name:    "Chromium, credentials, after a redirect",
		message: "Access to fetch at 'https://api.example.com/v2/items' (redirected from 'https://api.example.com/items') from origin 'https://app.example.com' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
		browser: "chromium", url: "https://api.example.com/items", origin: "https://app.example.com", code: "invalid_allow_credentials", credentials: true,
	},
	{
		name:    "Chromium, a reason corscheck does not know",
		message: "Access to fetch at 'http://localhost:8080/' from origin 'https://app.example.com' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.",
		browser: "chromium", url: "http://localhost:8080/", origin: "https://app.example.com",
	},
	{
		name:    "Firefox, ACAO missing on a preflight, then 'did not succeed'",
		message: ffBlocked + "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403.\n" + ffBlocked + "(Reason: CORS request did not succeed). Status code: (null).",
		browser: "firefox", url: "https://api.example.com/items", code: "missing_allow_origin_header", status: 403,
	},
	{
		name:    "Firefox, did not succeed alone",
		message: ffBlocked + "(Reason: CORS request did not succeed). Status code: (null).",
		browser: "firefox", url: "https://api.example.com/items", code: "network_error",
	},
	{
		name:    "Firefox, method",
		message: ffBlocked + "(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
		browser: "firefox", url: "https://api.example.com/items", code: "method_disallowed_by_preflight_response", preflight: true,
	},
	{
		name:    "Firefox, header",
		message: ffBlocked + "(Reason: header ‘x-api-key’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
		browser: "firefox", url: "https://api.example.com/items", code: "header_disallowed_by_preflight_response", preflight: true, header: "x-api-key",
	},
	{
		name:    "Firefox, header, older wording with straight quotes",
		message: ffBlocked + "(Reason: missing token 'Authorization' in CORS header 'Access-Control-Allow-Headers' from CORS preflight channel).",
		browser: "firefox", url: "https://api.example.com/items", code: "header_disallowed_by_preflight_response", preflight: true, header: "authorization",
	},
	{
		name:    "Firefox, wildcard with credentials",
		message: ffBlocked + "(Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).",
		browser: "firefox", url: "https://api.example.com/items", code: "wildcard_origin_not_allowed", credentials: true,
	},
	{
		name:    "Firefox, mismatch",
		message: ffBlocked + "(Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://other.example’).",
		browser: "firefox", url: "https://api.example.com/items", code: "allow_origin_mismatch",
	},
	{
		name:    "Firefox, invalid token in Allow-Methods",
		message: ffBlocked + "(Reason: invalid token ‘GET PUT’ in CORS header ‘Access-Control-Allow-Methods’).",
		browser: "firefox", url: "https://api.example.com/items", code: "invalid_allow_methods_preflight_response", preflight: true,
	},
	{
		name:    "Firefox, preflight did not succeed",
		message: ffBlocked + "(Reason: CORS preflight response did not succeed). Status code: 405.",
		browser: "firefox", url: "https://api.example.com/items", code: "preflight_invalid_status", preflight: true, status: 405,
	},
}

func TestParsePasted(t *testing.T) {
	for _, tt := range pastedTests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parsePasted(tt.message)
			require.NoError(t, err)
			assert.Equal(t, tt.browser, p.Browser)
			assert.Equal(t, tt.url, p.URL)
			assert.Equal(t, tt.origin, p.Origin)
			assert.Equal(t, tt.code, p.Code)
			assert.Equal(t, tt.preflight, p.Preflight)
			assert.Equal(t, tt.method, p.method)
			assert.Equal(t, tt.header, p.header)
			assert.Equal(t, tt.credentials, p.credentials)
			assert.Equal(t, tt.status, p.Status)
		})
	}
}

func TestParsePastedRefuses(t *testing.T) {
	for name, s := range map[string]string{
		"empty":           "",
		"a URL":           "https://api.example.com/items",
		"half a message":  "has been blocked by CORS policy: No 'Access-Control-Allow-Origin'",
		"too long":        "Access to fetch at 'https://a.example/' from origin 'https://b.example' has been blocked by CORS policy: " + strings.Repeat("x", maxPasteLength),
		"Safari's format": "Fetch API cannot load https://api.example.com/items due to access control checks.",
	} {
		_, err := parsePasted(s)
		assert.Error(t, err, name)
	}
}

// A pasted console message is checked against the live server it names.
func TestPastedMessage(t *testing.T) {
	noCORS := serve(t, &behaviour{actual: http.Header{}})
	lib := serve(t, library(t, ok))
	chromium := func(url, reason string) string {
		return "Access to fetch at '" + url + "' from origin '" + pageOrigin + "' has been blocked by CORS policy: " + reason
	}
	firefox := func(url, reason string) string {
		return "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at " + url + ". (Reason: " + reason + ")."
	}

	t.Run("Chromium, reproduced", func(t *testing.T) {
		code, res := runJSON(t, chromium(noCORS.URL+"/items", "No 'Access-Control-Allow-Origin' header is present on the requested resource."))
		assert.Equal(t, exitBlocked, code)
		assert.Equal(t, noCORS.URL+"/items", res.URL)
		assert.Equal(t, pageOrigin, res.Origin)
		require.NotNil(t, res.Pasted)
		assert.True(t, res.Pasted.Reproduced, res.Pasted.Note)
		assert.Equal(t, "chromium", res.Pasted.Browser)
	})
	t.Run("Chromium, the header it names is sent", func(t *testing.T) {
		code, res := runJSON(t, chromium(lib.URL, "Request header field x-other is not allowed by Access-Control-Allow-Headers in preflight response."))
		assert.Equal(t, exitBlocked, code)
		assert.Equal(t, []Field{{Name: "x-other", Value: ""}}, res.RequestHeaders)
		require.NotNil(t, res.Failure)
		assert.Equal(t, kindPreflight, res.Failure.Step)
	})
	t.Run("Chromium, the method it names is used", func(t *testing.T) {
		_, res := runJSON(t, chromium(lib.URL, "Method PURGE is not allowed by Access-Control-Allow-Methods in preflight response."))
		assert.Equal(t, "PURGE", res.Method)
		require.NotNil(t, res.Failure)
		assert.Contains(t, res.Failure.Fix, "Add PURGE to the allowed methods")
	})
	t.Run("Chromium, not reproduced", func(t *testing.T) {
		code, res := runJSON(t, chromium(lib.URL, "No 'Access-Control-Allow-Origin' header is present on the requested resource."))
		assert.Equal(t, exitAllowed, code)
		require.NotNil(t, res.Pasted)
		assert.False(t, res.Pasted.Reproduced)
		assert.Contains(t, res.Pasted.Note, "corscheck finds no failure now")

		_, text, _ := runCLI(chromium(lib.URL, "No 'Access-Control-Allow-Origin' header is present on the requested resource."))
		assert.Contains(t, text, "corscheck: the Chromium message says: No 'Access-Control-Allow-Origin' header")
		assert.Contains(t, text, "The Chromium message is not reproduced: corscheck finds no failure now")
	})
	t.Run("a reason corscheck does not know", func(t *testing.T) {
		_, res := runJSON(t, chromium(noCORS.URL, "Permission was denied for this request to access the `loopback` address space."))
		require.NotNil(t, res.Pasted)
		assert.False(t, res.Pasted.Reproduced)
		assert.Equal(t, "", res.Pasted.Code)
		assert.Contains(t, res.Pasted.Note, "corscheck does not know this reason")
		require.NotNil(t, res.Failure, "the URL and origin are checked all the same")
	})
	t.Run("another failure than the browser's", func(t *testing.T) {
		_, res := runJSON(t, chromium(noCORS.URL, "The 'Access-Control-Allow-Origin' header has a value 'https://b.example' that is not equal to the supplied origin."))
		require.NotNil(t, res.Pasted)
		assert.False(t, res.Pasted.Reproduced)
		assert.Contains(t, res.Pasted.Note, "the browser reported allow_origin_mismatch, corscheck sees missing_allow_origin_header now")
	})
	t.Run("Firefox needs -origin", func(t *testing.T) {
		msg := firefox(noCORS.URL+"/items", "CORS header ‘Access-Control-Allow-Origin’ missing") + " Status code: 200."
		code, _, stderr := runCLI(msg)
		assert.Equal(t, exitError, code)
		assert.Contains(t, stderr, "Firefox's message does not name the page's origin: add -origin")

		code, res := runJSON(t, "-origin", pageOrigin, msg)
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Pasted)
		assert.True(t, res.Pasted.Reproduced)
		assert.Equal(t, 200, res.Pasted.Status)
	})
	t.Run("from standard input", func(t *testing.T) {
		var out, errOut strings.Builder
		msg := chromium(noCORS.URL, "No 'Access-Control-Allow-Origin' header is present on the requested resource.")
		code := run([]string{"-"}, strings.NewReader(msg+"\n"), &out, &errOut)
		assert.Equal(t, exitBlocked, code, errOut.String())
		assert.Contains(t, out.String(), "The Chromium message is reproduced")

		code = run([]string{"-origin", pageOrigin, "-"}, strings.NewReader("https://api.example.com/"), &out, &errOut)
		assert.Equal(t, exitError, code)
		assert.Contains(t, errOut.String(), "no CORS message found")
	})
	for name, tt := range map[string]struct {
		args []string
		want string
	}{
		"a preflight, but nothing asks for one": {
			[]string{chromium(lib.URL, "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.")},
			"the Chromium message is about a preflight, but GET without -H needs none: give the -method and -H",
		},
		"another -origin": {
			[]string{"-origin", "https://b.example", chromium(lib.URL, "No 'Access-Control-Allow-Origin' header is present on the requested resource.")},
			`-origin "https://b.example" differs from the origin in the message, "https://app.example.com"`,
		},
		"another -method": {
			[]string{"-method", "PUT", chromium(lib.URL, "Method PURGE is not allowed by Access-Control-Allow-Methods in preflight response.")},
			"-method PUT differs from the method in the message, PURGE",
		},
		"a safelistable header without its value": {
			[]string{chromium(lib.URL, "Request header field accept-language is not allowed by Access-Control-Allow-Headers in preflight response.")},
			"add -H 'accept-language: <the value the script sends>'",
		},
		"a URL and a message": {
			[]string{lib.URL, chromium(lib.URL, "No 'Access-Control-Allow-Origin' header is present on the requested resource.")},
			"exactly one URL or console message expected",
		},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runCLI(tt.args...)
			assert.Equal(t, exitError, code)
			assert.Contains(t, stderr, tt.want)
		})
	}
}
