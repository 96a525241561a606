package origin

import (
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
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.Contains(tt.origin), tt.origin)
	}
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
}

func TestIsPublicSuffix(t *testing.T) {
	for d, want := range map[string]bool{
		"com": true, "co.uk": true, "com.au": true, "github.io": true, "vercel.app": true,
		"example.com": false, "example.co.uk": false, "app.github.io": false, "co.example": false,
	} {
		assert.Equal(t, want, IsPublicSuffix(d), d)
	}
}

// reference is an obviously-correct, slow matcher: parse the request origin
// like a configured one, then compare fields.
func reference(configured []Spec, o string) bool {
	req, err := Parse(o)
	if err != nil || req.Pattern {
		return false
	}
	for _, c := range configured {
		if c.Scheme != req.Scheme || c.Port != req.Port {
			continue
		}
		if !c.Pattern && c.Host == req.Host {
			return true
		}
		if c.Pattern && strings.HasSuffix(req.Host, "."+c.Host) && IsDomain(req.Host) {
			return true
		}
	}
	return false
}

func FuzzSetContains(f *testing.F) {
	for _, s := range []string{
		"https://app.example.com", "https://a.example.org", "https://example.org", "https://evilexample.org",
		"https://a.example.org.evil.net", "http://a.example.org", "https://a.b.example.org:8443",
		"https://barfoo.com", "https://foo.com", "https://xfoo.com", "null", "https://a..example.org",
	} {
		f.Add(s)
	}
	configured := []string{"https://app.example.com", "https://*.example.org", "https://foo.com", "https://*.b.example.net:8443"}
	var specs []Spec
	set := newSet(f, configured...)
	for _, c := range configured {
		spec, _ := Parse(c)
		specs = append(specs, spec)
	}
	f.Fuzz(func(t *testing.T, o string) {
		got := set.Contains(o)
		require.Equal(t, reference(specs, o), got, "origin %q", o)
	})
}

// BenchmarkSetContains shows matching cost staying flat from 1 to 1,000
// exact origins and 1,000 patterns.
func BenchmarkSetContains(b *testing.B) {
	for _, n := range []int{1, 10, 100, 1000} {
		var origins []string
		for i := 0; i < n; i++ {
			origins = append(origins, "https://app"+strconv.Itoa(i)+".example.com", "https://*.tenant"+strconv.Itoa(i)+".example.net")
		}
		s := newSet(b, origins...)
		last := strconv.Itoa(n - 1)
		for name, o := range map[string]string{
			"exact":   "https://app" + last + ".example.com",
			"pattern": "https://a.b.tenant" + last + ".example.net",
			"refused": "https://evil.example.org",
		} {
			want := name != "refused"
			b.Run(name+"/n="+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if s.Contains(o) != want {
						b.Fatal("wrong answer")
					}
				}
			})
		}
	}
}
