package main

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// This file reads, from one response, which layer made it: a proxy's own
// error page, a cache, a CORS layer's refusal. The answers are evidence for
// diagnose.go, never a verdict.

// proxy is one row of the layer table: a reverse proxy, cache, load
// balancer, CDN or API gateway, how corscheck recognizes it, and the fix for
// each layer-neutral cause worded in its own configuration language. The
// diagnosis never branches on a name; it looks the wording up here.
type proxy struct {
	name    string
	server  string   // prefix of its Server header, lower case; "" when it sends none
	via     string   // text its Via entries have, lower case
	headers []string // response headers only it sends
	pages   []string // texts its own error pages have, lower case
	own     string   // a header it sets only on answers it made itself; it names the layer too
	cache   bool     // it stores responses
	fix     layerFix
}

// layerFix words each cause's fix for one layer; an empty field falls back
// to a generic sentence.
type layerFix struct {
	timeout    string // raise its upstream timeout
	errorCORS  string // add CORS headers to its own error pages
	strip      string // it removed Access-Control-Allow-Origin
	overwrite  string // it set or added Access-Control-Allow-Origin itself
	options    string // it refuses or answers OPTIONS itself
	auth       string // its authentication runs on preflights
	deny       string // it refuses the URL itself, whatever the method
	bodyLimit  string // its request body size limit
	cacheKey   string // put Origin in its cache key
	preflight  string // pass OPTIONS uncached
	errorsLook string // where its own errors are logged
}

// proxies are recognized in this order.
var proxies = []proxy{
	{name: "nginx", server: "nginx", pages: []string{"<center>nginx"}, fix: layerFix{
		timeout:    "nginx: proxy_read_timeout",
		errorCORS:  "nginx: add_header ... always, from a map of allowed origins; never echo $http_origin unchecked",
		strip:      "nginx: remove proxy_hide_header Access-Control-Allow-Origin",
		overwrite:  "nginx: remove add_header Access-Control-Allow-Origin, or add proxy_hide_header for it only where the application sets none",
		options:    "nginx: add OPTIONS to limit_except, or remove the 'if ($request_method = OPTIONS) { return ...; }'",
		auth:       "nginx: require auth for every method but OPTIONS (limit_except OPTIONS { auth_basic ...; }, or auth_request skipped for OPTIONS)",
		deny:       "nginx: the deny / allow, auth_request or 'return 403' that applies to this location",
		bodyLimit:  "nginx: client_max_body_size",
		cacheKey:   "nginx: remove proxy_ignore_headers Vary, or proxy_cache_key \"$scheme$host$request_uri$http_origin\"",
		preflight:  "nginx: proxy_cache_methods GET HEAD (never OPTIONS)",
		errorsLook: "nginx: 'connect() failed' or 'upstream timed out'",
	}},
	{name: "Apache httpd", server: "apache", pages: []string{"<address>apache"}, fix: layerFix{
		timeout:    "Apache httpd: ProxyTimeout, or timeout= on the ProxyPass",
		errorCORS:  "Apache httpd: Header always set Access-Control-Allow-Origin ... from a checked SetEnvIf Origin, 'always' covers its own errors",
		strip:      "Apache httpd: remove 'Header unset Access-Control-Allow-Origin' (or 'Header always unset')",
		overwrite:  "Apache httpd: remove 'Header set/add Access-Control-Allow-Origin', or make it conditional ('Header always unset' only what the application does not send)",
		options:    "Apache httpd: allow OPTIONS in AllowMethods / <Limit> / <LimitExcept>, and exempt OPTIONS from RewriteRule and auth with RewriteCond %{REQUEST_METHOD} !OPTIONS",
		auth:       "Apache httpd: <LimitExcept OPTIONS> Require valid-user </LimitExcept>, and RewriteCond %{REQUEST_METHOD} !OPTIONS before a login RewriteRule",
		deny:       "Apache httpd: the Require (or Deny) rules of the <Location> or <Directory> for this path, and mod_security's audit log",
		bodyLimit:  "Apache httpd: LimitRequestBody",
		cacheKey:   "Apache httpd mod_cache: honour Vary (do not CacheIgnoreHeaders Vary)",
		preflight:  "Apache httpd: do not cache OPTIONS",
		errorsLook: "Apache httpd's error_log (AH01102, AH01114: proxy errors and timeouts)",
	}},
	{name: "Envoy", server: "envoy", headers: []string{"X-Envoy-Upstream-Service-Time"}, pages: []string{"upstream connect error or disconnect/reset before headers"}, fix: layerFix{
		timeout:    "Envoy: the route's timeout",
		errorCORS:  "Envoy: the CORS filter (envoy.filters.http.cors) or local_reply_config to add the headers to local replies",
		strip:      "Envoy: remove response_headers_to_remove: Access-Control-Allow-Origin",
		overwrite:  "Envoy: remove response_headers_to_add for Access-Control-Allow-Origin",
		options:    "Envoy: route OPTIONS to the application, or let the CORS filter answer it",
		auth:       "Envoy: put the cors filter before ext_authz / jwt_authn in http_filters, so it answers preflights first",
		deny:       "Envoy: the RBAC filter's policies, or ext_authz's answer, for this route",
		bodyLimit:  "Envoy: the buffer filter's max_request_bytes",
		errorsLook: "Envoy's access log (response flags UF, UT, UH)",
	}},
	{name: "HAProxy", server: "haproxy", pages: []string{"no server is available to handle this request", "the server didn't respond in time", "a request was made of a resource using a request method not supported by that resource", "request forbidden by administrative rules", "the request entity exceeds the maximum allowed", "the server returned an invalid or incomplete response"}, fix: layerFix{
		timeout:    "HAProxy: timeout server",
		errorCORS:  "HAProxy: http-after-response set-header Access-Control-Allow-Origin ... if an allowed origin, which covers its own errors",
		strip:      "HAProxy: remove 'http-response del-header Access-Control-Allow-Origin'",
		overwrite:  "HAProxy: remove 'http-response set-header/add-header Access-Control-Allow-Origin'",
		options:    "HAProxy: remove the 'http-request deny' or 'http-request return' that matches METH_OPTIONS, so OPTIONS reaches the backend",
		auth:       "HAProxy: 'http-request auth ... unless METH_OPTIONS' (and the same for a redirect to the login)",
		deny:       "HAProxy: the 'http-request deny' whose ACL matches this path",
		bodyLimit:  "HAProxy: the http-request deny that tests req.body_size or req.hdr(content-length)",
		errorsLook: "HAProxy's log (termination state sH, SC, sQ)",
	}},
	{name: "Varnish", server: "varnish", via: "varnish", headers: []string{"X-Varnish"}, pages: []string{"guru meditation"}, cache: true, fix: layerFix{
		timeout:    "Varnish: the backend's .first_byte_timeout",
		errorCORS:  "Varnish: set the CORS headers in vcl_backend_error and vcl_synth from an allowed origin",
		strip:      "Varnish: remove 'unset beresp.http.Access-Control-Allow-Origin' (or resp.http...) from the VCL",
		overwrite:  "Varnish: remove 'set resp.http.Access-Control-Allow-Origin' from the VCL",
		options:    "Varnish: in vcl_recv, 'if (req.method == \"OPTIONS\") { return (pass); }' instead of return (synth(...))",
		auth:       "Varnish: skip the VCL's auth check for OPTIONS in vcl_recv",
		deny:       "Varnish: the return (synth(403)) in vcl_recv that matches this URL",
		cacheKey:   "Varnish: keep Vary (no 'unset beresp.http.Vary'), or hash_data(req.http.Origin) in vcl_hash",
		preflight:  "Varnish: 'if (req.method == \"OPTIONS\") { return (pass); }' in vcl_recv",
		errorsLook: "varnishlog -q 'RespStatus >= 500' (FetchError)",
	}},
	{name: "Squid", server: "squid", via: "(squid", headers: []string{"X-Squid-Error"}, pages: []string{"(squid/"}, own: "X-Squid-Error", cache: true, fix: layerFix{
		timeout:    "Squid: read_timeout, and connect_timeout on the cache_peer",
		errorCORS:  "Squid: reply_header_add Access-Control-Allow-Origin ... (Squid 5+) for its error pages",
		strip:      "Squid: remove 'reply_header_access Access-Control-Allow-Origin deny all'",
		overwrite:  "Squid: remove 'reply_header_add Access-Control-Allow-Origin' / reply_header_replace for it",
		options:    "Squid: let OPTIONS through: remove the 'http_access deny' that matches method OPTIONS",
		auth:       "Squid: an http_access allow for method OPTIONS before the proxy_auth rule",
		deny:       "Squid: the http_access deny rule that matches this URL (cache.log, access.log with ERR_ACCESS_DENIED)",
		bodyLimit:  "Squid: request_body_max_size",
		cacheKey:   "Squid: keep the application's Vary: Origin (no reply_header_access Vary deny all)",
		preflight:  "Squid: cache deny for method OPTIONS",
		errorsLook: "Squid's cache.log and access.log (the X-Squid-Error code, e.g. ERR_CONNECT_FAIL, ERR_READ_TIMEOUT)",
	}},
	{name: "Caddy", server: "caddy", fix: layerFix{
		timeout:    "Caddy: reverse_proxy { transport http { response_header_timeout } }",
		errorCORS:  "Caddy: a handle_errors block with header Access-Control-Allow-Origin for allowed origins",
		strip:      "Caddy: remove 'header_down -Access-Control-Allow-Origin' (or header -Access-Control-Allow-Origin)",
		overwrite:  "Caddy: remove 'header_down Access-Control-Allow-Origin ...' / 'header Access-Control-Allow-Origin ...'",
		options:    "Caddy: remove the 'respond @options ...' (or the matcher) so OPTIONS reaches reverse_proxy",
		auth:       "Caddy: basic_auth (or forward_auth) under a matcher that excludes OPTIONS (@auth not method OPTIONS)",
		deny:       "Caddy: the 'respond 403' or 'error 403' whose matcher covers this path",
		bodyLimit:  "Caddy: request_body { max_size }",
		errorsLook: "Caddy's log (the reverse_proxy error)",
	}},
	{name: "Traefik", server: "traefik", fix: layerFix{
		timeout:   "Traefik: serversTransport forwardingTimeouts.responseHeaderTimeout",
		errorCORS: "Traefik: the headers middleware's accessControlAllowOriginList",
		strip:     "Traefik: remove the headers middleware's customResponseHeaders Access-Control-Allow-Origin: \"\"",
		overwrite: "Traefik: remove the headers middleware's accessControlAllowOriginList or customResponseHeaders for it",
		options:   "Traefik: let the router match OPTIONS, or the headers middleware answer preflights",
		auth:      "Traefik: a router for OPTIONS without the auth middleware (BasicAuth/ForwardAuth), or the headers middleware before it",
		deny:      "Traefik: the IPAllowList (ipWhiteList) or auth middleware on this router",
		bodyLimit: "Traefik: the buffering middleware's maxRequestBodyBytes",
	}},
	{name: "Cloudflare", server: "cloudflare", headers: []string{"CF-Ray"}, cache: true, fix: layerFix{
		timeout:    "Cloudflare: the origin must answer within 100 s (524); Enterprise plans can raise the Proxy Read Timeout",
		errorsLook: "Cloudflare: look the CF-Ray id up in the dashboard's logs",
		errorCORS:  "Cloudflare: a Response Header Transform Rule or Worker that adds the CORS headers to error responses",
		strip:      "Cloudflare: remove the Transform Rule or Worker that removes Access-Control-Allow-Origin",
		overwrite:  "Cloudflare: remove the Transform Rule or Worker that sets Access-Control-Allow-Origin",
		options:    "Cloudflare: the WAF or a Worker refuses OPTIONS: exempt preflights",
		auth:       "Cloudflare Access: the application's CORS settings ('Bypass OPTIONS requests to origin')",
		deny:       "Cloudflare: the WAF, custom or rate-limiting rule that blocks it (Security > Events, by the CF-Ray)",
		bodyLimit:  "Cloudflare: the plan's upload limit (100 MB Free/Pro)",
		cacheKey:   "Cloudflare: a Cache Rule with a custom cache key that includes the Origin header",
	}},
	{name: "CloudFront", headers: []string{"X-Amz-Cf-Id"}, via: "cloudfront", cache: true, fix: layerFix{
		timeout:   "CloudFront: the origin's response timeout (OriginReadTimeout)",
		errorCORS: "CloudFront: a response headers policy with CORS (origin override off) for error responses",
		strip:     "CloudFront: remove the response headers policy that removes Access-Control-Allow-Origin",
		overwrite: "CloudFront: the response headers policy's CORS config with 'Origin override' on replaces the application's value: turn it off",
		options:   "CloudFront: allow OPTIONS in the behaviour's Allowed HTTP methods (GET, HEAD, OPTIONS, ...)",
		auth:      "CloudFront: the CloudFront Function or Lambda@Edge that checks auth must let OPTIONS through",
		deny:      "CloudFront: the AWS WAF web ACL or the geographic restriction on the distribution",
		cacheKey:  "CloudFront: a cache policy that includes the Origin header (and OPTIONS in cached methods only with it)",
		preflight: "CloudFront: cache OPTIONS only with Origin, Access-Control-Request-Method and -Headers in the cache key",
	}},
	{name: "Fastly", headers: []string{"X-Served-By", "Fastly-Debug-Digest"}, cache: true, fix: layerFix{
		timeout:   "Fastly: the backend's first_byte_timeout",
		errorCORS: "Fastly: set the CORS headers in vcl_error / vcl_deliver from an allowed origin",
		strip:     "Fastly: remove the 'unset resp.http.Access-Control-Allow-Origin' from the service's VCL",
		overwrite: "Fastly: remove the header rule that sets Access-Control-Allow-Origin",
		options:   "Fastly: return (pass) for OPTIONS in vcl_recv",
		auth:      "Fastly: skip the VCL's auth check for OPTIONS in vcl_recv",
		deny:      "Fastly: the VCL or Next-Gen WAF rule that answers 403",
		cacheKey:  "Fastly: keep Vary: Origin, or add req.http.Origin to the hash in vcl_hash",
		preflight: "Fastly: return (pass) for OPTIONS in vcl_recv",
	}},
	// X-Amzn-ErrorType marks gateway responses, the answers API Gateway
	// makes itself: MissingAuthenticationTokenException when the resource
	// has no such method (a REST API without OPTIONS) or IAM auth runs on it.
	{name: "AWS API Gateway", headers: []string{"X-Amz-Apigw-Id", "X-Amzn-RequestId"}, own: "X-Amzn-ErrorType", fix: layerFix{
		timeout:    "API Gateway: the integration timeout (29 s by default)",
		errorCORS:  "API Gateway: gateway responses (DEFAULT_4XX, DEFAULT_5XX) with Access-Control-Allow-Origin",
		strip:      "API Gateway: the integration response's header mappings drop Access-Control-Allow-Origin: map it through",
		overwrite:  "API Gateway: turn off 'Enable CORS' (or the HTTP API's cors config) when the application sets the headers itself",
		options:    "API Gateway: an OPTIONS method (or the HTTP API's cors config), without authorizer",
		auth:       "API Gateway: no authorizer or API key on the OPTIONS method (an HTTP API's cors config answers preflights before authorizers)",
		deny:       "API Gateway: 'Missing Authentication Token' to every method means the URL names no resource: check the stage (/prod) and the resource path; otherwise the resource policy, API key or WAF",
		bodyLimit:  "API Gateway: the 10 MB payload limit",
		errorsLook: "API Gateway: the stage's execution and access logs in CloudWatch, by the x-amzn-RequestId",
	}},
	{name: "AWS Elastic Load Balancing", server: "awselb", fix: layerFix{
		timeout: "AWS ALB: the load balancer's idle timeout and the targets' health",
		options: "AWS ALB: a listener rule that returns a fixed response for OPTIONS: remove it",
		auth:    "AWS ALB: a listener rule for OPTIONS ahead of the one with the authenticate-oidc / authenticate-cognito action",
		deny:    "AWS ALB: a listener rule's fixed 403 response, or the AWS WAF web ACL on the load balancer",
	}},
}

// anyLayer words each fix when no layer is recognized: in no product's
// terms, since naming one would guess.
var anyLayer = layerFix{
	timeout:    "its upstream or backend response timeout",
	errorCORS:  "a rule that adds them to the proxy's own error responses, for allowed origins only",
	strip:      "a header rule at the proxy, gateway or CDN that removes Access-Control-Allow-Origin",
	overwrite:  "the header rule at the proxy, gateway or CDN that sets Access-Control-Allow-Origin",
	options:    "the rule at the proxy or gateway that answers or refuses OPTIONS before the application",
	auth:       "the authentication rule in front of the application: at a proxy, a gateway or in a middleware",
	deny:       "the access rule at that layer (a firewall, an API gateway's policy, a CSRF guard)",
	bodyLimit:  "the proxy's request body size limit",
	cacheKey:   "honour Vary: Origin, or add the Origin header to the cache key",
	preflight:  "do not cache OPTIONS, or key it on Origin and Access-Control-Request-*",
	errorsLook: "its error log: a refused connection or an upstream timeout",
}

// layerEvidence names a layer and the header or body text that named it.
type layerEvidence struct {
	p        *proxy
	evidence string
}

// layerOf names the layer that resp passed through or came from, and why:
// first the layer that made the answer, by its error page or the header it
// sets only on its own answers, then its other headers, Server, Via. A
// layer in front that passes the answer on (CloudFront before an
// edge-optimized API Gateway) must not take the blame for it.
func layerOf(resp response) layerEvidence {
	body := strings.ToLower(resp.body)
	for i := range proxies {
		p := &proxies[i]
		for _, page := range p.pages {
			if strings.Contains(body, page) {
				return layerEvidence{p, "its error page (" + strconv.Quote(page) + ")"}
			}
		}
	}
	for i := range proxies {
		p := &proxies[i]
		if v := resp.header.Get(p.own); p.own != "" && v != "" {
			return layerEvidence{p, p.own + ": " + clip(v, 40)}
		}
	}
	for i := range proxies {
		p := &proxies[i]
		for _, name := range p.headers {
			if v := resp.header.Get(name); v != "" {
				return layerEvidence{p, name + ": " + clip(v, 40)}
			}
		}
	}
	server := strings.ToLower(resp.header.Get("Server"))
	for i := range proxies {
		if p := &proxies[i]; p.server != "" && strings.HasPrefix(server, p.server) {
			return layerEvidence{p, "Server: " + clip(resp.header.Get("Server"), 40)}
		}
	}
	via := strings.ToLower(strings.Join(resp.header.Values("Via"), ", "))
	for i := range proxies {
		if p := &proxies[i]; p.via != "" && strings.Contains(via, p.via) {
			return layerEvidence{p, "Via: " + clip(strings.Join(resp.header.Values("Via"), ", "), 60)}
		}
	}
	return layerEvidence{}
}

// proxyPage returns the proxy whose own error page resp is, if any: the
// proxy answered, and the application never saw the request.
func proxyPage(resp response) (string, bool) {
	body := strings.ToLower(resp.body)
	for _, p := range proxies {
		if p.own != "" && resp.header.Get(p.own) != "" {
			return p.name, true
		}
		for _, page := range p.pages {
			if strings.Contains(body, page) {
				return p.name, true
			}
		}
	}
	return "", false
}

// loginLocation reports whether a redirect's target looks like a login
// page: authentication ran before CORS.
func loginLocation(location string) bool {
	l := strings.ToLower(location)
	for _, word := range []string{"login", "signin", "sign-in", "sso", "oauth", "authorize", "/auth"} {
		if strings.Contains(l, word) {
			return true
		}
	}
	return false
}

// cacheSuggested reports whether anything in h suggests a cache on the
// way, stored or not: Age, X-Cache*, CF-Cache-Status, a caching layer's
// own header or Via entry.
func cacheSuggested(resp response) bool {
	h := resp.header
	for _, name := range []string{"Age", "X-Cache", "X-Cache-Status", "CF-Cache-Status", "X-Varnish", "X-Served-By", "X-Amz-Cf-Id", "X-Cache-Lookup"} {
		if h.Get(name) != "" {
			return true
		}
	}
	l := layerOf(resp)
	return l.p != nil && l.p.cache
}

// otherCORSHeaders lists the Access-Control-* response headers of h other
// than Access-Control-Allow-Origin, in canonical form and sorted order.
func otherCORSHeaders(h http.Header) []string {
	var names []string
	for name := range h {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "access-control-") && lower != "access-control-allow-origin" {
			names = append(names, http.CanonicalHeaderKey(name))
		}
	}
	sort.Strings(names)
	return names
}

// variesByOrigin reports whether the Vary header lists Origin (or "*").
func variesByOrigin(h http.Header) bool {
	for _, line := range h.Values("Vary") {
		for _, item := range strings.Split(line, ",") {
			item = strings.TrimSpace(item)
			if strings.EqualFold(item, "Origin") || item == "*" {
				return true
			}
		}
	}
	return false
}

// corsLayerRefusal reports whether a preflight's 403 has the shape a CORS
// middleware gives a refusal: no CORS header, no body, and Vary: Origin,
// which says the answer was made for this origin. corsguard refuses an
// origin this way; a firewall, an auth layer or a proxy writes a body.
func corsLayerRefusal(resp response) bool {
	return resp.status == http.StatusForbidden && resp.body == "" && len(otherCORSHeaders(resp.header)) == 0 &&
		resp.header.Get("Access-Control-Allow-Origin") == "" && variesByOrigin(resp.header)
}

// cacheSignals lists the headers by which a cache says it served resp from
// storage: Age above zero, or an X-Cache, X-Cache-Status or CF-Cache-Status
// that says HIT.
func cacheSignals(h http.Header) []string {
	var out []string
	if age := h.Get("Age"); age != "" && age != "0" {
		out = append(out, "Age: "+clip(age, 20))
	}
	for _, name := range []string{"X-Cache", "X-Cache-Status", "CF-Cache-Status"} {
		if v := h.Get(name); strings.Contains(strings.ToUpper(v), "HIT") {
			out = append(out, name+": "+clip(v, 40))
		}
	}
	return out
}

// Kinds of redirect, for the advice.
const (
	redirectOther         = ""
	redirectToHTTPS       = "https"
	redirectTrailingSlash = "trailing_slash"
)

// redirectKind tells an http-to-https upgrade and a trailing-slash
// normalization from other redirects.
func redirectKind(from *url.URL, location string) string {
	to, err := from.Parse(location)
	if err != nil {
		return redirectOther
	}
	switch {
	case strings.EqualFold(from.Scheme, "http") && strings.EqualFold(to.Scheme, "https") && strings.EqualFold(from.Hostname(), to.Hostname()):
		return redirectToHTTPS
	case strings.EqualFold(from.Host, to.Host) && from.Scheme == to.Scheme &&
		(to.Path == from.Path+"/" || from.Path == to.Path+"/"):
		return redirectTrailingSlash
	}
	return redirectOther
}

// statusLine formats "403 Forbidden".
func statusLine(status int) string {
	return strings.TrimSpace(strconv.Itoa(status) + " " + http.StatusText(status))
}
