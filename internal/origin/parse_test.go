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
		{"https://*.example.com", Spec{Scheme: "https", Host: "example.com", Pattern: true, Wildcard: Subdomains}},
		{"https://*.example.com:8443", Spec{Scheme: "https", Host: "example.com", Port: "8443", Pattern: true, Wildcard: Subdomains}},
		{"https://*.com", Spec{Scheme: "https", Host: "com", Pattern: true, Wildcard: Subdomains}},
		{"https://my_host.example", Spec{Scheme: "https", Host: "my_host.example"}},
		// Any port, loopback hosts only.
		{"http://localhost:*", Spec{Scheme: "http", Host: "localhost", Pattern: true, AnyPort: true}},
		{"https://localhost:*", Spec{Scheme: "https", Host: "localhost", Pattern: true, AnyPort: true}},
		{"http://127.0.0.1:*", Spec{Scheme: "http", Host: "127.0.0.1", Pattern: true, AnyPort: true}},
		{"http://[::1]:*", Spec{Scheme: "http", Host: "[::1]", Pattern: true, AnyPort: true}},
		{"https://[::1]:*", Spec{Scheme: "https", Host: "[::1]", Pattern: true, AnyPort: true}},
		{"http://app.localhost:*", Spec{Scheme: "http", Host: "app.localhost", Pattern: true, AnyPort: true}},
		{"capacitor://localhost:*", Spec{Scheme: "capacitor", Host: "localhost", Pattern: true, AnyPort: true}},
		{"http://*.localhost:*", Spec{Scheme: "http", Host: "localhost", Pattern: true, Wildcard: Subdomains, AnyPort: true}},
		{"http://*.app.localhost:*", Spec{Scheme: "http", Host: "app.localhost", Pattern: true, Wildcard: Subdomains, AnyPort: true}},
		{"http://*.localhost", Spec{Scheme: "http", Host: "localhost", Pattern: true, Wildcard: Subdomains}},
		// One "*" inside the first label.
		{"https://myapp-*-acme.vercel.app", Spec{Scheme: "https", Host: "vercel.app", Pattern: true, Wildcard: Infix, Prefix: "myapp-", Suffix: "-acme"}},
		{"https://*--mysite.netlify.app", Spec{Scheme: "https", Host: "netlify.app", Pattern: true, Wildcard: Infix, Suffix: "--mysite"}},
		{"https://pr-*.preview.example.com", Spec{Scheme: "https", Host: "preview.example.com", Pattern: true, Wildcard: Infix, Prefix: "pr-"}},
		{"https://pr-*.example.com:8443", Spec{Scheme: "https", Host: "example.com", Port: "8443", Pattern: true, Wildcard: Infix, Prefix: "pr-"}},
		{"https://xn--*.example.com", Spec{Scheme: "https", Host: "example.com", Pattern: true, Wildcard: Infix, Prefix: "xn--"}},
		{"https://a_*-.example.com", Spec{Scheme: "https", Host: "example.com", Pattern: true, Wildcard: Infix, Prefix: "a_", Suffix: "-"}},
		{"http://app-*.localhost:*", Spec{Scheme: "http", Host: "localhost", Pattern: true, Wildcard: Infix, Prefix: "app-", AnyPort: true}},
		{"http://app-*.localhost", Spec{Scheme: "http", Host: "localhost", Pattern: true, Wildcard: Infix, Prefix: "app-"}},
		{"https://" + strings.Repeat("a", 62) + "*.example.com", Spec{Scheme: "https", Host: "example.com", Pattern: true, Wildcard: Infix, Prefix: strings.Repeat("a", 62)}},
		{"https://a*." + long250, Spec{Scheme: "https", Host: long250, Pattern: true, Wildcard: Infix, Prefix: "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.in, got.String(), "a valid origin serializes back to itself")
			assert.Equal(t, got.AnyPort || got.Wildcard != NoHostWildcard, got.Pattern)
		})
	}
}

func TestLong250(t *testing.T) {
	require.Len(t, long250, 250)
	require.True(t, IsDomain(long250))
}

// long250 is a valid domain of 250 bytes.
var long250 = strings.Repeat(strings.Repeat("b", 48)+".", 5) + "bbbbb"

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
		{"https://a.*.example.com", `has a "*" outside the first label; a pattern has one "*"`, ""},
		{"https://my.app-*.example.com", `has a "*" outside the first label`, ""},
		{"https://example.*", `has a "*" outside the first label`, ""},
		{"*.example.com", "has no scheme", "https://*.example.com"},
		{"https://*", `has a "*" with no domain after it`, ""},
		{"https://app-*", `has a "*" with no domain after it`, ""},
		{"https://*.*.example.com", `has more than one "*"`, ""},
		{"https://**.example.com", `has more than one "*"`, ""},
		{"https://a-*-*.example.com", `has more than one "*"`, ""},
		{"https://*.127.0.0.1", "IP address", ""},
		{"https://a-*.127.0.0.1", "is a pattern over an IP address", ""},
		{"https://1*.0.0.1", "is a pattern over an IP address", ""},
		{"http://[::1*]:*", "is a pattern over an IP address", ""},
		{"http://[*::1]", "is a pattern over an IP address", ""},
		// Infix patterns: the first label and what follows it.
		{"https://*example.com", `has a "*" in a label directly under the top-level domain "com", where anyone can register every name it matches; ` +
			`put it under a domain of your own, as in "https://myapp-*.example.com", ` +
			`or for the subdomains of example.com write "https://*.example.com"`, ""},
		{"https://myapp-*.com", `directly under the top-level domain "com"`, ""},
		{"https://*-.com", `as in "https://myapp-*.example.com"`, ""},
		{"https://myapp-*.corp:8443", `directly under the top-level domain "corp"`, ""},
		{"https://MyApp-*.example.com", "upper-case", "https://myapp-*.example.com"},
		{"https://myapp-*.Example.com", "upper-case", "https://myapp-*.example.com"},
		{"https://my!app-*.example.com", `has an invalid first label "my!app-*"`, ""},
		{"https://bü-*.example.com", "punycode", ""},
		{"https://a-*.example..com", "invalid host", ""},
		{"https://a-*.example.com.", "invalid host", ""},
		{"https://" + strings.Repeat("a", 63) + "*.example.com", "has a first label longer than 63 bytes", ""},
		{"https://ab*." + long250, "has a host longer than 253 bytes", ""},
		{"https://myapp-*.example.com/", "trailing slash", "https://myapp-*.example.com"},
		// Any port, refused for hosts that are not loopback.
		{"https://app.example.com:*", `allows any port, which only loopback hosts (localhost, *.localhost, 127.0.0.1, [::1]) may; ` +
			`list the ports, as in "https://app.example.com:8443"`, ""},
		{"http://app.example.com:*", `list the ports, as in "http://app.example.com:8080"`, ""},
		{"wss://app.example.com:*", `list the ports, as in "wss://app.example.com:8443"`, ""},
		{"https://*.example.com:*", `list the ports, as in "https://*.example.com:8443"`, ""},
		{"https://myapp-*.vercel.app:*", `list the ports, as in "https://myapp-*.vercel.app:8443"`, ""},
		{"http://127.0.0.2:*", "allows any port", ""},
		{"http://10.0.0.1:*", "allows any port", ""},
		{"http://[::2]:*", "allows any port", ""},
		{"http://localhost.example.com:*", "allows any port", ""},
		{"http://evillocalhost:*", "allows any port", ""},
		{"http://*.localhost.example.com:*", "allows any port", ""},
		{"http://[0:0::1]:*", "browsers write as [::1]", ""},
		{"http://LOCALHOST:*", "upper-case", "http://localhost:*"},
		{"localhost:*", "has no scheme", "http://localhost:*"},
		{"http://localhost:*/", "trailing slash", "http://localhost:*"},
		{"http://localhost:0*", `invalid port "0*"`, ""},
		{"http://localhost:**", `invalid port "**"`, ""},
		{"http://localhost:*3000", `invalid port "*3000"`, ""},
		{"http://localhost:+3000", `invalid port "+3000"`, ""},
		{"http://localhost:-1", `invalid port "-1"`, ""},
		{"http://*:*", `has a "*" with no domain after it`, ""},
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

func TestParseInfixHint(t *testing.T) {
	_, err := Parse("https://*-.com")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "subdomains", "no hint to write a host that cannot be one")
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
		"http://localhost:*", "http://[::1]:*", "http://127.0.0.1:*", "http://*.app.localhost:*",
		"https://app.example.com:*", "https://myapp-*-acme.vercel.app", "https://*--site.netlify.app:8443",
		"https://a-*.com", "http://app-*.localhost:*", "https://a*b*.example.com", "HTTP://LOCALHOST:*/",
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
		// A valid origin is exactly its own serialization, and matches itself;
		// a pattern is never a request's origin, so it never matches itself.
		require.Equal(t, s, spec.String())
		require.Equal(t, strings.ToLower(s), s)
		require.Equal(t, spec.AnyPort || spec.Wildcard != NoHostWildcard, spec.Pattern)
		require.False(t, spec.AnyPort && !spec.Loopback(), "any port on a host that is not loopback")
		require.Equal(t, spec.Wildcard == Infix, spec.Prefix+spec.Suffix != "")
		var set Set
		set.Add(spec)
		require.Equal(t, !spec.Pattern, set.Contains(s))
		if !spec.Pattern {
			require.Equal(t, []string{s}, set.Exact())
			return
		}
		require.Empty(t, set.Exact(), "patterns are not exact origins")
		// Origins the pattern allows, and near misses, judged by the set and
		// by the reference matcher alike.
		for _, o := range patternSamples(spec) {
			require.Equal(t, reference([]Spec{spec}, o.origin), set.Contains(o.origin), "%q against %q", o.origin, s)
			if o.match {
				require.True(t, set.Contains(o.origin), "%q against %q", o.origin, s)
			}
		}
	})
}

type sample struct {
	origin string
	match  bool // false: unknown, left to the reference matcher
}

// patternSamples builds origins that spec must allow, and others that it
// may or may not, for the fuzzer to compare Contains with the reference.
func patternSamples(spec Spec) []sample {
	var hosts []sample
	switch spec.Wildcard {
	case NoHostWildcard:
		hosts = []sample{{spec.Host, true}, {"a." + spec.Host, false}}
	case Subdomains:
		fits := len(spec.Host) <= 253-len("a.b.")
		hosts = []sample{{"a." + spec.Host, fits}, {"a.b." + spec.Host, fits}, {spec.Host, false}, {"A." + spec.Host, false}}
	case Infix:
		p, s := spec.Prefix, spec.Suffix
		hosts = []sample{
			{p + "x" + s + "." + spec.Host, true},
			{p + "git-main_0" + s + "." + spec.Host, false}, // might be too long
			{p + s + "." + spec.Host, false},
			{p + "x.y" + s + "." + spec.Host, false},
			{"a." + p + "x" + s + "." + spec.Host, false},
			{p + "X" + s + "." + spec.Host, false},
			{p + strings.Repeat("x", 63) + s + "." + spec.Host, false},
			{spec.Host, false},
		}
	}
	ports := []sample{{":" + spec.Port, true}, {"", false}, {":1", false}}
	if spec.Port == "" {
		ports[0].origin = ""
	}
	if spec.AnyPort {
		ports = []sample{{"", true}, {":1", true}, {":65535", true}, {":65536", false}, {":0", false}, {":01", false}, {":", false}, {":*", false}}
		if p := DefaultPort(spec.Scheme); p != "" {
			ports = append(ports, sample{":" + p, false})
		}
	}
	var out []sample
	for _, h := range hosts {
		for _, p := range ports {
			out = append(out, sample{spec.Scheme + "://" + h.origin + p.origin, h.match && p.match})
		}
	}
	return append(out, sample{"x" + spec.Scheme + "://" + hosts[0].origin, false})
}

// Every pattern form gets an example that is itself an origin in browser
// form, matched by the pattern.
func TestExampleIsAnOriginThePatternMatches(t *testing.T) {
	for _, p := range []string{"https://*.example.com", "https://*.example.com:8443", "http://localhost:*", "https://myapp-*-acme.example.com", "http://*.localhost:*"} {
		spec, err := Parse(p)
		require.NoError(t, err, p)
		require.True(t, spec.Pattern, p)
		example := spec.Example()
		got, err := Parse(example)
		if assert.NoError(t, err, "%s -> %s", p, example) {
			assert.False(t, got.Pattern, "%s -> %s", p, example)
		}
		var set Set
		set.Add(spec)
		assert.True(t, set.Contains(example), "%s -> %s", p, example)
	}
}
