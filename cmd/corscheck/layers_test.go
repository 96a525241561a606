package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests hold the layer table (layertable.go) against loopback Go servers
// that send each layer's documented headers: the cause names the layer and
// the evidence, and the fix is worded in the layer's own configuration
// language, never nginx's when another layer answered.

// layerCase is a failing answer as one layer writes it.
type layerCase struct {
	layer  string
	status int
	header http.Header
	body   string
	named  string   // evidence the cause must quote
	fix    []string // words of the layer's configuration language
}

func TestLayerTableGatewayErrors(t *testing.T) {
	cases := []layerCase{
		{layer: "Apache httpd", status: 503, header: hdr("Server", "Apache/2.4.71 (Debian)"), named: "Server: Apache", fix: []string{"ProxyTimeout", "Header always set"}},
		{layer: "HAProxy", status: 503, body: "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>", named: `its error page ("no server is available to handle this request")`, fix: []string{"timeout server", "http-after-response"}},
		{layer: "Varnish", status: 503, header: hdr("Server", "Varnish", "X-Varnish", "32770"), body: "<h1>Error 503 Backend fetch failed</h1><p>Guru Meditation:</p>", named: `its error page ("guru meditation")`, fix: []string{"first_byte_timeout", "vcl_backend_error"}},
		{layer: "Squid", status: 503, header: hdr("Server", "squid/5.7", "X-Squid-Error", "ERR_CONNECT_FAIL 111", "Via", "1.1 host (squid/5.7)"), named: "X-Squid-Error: ERR_CONNECT_FAIL", fix: []string{"read_timeout", "cache_peer"}},
		{layer: "Caddy", status: 502, header: hdr("Server", "Caddy"), named: "Server: Caddy", fix: []string{"response_header_timeout", "handle_errors"}},
		{layer: "Traefik", status: 504, header: hdr("Server", "traefik"), named: "Server: traefik", fix: []string{"responseHeaderTimeout"}},
		{layer: "Envoy", status: 503, header: hdr("Server", "envoy"), body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure", named: `its error page ("upstream connect error or disconnect/reset before headers")`, fix: []string{"route's timeout", "local_reply_config"}},
		{layer: "Cloudflare", status: 502, header: hdr("Server", "cloudflare", "CF-Ray", "8a1b2c3d4e5f6a7b-AMS"), named: "CF-Ray: 8a1b", fix: []string{"Transform Rule"}},
		{layer: "CloudFront", status: 504, header: hdr("X-Amz-Cf-Id", "abcDEF==", "Via", "1.1 abc.cloudfront.net (CloudFront)", "X-Cache", "Error from cloudfront"), named: "X-Amz-Cf-Id", fix: []string{"OriginReadTimeout", "response headers policy"}},
		{layer: "Fastly", status: 503, header: hdr("X-Served-By", "cache-ams21080-AMS", "X-Cache", "MISS"), named: "X-Served-By: cache-ams", fix: []string{"first_byte_timeout", "vcl_error"}},
		{layer: "AWS API Gateway", status: 504, header: hdr("X-Amzn-RequestId", "f1e2", "X-Amz-Apigw-Id", "Abc="), named: "X-Amz-Apigw-Id", fix: []string{"integration timeout", "gateway responses"}},
		{layer: "AWS Elastic Load Balancing", status: 502, header: hdr("Server", "awselb/2.0"), named: "Server: awselb", fix: []string{"idle timeout"}},
	}
	for _, tt := range cases {
		t.Run(tt.layer, func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for name, values := range tt.header {
					w.Header()[name] = values
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			eachTable(t, tt.layer, func(tr tableRun) {
				_, res := runJSON(tr.T, "-origin", pageOrigin, srv.URL+"/api")
				require.NotNil(tr, res.Failure)
				f := res.Failure
				assert.Equal(tr, diagGatewayError, f.Diagnosis)
				tr.contains(f.Cause, tt.layer, tt.named)
				tr.contains(f.Fix, tt.fix...)
				tr.namedBy(f.Cause, evidenceName(tt.header))
				assert.NotContains(tr, f.Fix, "nginx")
				assert.NotContains(tr, f.Fix, "proxy_read_timeout")
			})
		})
	}
}

// A layer that strips Access-Control-Allow-Origin, or adds a second one,
// gets the fix in its own words.
func TestLayerTableHeaderRules(t *testing.T) {
	cases := []struct {
		name      string
		row       string
		header    http.Header
		diagnosis Diagnosis
		fix       []string
	}{
		{"Apache unset", "Apache httpd", headerCopy(with(goodActual(), "Access-Control-Allow-Origin")).clone("Server", "Apache/2.4.71 (Debian)"), diagAllowOriginStripped, []string{"Header unset", "-direct"}},
		{"Caddy header_down -", "Caddy", headerCopy(with(goodActual(), "Access-Control-Allow-Origin")).clone("Server", "Caddy"), diagAllowOriginStripped, []string{"header_down -Access-Control-Allow-Origin"}},
		{"Squid reply_header_access", "Squid", headerCopy(with(goodActual(), "Access-Control-Allow-Origin")).clone("Via", "1.1 proxy (squid/5.7)"), diagAllowOriginStripped, []string{"reply_header_access"}},
		{"Varnish unset", "Varnish", headerCopy(with(goodActual(), "Access-Control-Allow-Origin")).clone("Via", "1.1 varnish (Varnish/7.1)", "X-Varnish", "5 3"), diagAllowOriginStripped, []string{"unset beresp.http"}},
		{"HAProxy add twice", "HAProxy", headerCopy(with(goodActual(), "Access-Control-Allow-Origin", pageOrigin, "*")).clone("Server", "haproxy"), diagAllowOriginTwice, []string{"http-response set-header"}},
		{"Apache add twice", "Apache httpd", headerCopy(with(goodActual(), "Access-Control-Allow-Origin", pageOrigin, "*")).clone("Server", "Apache"), diagAllowOriginTwice, []string{"Header set/add"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, &behaviour{actual: tt.header})
			eachTable(t, tt.row, func(tr tableRun) {
				_, res := runJSON(tr.T, "-origin", pageOrigin, "-credentials", srv.URL+"/api")
				require.NotNil(tr, res.Failure)
				assert.Equal(tr, tt.diagnosis, res.Failure.Diagnosis, res.Failure.Cause)
				assert.Contains(tr, res.Failure.Cause, "Layer: ")
				tr.contains(res.Failure.Fix, tt.fix...)
				tr.namedBy(res.Failure.Cause, evidenceName(tt.header))
				assert.NotContains(tr, res.Failure.Fix, "nginx")
			})
		})
	}
}

// clone returns a copy of h with the pairs added.
func (h headerCopy) clone(kv ...string) http.Header {
	c := http.Header(h).Clone()
	for i := 0; i+1 < len(kv); i += 2 {
		c.Add(kv[i], kv[i+1])
	}
	return c
}

// A handler's 500 that carries CORS headers is readable by the script, and
// still a server error: the verdict says both.
func TestAllowedServerErrorSaysBoth(t *testing.T) {
	srv := serve(t, &behaviour{status: http.StatusInternalServerError, actual: goodActual()})
	code, out, _ := runCLI("-origin", pageOrigin, srv.URL+"/api")
	assert.Equal(t, exitAllowed, code)
	assert.Contains(t, out, "Verdict: ALLOWED")
	assert.Contains(t, out, "But the server failed: it answered 500 Internal Server Error")
	assert.Contains(t, out, "not a CORS problem")
	assert.Contains(t, out, "corscheck sent 1 request(s).")
}

// answerPreflight answers a preflight as a correct CORS layer does, and
// reports whether r was one.
func answerPreflight(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodOptions {
		return false
	}
	for name, values := range goodPreflight() {
		w.Header()[name] = values
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

// -data and -body-size send a body with the actual request only, never
// with the preflight, so a proxy's 413 is reproducible.
func TestBodyFlags(t *testing.T) {
	var sizes []int64
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if answerPreflight(w, r) {
			return
		}
		sizes = append(sizes, r.ContentLength)
		if r.ContentLength > 1000 {
			w.Header().Set("Server", "squid/5.7")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_, _ = w.Write([]byte("<p>Generated Wed, 02 Dec 2026 14:00:00 GMT by proxy (squid/5.7)</p>"))
			return
		}
		for name, values := range goodActual() {
			w.Header()[name] = values
		}
	}))
	_, res := runJSON(t, "-origin", pageOrigin, "-method", "PUT", "-data", "small", srv.URL+"/api")
	assert.Nil(t, res.Failure)
	eachTable(t, "Squid", func(tr tableRun) {
		_, res := runJSON(tr.T, "-origin", pageOrigin, "-method", "PUT", "-body-size", "5000", srv.URL+"/api")
		require.NotNil(tr, res.Failure)
		assert.Equal(tr, diagProxyErrorPage, res.Failure.Diagnosis)
		tr.contains(res.Failure.Cause, "5000-byte body")
		tr.contains(res.Failure.Fix, "request_body_max_size", "Raise the limit at that layer")
		tr.namedBy(res.Failure.Cause, "Server")
	})
	assert.Equal(t, []int64{5, 5000, 5000}, sizes)

	code, _, stderr := runCLI("-origin", pageOrigin, "-data", "x", "-body-size", "3", srv.URL)
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "not both")
	_, _, stderr = runCLI("-origin", pageOrigin, "-data", "@/nonexistent/corscheck", srv.URL)
	assert.Contains(t, stderr, "-data")
	assert.True(t, strings.Contains(stderr, "no such file"))
}

// HAProxy's own error pages carry no Server header: its 413 is named by
// the page's text, and the fix is HAProxy's.
func TestHAProxyBodyLimitPage(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if answerPreflight(w, r) {
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		_, _ = w.Write([]byte("<html><body><h1>413 Payload Too Large</h1>\nThe request entity exceeds the maximum allowed.\n</body></html>\n"))
	}))
	eachTable(t, "HAProxy", func(tr tableRun) {
		_, res := runJSON(tr.T, "-origin", pageOrigin, "-method", "PUT", "-body-size", "64", srv.URL+"/api")
		require.NotNil(tr, res.Failure)
		assert.Equal(tr, diagProxyErrorPage, res.Failure.Diagnosis)
		tr.contains(res.Failure.Cause, "HAProxy", "64-byte body")
		tr.contains(res.Failure.Fix, "req.body_size")
		if tr.loo {
			// No Server, no Via: its HTML page differs from the
			// application's answer to the preflight.
			assert.Contains(tr, res.Failure.Cause, "named by its answer, unlike the application's own (an HTML page")
		}
	})
}

// Authentication in front of CORS is fixed where it runs: in the named
// layer's terms, or, with no layer named, by moving the middleware.
func TestAuthBeforeCORSInTheLayersTerms(t *testing.T) {
	for _, tt := range []struct {
		name   string
		row    string
		header http.Header
		body   string
		cause  string
		fix    []string
	}{
		{"API Gateway's authorizer", "AWS API Gateway", hdr("X-Amzn-RequestId", "f1e2", "X-Amzn-ErrorType", "UnauthorizedException", "Content-Type", "application/json"), `{"message":"Unauthorized"}`,
			"AWS API Gateway answered the preflight with 401", []string{"through the authentication at AWS API Gateway", "no authorizer"}},
		{"Caddy's basic_auth", "Caddy", hdr("Server", "Caddy", "Www-Authenticate", `Basic realm="restricted"`), "",
			"Caddy answered the preflight with 401", []string{"not method OPTIONS"}},
		{"an unknown layer", "", hdr("Www-Authenticate", `Bearer realm="api"`), "",
			"The server answered the preflight with 401", []string{"Put the CORS middleware in front of (outside) authentication"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for name, values := range tt.header {
					w.Header()[name] = values
				}
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(tt.body))
			}))
			eachTable(t, tt.row, func(tr tableRun) {
				_, res := runJSON(tr.T, "-origin", pageOrigin, "-method", "PUT", srv.URL+"/api")
				require.NotNil(tr, res.Failure)
				assert.Equal(tr, diagAuthBeforeCORS, res.Failure.Diagnosis)
				tr.contains(res.Failure.Cause, tt.cause)
				tr.contains(res.Failure.Fix, tt.fix...)
				tr.namedBy(res.Failure.Cause, evidenceName(tt.header))
			})
		})
	}
}

type headerCopy http.Header

// A proxy's own 405 page to OPTIONS is the proxy's refusal, not the
// router's; a preflight redirected to a login is authentication before
// CORS, not a URL to call.
func TestLayerRefusesPreflight(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		header    http.Header
		body      string
		diagnosis Diagnosis
		cause     []string
		fix       []string
		row       string
	}{
		{"HAProxy 405 page", 405, nil, "<html><body><h1>405 Method Not Allowed</h1>\nA request was made of a resource using a request method not supported by that resource\n</body></html>\n<!-- No server is available to handle this request. -->", diagProxyRefusedOptions, []string{"HAProxy"}, []string{"METH_OPTIONS"}, "HAProxy"},
		{"Apache 405 page", 405, hdr("Server", "Apache/2.4.71 (Debian)", "Allow", "GET,POST,PUT"), "<address>Apache/2.4.71 (Debian) Server at 127.0.0.1</address>", diagProxyRefusedOptions, []string{"Apache httpd"}, []string{"AllowMethods"}, "Apache httpd"},
		{"Squid 403 ERR_ACCESS_DENIED", 403, hdr("Server", "squid/5.7", "X-Squid-Error", "ERR_ACCESS_DENIED 0"), "Generated by proxy (squid/5.7)", diagProxyRefusedOptions, []string{"Squid"}, []string{"http_access"}, "Squid"},
		// A REST API resource without an OPTIONS method (or with IAM auth on
		// it): API Gateway's own gateway response, while the integration
		// answers GET with CORS headers.
		{"API Gateway Missing Authentication Token", 403, apiGatewayRefusal(), `{"message":"Missing Authentication Token"}`, diagProxyRefusedOptions,
			[]string{"AWS API Gateway refused the OPTIONS request itself with 403 Forbidden", "while a plain GET from " + pageOrigin + " passes", "named by X-Amzn-ErrorType: MissingAuthenticationTokenException"},
			[]string{"API Gateway: an OPTIONS method (or the HTTP API's cors config), without authorizer"}, "AWS API Gateway"},
		// Edge-optimized: CloudFront passes API Gateway's answer on, and
		// must not be blamed for it.
		{"API Gateway behind CloudFront", 403, headerCopy(apiGatewayRefusal()).clone("Via", "1.1 abc.cloudfront.net (CloudFront)", "X-Amz-Cf-Id", "abcDEF==", "X-Cache", "Error from cloudfront"), `{"message":"Missing Authentication Token"}`, diagProxyRefusedOptions,
			[]string{"AWS API Gateway refused the OPTIONS request itself", "named by X-Amzn-ErrorType"},
			[]string{"API Gateway: an OPTIONS method"}, "AWS API Gateway"},
		{"login redirect", 302, hdr("Server", "Apache/2.4.71 (Debian)", "Location", "/sso/login?next=/api"), "", diagAuthBeforeCORS, []string{"redirected", "login page", "authentication runs before CORS"}, []string{"Exempt OPTIONS", "RewriteCond %{REQUEST_METHOD} !OPTIONS"}, "Apache httpd"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodOptions {
					for name, values := range tt.header {
						w.Header()[name] = values
					}
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body))
					return
				}
				for name, values := range goodActual() {
					w.Header()[name] = values
				}
			}))
			eachTable(t, tt.row, func(tr tableRun) {
				_, res := runJSON(tr.T, "-origin", pageOrigin, "-method", "PUT", srv.URL+"/api")
				require.NotNil(tr, res.Failure)
				assert.Equal(tr, tt.diagnosis, res.Failure.Diagnosis, res.Failure.Cause)
				tr.contains(res.Failure.Cause, tt.cause...)
				tr.contains(res.Failure.Fix, tt.fix...)
				assert.NotContains(tr, res.Failure.Fix, "Call ")
				assert.NotContains(tr, res.Failure.Fix, "limit_except")
				assert.NotContains(tr, res.Failure.Fix, "CloudFront")
				if tr.loo {
					assert.Contains(tr, res.Failure.Cause, "named by ", "the layer is named from its own evidence")
				}
			})
		})
	}
}

// apiGatewayRefusal is the header of a REST API's gateway response to a
// method the resource does not have: 403, {"message":"Missing
// Authentication Token"}.
func apiGatewayRefusal() http.Header {
	return hdr(
		"Content-Type", "application/json",
		"X-Amzn-RequestId", "5b0c8d1e-6f2a-4b3c-9d4e-0f1a2b3c4d5e",
		"X-Amz-Apigw-Id", "Ab1CdEfGhIjKlMn=",
		"X-Amzn-ErrorType", "MissingAuthenticationTokenException",
	)
}

// A layer that refuses the URL itself, for every method, is named with the
// rule to look for: API Gateway's 403 to an unknown path or stage.
func TestLayerRefusesTheURL(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for name, values := range apiGatewayRefusal() {
			w.Header()[name] = values
		}
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"Missing Authentication Token"}`))
	}))
	eachTable(t, "AWS API Gateway", func(tr tableRun) {
		_, res := runJSON(tr.T, "-origin", pageOrigin, "-method", "PUT", "-H", "X-Api-Key: k", srv.URL+"/v1/items")
		require.NotNil(tr, res.Failure)
		assert.Equal(tr, diagBlockedBeforeCORS, res.Failure.Diagnosis)
		tr.contains(res.Failure.Cause, "AWS API Gateway refuses the preflight with its own 403", "refuses the preflight with its own 403, and a plain GET from "+pageOrigin+" is refused with 403 too")
		tr.contains(res.Failure.Fix, "check the stage (/prod) and the resource path")
		tr.contains(res.Failure.Cause, "named by X-Amzn-ErrorType: MissingAuthenticationTokenException")
		assert.Equal(tr, 1, countSteps(res, kindProbe), "one plain GET tells it")
	})
}

// What a proxy did must not be blamed on the application: '*' written over
// a credentialed application's value, OPTIONS answered by the proxy while a
// plain GET passes, a request whose Origin the proxy may have dropped, and
// an error that left without the proxy-added CORS headers.
func TestLayerAnswersNotBlamedOnApp(t *testing.T) {
	stripped := goodActual()
	stripped.Del("Access-Control-Allow-Origin")
	cases := []struct {
		name      string
		row       string
		by        string // what names the layer without its row
		args      []string
		srv       http.Handler
		diagnosis Diagnosis
		cause     []string
		fix       []string
		notFix    []string
	}{
		{
			name: "Apache Header set ACAO * over a credentialed app", row: "Apache httpd", by: "Server", args: []string{"-credentials"},
			srv:       &behaviour{actual: headerCopy(with(goodActual(), "Access-Control-Allow-Origin", "*")).clone("Server", "Apache/2.4.71 (Debian)")},
			diagnosis: diagProxyBreaksCORS, cause: []string{"Apache httpd wrote 'Access-Control-Allow-Origin: *' over", "named by Server: Apache"},
			fix: []string{"Header set/add", "-direct"}, notFix: []string{"AllowedOrigins"},
		},
		{
			name: "Caddy respond 200 to OPTIONS, plain GET allowed", row: "Caddy", by: "Server", args: []string{"-method", "PUT"},
			srv:       &behaviour{preflightStatus: 200, preflight: hdr("Server", "Caddy"), actual: goodActual()},
			diagnosis: diagPreflightWithoutCORS, cause: []string{"plain GET", "answered OPTIONS itself", "Caddy"},
			fix: []string{"respond @options", "-direct"}, notFix: []string{"allowed origins"},
		},
		{
			name: "Squid may drop Origin", row: "Squid", by: "Via", srv: &behaviour{actual: hdr("Via", "1.1 proxy (squid/5.7)")},
			diagnosis: diagOriginNotAllowed, cause: []string{"Layer: Squid, named by Via"}, fix: []string{"-direct"},
		},
		{
			name: "nginx add_header without always, 500", row: "nginx", by: "Server", srv: &behaviour{status: 500, actual: hdr("Server", "nginx/1.26.3")},
			diagnosis: diagErrorWithoutCORS, fix: []string{"add_header ... always", "-direct", "If the application sets them"},
		},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.srv)
			eachTable(t, tt.row, func(tr tableRun) {
				_, res := runJSON(tr.T, append(append([]string{"-origin", pageOrigin}, tt.args...), srv.URL+"/api")...)
				require.NotNil(tr, res.Failure)
				assert.Equal(tr, tt.diagnosis, res.Failure.Diagnosis, res.Failure.Cause)
				tr.contains(res.Failure.Cause, tt.cause...)
				tr.contains(res.Failure.Fix, tt.fix...)
				for _, part := range tt.notFix {
					assert.NotContains(tr, res.Failure.Fix, part)
				}
				tr.namedBy(res.Failure.Cause, tt.by)
			})
		})
	}
}

// Behind a cache that shows itself only by Via and X-Varnish, a credentialed
// API (other Access-Control-* headers present) still gets the cache-busting
// probe, and the fix is in VCL.
func TestCacheProbeWithOtherCORSHeaders(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Via", "1.1 varnish (Varnish/7.1)")
		h.Set("X-Varnish", "32772 32770")
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Access-Control-Allow-Origin", "https://other.example.com")
		if strings.Contains(r.URL.RawQuery, "corscheck-nocache=") {
			h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		}
	}))
	eachTable(t, "Varnish", func(tr tableRun) {
		_, res := runJSON(tr.T, "-origin", pageOrigin, "-credentials", srv.URL+"/api")
		require.NotNil(tr, res.Failure)
		assert.Equal(tr, diagCacheWithoutVary, res.Failure.Diagnosis, res.Failure.Cause)
		tr.contains(res.Failure.Cause, "Varnish")
		tr.contains(res.Failure.Fix, "hash_data(req.http.Origin) in vcl_hash", "keep it on the way")
		tr.namedBy(res.Failure.Cause, "Via")
		assert.Equal(tr, 1, countSteps(res, kindProbe))
	})
}

// A cache that serves a preflight answer stored for another method is
// found by a cache-busting repeat of the preflight.
func TestCachedPreflightForAnotherMethod(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Via", "1.1 varnish (Varnish/7.1)")
		h.Set("X-Varnish", "32772 32770")
		h.Set("Age", "12")
		h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		h.Set("Access-Control-Allow-Methods", "GET")
		if strings.Contains(r.URL.RawQuery, "corscheck-nocache=") || r.Method != http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "GET, PUT")
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	eachTable(t, "Varnish", func(tr tableRun) {
		_, res := runJSON(tr.T, "-origin", pageOrigin, "-method", "PUT", srv.URL+"/api")
		require.NotNil(tr, res.Failure)
		assert.Equal(tr, diagCacheWithoutVary, res.Failure.Diagnosis, res.Failure.Cause)
		tr.contains(res.Failure.Cause, "preflight answer stored for another method")
		tr.contains(res.Failure.Fix, "return (pass)", "Do not cache OPTIONS")
		tr.namedBy(res.Failure.Cause, "Via")
		assert.Equal(tr, 1, countSteps(res, kindProbe))
	})
}
