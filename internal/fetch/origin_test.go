package fetch

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors/internal/origin"
)

func TestValidateOrigin(t *testing.T) {
	tests := []struct {
		origin string
		want   string // part of the error; "" when valid
	}{
		{"https://app.example.com", ""},
		{"http://localhost:3000", ""},
		{"http://[::1]:8080", ""},
		{"null", ""},
		{"https://app.example.com/", `has a trailing slash; use "https://app.example.com"`},
		{"https://App.example.com", `use "https://app.example.com"`},
		{"app.example.com", "has no scheme"},
		{"https://app.example.com:443", "has the default port :443"},
		{"https://*.example.com", `is a pattern; a browser sends one origin, as in "https://app.example.com"`},
		{"Null", "no scheme"},
	}
	for _, tt := range tests {
		err := ValidateOrigin(tt.origin)
		if tt.want == "" {
			assert.NoError(t, err, tt.origin)
			continue
		}
		if assert.Error(t, err, tt.origin) {
			assert.Contains(t, err.Error(), tt.want, tt.origin)
		}
	}
}

func FuzzValidateOrigin(f *testing.F) {
	// More seeds, the findings among them, are in testdata/fuzz/FuzzValidateOrigin.
	for _, s := range []string{"https://app.example.com", "http://localhost:3000", "null", "https://a.example/", "HTTPS://A", "https://a:443", "http://[::1]:8080", "https://*.a.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, o string) {
		if ValidateOrigin(o) != nil || o == "null" {
			return
		}
		spec, err := origin.Parse(o)
		require.NoError(t, err, "an accepted origin is one the library accepts")
		require.False(t, spec.Pattern)
		u, err := url.Parse(o)
		require.NoError(t, err)
		require.Equal(t, o, u.Scheme+"://"+u.Host, "an accepted origin is sent exactly as typed")
		require.Equal(t, o, OriginOf(u), "and is its own serialization")
	})
}
