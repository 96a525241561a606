package origin

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		in   string
		want Spec
	}{
		{"https://app.example.com", Spec{Scheme: "https", Host: "app.example.com"}},
		{"http://localhost:3000", Spec{Scheme: "http", Host: "localhost", Port: "3000"}},
		{"http://127.0.0.1:8080", Spec{Scheme: "http", Host: "127.0.0.1", Port: "8080"}},
		{"http://[::1]:8080", Spec{Scheme: "http", Host: "[::1]", Port: "8080"}},
		{"https://[2001:db8::1]", Spec{Scheme: "https", Host: "[2001:db8::1]"}},
		{"https://xn--bcher-kva.example", Spec{Scheme: "https", Host: "xn--bcher-kva.example"}},
		{"capacitor://localhost", Spec{Scheme: "capacitor", Host: "localhost"}},
		{"chrome-extension://abcdefghijklmnopabcdefghijklmnop", Spec{Scheme: "chrome-extension", Host: "abcdefghijklmnopabcdefghijklmnop"}},
		{"https://app.example.com:8443", Spec{Scheme: "https", Host: "app.example.com", Port: "8443"}},
		{"http://app.example.com:443", Spec{Scheme: "http", Host: "app.example.com", Port: "443"}},
		{"https://*.example.com", Spec{Scheme: "https", Host: "example.com", Pattern: true}},
		{"https://*.example.com:8443", Spec{Scheme: "https", Host: "example.com", Port: "8443", Pattern: true}},
		{"https://*.com", Spec{Scheme: "https", Host: "com", Pattern: true}},
		{"https://my_host.example", Spec{Scheme: "https", Host: "my_host.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.in, got.String(), "a valid origin serializes back to itself")
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		in, reason, fix string
	}{
		{"", "is empty", ""},
		{"null", "sandboxed iframes", ""},
		{"*", "wildcard", ""},
		{"https://app.example.com/", "has a trailing slash", "https://app.example.com"},
		{"https://app.example.com/api", "has a path", "https://app.example.com"},
		{"https://app.example.com?x=1", "has a query", "https://app.example.com"},
		{"https://app.example.com#top", "has a fragment", "https://app.example.com"},
		{"app.example.com", "has no scheme", "https://app.example.com"},
		{"localhost:3000", "has no scheme", "http://localhost:3000"},
		{"//app.example.com", "has no scheme", "https://app.example.com"},
		{"https://App.Example.com", "upper-case", "https://app.example.com"},
		{"HTTPS://app.example.com", "upper-case", "https://app.example.com"},
		{"https://app.example.com:443", "default port :443", "https://app.example.com"},
		{"http://localhost:80", "default port :80", "http://localhost"},
		{"https://user:pw@app.example.com", "user info", "https://app.example.com"},
		{"https://app.example.com:99999", "invalid port", ""},
		{"https://app.example.com:0", "invalid port", ""},
		{"https://app.example.com:08080", "invalid port", "https://app.example.com:8080"},
		{"https://app.example.com:", "empty port", ""},
		{"https://", "has no host", ""},
		{"https://:8080", "has no host", ""},
		{" https://app.example.com", "white space", "https://app.example.com"},
		{"https://app..example.com", "invalid host", ""},
		{"https://app.example.com.", "invalid host", ""},
		{"https://bücher.example", "punycode", ""},
		{"https://[::1", "unclosed IPv6", ""},
		{"https://[::1]x", "after the IPv6", ""},
		{"https://[::1]:", "empty port", ""},
		{"https://[0:0::1]", "browsers write as [::1]", ""},
		{"https://[fe80::1%25eth0]", "invalid IPv6", ""},
		{"http://127.1", "invalid IPv4", ""},
		{"http://0x7f.0.0.1", "invalid IPv4", ""},
		{"http://1.2.3.04", "invalid IPv4", ""},
		{"1http://a.example", "invalid scheme", ""},
		{"https://*example.com", "whole first label", ""},
		{"https://a.*.example.com", "whole first label", ""},
		{"*.example.com", "has no scheme", "https://*.example.com"},
		{"https://*", "whole first label", ""},
		{"https://*.*.example.com", "whole first label", ""},
		{"https://example.*", "whole first label", ""},
		{"https://*.127.0.0.1", "IP address", ""},
		{"https://" + strings.Repeat("a", MaxLength), "longer than", ""},
		{"https://" + strings.Repeat("a", 64) + ".example", "invalid host", ""},
		{"https://" + strings.Repeat("a.", 130) + "example", "longer than 253", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Parse(tt.in)
			require.Error(t, err)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Contains(t, e.Reason, tt.reason)
			assert.Equal(t, tt.fix, e.Fix)
			if tt.fix != "" {
				assert.Contains(t, err.Error(), `use "`+tt.fix+`"`)
				_, err := Parse(tt.fix)
				assert.NoError(t, err, "a suggested fix is itself valid")
			}
		})
	}
}

func TestIPv6Serialization(t *testing.T) {
	for in, want := range map[string]string{
		"https://[2001:db8:0:0:1:0:0:1]": "[2001:db8::1:0:0:1]",
		"https://[::ffff:1.2.3.4]":       "[::ffff:102:304]",
		"https://[1:0:0:2:0:0:0:3]":      "[1:0:0:2::3]",
		"https://[1:2:3:4:5:6:7:8]":      "",
		"https://[1:0:2:3:4:5:6:7]":      "",
	} {
		_, err := Parse(in)
		if want == "" {
			assert.NoError(t, err, in)
			continue
		}
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"https://app.example.com", "http://localhost:3000", "https://*.example.com", "http://[::1]:8080",
		"https://app.example.com/", "app.example.com", "null", "*", "https://App.example.com:443",
		"capacitor://localhost", "https://a.b.c.example.com:8443", "http://127.0.0.1", "https://*.*.x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := Parse(s)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e))
			require.NotEmpty(t, e.Reason)
			if e.Fix != "" {
				_, ferr := Parse(e.Fix)
				require.NoError(t, ferr, "fix %q for %q must be valid", e.Fix, s)
			}
			return
		}
		// A valid origin is exactly its own serialization, and matches itself.
		require.Equal(t, s, spec.String())
		var set Set
		set.Add(spec)
		if !spec.Pattern {
			require.True(t, set.Contains(s))
		}
		require.Equal(t, strings.ToLower(s), s)
	})
}
