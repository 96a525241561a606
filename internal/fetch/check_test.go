package fetch

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

const page = "https://app.example.com"

// newRequest is a fetch() of https://api.example.com/items from page.
func newRequest(method string, credentials bool, headers ...Header) *Request {
	u, _ := url.Parse("https://api.example.com/items")
	return &Request{URL: u, InitialURL: u, Origin: page, Method: method, Headers: headers, Credentials: credentials}
}

// hdr builds a header from name/value pairs; a name may repeat.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestCheckCORS(t *testing.T) {
	tests := []struct {
		name        string
		credentials bool
		tainted     bool
		h           http.Header
		code        Code // "" when the check passes
		reason      string
	}{
		{"exact origin", false, false, hdr("Access-Control-Allow-Origin", page), "", ""},
		{"wildcard", false, false, hdr("Access-Control-Allow-Origin", "*"), "", ""},
		{"credentialed", true, false, hdr("Access-Control-Allow-Origin", page, "Access-Control-Allow-Credentials", "true"), "", ""},
		{"null after a tainting redirect", false, true, hdr("Access-Control-Allow-Origin", "null"), "", ""},
		{"missing", false, false, hdr(), MissingAllowOriginHeader, "No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{"two lines", false, false, hdr("Access-Control-Allow-Origin", page, "Access-Control-Allow-Origin", page), MultipleAllowOriginValues,
			"The 'Access-Control-Allow-Origin' header contains multiple values 'https://app.example.com, https://app.example.com', but only one is allowed."},
		{"a list", false, false, hdr("Access-Control-Allow-Origin", page+" https://b.example"), MultipleAllowOriginValues, "contains multiple values"},
		{"not a URL", false, false, hdr("Access-Control-Allow-Origin", "app.example.com"), InvalidAllowOriginValue,
			"The 'Access-Control-Allow-Origin' header contains the invalid value 'app.example.com'."},
		{"another origin", false, false, hdr("Access-Control-Allow-Origin", "https://b.example"), AllowOriginMismatch,
			"The 'Access-Control-Allow-Origin' header has a value 'https://b.example' that is not equal to the supplied origin."},
		{"trailing slash", false, false, hdr("Access-Control-Allow-Origin", page+"/"), AllowOriginMismatch, "has a value 'https://app.example.com/'"},
		{"null for a real origin", false, false, hdr("Access-Control-Allow-Origin", "null"), AllowOriginMismatch, "has a value 'null'"},
		{"origin after a tainting redirect", false, true, hdr("Access-Control-Allow-Origin", page), AllowOriginMismatch, "not equal to the supplied origin"},
		{"wildcard with credentials", true, false, hdr("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true"), WildcardOriginNotAllowed,
			"must not be the wildcard '*' when the request's credentials mode is 'include'."},
		{"credentials missing", true, false, hdr("Access-Control-Allow-Origin", page), InvalidAllowCredentials,
			"The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'."},
		{"credentials True", true, false, hdr("Access-Control-Allow-Origin", page, "Access-Control-Allow-Credentials", "True"), InvalidAllowCredentials, "is 'True'"},
		{"credentials twice", true, false, hdr("Access-Control-Allow-Origin", page, "Access-Control-Allow-Credentials", "true", "Access-Control-Allow-Credentials", "true"), InvalidAllowCredentials, "is 'true, true'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest("GET", tt.credentials)
			r.Tainted = tt.tainted
			for _, preflight := range []bool{false, true} {
				f := CheckCORS(r, tt.h, preflight)
				if tt.code == "" {
					assert.Nil(t, f)
					continue
				}
				if !assert.NotNil(t, f) {
					continue
				}
				assert.Equal(t, tt.code, f.Code)
				assert.Equal(t, preflight, f.Preflight)
				assert.Contains(t, f.Reason, tt.reason)
				assert.Equal(t, preflight, strings.HasPrefix(f.Reason, PreflightPrefix))
			}
		})
	}
}

func TestCheckPreflight(t *testing.T) {
	good := func(extra ...string) http.Header {
		h := hdr("Access-Control-Allow-Origin", page, "Access-Control-Allow-Credentials", "true",
			"Access-Control-Allow-Methods", "GET, PUT", "Access-Control-Allow-Headers", "X-Api-Key, Content-Type")
		for i := 0; i+1 < len(extra); i += 2 {
			h.Del(extra[i])
			if extra[i+1] != "" {
				h.Add(extra[i], extra[i+1])
			}
		}
		return h
	}
	apiKey := Header{"X-Api-Key", "k"}
	tests := []struct {
		name        string
		method      string
		credentials bool
		headers     []Header
		status      int
		h           http.Header
		code        Code
		value       string
		reason      string
	}{
		{name: "allowed", method: "PUT", credentials: true, headers: []Header{apiKey}, status: 204, h: good()},
		{name: "200 is ok too", method: "PUT", credentials: true, headers: []Header{apiKey}, status: 200, h: good()},
		{name: "redirect", method: "PUT", status: 301, h: good("Location", "/to"), code: PreflightDisallowedRedirect, value: "/to",
			reason: PreflightPrefix + "Redirect is not allowed for a preflight request."},
		{name: "no CORS headers", method: "PUT", status: 405, h: hdr(), code: MissingAllowOriginHeader, reason: PreflightPrefix + "No 'Access-Control-Allow-Origin'"},
		{name: "not ok", method: "PUT", credentials: true, status: 403, h: good(), code: PreflightInvalidStatus, reason: PreflightPrefix + "It does not have HTTP ok status."},
		{name: "methods unparsable", method: "PUT", credentials: true, status: 204, h: good("Access-Control-Allow-Methods", "GET PUT"),
			code: InvalidAllowMethodsPreflightResponse, reason: "Cannot parse Access-Control-Allow-Methods response header field in preflight response."},
		{name: "headers unparsable", method: "PUT", credentials: true, status: 204, h: good("Access-Control-Allow-Headers", "a;b"),
			code: InvalidAllowHeadersPreflightResponse, reason: "Cannot parse Access-Control-Allow-Headers response header field in preflight response."},
		{name: "method not listed", method: "PURGE", credentials: true, status: 204, h: good(), code: MethodDisallowedByPreflightResponse, value: "PURGE",
			reason: "Method PURGE is not allowed by Access-Control-Allow-Methods in preflight response."},
		{name: "method case", method: "PUT", status: 204, h: good("Access-Control-Allow-Methods", "put"), code: MethodDisallowedByPreflightResponse, value: "PUT"},
		{name: "method wildcard", method: "PURGE", status: 204, h: good("Access-Control-Allow-Methods", "*")},
		{name: "method wildcard with credentials", method: "PURGE", credentials: true, status: 204, h: good("Access-Control-Allow-Methods", "*"),
			code: MethodDisallowedByPreflightResponse, value: "PURGE"},
		{name: "safelisted method needs no listing", method: "POST", headers: []Header{apiKey}, status: 204, h: good("Access-Control-Allow-Methods", "")},
		{name: "header not listed", method: "GET", headers: []Header{{"X-Other", "1"}}, status: 204, h: good(), code: HeaderDisallowedByPreflightResponse, value: "x-other",
			reason: "Request header field x-other is not allowed by Access-Control-Allow-Headers in preflight response."},
		{name: "header names fold case", method: "GET", headers: []Header{{"x-API-key", "1"}}, status: 204, h: good()},
		{name: "header wildcard", method: "GET", headers: []Header{{"X-Other", "1"}}, status: 204, h: good("Access-Control-Allow-Headers", "*")},
		{name: "header wildcard with credentials", method: "GET", credentials: true, headers: []Header{{"X-Other", "1"}}, status: 204,
			h: good("Access-Control-Allow-Headers", "*"), code: HeaderDisallowedByPreflightResponse, value: "x-other"},
		{name: "wildcard never covers Authorization", method: "GET", headers: []Header{{"Authorization", "Bearer t"}}, status: 204,
			h: good("Access-Control-Allow-Headers", "*"), code: HeaderDisallowedByPreflightResponse, value: "authorization"},
		{name: "Authorization by name", method: "GET", headers: []Header{{"Authorization", "Bearer t"}}, status: 204, h: good("Access-Control-Allow-Headers", "*, Authorization")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := CheckPreflight(newRequest(tt.method, tt.credentials, tt.headers...), tt.status, tt.h)
			if tt.code == "" {
				assert.Nil(t, f)
				return
			}
			if !assert.NotNil(t, f) {
				return
			}
			assert.Equal(t, tt.code, f.Code)
			assert.True(t, f.Preflight)
			assert.Equal(t, tt.value, f.Value)
			assert.Contains(t, f.Reason, tt.reason)
		})
	}
}

func TestPreflightAndRequestHeaders(t *testing.T) {
	r := newRequest("PUT", true, Header{"X-Trace", "1"}, Header{"Content-Type", "application/json"}, Header{"x-trace", "2"}, Header{"Accept-Language", "en"})
	assert.Equal(t, []Header{
		{"Accept", "*/*"},
		{"Origin", page},
		{"Access-Control-Request-Method", "PUT"},
		{"Access-Control-Request-Headers", "content-type,x-trace"},
	}, r.PreflightHeaders())
	assert.Equal(t, []Header{
		{"Origin", page}, {"Accept", "*/*"},
		{"X-Trace", "1"}, {"Content-Type", "application/json"}, {"x-trace", "2"}, {"Accept-Language", "en"},
	}, r.RequestHeaders())
	assert.True(t, r.NeedsPreflight())

	r = newRequest("GET", false, Header{"accept", "text/html"})
	r.Tainted = true
	assert.Equal(t, []Header{{"Origin", "null"}, {"accept", "text/html"}}, r.RequestHeaders(), "the script's Accept replaces the default")
	assert.Equal(t, []Header{{"Accept", "*/*"}, {"Origin", "null"}, {"Access-Control-Request-Method", "GET"}}, r.PreflightHeaders())
	assert.False(t, r.NeedsPreflight())
}

func TestOriginOf(t *testing.T) {
	for raw, want := range map[string]string{
		"https://API.example.com/x":     "https://api.example.com",
		"https://api.example.com:443/":  "https://api.example.com",
		"http://api.example.com:80":     "http://api.example.com",
		"http://api.example.com:8080/x": "http://api.example.com:8080",
		"HTTP://[::1]:3000/":            "http://[::1]:3000",
	} {
		u, err := url.Parse(raw)
		if assert.NoError(t, err) {
			assert.Equal(t, want, OriginOf(u), raw)
		}
	}
}

func TestConsoleMessage(t *testing.T) {
	r := newRequest("GET", false)
	assert.Equal(t, "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: R", r.ConsoleMessage("R"))
	r.URL, _ = url.Parse("https://other.example/x")
	r.Tainted = true
	assert.Equal(t, "Access to fetch at 'https://other.example/x' (redirected from 'https://api.example.com/items') from origin 'https://app.example.com' has been blocked by CORS policy: R",
		r.ConsoleMessage("R"), "the page's origin, not null")
}
