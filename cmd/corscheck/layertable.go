package main

// This file is the layer table: how corscheck recognizes the products it
// knows, and each fix in their configuration language. It only adds
// wording: every cause fires on evidence alone (layer.go names a layer the
// table lacks by its Server or Via), and a test removes each row in turn.

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
	headers    string // its request-header buffer size
	urlLimit   string // its request-line (URL length) limit
	origin     string // it drops or rewrites the Origin request header
	pathMap    string // it maps the path (strips, adds or rewrites a prefix)
	cacheKey   string // put Origin in its cache key
	preflight  string // pass OPTIONS uncached
	errorsLook string // where its own errors are logged
}

// proxies are recognized in this order.
var proxies = []proxy{
	{name: "nginx", server: "nginx", pages: []string{"<center>nginx"}, fix: layerFix{
		headers:    "nginx: large_client_header_buffers",
		urlLimit:   "nginx: large_client_header_buffers (the URL counts too)",
		origin:     "nginx: a proxy_set_header Origin ..., or proxy_pass_request_headers off",
		pathMap:    "nginx: the URI part of proxy_pass: 'proxy_pass http://app/;' with a trailing slash replaces the location's prefix, without one passes it on",
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
		headers:    "Apache httpd: LimitRequestFieldSize and LimitRequestFields",
		urlLimit:   "Apache httpd: LimitRequestLine",
		origin:     "Apache httpd: 'RequestHeader unset Origin' or 'RequestHeader set Origin ...'",
		pathMap:    "Apache httpd: the ProxyPass path mapping (both sides must end alike, with or without a slash) and any RewriteRule [P]",
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
		headers:    "Envoy: max_request_headers_kb on the HTTP connection manager",
		urlLimit:   "Envoy: max_request_headers_kb",
		origin:     "Envoy: request_headers_to_remove: Origin",
		pathMap:    "Envoy: the route's prefix_rewrite or regex_rewrite",
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
		headers:    "HAProxy: tune.bufsize and tune.http.maxhdr",
		urlLimit:   "HAProxy: tune.bufsize",
		origin:     "HAProxy: 'http-request del-header Origin' or 'http-request set-header Origin ...'",
		pathMap:    "HAProxy: 'http-request set-path', 'replace-path' or 'set-uri' for this backend",
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
		headers:    "Varnish: http_req_hdr_len and http_req_size",
		urlLimit:   "Varnish: http_req_size",
		origin:     "Varnish: 'unset req.http.Origin' or 'set req.http.Origin = ...' in vcl_recv",
		pathMap:    "Varnish: the req.url rewrite in vcl_recv (regsub on req.url)",
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
		headers:    "Squid: request_header_max_size",
		urlLimit:   "Squid: request_header_max_size",
		origin:     "Squid: 'request_header_access Origin deny all' or request_header_replace Origin",
		pathMap:    "Squid: the url_rewrite_program or the cache_peer's path",
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
		headers:    "Caddy: the server's max_header_size",
		urlLimit:   "Caddy: the server's max_header_size",
		origin:     "Caddy: 'header_up -Origin' or 'header_up Origin ...' on reverse_proxy",
		pathMap:    "Caddy: handle_path (which strips the matched prefix) or 'uri strip_prefix' before reverse_proxy",
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
		origin:    "Traefik: the headers middleware's customRequestHeaders Origin",
		pathMap:   "Traefik: the StripPrefix, AddPrefix or ReplacePath middleware on this router",
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

// anyLayer words each fix in the terms every front server shares: a
// layer named by evidence but not in the table gets these, after its name.
var anyLayer = layerFix{
	timeout:    "its upstream or backend response timeout",
	errorCORS:  "a rule that adds the CORS headers to the proxy's own error responses too, for allowed origins only",
	strip:      "its response-header rule that removes Access-Control-Allow-Origin",
	overwrite:  "its response-header rule that sets or adds Access-Control-Allow-Origin",
	options:    "its OPTIONS rule: the access, method or routing rule that answers or refuses OPTIONS before the application",
	auth:       "its authentication rule: skip it for OPTIONS requests that carry Access-Control-Request-Method",
	deny:       "its access rule for this path (an allow or deny list, a firewall, a gateway policy)",
	bodyLimit:  "its request-size limit (the largest request body it accepts)",
	headers:    "its header-buffer size (the largest request header, or all of them together, that it accepts)",
	urlLimit:   "its request-line limit (the longest URL it accepts)",
	origin:     "its request-header rule: pass the Origin request header on unchanged",
	pathMap:    "its path mapping: the prefix it strips, adds or rewrites before passing the request on",
	cacheKey:   "its cache key: honour Vary: Origin, or add the Origin header to the cache key",
	preflight:  "do not cache OPTIONS, or key it on Origin and Access-Control-Request-*",
	errorsLook: "its error log: a refused connection or an upstream timeout",
}
