package corstest

import (
	"net/http"
	"strconv"
	"strings"
)

// checkPolicyPerRoute: each request gets the policy of its own host and
// path, so the adapter must hand Routes the request the framework received.
func checkPolicyPerRoute(t reporter, f *fixture) {
	cases := []struct {
		host, path, key, origin string
	}{
		{"example.com", "/admin/items", keyAdmin, ConformanceAdminOrigin},
		{"example.com", "/admin/items", keyAdmin, ConformanceOrigin},
		{"example.com", "/items", keySite, ConformanceOrigin},
		{"example.com", "/items", keySite, ConformanceAdminOrigin},
		{partnerHost, "/items", keyPartner, partnerOrigin},
		{partnerHost, "/items", keyPartner, ConformanceOrigin},
		{"example.com", "/public/items", keyPublic, ConformanceForeign},
	}
	for _, c := range cases {
		url := "http://" + c.host + c.path
		allowed := allowedBy[c.key] == c.origin || allowedBy[c.key] == "*"
		res := do(t, f.h, getReq(url, c.origin))
		assertPolicyOf(t, res, c.key, c.origin, allowed)
		res = do(t, f.h, preflightReq(url, c.origin, http.MethodPut, preflightHeader))
		assertPolicyOf(t, res, c.key, c.origin, allowed)
		if allowed != (res.StatusCode == http.StatusNoContent) {
			t.Errorf("%s from %s: status %d: Routes must apply the policy of %q", what(res), c.origin, res.StatusCode, c.key)
		}
	}
	res := do(t, f.h, getReq("/public/items", ""))
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" || varies(res.Header, "Origin") {
		t.Errorf("%s without Origin: Access-Control-Allow-Origin %q, Vary %q, want * and no Vary: Origin, as %q's policy answers every request", what(res), got, res.Header.Values("Vary"), keyPublic)
	}
}

// assertPolicyOf checks that res, a response to origin, carries what key's
// policy answers it: the origin, or "*", when allowed, and nothing else.
func assertPolicyOf(t reporter, res *http.Response, key, origin string, allowed bool) {
	t.Helper()
	want := ""
	if allowed {
		want = origin
		if allowedBy[key] == "*" {
			want = "*"
		}
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != want {
		t.Errorf("%s from %s: Access-Control-Allow-Origin %q, want %q: Routes must apply the policy of %q; does the adapter hand Apply the request (host and path) the framework received?",
			what(res), origin, got, want, key)
	}
}

// hostileTargets are request targets whose path a router may read
// otherwise than http.ServeMux does: each is sent as it is written.
var hostileTargets = []string{
	"/admin%2Fitems", "/admin%2fitems", "/admin%252Fitems",
	"/x/..%2Fadmin/items", "/x/%2e%2e/admin/items", "/x/%2E%2E/admin/items", "/x/../admin/items",
	"//admin/items", "/admin//items", "/./admin/items", "/%2e/admin/items",
	"/ADMIN/items", "/Admin/Items", "/admin/items/", "/admin/ITEMS",
	"/admin;x/items", "/admin/items;x", "/admin/items%00", "/admin%00/items",
	"/admin\\items", "/v1/admin/items",
	"/" + strings.Repeat("x/../", 2000) + "admin/items",
	"/public/..%2Fadmin/items", "/public/%2e%2e/admin/items", "/public%2F..%2Fadmin/items",
	"http://example.com/admin/items", "http://example.com/admin%2Fitems", "http://" + partnerHost + "/admin/items",
	"*",
}

// checkHostilePaths: whatever handler the framework's router runs for a
// hostile path, the response carries at most what that handler's own key
// allows; and a preflight for the path grants no more than the request
// itself would get.
func checkHostilePaths(t reporter, f *fixture) {
	srv := newServer(f.h)
	defer stopServer(srv)
	addr := srv.Listener.Addr().String()
	for _, target := range hostileTargets {
		for _, origin := range []string{ConformanceOrigin, ConformanceAdminOrigin} {
			h := http.Header{"Origin": {origin}, "Cookie": {"session=s3cret"}}
			res, _, err := rawRequest(addr, http.MethodGet, target, h)
			if err != nil {
				t.Fatalf("GET %s: %v", shorten(target), err)
			}
			key := f.takeServed()
			assertWithin(t, "GET", target, key, res)
			h.Set("Access-Control-Request-Method", http.MethodGet)
			h.Set("Access-Control-Request-Headers", preflightHeader)
			if res, _, err = rawRequest(addr, http.MethodOptions, target, h); err != nil {
				t.Fatalf("OPTIONS %s: %v", shorten(target), err)
			}
			assertWithin(t, "the preflight of", target, key, res)
		}
	}
}

// assertWithin fails when res grants an origin that key, the key of the
// handler that served the request, does not allow.
func assertWithin(t reporter, label, target, key string, res *http.Response) {
	t.Helper()
	if key == "" {
		return // no handler ran: the router refused the path
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" && got != allowedBy[key] {
		t.Errorf("%s %s: the handler of %q ran, yet the response allows %s (Access-Control-Allow-Origin %q, -Credentials %q), which %q's policy refuses: the policy applied must be the served route's or a stricter one",
			label, shorten(target), key, got, got, res.Header.Get("Access-Control-Allow-Credentials"), key)
	}
}

// shorten keeps a message about the overlong target readable.
func shorten(target string) string {
	if len(target) > 64 {
		return target[:40] + "..." + target[len(target)-20:] + " (" + strconv.Itoa(len(target)) + " bytes)"
	}
	return target
}
