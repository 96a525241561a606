package main

import (
	"net/http"
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

// Naming a layer from any Server, Via, error header and body never panics,
// and the name and evidence stay short enough for one line of the report.
func FuzzLayerOf(f *testing.F) {
	f.Add("edgeproxy/2.1", "1.1 somecache", "X-Amzn-ErrorType", "x", "<center>edgeproxy/2.1</center>", 413)
	f.Add("", "1.1 a (squid/6.13), 1.0 b", "", "", "", 503)
	f.Add("squid", "", "X-Squid-Error", "ERR_ACCESS_DENIED 0", "(squid/6.13)", 403)
	f.Add(" /", ",", "x-error", "", "/", 400)
	f.Fuzz(func(t *testing.T, server, via, errName, errValue, body string, status int) {
		h := http.Header{}
		h.Set("Server", server)
		h.Set("Via", via)
		if headerlist.IsToken(errName) {
			h.Set(errName, errValue)
		}
		resp := response{status: status, header: h, body: body}
		for _, l := range []layer{layerOf(resp), (&evidence{resp: resp, app: &response{header: http.Header{}}}).layer()} {
			require.LessOrEqual(t, len(l.name), 60+len("…"))
			require.LessOrEqual(t, len(l.by), 200)
		}
		_ = limitKind(resp)
	})
}
