package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Chromium 156 stopped appending "If an opaque response serves your needs,
// set the request's mode to 'no-cors' ..." to its CORS messages; messages
// pasted from older and newer Chromiums must read the same.
func TestParsePastedChromiumWordings(t *testing.T) {
	const head = "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: "
	const opaque = " If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled."
	reasons := []struct {
		reason, code string
		preflight    bool
	}{
		{"No 'Access-Control-Allow-Origin' header is present on the requested resource.", "missing_allow_origin_header", false},
		{"Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.", "missing_allow_origin_header", true},
		{"Response to preflight request doesn't pass access control check: It does not have HTTP ok status.", "preflight_invalid_status", true},
		{"The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the supplied origin.", "allow_origin_mismatch", false},
	}
	for _, r := range reasons {
		for _, wording := range []struct{ name, text string }{
			{"before 156", head + r.reason + opaque},
			{"156", head + r.reason},
			{"156, DevTools prefix and next line", "(index):12 " + head + r.reason + "\n(index):12 GET https://api.example.com/items net::ERR_FAILED 500 (Internal Server Error)"},
		} {
			t.Run(r.code+"/"+wording.name, func(t *testing.T) {
				p, err := parsePasted(wording.text)
				require.NoError(t, err)
				assert.Equal(t, "chromium", p.Browser)
				assert.Equal(t, "https://api.example.com/items", p.URL)
				assert.Equal(t, "https://app.example.com", p.Origin)
				assert.Equal(t, r.code, p.Code)
				assert.Equal(t, r.preflight, p.Preflight)
			})
		}
	}
}
