package cors

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wildcardList is a Public Suffix List with its wildcard rules: "*.run.app"
// makes every name one label below run.app a public suffix.
type wildcardList struct{ exact, wildcard map[string]bool }

func (l wildcardList) PublicSuffix(domain string) string {
	for d := domain; ; {
		if l.exact[d] {
			return d
		}
		label, parent, ok := strings.Cut(d, ".")
		if !ok {
			return d
		}
		if l.wildcard[parent] {
			return label + "." + parent
		}
		d = parent
	}
}
func (l wildcardList) String() string { return "wildcard test list" }

var pslLike = wildcardList{
	exact:    map[string]bool{"a.run.app": true, "github.io": true},
	wildcard: map[string]bool{"run.app": true, "compute.amazonaws.com": true, "elb.amazonaws.com": true},
}

var fixPattern = regexp.MustCompile(`as in "([^"]+)"`)

func TestCredentialedPatternUnderWildcardPublicSuffix(t *testing.T) {
	for _, list := range []wildcardList{pslLike, {}} {
		for _, pattern := range []string{
			"https://*.run.app", "https://*.a.run.app", "https://*.svc.run.app", "https://*.compute.amazonaws.com",
			"https://*.eu-west-1.compute.amazonaws.com", "https://*.amazonaws.com", "https://*.elb.amazonaws.com",
			"https://*.github.io", "https://preview-*.vercel.app",
		} {
			o := Options{AllowedOrigins: []string{pattern}, AllowCredentials: true}
			if list.exact != nil {
				o.PublicSuffixList = list
			}
			_, err := New(o)
			require.ErrorIs(t, err, ErrInvalidOrigin, pattern)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			m := fixPattern.FindStringSubmatch(ce.Reason)
			require.NotNil(t, m, ce.Reason)
			o.AllowedOrigins = []string{m[1]}
			_, err = New(o)
			assert.NoError(t, err, "the fix %q offered for %q", m[1], pattern)
		}
	}
	for _, pattern := range []string{"https://*.app.svc.run.app", "https://*.myapp.example.com", "https://*.me.github.io"} {
		_, err := New(Options{AllowedOrigins: []string{pattern}, AllowCredentials: true, PublicSuffixList: pslLike})
		assert.NoError(t, err, pattern)
	}
}

func TestCheckOriginRefusesPatternsUnderPublicSuffixes(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{
		"https://*.github.io", "https://preview-*.vercel.app", "https://*.svc.run.app",
		"https://me.github.io", "https://*.corp.example", "https://app.example.com",
	}, PublicSuffixList: pslLike})
	for origin, want := range map[string]bool{
		"https://attacker.github.io": false, "https://preview-evil.vercel.app": false,
		"https://evil.svc.run.app": false,
		"https://me.github.io":     true, "https://wiki.corp.example": true, "https://app.example.com": true,
	} {
		assert.Equal(t, want, m.AllowsOrigin(origin), origin)
		assert.Equal(t, want, m.CheckOrigin(actualReq(origin)), origin)
		// The CORS request path still allows every listed pattern: without
		// credentials a response exposes nothing private.
		rec := serve(m.Handler(okHandler), actualReq(origin))
		assert.Equal(t, origin, rec.Header().Get("Access-Control-Allow-Origin"), origin)
	}
	// A policy with no such pattern keeps one set.
	plain := mustNew(t, Options{AllowedOrigins: []string{"https://*.corp.example"}})
	assert.Nil(t, plain.load().named)
	assert.True(t, plain.AllowsOrigin("https://wiki.corp.example"))
}
