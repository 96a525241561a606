package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/origin"
	"github.com/stretchr/testify/require"
)

func FuzzParseHeaderFlag(f *testing.F) {
	for _, s := range []string{"X-Api-Key", "X-Api-Key: k", "Content-Type: application/json", "Cookie: a=b", "a b: c", "X: \r\n", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parseHeaderFlag(s)
		if err != nil {
			return
		}
		require.True(t, headerlist.IsToken(h.Name))
		require.False(t, strings.ContainsAny(h.Value, "\r\n\x00"))
		require.False(t, isForbiddenRequestHeader(h))
	})
}

func FuzzExtractList(f *testing.F) {
	for _, s := range []string{"GET, PUT", "content-type,x-api-key", ",,,", "*", "a b", strings.Repeat(",", 100)} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		h := http.Header{"Access-Control-Allow-Headers": {a, b}}
		items, ok := extractList(h, "Access-Control-Allow-Headers")
		if !ok {
			return
		}
		for _, item := range items {
			require.True(t, headerlist.IsToken(item), "%q", item)
		}
	})
}

func FuzzValidateOrigin(f *testing.F) {
	// More seeds, the findings among them, are in testdata/fuzz/FuzzValidateOrigin.
	for _, s := range []string{"https://app.example.com", "http://localhost:3000", "null", "https://a.example/", "HTTPS://A", "https://a:443", "http://[::1]:8080"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, o string) {
		if validateOrigin(o) != nil || o == "null" {
			return
		}
		spec, err := origin.Parse(o)
		require.NoError(t, err, "an accepted origin is one the library accepts")
		require.False(t, spec.Pattern)
		u, err := url.Parse(o)
		require.NoError(t, err)
		require.Equal(t, o, u.Scheme+"://"+u.Host, "an accepted origin is sent exactly as typed")
	})
}
