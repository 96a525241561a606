package cors

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInsecureOriginWithCredentialsRefused: a plain-http origin or pattern
// off loopback is refused with credentials, with an https fix that New
// accepts in turn; loopback hosts and the explicit opt-in are accepted.
func TestInsecureOriginWithCredentialsRefused(t *testing.T) {
	tests := []struct {
		origin string
		fix    string // "" when accepted
	}{
		{"http://app.example.com", "https://app.example.com"},
		{"http://*.example.com", "https://*.example.com"},
		{"http://app-*.example.com", "https://app-*.example.com"},
		{"http://intranet.example.com:8080", "https://intranet.example.com:8080"},
		{"http://app.example.com:443", "https://app.example.com"},
		{"http://10.0.0.7:8080", "https://10.0.0.7:8080"},
		{"http://[::2]:3000", "https://[::2]:3000"},
		{"http://localhost:3000", ""},
		{"http://localhost:*", ""},
		{"http://localhost", ""},
		{"http://app.localhost:5173", ""},
		{"http://*.localhost:*", ""},
		{"http://web-*.localhost", ""},
		{"http://127.0.0.1:8080", ""},
		{"http://127.8.9.10:8080", ""},
		{"http://127.0.0.1:*", ""},
		{"http://[::1]:3000", ""},
		{"https://app.example.com", ""},
		{"capacitor://localhost", ""},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			o := Options{AllowedOrigins: []string{tt.origin}, AllowCredentials: true, Logger: quiet}
			_, err := New(o)
			if tt.fix == "" {
				require.NoError(t, err)
				return
			}
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.ErrorIs(t, err, ErrInvalidOrigin)
			assert.Equal(t, tt.fix, ce.Fix)
			assert.Contains(t, ce.Error(), "is plain http")
			assert.Contains(t, ce.Error(), "AllowInsecureHTTPOrigins")

			o.AllowedOrigins = []string{ce.Fix}
			_, err = New(o)
			assert.NoError(t, err, "the fix is accepted")

			o.AllowedOrigins = []string{tt.origin}
			o.AllowInsecureHTTPOrigins = true
			_, err = New(o)
			assert.NoError(t, err, "the opt-in accepts it")

			o.AllowCredentials, o.AllowInsecureHTTPOrigins = false, false
			_, err = New(o)
			assert.NoError(t, err, "without credentials, CORS alone exposes no cookie")
		})
	}
}

// TestInsecurePatternUnderPublicSuffixOffersAnHTTPSExample: an http pattern
// under a public suffix gets one problem, whose example is over https, so that
// following it does not meet the plain-http refusal next.
func TestInsecurePatternUnderPublicSuffixOffersAnHTTPSExample(t *testing.T) {
	_, err := New(Options{AllowedOrigins: []string{"http://*.github.io"}, AllowCredentials: true})
	require.Error(t, err)
	assert.Len(t, unjoin(err), 1)
	assert.Contains(t, err.Error(), `as in "https://*.`)
	assert.NotContains(t, err.Error(), `as in "http://`)
}

// TestInsecureOriginRefusedByCheckOrigin: WebSocket handshakes carry cookies
// whatever AllowCredentials says, so CheckOrigin and AllowsOrigin refuse a
// plain-http origin off loopback, listed or looked up, unless opted in; with
// credentials, LookupOrigin is not asked about one either.
func TestInsecureOriginRefusedByCheckOrigin(t *testing.T) {
	lookup := func(_ context.Context, o string) (bool, error) { return true, nil }
	listed := []string{"https://app.example.com", "http://app.example.com", "http://localhost:3000"}
	plain := mustNew(t, Options{AllowedOrigins: listed, LookupOrigin: lookup, Logger: quiet})
	credentialed := mustNew(t, Options{AllowedOrigins: listed[:1], AllowCredentials: true, LookupOrigin: lookup, Logger: quiet})
	optedIn := mustNew(t, Options{AllowedOrigins: listed, AllowCredentials: true, AllowInsecureHTTPOrigins: true, LookupOrigin: lookup, Logger: quiet})
	tests := []struct {
		name         string
		m            *Middleware
		origin       string
		cors, byName bool
	}{
		{"listed http, no credentials", plain, "http://app.example.com", true, false},
		{"looked-up http, no credentials", plain, "http://tenant.example", true, false},
		{"listed loopback http", plain, "http://localhost:3000", true, true},
		{"looked-up loopback http", plain, "http://127.0.0.2:8080", true, true},
		{"listed https", plain, "https://app.example.com", true, true},
		{"looked-up http with credentials", credentialed, "http://tenant.example", false, false},
		{"looked-up https with credentials", credentialed, "https://tenant.example", true, true},
		{"looked-up loopback with credentials", credentialed, "http://[::1]:3000", true, true},
		{"opted in, listed", optedIn, "http://app.example.com", true, true},
		{"opted in, looked up", optedIn, "http://tenant.example", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := serve(tt.m.Handler(okHandler), actualReq(tt.origin)).Header().Get("Access-Control-Allow-Origin")
			assert.Equal(t, tt.cors, got == tt.origin, "CORS")
			assert.Equal(t, tt.byName, tt.m.CheckOrigin(actualReq(tt.origin)), "CheckOrigin")
			assert.Equal(t, tt.byName, tt.m.AllowsOrigin(tt.origin), "AllowsOrigin")
		})
	}
}

// unjoin lists the problems of an error from New.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{errors.Unwrap(err)}
}
