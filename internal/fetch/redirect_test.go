package fetch

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedirect(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		headers  []Header
		status   int
		location string
		url      string // the next hop
		method2  string // the method after the redirect
		tainted  bool
		notes    []string
		code     Code
	}{
		{name: "relative, same origin", method: "GET", status: 302, location: "/v2/items", url: "https://api.example.com/v2/items", method2: "GET"},
		{name: "trailing slash", method: "GET", status: 301, location: "items/", url: "https://api.example.com/items/", method2: "GET"},
		{name: "empty path and fragment", method: "GET", status: 307, location: "https://api.example.com#x", url: "https://api.example.com/", method2: "GET"},
		{name: "303 turns PUT into GET", method: "PUT", headers: []Header{{"Content-Type", "application/json"}, {"X-A", "1"}}, status: 303,
			location: "/to", url: "https://api.example.com/to", method2: "GET", notes: []string{"a 303 turns PUT into GET and drops the request-body headers"}},
		{name: "302 turns POST into GET", method: "POST", status: 302, location: "/to", url: "https://api.example.com/to", method2: "GET",
			notes: []string{"a 302 turns POST into GET and drops the request-body headers"}},
		{name: "307 keeps POST", method: "POST", status: 307, location: "/to", url: "https://api.example.com/to", method2: "POST"},
		// Fetch taints on the current URL's origin, not the target's.
		{name: "back to the page's own origin: tainted all the same", method: "GET", status: 302, location: page + "/x", url: page + "/x", method2: "GET",
			tainted: true, notes: []string{"the redirect is cross-origin, so the browser now sends Origin: null and needs Access-Control-Allow-Origin: null or *"}},
		{name: "to a third origin: taint, Authorization dropped", method: "GET", headers: []Header{{"Authorization", "t"}}, status: 302,
			location: "https://cdn.example.net/x", url: "https://cdn.example.net/x", method2: "GET", tainted: true, notes: []string{
				"the redirect is cross-origin, so the browser drops the Authorization header",
				"the redirect is cross-origin, so the browser now sends Origin: null and needs Access-Control-Allow-Origin: null or *",
			}},
		{name: "bad location", method: "GET", status: 302, location: "http://[::1", code: InvalidRedirectLocation},
		{name: "ftp", method: "GET", status: 302, location: "ftp://files.example.com/x", code: RedirectDisallowedScheme},
		{name: "user info", method: "GET", status: 302, location: "https://u:p@api.example.com/", code: RedirectContainsCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(tt.method, false, tt.headers...)
			notes, f := r.Redirect(tt.status, tt.location)
			if tt.code != "" {
				if assert.NotNil(t, f) {
					assert.Equal(t, tt.code, f.Code)
					assert.False(t, f.Preflight)
				}
				assert.Equal(t, "https://api.example.com/items", r.URL.String(), "unchanged")
				return
			}
			assert.Nil(t, f)
			assert.Equal(t, tt.url, r.URL.String())
			assert.Equal(t, tt.method2, r.Method)
			assert.Equal(t, tt.tainted, r.Tainted)
			assert.Equal(t, tt.notes, notes)
			assert.Equal(t, 1, r.Redirects)
			assert.Equal(t, "https://api.example.com/items", r.InitialURL.String())
		})
	}
}

func TestRedirectBodyHeadersGo(t *testing.T) {
	r := newRequest("PUT", false, Header{"Content-Type", "application/json"}, Header{"X-A", "1"}, Header{"Content-Language", "en"})
	_, f := r.Redirect(303, "/to")
	assert.Nil(t, f)
	assert.Equal(t, []Header{{"X-A", "1"}}, r.Headers)
}

func TestTooManyRedirects(t *testing.T) {
	r := newRequest("GET", false)
	for i := 0; i < MaxRedirects; i++ {
		_, f := r.Redirect(302, fmt.Sprintf("/r%d", i))
		assert.Nil(t, f)
	}
	_, f := r.Redirect(302, "/one-more")
	if assert.NotNil(t, f) {
		assert.Equal(t, TooManyRedirects, f.Code)
		assert.Equal(t, "net::ERR_TOO_MANY_REDIRECTS (more than 20 redirects).", f.Reason)
	}
}
