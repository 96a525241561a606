package origin

import (
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newSet(t testing.TB, origins ...string) *Set {
	var s Set
	for _, o := range origins {
		spec, err := Parse(o)
		require.NoError(t, err)
		s.Add(spec)
	}
	return &s
}

func TestSetContains(t *testing.T) {
	s := newSet(t, "https://app.example.com", "http://localhost:3000", "https://*.example.org", "http://*.dev.example.net:8080")
	tests := []struct {
		origin string
		want   bool
	}{
		{"https://app.example.com", true},
		{"http://localhost:3000", true},
		{"https://app.example.com.evil.net", false},
		{"https://APP.example.com", false},
		{"http://app.example.com", false},
		{"https://app.example.com:8443", false},
		{"https://app.example.com/", false},
		{"https://evilapp.example.com", false},
		{"https://pp.example.com", false},
		{"http://localhost:30000", false},
		{"", false},
		{"null", false},
		// Patterns match subdomains at any depth, by labels.
		{"https://a.example.org", true},
		{"https://a.b.example.org", true},
		{"https://example.org", false},
		{"https://evilexample.org", false},
		{"https://a.example.org.evil.net", false},
		{"http://a.example.org", false},
		{"https://a.example.org:8443", false},
		{"https://A.example.org", false},
		{"https://a.EXAMPLE.org", false},
		{"https://.example.org", false},
		{"https://a..example.org", false},
		{"https://a/.example.org", false},
		{"https://a#.example.org", false},
		{"https://a@b.example.org", false},
		{"https://x.dev.example.net", false},
		{"http://x.dev.example.net:8080", true},
		{"http://x.dev.example.net", false},
		{"http://x.dev.example.net:80", false},
		{"https://[::1].example.org", false},
		{"https://" + strings.Repeat("a.", 300) + "example.org", false},
		// A DNS name has at most 253 bytes; Parse refuses a longer one.
		{"https://" + strings.Repeat(strings.Repeat("a", 62)+".", 3) + strings.Repeat("a", 52) + ".example.org", true},
		{"https://" + strings.Repeat(strings.Repeat("a", 62)+".", 3) + strings.Repeat("a", 53) + ".example.org", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.Contains(tt.origin), tt.origin)
	}
}

func TestSetContainsAnyPort(t *testing.T) {
	s := newSet(t, "http://localhost:*", "https://localhost:*", "http://127.0.0.1:*", "http://[::1]:*",
		"http://*.app.localhost:*", "http://web-*.localhost:*", "capacitor://localhost:*", "https://app.example.com")
	tests := []struct {
		origin string
		want   bool
	}{
		{"http://localhost", true},
		{"http://localhost:3000", true},
		{"http://localhost:1", true},
		{"http://localhost:65535", true},
		{"https://localhost:5173", true},
		{"https://localhost:80", true},
		{"capacitor://localhost", true},
		{"capacitor://localhost:80", true},
		{"http://127.0.0.1:8080", true},
		{"http://127.0.0.1", true},
		{"http://[::1]:3000", true},
		{"http://[::1]", true},
		{"http://x.app.localhost:5173", true},
		{"http://a.b.app.localhost", true},
		{"http://web-1.localhost:5173", true},
		{"http://web-1.localhost", true},
		// Ports as browsers never write them.
		{"http://localhost:80", false},
		{"https://localhost:443", false},
		{"http://[::1]:80", false},
		{"http://localhost:65536", false},
		{"http://localhost:0", false},
		{"http://localhost:03000", false},
		{"http://localhost:+3000", false},
		{"http://localhost:", false},
		{"http://localhost:*", false},
		{"http://localhost:3000:3000", false},
		{"http://localhost:3000/", false},
		{"http://[::1]:", false},
		{"http://[::1]3000", false},
		{"http://[::1]:*", false},
		// Other hosts, schemes and spellings.
		{"ws://localhost:3000", false},
		{"https://127.0.0.1:8080", false},
		{"https://[::1]:3000", false},
		{"HTTP://localhost:3000", false},
		{"http://LOCALHOST:3000", false},
		{"http://localhost.:3000", false},
		{"http://localhost.evil.com:3000", false},
		{"http://evillocalhost:3000", false},
		{"http://127.0.0.2:8080", false},
		{"http://127.1:8080", false},
		{"http://[0:0::1]:3000", false},
		{"http://[::1%25lo]:3000", false},
		{"http://app.localhost:5173", false},
		{"http://X.app.localhost:5173", false},
		{"https://x.app.localhost:5173", false},
		{"http://.app.localhost:5173", false},
		{"http://web-.localhost", false},
		{"http://a.web-1.localhost", false},
		{"https://app.example.com:8443", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.Contains(tt.origin), tt.origin)
	}
	assert.Equal(t, []string{"https://app.example.com"}, s.Exact(), "any-port entries are not exact origins")
}

func TestSetContainsInfix(t *testing.T) {
	s := newSet(t, "https://myapp-*-acme.vercel.app", "https://*--mysite.netlify.app", "https://pr-*.preview.example.com:8443",
		"https://*.example.org")
	x := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		origin string
		want   bool
	}{
		{"https://myapp-git-main-acme.vercel.app", true},
		{"https://myapp-x-acme.vercel.app", true},
		{"https://myapp-0_z-acme.vercel.app", true},
		{"https://myapp---acme.vercel.app", true},
		{"https://myapp-" + x(52) + "-acme.vercel.app", true},
		{"https://myapp-" + x(53) + "-acme.vercel.app", false}, // a label of 64 bytes
		{"https://myapp--acme.vercel.app", false},              // the "*" matches at least one byte
		{"https://myapp-acme.vercel.app", false},               // prefix and suffix overlap
		{"https://myapp-a.b-acme.vercel.app", false},           // never a dot
		{"https://myapp-a.myapp-b-acme.vercel.app", false},
		{"https://evil.myapp-x-acme.vercel.app", false},
		{"https://myapp-x-acme.vercel.app.evil.com", false},
		{"https://myapp-x-acme.evil.app", false},
		{"https://myapp-x-acmevercel.app", false},
		{"https://Myapp-x-acme.vercel.app", false},
		{"https://myapp-X-acme.vercel.app", false},
		{"https://myapp-x-acme.Vercel.app", false},
		{"https://myapp-x!-acme.vercel.app", false},
		{"https://myapp-x/-acme.vercel.app", false},
		{"https://myapp-x-acme.vercel.app:8443", false},
		{"https://myapp-x-acme.vercel.app:443", false},
		{"https://myapp-x-acme.vercel.app:", false},
		{"https://myapp-x-acme.vercel.app/", false},
		{"http://myapp-x-acme.vercel.app", false},
		{"wss://myapp-x-acme.vercel.app", false},
		{"https://myapp-*-acme.vercel.app", false},
		{"https://x-acme.vercel.app", false},
		{"https://myapp-x.vercel.app", false},
		{"https://deploy-preview-42--mysite.netlify.app", true},
		{"https://x--mysite.netlify.app", true},
		{"https://--mysite.netlify.app", false},
		{"https://a.b--mysite.netlify.app", false},
		{"https://x--mysite.netlify.app.evil", false},
		{"https://pr-12.preview.example.com:8443", true},
		{"https://pr-12.preview.example.com", false},
		{"https://pr-12.preview.example.com:443", false},
		{"https://pr-.preview.example.com:8443", false},
		{"https://a.pr-12.preview.example.com:8443", false},
		// An infix pattern does not stop a subdomain pattern, nor the reverse.
		{"https://a.example.org", true},
		{"https://a.b.example.org", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.Contains(tt.origin), tt.origin)
	}
	assert.Empty(t, s.Exact())
}

// TestSetInfixIndex covers patterns that share a base: found by prefix, by
// suffix, by both, whatever the order they were added in.
func TestSetInfixIndex(t *testing.T) {
	patterns := []string{
		"https://a-*.example.com", "https://ab-*.example.com", "https://a-*-x.example.com:8443",
		"https://*-x.example.com", "https://*-xy.example.com:8443", "http://a-*.example.com",
		"https://abc-*-z.example.com", "https://abc-*-zz.example.com",
	}
	tests := []struct {
		origin string
		want   bool
	}{
		{"https://a-1.example.com", true},
		{"https://ab-1.example.com", true},
		{"https://abc-1.example.com", false},
		{"https://abc-1-z.example.com", true},
		{"https://abc-1-zz.example.com", true},
		{"https://abc--z.example.com", false},
		{"https://abc-1-y.example.com", false},
		{"https://a-1-x.example.com:8443", true},
		{"https://a---x.example.com:8443", true}, // "a-" + "-" + "-x"
		{"https://a--x.example.com:8443", false},
		{"https://a-x.example.com:8443", false},
		{"https://1-x.example.com", true},
		{"https://-x.example.com", false},
		{"https://1-xy.example.com", false},
		{"https://1-xy.example.com:8443", true},
		{"https://a-1.example.com:8443", false},
		{"http://a-1.example.com", true},
		{"http://ab-1.example.com", false},
		{"https://a-1.example.net", false},
	}
	for _, order := range [][]string{patterns, reversed(patterns)} {
		s := newSet(t, order...)
		for _, tt := range tests {
			assert.Equal(t, tt.want, s.Contains(tt.origin), tt.origin)
		}
	}
}

func reversed(s []string) []string {
	r := make([]string, len(s))
	for i, v := range s {
		r[len(s)-1-i] = v
	}
	return r
}

func TestSetLargeUsesHash(t *testing.T) {
	var origins []string
	for i := 0; i < 100; i++ {
		origins = append(origins, "https://app"+strconv.Itoa(i)+".example.com")
	}
	s := newSet(t, origins...)
	require.NotNil(t, s.exact)
	for _, o := range origins {
		assert.True(t, s.Contains(o))
	}
	assert.False(t, s.Contains("https://app100.example.com"))
	assert.Equal(t, origins, s.Exact())
}

func TestNear(t *testing.T) {
	allowed := []string{"https://app.example.com", "http://localhost:3000"}
	tests := []struct{ req, near, how string }{
		{"https://app.example.com/", "https://app.example.com", "trailing slash"},
		{"https://APP.example.com", "https://app.example.com", "case"},
		{"http://app.example.com", "https://app.example.com", "scheme"},
		{"https://app.example.com:8443", "https://app.example.com", "port"},
		{"http://localhost:3001", "http://localhost:3000", "port"},
		{"https://other.example.com", "", ""},
		{"garbage", "", ""},
		{strings.Repeat("x", MaxLength+1), "", ""},
	}
	for _, tt := range tests {
		near, how := Near(tt.req, allowed)
		assert.Equal(t, tt.near, near, tt.req)
		assert.Equal(t, tt.how, how, tt.req)
	}
	// Patterns are skipped: they name no one origin to offer.
	for _, req := range []string{"http://localhost:80", "http://localhost:*/", "https://a-1.example.com:8443"} {
		near, how := Near(req, []string{"http://localhost:*", "https://a-*.example.com"})
		assert.Empty(t, near+how, req)
	}
}

func TestIsPublicSuffix(t *testing.T) {
	for d, want := range map[string]bool{
		"com": true, "co.uk": true, "com.au": true, "github.io": true, "vercel.app": true,
		"netlify.app": true, "pages.dev": true,
		"example.com": false, "example.co.uk": false, "app.github.io": false, "co.example": false,
		// Loopback by RFC 6761, and what is not a domain name.
		"localhost": false, "app.localhost": false, "[::1]": false, "": false,
	} {
		assert.Equal(t, want, IsPublicSuffix(d), d)
	}
}

func TestSpecLoopback(t *testing.T) {
	for o, want := range map[string]bool{
		"http://localhost": true, "http://localhost:*": true, "http://127.0.0.1:*": true, "http://[::1]:*": true,
		"http://app.localhost": true, "http://*.localhost": true, "http://*.app.localhost:*": true,
		"http://web-*.localhost:*": true, "https://localhost:8443": true,
		"http://127.0.0.2": false, "http://[::2]": false, "http://10.0.0.1": false, "https://app.example.com": false,
		"http://localhost.example.com": false, "http://evillocalhost": false, "https://*.example.com": false,
		"https://myapp-*.vercel.app": false,
	} {
		spec, err := Parse(o)
		require.NoError(t, err, o)
		assert.Equal(t, want, spec.Loopback(), o)
	}
}

// reference is an obviously-correct, slow matcher: parse the request origin
// like a configured one, then compare fields, and hosts label by label.
func reference(configured []Spec, o string) bool {
	req, err := Parse(o)
	if err != nil || req.Pattern {
		return false
	}
	labels := strings.Split(req.Host, ".")
	for _, c := range configured {
		if c.Scheme != req.Scheme || !c.AnyPort && c.Port != req.Port {
			continue
		}
		base := strings.Split(c.Host, ".")
		extra := len(labels) - len(base) // labels in front of the base
		under := extra > 0 && slices.Equal(labels[extra:], base)
		switch c.Wildcard {
		case NoHostWildcard:
			if req.Host == c.Host {
				return true
			}
		case Subdomains:
			if under {
				return true
			}
		case Infix:
			first := labels[0]
			if under && extra == 1 && len(first) > len(c.Prefix)+len(c.Suffix) &&
				strings.HasPrefix(first, c.Prefix) && strings.HasSuffix(first, c.Suffix) {
				return true
			}
		}
	}
	return false
}

// FuzzSetContains compares Contains with the reference matcher, for a fixed
// set of origins and patterns plus one more that the fuzzer writes.
func FuzzSetContains(f *testing.F) {
	for _, s := range [][2]string{
		{"", "https://app.example.com"}, {"", "https://a.example.org"}, {"", "https://example.org"},
		{"", "https://evilexample.org"}, {"", "https://a.example.org.evil.net"}, {"", "http://a.example.org"},
		{"", "https://a.b.example.org:8443"}, {"", "https://barfoo.com"}, {"", "https://foo.com"}, {"", "https://xfoo.com"},
		{"", "null"}, {"", "https://a..example.org"},
		{"", "http://localhost:3000"}, {"", "http://localhost:80"}, {"", "http://[::1]:8080"}, {"", "https://127.0.0.1:1"},
		{"", "http://a.b.app.localhost:5173"}, {"", "http://web-1.localhost"}, {"", "https://myapp-git-main-acme.vercel.app"},
		{"", "https://myapp--acme.vercel.app"}, {"", "https://myapp-a.b-acme.vercel.app"}, {"", "https://deploy-preview-1--site.netlify.app"},
		{"", "https://pre-1.example.org:8443"}, {"", "https://myapp-x.vercel.app"}, {"", "https://myapp-x-b.vercel.app"},
		{"https://x-*-y.example.com", "https://x-1-y.example.com"}, {"http://*.localhost:*", "http://a.localhost:1"},
		{"https://*-y.example.com:8443", "https://x-y.example.com:8443"}, {"http://[::1]:*", "http://[::1]"},
		{"https://*.example.com", "https://a.example.com"}, {"https://a.example.com", "https://a.example.com"},
	} {
		f.Add(s[0], s[1])
	}
	configured := []string{
		"https://app.example.com", "https://*.example.org", "https://foo.com", "https://*.b.example.net:8443",
		"http://localhost:*", "https://127.0.0.1:*", "http://[::1]:*", "http://*.app.localhost:*", "http://web-*.localhost:*",
		"https://myapp-*-acme.vercel.app", "https://myapp-*.vercel.app", "https://myapp-*-b.vercel.app",
		"https://*--site.netlify.app", "https://pre-*.example.org:8443",
	}
	var specs []Spec
	for _, c := range configured {
		spec, err := Parse(c)
		require.NoError(f, err)
		specs = append(specs, spec)
	}
	fixed := newSet(f, configured...)
	f.Fuzz(func(t *testing.T, extra, o string) {
		set, all := fixed, specs
		if spec, err := Parse(extra); err == nil {
			set = newSet(t, append([]string{extra}, configured...)...)
			all = append([]Spec{spec}, specs...)
		}
		require.Equal(t, reference(all, o), set.Contains(o), "origin %q, with %q", o, extra)
	})
}

// BenchmarkSetContains shows matching cost staying flat from 1 to 1,000 of
// each kind: exact origins, subdomain patterns, infix patterns under one
// shared base (found by prefix, or by suffix when they have none), and
// loopback hosts and subdomain patterns on any port.
func BenchmarkSetContains(b *testing.B) {
	for _, n := range []int{1, 10, 100, 1000} {
		var origins []string
		for i := 0; i < n; i++ {
			is := strconv.Itoa(i)
			origins = append(origins, "https://app"+is+".example.com", "https://*.tenant"+is+".example.net",
				"https://proj"+is+"-*-acme.vercel.app", "https://*--site"+is+".netlify.app",
				"http://app"+is+".localhost:*", "http://*.t"+is+".localhost:*")
		}
		s := newSet(b, origins...)
		runtime.GC() // the sets built before, not this one, are garbage: collect it now, not while timing
		last := strconv.Itoa(n - 1)
		for _, c := range []struct {
			name, origin string
			want         bool
		}{
			{"exact", "https://app" + last + ".example.com", true},
			{"pattern", "https://a.b.tenant" + last + ".example.net", true},
			{"infix", "https://proj" + last + "-git-main-acme.vercel.app", true},
			{"infix-suffix", "https://deploy-preview-42--site" + last + ".netlify.app", true},
			{"anyport", "http://app" + last + ".localhost:5173", true},
			{"anyport-pattern", "http://web.t" + last + ".localhost:5173", true},
			{"refused", "https://evil.example.org", false},
			{"infix-refused", "https://proj" + last + "-git-main-evil.vercel.app", false},
		} {
			b.Run(c.name+"/n="+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if s.Contains(c.origin) != c.want {
						b.Fatal("wrong answer")
					}
				}
			})
		}
	}
}
