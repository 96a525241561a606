package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSetCookie(t *testing.T) {
	cases := []struct {
		line string
		want setCookie
		ok   bool
	}{
		{"sid=1; Path=/; Secure; HttpOnly; SameSite=None", setCookie{Name: "sid", SameSite: "none", Secure: true, Path: "/"}, true},
		{"sid=1; samesite=LAX", setCookie{Name: "sid", SameSite: "lax"}, true},
		{"sid=1;SameSite = Strict ; secure", setCookie{Name: "sid", SameSite: "strict", Secure: true}, true},
		{"__Host-sid=1; Secure; Path=/; Domain=example.com; Partitioned", setCookie{Name: "__Host-sid", Secure: true, Path: "/", Domain: true, Partitioned: true}, true},
		{"sid=1; SameSite=Bogus", setCookie{Name: "sid", SameSite: "bogus"}, true},
		{"nameless", setCookie{}, true},
		{"=; Secure", setCookie{}, false},
		{"", setCookie{}, false},
	}
	for _, tc := range cases {
		got, ok := parseSetCookie(tc.line)
		assert.Equal(t, tc.ok, ok, tc.line)
		if tc.ok {
			assert.Equal(t, tc.want, got, tc.line)
		}
	}
}

func FuzzParseSetCookie(f *testing.F) {
	for _, s := range []string{"sid=1; Secure; SameSite=None", "a", "=;;;", "__Host-x=1; Path=/", "x=1; Domain="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, ok := parseSetCookie(line)
		if !ok {
			return
		}
		// Whatever it reads, the findings are bounded and worded.
		page := "https://app.example.com"
		api, _ := url.Parse("https://api.example.net/x")
		for _, w := range (cookieContext{page: page, api: api, credentials: true}).check(c) {
			if w.Code == "" || w.Message == "" || w.Fix == "" {
				t.Fatalf("%q: empty finding %+v", line, w)
			}
		}
	})
}

func TestRegistrableDomain(t *testing.T) {
	cases := map[string]string{
		"api.example.com":        "example.com",
		"example.com":            "example.com",
		"a.b.example.co.uk":      "example.co.uk",
		"myapp.vercel.app":       "myapp.vercel.app",
		"x.myapp.vercel.app":     "myapp.vercel.app",
		"svc.abc.a.run.app":      "abc.a.run.app",
		"127.0.0.1":              "127.0.0.1",
		"localhost":              "localhost",
		"app.localhost":          "app.localhost",
		"co.uk":                  "co.uk",
		"api.example.com.":       "example.com",
		"deep.api.eu.example.io": "example.io",
	}
	for host, want := range cases {
		assert.Equal(t, want, registrableDomain(host), host)
	}
}

func TestSameSite(t *testing.T) {
	cases := []struct {
		page, api string
		same      bool
	}{
		{"https://app.example.com", "https://api.example.com/v1", true},
		{"https://app.example.com", "http://api.example.com/v1", false}, // schemeful
		{"https://app.example.com", "https://api.example.net/v1", false},
		{"https://a.github.io", "https://b.github.io/", false},
		{"https://app.example.co.uk", "https://api.example.co.uk", true},
		{"null", "https://api.example.com", false},
	}
	for _, tc := range cases {
		u, err := url.Parse(tc.api)
		require.NoError(t, err)
		assert.Equal(t, tc.same, sameSite(tc.page, u), "%s -> %s", tc.page, tc.api)
	}
}

func TestCookieWarnings(t *testing.T) {
	cases := []struct {
		name        string
		page, api   string
		credentials bool
		setCookie   []string
		want        []string
	}{
		{name: "same site, Lax: fine", page: "https://app.example.com", api: "https://api.example.com/me", credentials: true,
			setCookie: []string{"sid=1; Secure; HttpOnly; SameSite=Lax"}},
		{name: "cross site, no cookie: third-party note", page: "https://app.example.com", api: "https://api.example.net/me", credentials: true,
			want: []string{"third_party_cookies"}},
		{name: "cross site, Lax", page: "https://app.example.com", api: "https://api.example.net/me", credentials: true,
			setCookie: []string{"sid=1; Secure; SameSite=Lax"}, want: []string{"third_party_cookies", "cookie_samesite_not_sent_cross_site"}},
		{name: "cross site, Strict", page: "https://app.example.com", api: "https://api.example.net/me", credentials: true,
			setCookie: []string{"sid=1; Secure; SameSite=Strict"}, want: []string{"third_party_cookies", "cookie_samesite_not_sent_cross_site"}},
		{name: "cross site, no SameSite", page: "https://app.example.com", api: "https://api.example.net/me", credentials: true,
			setCookie: []string{"sid=1; Secure"}, want: []string{"third_party_cookies", "cookie_samesite_default_lax"}},
		{name: "cross site, None without Secure", page: "https://app.example.com", api: "https://api.example.net/me", credentials: true,
			setCookie: []string{"sid=1; SameSite=None"}, want: []string{"third_party_cookies", "cookie_samesite_none_without_secure"}},
		{name: "cross site, None; Secure: only the note", page: "https://app.example.com", api: "https://api.example.net/me", credentials: true,
			setCookie: []string{"sid=1; SameSite=None; Secure"}, want: []string{"third_party_cookies"}},
		{name: "cross site, Partitioned", page: "https://app.example.com", api: "https://api.example.net/me", credentials: true,
			setCookie: []string{"sid=1; SameSite=None; Secure; Partitioned"}, want: []string{"third_party_cookies", "cookie_partitioned"}},
		{name: "Partitioned without Secure", page: "https://app.example.com", api: "https://api.example.com/me", credentials: true,
			setCookie: []string{"sid=1; Partitioned"}, want: []string{"cookie_partitioned_without_secure"}},
		{name: "Secure over http", page: "http://app.example.com", api: "http://api.example.com/me", credentials: true,
			setCookie: []string{"sid=1; Secure; SameSite=Lax"}, want: []string{"cookie_secure_over_http"}},
		{name: "Secure over http on loopback is fine", page: "http://localhost:3000", api: "http://localhost:8080/me", credentials: true,
			setCookie: []string{"sid=1; Secure; SameSite=Lax"}},
		{name: "loopback API: no third-party note", page: "https://app.example.com", api: "http://127.0.0.1:8080/me", credentials: true},
		{name: "__Host- with Domain", page: "https://app.example.com", api: "https://api.example.com/me", credentials: true,
			setCookie: []string{"__Host-sid=1; Secure; Path=/; Domain=example.com"}, want: []string{"cookie_prefix_rejected"}},
		{name: "__Secure- without Secure", page: "https://app.example.com", api: "https://api.example.com/me", credentials: true,
			setCookie: []string{"__Secure-sid=1; SameSite=Lax"}, want: []string{"cookie_prefix_rejected"}},
		{name: "without credentials the cookie is ignored", page: "https://app.example.com", api: "https://api.example.com/me",
			setCookie: []string{"sid=1; Secure; SameSite=Lax"}, want: []string{"cookie_ignored_without_credentials"}},
		{name: "the same cookie twice is one finding", page: "https://app.example.com", api: "https://api.example.net/me", credentials: true,
			setCookie: []string{"sid=1; SameSite=Lax; Secure", "sid=2; SameSite=Lax; Secure"}, want: []string{"third_party_cookies", "cookie_samesite_not_sent_cross_site"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, err := url.Parse(tc.api)
			require.NoError(t, err)
			var codes []string
			for _, w := range cookieWarnings(tc.page, u, tc.credentials, tc.setCookie) {
				codes = append(codes, w.Code)
				assert.NotEmpty(t, w.Message)
				assert.NotEmpty(t, w.Fix)
			}
			assert.Equal(t, tc.want, codes)
		})
	}
}

// TestCookieWarningsInTheSingleRequestMode holds the cookie check in the
// usual mode: a credentialed GET whose answer sets a SameSite=None cookie
// without Secure.
func TestCookieWarningsInTheSingleRequestMode(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
		w.Header().Add("Set-Cookie", "sid=1; SameSite=None; HttpOnly")
	}))
	code, res := runJSON(t, "-origin", "https://app.example.com", "-credentials", srv.URL)
	assert.Equal(t, exitAllowed, code)
	assert.Contains(t, warningCodes(res), "cookie_samesite_none_without_secure")
}

func FuzzRegistrableDomain(f *testing.F) {
	for _, s := range []string{"api.example.com", "a.b.c.run.app", "..", "x.", "127.0.0.1", "[::1]", "com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		got := registrableDomain(host)
		// The registrable domain is the host or one of its parent domains.
		h := strings.TrimSuffix(host, ".")
		if got != h && !strings.HasSuffix(h, "."+got) {
			t.Fatalf("registrableDomain(%q) = %q, not a parent of the host", host, got)
		}
	})
}
