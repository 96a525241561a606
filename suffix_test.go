package cors

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/internal/publicsuffix"
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

// hostingSuffixes are popular platforms where anyone gets an HTTPS name in
// minutes, and the bases above such names that people write patterns on.
var hostingSuffixes = []string{
	"trycloudflare.com", "deno.dev", "up.railway.app", "azurestaticapps.net", "s3.amazonaws.com",
	"blob.core.windows.net", "repl.co", "vercel.app", "netlify.app", "github.io", "herokuapp.com", "pages.dev",
	"workers.dev", "web.app", "firebaseapp.com", "fly.dev", "onrender.com", "azurewebsites.net", "cloudfront.net",
	"amplifyapp.com", "ngrok.io", "ngrok-free.app", "ngrok.app", "ngrok-free.dev", "gitlab.io", "now.sh",
	"appspot.com", "r2.dev", "a.run.app", "blogspot.com", "web.core.windows.net",
	"execute-api.us-east-1.amazonaws.com", "lambda-url.us-east-1.on.aws", "codeberg.page", "pythonanywhere.com",
	"readthedocs.io", "bitbucket.io", "wixsite.com", "webflow.io", "translate.goog", "ondigitalocean.app",
	"azureedge.net", "azurefd.net", "cloudapp.net", "hf.space", "csb.app", "val.run", "zeabur.app",
	"myshopify.com", "wpenginepowered.com", "adaptable.app", "bubbleapps.io", "replit.dev", "githubusercontent.com",
	// Bases that hold a public suffix two or more labels below them.
	"railway.app", "core.windows.net", "windows.net", "on.aws", "amazonaws.com", "compute.amazonaws.com", "run.app",
}

func TestCredentialedPatternOverHostingSuffixRefused(t *testing.T) {
	for _, suffix := range hostingSuffixes {
		pattern := "https://*." + suffix
		_, err := New(Options{AllowedOrigins: []string{pattern}, AllowCredentials: true})
		assertPublicSuffixRefusal(t, err, pattern)

		t.Setenv("CORS_ALLOWED_ORIGINS", pattern)
		t.Setenv("CORS_ALLOW_CREDENTIALS", "true")
		_, err = FromEnv("CORS")
		assertPublicSuffixRefusal(t, err, "FromEnv "+pattern)

		// Without credentials the pattern serves CORS, but never a WebSocket.
		m := mustNew(t, Options{AllowedOrigins: []string{pattern, "https://app.example.com"}})
		origin := "https://attacker." + suffix
		assert.False(t, m.AllowsOrigin(origin), origin)
		assert.False(t, m.CheckOrigin(actualReq(origin)), origin)
		assert.True(t, m.AllowsOrigin("https://app.example.com"))
	}
}

// TestHostingOutsideTheList: a platform the Public Suffix List does not
// name is no public suffix by default, for the list is the authority and no
// table is kept by hand beside it; Options.PublicSuffixList adds it.
func TestHostingOutsideTheList(t *testing.T) {
	for _, domain := range []string{"glitch.me", "loca.lt", "surge.sh"} {
		o := Options{AllowedOrigins: []string{"https://*." + domain}, AllowCredentials: true}
		_, err := New(o)
		assert.NoError(t, err, domain)
		o.PublicSuffixList = suffixList{domain: true}
		_, err = New(o)
		assertPublicSuffixRefusal(t, err, o.AllowedOrigins[0])
	}
}

// assertPublicSuffixRefusal checks that err refuses pattern for a public
// suffix, with a fix that is itself accepted.
func assertPublicSuffixRefusal(t *testing.T, err error, pattern string) {
	t.Helper()
	require.ErrorIs(t, err, ErrInvalidOrigin, pattern)
	var ce *ConfigError
	require.ErrorAs(t, err, &ce, pattern)
	assert.Contains(t, ce.Reason, "public suffix", pattern)
	m := fixPattern.FindStringSubmatch(ce.Reason)
	require.NotNil(t, m, ce.Reason)
	_, err = New(Options{AllowedOrigins: []string{m[1]}, AllowCredentials: true})
	assert.NoError(t, err, "the fix %q offered for %q", m[1], pattern)
}

// TestEveryPrivateRuleRefused holds every rule of the Public Suffix List's
// private section, as embedded (CI checks the copy against its source),
// against the default list: a credentialed pattern over it is refused.
func TestEveryPrivateRuleRefused(t *testing.T) {
	checked := 0
	for _, r := range publicsuffix.Rules() {
		if !r.Private {
			continue
		}
		var patterns []string
		switch r.Type {
		case publicsuffix.Normal:
			patterns = []string{"https://*." + r.Domain}
		case publicsuffix.Wildcard:
			patterns = []string{"https://*." + r.Domain, "https://*.your-name." + r.Domain}
		case publicsuffix.Exception:
			continue // a name the list gives back to its owner
		}
		for _, pattern := range patterns {
			_, err := New(Options{AllowedOrigins: []string{pattern}, AllowCredentials: true})
			if assert.ErrorIs(t, err, ErrInvalidOrigin, pattern) {
				assert.Contains(t, err.Error(), "public suffix", pattern)
			}
			checked++
		}
	}
	assert.Greater(t, checked, 3000)
}

func TestPatternOverDeepPublicSuffix(t *testing.T) {
	for pattern, suffix := range map[string]string{
		"https://*.railway.app":     `"up.railway.app"`,
		"https://*.amazonaws.com":   "public suffix",
		"https://*.windows.net":     "public suffix",
		"https://app-*.railway.app": `"up.railway.app"`,
	} {
		_, err := New(Options{AllowedOrigins: []string{pattern}, AllowCredentials: true})
		if assert.ErrorIs(t, err, ErrInvalidOrigin, pattern) {
			assert.Contains(t, err.Error(), suffix, pattern)
		}
	}
	for _, pattern := range []string{
		"https://*.example.com", "https://*.corp.example.co.uk", "https://*.app.up.railway.app",
		"https://*.myapp.github.io", "https://preview-*.example.com", "https://*.www.ck",
	} {
		_, err := New(Options{AllowedOrigins: []string{pattern}, AllowCredentials: true})
		assert.NoError(t, err, pattern)
	}
}

// TestOwnListAddsWildcardSuffixes: Options.PublicSuffixList adds suffixes
// the embedded list lacks, a wildcard rule included, never removes any.
func TestOwnListAddsWildcardSuffixes(t *testing.T) {
	own := wildcardList{wildcard: map[string]bool{"apps.corp.example": true}}
	pattern := "https://*.apps.corp.example"
	_, err := New(Options{AllowedOrigins: []string{pattern}, AllowCredentials: true})
	require.NoError(t, err, "no suffix there by the embedded list")
	_, err = New(Options{AllowedOrigins: []string{pattern}, AllowCredentials: true, PublicSuffixList: own})
	require.ErrorIs(t, err, ErrInvalidOrigin)
	assert.Contains(t, err.Error(), `public suffixes "*.apps.corp.example"`)
	_, err = New(Options{AllowedOrigins: []string{"https://*.github.io"}, AllowCredentials: true, PublicSuffixList: own})
	assert.ErrorIs(t, err, ErrInvalidOrigin, "the embedded list still applies")
}
