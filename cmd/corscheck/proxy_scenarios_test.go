//go:build proxies

package main

import "testing"

// The misconfigurations of issue 21, one table per product. Each case
// asserts the diagnosis a senior SRE would give: the layer named from the
// evidence, and the fix in that product's configuration language. Cases
// the current diagnosis gets wrong are listed in the branch's notes.

var (
	proxyPut  = []string{"-method", "PUT", "-H", "X-Api-Key: k"}
	proxyCred = []string{"-credentials"}
)

func TestBehindApache(t *testing.T) {
	base := startApache(t, newUpstreams(t))
	runProxyCases(t, base, []proxyCase{
		{path: "/ok/items", hopCase: hopCase{name: "a faithful proxy", args: proxyPut}},
		{path: "/down/items", layer: "Apache httpd", hopCase: hopCase{name: "upstream down", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagGatewayError, fix: []string{"Header always"}}},
		{path: "/slow/items", layer: "Apache httpd", hopCase: hopCase{name: "upstream too slow",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagGatewayError, fix: []string{"ProxyTimeout"}}},
		{path: "/strip/items", layer: "Apache httpd", hopCase: hopCase{name: "Header unset", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagAllowOriginStripped, fix: []string{"Header unset"}}},
		{path: "/twice/items", layer: "Apache httpd", hopCase: hopCase{name: "Header add on top of the application's",
			code: "multiple_allow_origin_values", step: kindRequest, diagnosis: diagAllowOriginTwice, fix: []string{"Header"}}},
		{path: "/star/items", layer: "Apache httpd", hopCase: hopCase{name: "Header set overwrites with *", args: proxyCred,
			code: "wildcard_origin_not_allowed", step: kindRequest, diagnosis: diagProxyBreaksCORS, fix: []string{"Header set"}}},
		{path: "/methods/items", layer: "Apache httpd", hopCase: hopCase{name: "AllowMethods refuses OPTIONS", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyRefusedOptions, fix: []string{"AllowMethods"}}},
		{path: "/login/items", hopCase: hopCase{name: "preflight redirected to login", args: proxyPut,
			code: "preflight_disallowed_redirect", step: kindPreflight, diagnosis: diagAuthBeforeCORS, fix: []string{"OPTIONS"}}},
		{path: "/nowhere", layer: "Apache httpd", hopCase: hopCase{name: "Apache's own 404",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagProxyErrorPage}},
	})
}

func TestBehindHAProxy(t *testing.T) {
	base := startHAProxy(t, newUpstreams(t))
	runProxyCases(t, base, []proxyCase{
		{path: "/ok/items", hopCase: hopCase{name: "a faithful proxy", args: proxyPut}},
		{path: "/down/items", layer: "HAProxy", hopCase: hopCase{name: "upstream down", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagGatewayError, fix: []string{"http-after-response"}}},
		{path: "/slow/items", layer: "HAProxy", hopCase: hopCase{name: "timeout server",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagGatewayError, fix: []string{"timeout server"}}},
		{path: "/methods/items", layer: "HAProxy", hopCase: hopCase{name: "http-request deny 405 on OPTIONS", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyRefusedOptions}},
		{path: "/answer/items", hopCase: hopCase{name: "http-request return 200 on OPTIONS", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagPreflightWithoutCORS,
			cause: []string{"plain GET"}, fix: []string{"-direct"}}},
		{path: "/strip/items", hopCase: hopCase{name: "http-response del-header", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagAllowOriginStripped, fix: []string{"-direct"}}},
		{path: "/twice/items", hopCase: hopCase{name: "http-response add-header",
			code: "multiple_allow_origin_values", step: kindRequest, diagnosis: diagAllowOriginTwice}},
		{path: "/droporigin/items", hopCase: hopCase{name: "http-request del-header Origin",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagOriginNotAllowed, fix: []string{"-direct"}}},
	})
}

func TestBehindVarnish(t *testing.T) {
	base := startVarnish(t, newUpstreams(t))
	runProxyCases(t, base, []proxyCase{
		{path: "/ok/items", hopCase: hopCase{name: "a faithful cache", args: proxyPut}},
		{path: "/down/items", layer: "Varnish", hopCase: hopCase{name: "backend fetch failed",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagGatewayError, fix: []string{"vcl_backend_error"}}},
		{path: "/novary/items", layer: "Varnish", warm: func(b string) { warm(t, b+"/novary/items", otherOrigin) },
			hopCase: hopCase{name: "Vary unset in VCL", code: "allow_origin_mismatch", step: kindRequest,
				diagnosis: diagCacheWithoutVary, fix: []string{"vcl_"}}},
		{path: "/novary/cred/items", layer: "Varnish", warm: func(b string) { warm(t, b+"/novary/cred/items", otherOrigin) },
			hopCase: hopCase{name: "Vary unset, credentialed API", args: proxyCred, code: "allow_origin_mismatch", step: kindRequest,
				diagnosis: diagCacheWithoutVary, fix: []string{"vcl_"}}},
	})
}

func TestBehindSquid(t *testing.T) {
	base := startSquid(t, newUpstreams(t))
	runProxyCases(t, base, []proxyCase{
		{path: "/ok/items", hopCase: hopCase{name: "a faithful accelerator", args: proxyPut}},
		{path: "/down/items", layer: "Squid", hopCase: hopCase{name: "ERR_CONNECT_FAIL", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagGatewayError, fix: []string{"cache_peer"}}},
		{path: "/slow/items", layer: "Squid", hopCase: hopCase{name: "ERR_READ_TIMEOUT",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagGatewayError, fix: []string{"read_timeout"}}},
		{path: "/methods/items", layer: "Squid", hopCase: hopCase{name: "http_access deny OPTIONS", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyRefusedOptions, fix: []string{"http_access"}}},
		{path: "/droporigin/items", hopCase: hopCase{name: "request_header_access Origin deny",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagOriginNotAllowed, fix: []string{"-direct"}}},
	})
}

func TestBehindCaddy(t *testing.T) {
	base := startCaddy(t, newUpstreams(t))
	runProxyCases(t, base, []proxyCase{
		{path: "/ok/items", hopCase: hopCase{name: "a faithful proxy", args: proxyPut}},
		{path: "/down/items", layer: "Caddy", hopCase: hopCase{name: "upstream down", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagGatewayError, fix: []string{"handle_errors"}}},
		{path: "/strip/items", layer: "Caddy", hopCase: hopCase{name: "header_down -Access-Control-Allow-Origin", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagAllowOriginStripped, fix: []string{"header_down"}}},
		{path: "/twice/items", layer: "Caddy", hopCase: hopCase{name: "header_down +Access-Control-Allow-Origin",
			code: "multiple_allow_origin_values", step: kindRequest, diagnosis: diagAllowOriginTwice, fix: []string{"header_down"}}},
		{path: "/star/items", layer: "Caddy", hopCase: hopCase{name: "header_down overwrites with *", args: proxyCred,
			code: "wildcard_origin_not_allowed", step: kindRequest, diagnosis: diagProxyBreaksCORS, fix: []string{"header_down"}}},
		{path: "/answer/items", layer: "Caddy", hopCase: hopCase{name: "respond 200 to OPTIONS", args: proxyPut,
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagPreflightWithoutCORS,
			cause: []string{"plain GET"}, fix: []string{"respond"}}},
	})
}
