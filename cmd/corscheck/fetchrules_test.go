package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSafelistedRequestHeader(t *testing.T) {
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
		assert.Equal(t, tt.want, isSafelistedRequestHeader(header{tt.name, tt.value}), "%s: %q", tt.name, tt.value)
	}
}

func TestUnsafeHeaderNames(t *testing.T) {
	assert.Empty(t, unsafeHeaderNames(nil))
	assert.Equal(t, []string{"content-type", "x-b"}, unsafeHeaderNames([]header{
		{"X-B", "1"}, {"Accept", "x"}, {"Content-Type", "application/json"}, {"x-b", "2"},
	}))
	// Safelisted values above 1024 bytes in total all become unsafe.
	long := strings.Repeat("a", 120)
	var headers []header
	for i := 0; i < 9; i++ {
		headers = append(headers, header{"Accept", long})
	}
	assert.Equal(t, []string{"accept"}, unsafeHeaderNames(headers))
	assert.Equal(t, []string{"header accept is not a CORS-safelisted request-header: the safelisted values of this request add up to more than 1024 bytes"},
		preflightReasons("GET", headers))
	assert.Equal(t, []string{`header range is not a CORS-safelisted request-header: value "bytes=-5" is outside what the safelist allows for it`},
		preflightReasons("GET", []header{{"Range", "bytes=-5"}}))
}

func TestHeaderFlag(t *testing.T) {
	var h headerFlags
	assert.NoError(t, h.Set("X-Api-Key"))
	assert.NoError(t, h.Set("Content-Type:  text/plain \t"))
	assert.NoError(t, h.Set("X-Time: 12:30"))
	assert.Equal(t, headerFlags{{"X-Api-Key", ""}, {"Content-Type", "text/plain"}, {"X-Time", "12:30"}}, h)
	assert.Equal(t, "X-Api-Key: , Content-Type: text/plain, X-Time: 12:30", h.String())
	assert.Error(t, h.Set("Proxy-Authorization: x"))
	assert.NoError(t, h.Set("X-HTTP-Method-Override: PUT"))
}

func TestExtractList(t *testing.T) {
	list, ok := extractList(hdr("A", "GET, ,PUT", "A", "DELETE"), "A")
	assert.True(t, ok)
	assert.Equal(t, []string{"GET", "PUT", "DELETE"}, list)
	_, ok = extractList(hdr("A", "GET PUT"), "A")
	assert.False(t, ok)
	list, ok = extractList(hdr(), "A")
	assert.True(t, ok)
	assert.Empty(t, list)
}
