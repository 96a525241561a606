package cors

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/internal/origin"
)

// FuzzMiddleware sends arbitrary requests through two policies, a
// credentialed one with exact origins and a pattern, and a public one, and
// checks the security invariants on every response.
func FuzzMiddleware(f *testing.F) {
	seeds := []struct{ method, origin, acrm, acrh string }{
		// Real browser traffic shapes.
		{"GET", "https://app.example.com", "", ""},
		{"OPTIONS", "https://app.example.com", "PUT", "content-type,x-api-key"},
		{"OPTIONS", "https://a.b.example.org", "DELETE", "authorization"},
		{"POST", "null", "", ""},
		// Peers' advisories: reflected origins with credentials (rs/cors CVE-2018-20744, Hono),
		// suffix confusion (jub0bs GHSA-vhxv-fg4m-p2w8), comma floods (rs/cors GHSA-mh55-gqvf-xfwm).
		{"GET", "https://evil.example", "", ""},
		{"GET", "https://barapp.example.com", "", ""},
		{"GET", "https://app.example.com.evil.net", "", ""},
		{"GET", "https://evilexample.org", "", ""},
		{"GET", "https://a.example.org.evil.net", "", ""},
		{"OPTIONS", "https://app.example.com", "PUT", strings.Repeat(",", 2048)},
		{"OPTIONS", "https://app.example.com", "PUT", strings.Repeat("a,", 1000)},
		{"GET", "https://APP.example.com", "", ""},
		{"GET", "https://app.example.com/", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.origin, s.acrm, s.acrh)
	}
	strict := mustNew(f, Options{
		AllowedOrigins:   []string{"https://app.example.com", "https://*.example.org"},
		AllowCredentials: true,
		AllowedMethods:   []string{"PUT", "DELETE"},
		AllowedHeaders:   []string{"Content-Type", "X-Api-Key", "Authorization"},
		ExposedHeaders:   []string{"X-Request-Id"},
		Logger:           quiet,
	})
	public := mustNew(f, Options{AllowedOrigins: []string{"*"}, AllowedHeaders: []string{"*"}, Logger: quiet})
	var reference origin.Set
	for _, o := range []string{"https://app.example.com", "https://*.example.org"} {
		spec, err := origin.Parse(o)
		require.NoError(f, err)
		reference.Add(spec)
	}
	// inner is every handler the writer must overrule at once: it reflects
	// the origin with credentials, under the canonical key and another
	// spelling, replaces Vary, and sometimes panics.
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		h["access-control-allow-origin"] = []string{"https://evil.example"}
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Vary", "Accept-Encoding")
		if strings.Contains(r.Header.Get("Access-Control-Request-Headers"), "panic") {
			panic("fuzzed panic")
		}
		w.WriteHeader(http.StatusOK)
	})
	f.Fuzz(func(t *testing.T, method, reqOrigin, acrm, acrh string) {
		if !validMethod(method) {
			method = http.MethodGet
		}
		r, err := http.NewRequest(method, "http://api.example/", nil)
		require.NoError(t, err)
		r.Header["Origin"] = []string{reqOrigin}
		if acrm != "" {
			r.Header["Access-Control-Request-Method"] = []string{acrm}
		}
		if acrh != "" {
			r.Header["Access-Control-Request-Headers"] = strings.Split(acrh, "\n")
		}
		preflight := method == http.MethodOptions && acrm != ""
		for _, m := range []*Middleware{strict, public} {
			w := newReusableWriter()
			m.Handler(inner).ServeHTTP(w, r) // a panic fails the fuzz run
			h := w.Header()
			acao := valuesFold(h, "Access-Control-Allow-Origin")
			require.LessOrEqual(t, len(acao), 1, "never two Access-Control-Allow-Origin values, in any spelling")
			acac := valuesFold(h, "Access-Control-Allow-Credentials")
			if m == public {
				require.Empty(t, acac, "never credentials with *")
				if !preflight || w.status != http.StatusForbidden {
					require.Equal(t, []string{"*"}, acao, "a * policy answers every request alike")
				}
				if !preflight {
					require.NotContains(t, strings.Join(h["Vary"], ","), "Origin", "a * answer does not depend on Origin")
				}
				continue
			}
			if !preflight || w.status != http.StatusForbidden { // a 403 to OPTIONS is cached by no one
				require.Contains(t, strings.Join(h["Vary"], ","), "Origin")
			}
			if len(acao) == 0 {
				require.Empty(t, acac, "credentials only with an allowed origin")
				continue
			}
			require.True(t, reference.Contains(reqOrigin), "allowed %q, not configured", reqOrigin)
			require.Equal(t, reqOrigin, acao[0])
			require.Equal(t, []string{"true"}, acac)
		}
	})
}

// valuesFold returns the values of every key equal to name in any case, as
// a client reading the wire would see them.
func valuesFold(h http.Header, name string) []string {
	var vals []string
	for k, v := range h {
		if strings.EqualFold(k, name) {
			vals = append(vals, v...)
		}
	}
	return vals
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

// TestHostileInputCostsBoundedAllocations checks the "bounded allocations
// whatever the input" invariant on the shapes that hurt other libraries.
func TestHostileInputCostsBoundedAllocations(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"https://app.example.com", "https://*.example.org"}, AllowedHeaders: []string{"*"}})
	h := m.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	mib := strings.Repeat(",", 1<<20)
	inputs := []*http.Request{
		preflightReq("https://app.example.com", "PUT", mib),
		preflightReq("https://app.example.com", "PUT", strings.Repeat("x-a,", 1<<18)),
		preflightReq("https://app.example.com", "PUT", strings.Repeat(" ", 1<<20)),
		actualReq("https://" + strings.Repeat("a.", 1<<19) + "example.org"),
		actualReq(strings.Repeat("h", 1<<20)),
	}
	many := preflightReq("https://app.example.com", "PUT", "")
	many.Header["Access-Control-Request-Headers"] = make([]string, 10000)
	inputs = append(inputs, many)
	for i, r := range inputs {
		w := newReusableWriter()
		allocs := testing.AllocsPerRun(20, func() {
			w.reset()
			h.ServeHTTP(w, r)
		})
		require.LessOrEqual(t, allocs, 1.0, "input %d", i)
	}
}
