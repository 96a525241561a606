package fetch

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsSafelistedRequestHeader(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		{"Accept", "application/json", true},
		{"accept", "text/html, */*;q=0.8", true},
		{"Accept", "a\"b", false},
		{"Accept", "{}", false},
		{"Accept", strings.Repeat("a", 129), false},
		{"Accept", strings.Repeat("a", 128), true},
		{"Accept-Language", "en-GB, fr;q=0.5", true},
		{"Content-Language", "de-DE", true},
		{"Accept-Language", "en_GB", false},
		{"Content-Type", "text/plain", true},
		{"Content-Type", "Text/Plain; charset=UTF-8", true},
		{"Content-Type", "multipart/form-data; boundary=x", true},
		{"Content-Type", "application/x-www-form-urlencoded", true},
		{"Content-Type", "text/plain; charset", true}, // a malformed parameter is ignored
		{"Content-Type", "application/json", false},
		{"Content-Type", "text/plain, application/json", false},
		{"Content-Type", "text/plain; a=\"(\"", false},
		{"Content-Type", "", false},
		{"Range", "bytes=0-", true},
		{"Range", "bytes=10-20", true},
		{"Range", "bytes=20-10", false},
		{"Range", "bytes=-500", false},
		{"Range", "bytes=0-1,5-6", false},
		{"Range", "bytes = 0-", false},
		{"Range", "items=0-", false},
		{"Range", "bytes=99999999999999999999-", false},
		{"Range", "bytes=1-99999999999999999999", false},
		{"X-Api-Key", "k", false},
		{"Authorization", "Bearer t", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, IsSafelistedRequestHeader(Header{tt.name, tt.value}), "%s: %q", tt.name, tt.value)
	}
}

func TestIsForbiddenRequestHeader(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		{"Cookie", "a=b", true},
		{"Sec-Fetch-Mode", "cors", true},
		{"X-HTTP-Method-Override", "GET, TRACE", true},
		{"X-Method-Override", "connect", true},
		{"X-HTTP-Method-Override", "PUT", false},
		{"X-Api-Key", "TRACE", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, IsForbiddenRequestHeader(Header{tt.name, tt.value}), "%s: %q", tt.name, tt.value)
	}
}

func TestUnsafeHeaderNames(t *testing.T) {
	assert.Empty(t, UnsafeHeaderNames(nil))
	assert.Equal(t, []string{"content-type", "x-b"}, UnsafeHeaderNames([]Header{
		{"X-B", "1"}, {"Accept", "x"}, {"Content-Type", "application/json"}, {"x-b", "2"},
	}))
	// Safelisted values above 1024 bytes in total all become unsafe.
	long := strings.Repeat("a", 120)
	var headers []Header
	for i := 0; i < 9; i++ {
		headers = append(headers, Header{"Accept", long})
	}
	assert.Equal(t, []string{"accept"}, UnsafeHeaderNames(headers))
	assert.Equal(t, []string{"header accept is not a CORS-safelisted request-header: the safelisted values of this request add up to more than 1024 bytes"},
		PreflightReasons("GET", headers))
}

func TestPreflightReasons(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		headers []Header
		want    []string
	}{
		{"simple GET", "GET", nil, nil},
		{"form POST", "POST", []Header{{"Content-Type", "text/plain;charset=UTF-8"}}, nil},
		{"PUT", "PUT", nil, []string{"method PUT is not a CORS-safelisted method (GET, HEAD, POST)"}},
		{"lower-case method", "patch", nil, []string{"method patch is not a CORS-safelisted method (GET, HEAD, POST)"}},
		{"JSON body", "POST", []Header{{"Content-Type", "application/json"}}, []string{
			`header content-type is not a CORS-safelisted request-header: value "application/json" is not application/x-www-form-urlencoded, multipart/form-data or text/plain`,
		}},
		{"range without start", "GET", []Header{{"Range", "bytes=-5"}}, []string{
			`header range is not a CORS-safelisted request-header: value "bytes=-5" is outside what the safelist allows for it`,
		}},
		{"custom headers, sorted", "GET", []Header{{"X-B", ""}, {"X-A", ""}}, []string{
			"header x-a is not a CORS-safelisted request-header",
			"header x-b is not a CORS-safelisted request-header",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, PreflightReasons(tt.method, tt.headers))
			assert.Equal(t, len(tt.want) > 0, NeedsPreflight(tt.method, tt.headers))
		})
	}
}

func TestStatusClasses(t *testing.T) {
	for status, want := range map[int][2]bool{
		199: {false, false}, 200: {true, false}, 204: {true, false}, 299: {true, false},
		300: {false, false}, 301: {false, true}, 302: {false, true}, 303: {false, true},
		304: {false, false}, 307: {false, true}, 308: {false, true}, 403: {false, false},
	} {
		assert.Equal(t, want[0], IsOKStatus(status), "ok %d", status)
		assert.Equal(t, want[1], IsRedirectStatus(status), "redirect %d", status)
	}
}
