//go:build proxies

package main

import (
	"testing"

	"github.com/corsguard/cors/internal/proxylab"
)

// These tests put Debian's Apache httpd, HAProxy, Varnish, Squid and Caddy,
// each run by proxylab as a child process on loopback with a configuration
// of its own, in front of the real library, configured the way people
// misconfigure them, and hold corscheck to what an SRE would say: which
// layer answered, on what evidence, and the fix in that layer's own
// configuration language. They build only with -tags proxies, which CI sets
// after installing the five packages:
//
//	go test -tags proxies ./cmd/corscheck
//
// A missing binary skips its tests, and fails them when CI=true. The
// misconfigurations are those of issue 21, one table per product. The requests
// and the browser's verdicts are proxylab's scenarios, which the e2e suite
// also runs in Chromium; these tables hold what corscheck must add: the
// layer named from the evidence, the diagnosis, and the fix in that
// product's configuration language.

// start runs p in front of the application and returns its base URL and
// the upstreams behind it.
func start(t *testing.T, p proxylab.Product) (string, proxylab.Upstreams) {
	u := proxylab.NewUpstreams(t, pageOrigin)
	return p.Start(t, u), u
}

func TestBehindApache(t *testing.T) {
	base, u := start(t, proxylab.Apache)
	runProduct(t, proxylab.Apache, base, u, map[string]expect{
		"a faithful proxy":                       {},
		"upstream down":                          {named: true, diagnosis: diagGatewayError, fix: []string{"Header always"}},
		"upstream too slow":                      {named: true, diagnosis: diagGatewayError, fix: []string{"ProxyTimeout"}},
		"Header unset":                           {named: true, diagnosis: diagAllowOriginStripped, fix: []string{"Header unset"}},
		"Header add on top of the application's": {named: true, diagnosis: diagAllowOriginTwice, fix: []string{"Header"}},
		"Header set overwrites with *":           {named: true, diagnosis: diagProxyBreaksCORS, fix: []string{"Header set"}},
		"AllowMethods refuses OPTIONS":           {named: true, diagnosis: diagProxyRefusedOptions, fix: []string{"AllowMethods"}},
		"preflight redirected to login":          {diagnosis: diagAuthBeforeCORS, fix: []string{"RewriteCond %{REQUEST_METHOD} !OPTIONS"}},
		"Apache's own 404":                       {named: true, diagnosis: diagProxyErrorPage},
	})
}

func TestBehindHAProxy(t *testing.T) {
	base, u := start(t, proxylab.HAProxy)
	runProduct(t, proxylab.HAProxy, base, u, map[string]expect{
		"a faithful proxy":                       {},
		"upstream down":                          {named: true, diagnosis: diagGatewayError, fix: []string{"http-after-response"}},
		"timeout server":                         {named: true, diagnosis: diagGatewayError, fix: []string{"timeout server"}},
		"http-request deny 405 on OPTIONS":       {named: true, diagnosis: diagProxyRefusedOptions},
		"http-request return 200 on OPTIONS":     {diagnosis: diagPreflightWithoutCORS, probes: probes(1), cause: []string{"plain GET"}, fix: []string{"-direct"}},
		"http-response del-header":               {diagnosis: diagAllowOriginStripped, fix: []string{"-direct"}},
		"http-response add-header":               {diagnosis: diagAllowOriginTwice},
		"http-request del-header Origin":         {diagnosis: diagOriginNotAllowed, fix: []string{"-direct"}},
		"http-request deny 413 on the body size": {named: true, diagnosis: diagProxyErrorPage, cause: []string{"64-byte body"}, fix: []string{"req.body_size"}},
	})
}

func TestBehindVarnish(t *testing.T) {
	base, u := start(t, proxylab.Varnish)
	runProduct(t, proxylab.Varnish, base, u, map[string]expect{
		"a faithful cache":                    {},
		"backend fetch failed":                {named: true, diagnosis: diagGatewayError, fix: []string{"vcl_backend_error"}},
		"Vary unset in VCL":                   {named: true, diagnosis: diagCacheWithoutVary, probes: probes(1), fix: []string{"vcl_"}},
		"Vary unset, credentialed API":        {named: true, diagnosis: diagCacheWithoutVary, fix: []string{"vcl_"}},
		"preflight cached for another method": {named: true, diagnosis: diagCacheWithoutVary, cause: []string{"preflight answer stored for another method"}, fix: []string{"OPTIONS"}},
	})
}

func TestBehindSquid(t *testing.T) {
	base, u := start(t, proxylab.Squid)
	runProduct(t, proxylab.Squid, base, u, map[string]expect{
		"a faithful accelerator":            {},
		"cache_peer down":                   {named: true, diagnosis: diagGatewayError, fix: []string{"cache_peer"}},
		"ERR_READ_TIMEOUT":                  {named: true, diagnosis: diagGatewayError, fix: []string{"read_timeout"}},
		"http_access deny OPTIONS":          {named: true, diagnosis: diagProxyRefusedOptions, probes: probes(3), fix: []string{"http_access"}},
		"http_access deny for the path":     {named: true, diagnosis: diagBlockedBeforeCORS, probes: probes(1), cause: []string{"refused with 403 too"}, fix: []string{"http_access deny"}},
		"request_header_access Origin deny": {diagnosis: diagOriginNotAllowed, fix: []string{"-direct"}},
		"request_body_max_size":             {named: true, diagnosis: diagProxyErrorPage, cause: []string{"64-byte body"}, fix: []string{"request_body_max_size"}},
	})
}

func TestBehindCaddy(t *testing.T) {
	base, u := start(t, proxylab.Caddy)
	runProduct(t, proxylab.Caddy, base, u, map[string]expect{
		"a faithful proxy": {},
		"upstream down":    {named: true, diagnosis: diagGatewayError, fix: []string{"handle_errors"}},
		"header_down -Access-Control-Allow-Origin": {named: true, diagnosis: diagAllowOriginStripped, fix: []string{"header_down"}},
		"header_down +Access-Control-Allow-Origin": {named: true, diagnosis: diagAllowOriginTwice, fix: []string{"header_down"}},
		"header_down overwrites with *":            {named: true, diagnosis: diagProxyBreaksCORS, fix: []string{"header_down"}},
		"respond 200 to OPTIONS":                   {named: true, diagnosis: diagPreflightWithoutCORS, probes: probes(1), cause: []string{"plain GET"}, fix: []string{"respond"}},
	})
}
