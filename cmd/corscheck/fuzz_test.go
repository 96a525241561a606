package main

import (
	"strings"
	"testing"

	"github.com/corsguard/cors/internal/fetch"
	"github.com/corsguard/cors/internal/headerlist"
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
		require.False(t, fetch.IsForbiddenRequestHeader(h))
	})
}

func FuzzParsePasted(f *testing.F) {
	for _, tt := range pastedTests {
		f.Add(tt.message)
	}
	f.Add("Access to fetch at '' from origin '' has been blocked by CORS policy: ")
	f.Add("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at . (Reason: ). Status code: 999.")
	known := map[string]bool{"": true, string(codeNetworkError): true}
	for _, c := range fetch.Codes() {
		known[string(c)] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePasted(s)
		if err != nil {
			require.Nil(t, p)
			return
		}
		require.LessOrEqual(t, len(s), maxPasteLength)
		require.Contains(t, []string{"chromium", "firefox"}, p.Browser)
		require.NotEmpty(t, p.URL)
		require.False(t, strings.ContainsAny(p.URL, " \t\n"), "%q", p.URL)
		require.True(t, known[p.Code], "unknown code %q", p.Code)
		require.Equal(t, strings.ToLower(p.header), p.header)
		require.LessOrEqual(t, len(p.Reason), len(s))
		if p.Browser == "chromium" {
			// Chromium quotes the URL and the origin with '.
			require.NotEmpty(t, p.Origin)
			require.False(t, strings.ContainsAny(p.URL+p.Origin, "'"), "%q %q", p.URL, p.Origin)
		}
	})
}
