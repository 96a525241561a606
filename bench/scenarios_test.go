package bench

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
)

// The policy every library is configured with. Only the allowed origins vary
// between scenarios (one, or a hundred).
var (
	allowedMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut}
	allowedHeaders = []string{"Content-Type", "X-Api-Key"}
	exposedHeaders = []string{"X-Request-Id"}
)

const (
	maxAgeSeconds = 600
	allowedOrigin = "https://app.example.com"
	refusedOrigin = "https://evil.example.net"
	// requestedHeaders is what Chromium sends: lower case, sorted, comma
	// separated without spaces.
	requestedHeaders = "content-type,x-api-key"
	preflightMethod  = http.MethodPut
	hostileCommas    = 1024
)

var (
	oneOrigin = []string{allowedOrigin}
	// hundredOrigins are https://app00.example.com ... https://app99.example.com;
	// the scenario using them sends the last one, the worst case of a linear scan.
	hundredOrigins = func() []string {
		o := make([]string, 100)
		for i := range o {
			o[i] = fmt.Sprintf("https://app%02d.example.com", i)
		}
		return o
	}()
	lastOfHundred = hundredOrigins[len(hundredOrigins)-1]

	// hostileRequestHeaders is "content-type" + 1024 commas + "x-api-key"
	// (1,045 bytes): a list of 1,025 elements of which 1,023 are empty. A
	// browser never sends it; it probes how a parser copes with empty elements.
	hostileRequestHeaders = "content-type" + strings.Repeat(",", hostileCommas) + "x-api-key"
)

// scenario is one request, the origins the libraries are configured with for
// it, and what a browser should conclude from the answer.
type scenario struct {
	name      string
	origins   []string
	newReq    func() *http.Request
	preflight bool
	// granted: a browser passes its CORS check on the answer.
	granted bool
}

func actualRequest(origin string) func() *http.Request {
	return func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "http://api.example.com/items", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		return r
	}
}

func preflightRequest(origin, headers string) func() *http.Request {
	return func() *http.Request {
		r := httptest.NewRequest(http.MethodOptions, "http://api.example.com/items", nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", preflightMethod)
		r.Header.Set("Access-Control-Request-Headers", headers)
		return r
	}
}

// scenarios lists the requests in the order they are benchmarked. The
// hostile preflight's expected outcome is the policy's answer for corsguard;
// peers that differ are listed in verify_test.go.
func scenarios() []scenario {
	return []scenario{
		{name: "no-origin", origins: oneOrigin, newReq: actualRequest("")},
		{name: "actual-allowed", origins: oneOrigin, newReq: actualRequest(allowedOrigin), granted: true},
		{name: "actual-allowed-100-origins", origins: hundredOrigins, newReq: actualRequest(lastOfHundred), granted: true},
		{name: "actual-refused", origins: oneOrigin, newReq: actualRequest(refusedOrigin)},
		{name: "preflight-allowed", origins: oneOrigin, newReq: preflightRequest(allowedOrigin, requestedHeaders), preflight: true, granted: true},
		{name: "preflight-refused", origins: oneOrigin, newReq: preflightRequest(refusedOrigin, requestedHeaders), preflight: true},
		{name: "preflight-hostile-1024-commas", origins: oneOrigin, newReq: preflightRequest(allowedOrigin, hostileRequestHeaders), preflight: true, granted: hostileGrantedByCorsguard},
	}
}
