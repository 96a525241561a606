package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests hold section 3 of issue 14 against loopback Go servers:
// corscheck names the layer that made the failing answer, not only its
// status. nginx_test.go holds the same against a real nginx.

// hopCase is one check and what corscheck must conclude.
type hopCase struct {
	name      string
	origin    string   // -origin; pageOrigin when empty
	args      []string // other flags; the URL is appended
	url       func() string
	code      string    // failure code, "" when allowed
	step      string    // failing step
	diagnosis Diagnosis // "" when allowed
	cause     []string  // parts of the likely cause
	fix       []string  // parts of the fix
	probes    int       // extra requests after the failure; -1 to skip the check
	row       string    // the product it imitates, run again without its row
	by        string    // what names the layer without its row ("Server"...)
}

// runHopEach runs tt with the whole layer table and, when it imitates a
// product, again without its row: the same diagnosis, the parts of the
// cause and fix the row did not word, the layer named by tt.by.
func runHopEach(t *testing.T, tt hopCase) {
	t.Helper()
	eachTable(t, tt.row, func(tr tableRun) {
		c := tt
		c.cause, c.fix = tr.keep(tt.cause), tr.keep(tt.fix)
		res := runHop(tr.T, c)
		if res.Failure != nil {
			tr.namedBy(res.Failure.Cause, tt.by)
		}
	})
}

// runHop checks tt and returns the result.
func runHop(t *testing.T, tt hopCase) Result {
	t.Helper()
	origin := tt.origin
	if origin == "" {
		origin = pageOrigin
	}
	args := append([]string{"-origin", origin}, tt.args...)
	code, res := runJSON(t, append(args, tt.url())...)
	if tt.code == "" {
		assert.Equal(t, exitAllowed, code)
		assert.Nil(t, res.Failure)
		return res
	}
	require.NotNil(t, res.Failure, "verdict %s", res.Verdict)
	f := res.Failure
	assert.Equal(t, tt.code, string(f.Code))
	assert.Equal(t, tt.step, f.Step)
	assert.Equal(t, tt.diagnosis, f.Diagnosis, f.Cause)
	for _, part := range tt.cause {
		assert.Contains(t, f.Cause, part)
	}
	for _, part := range tt.fix {
		assert.Contains(t, f.Fix, part)
	}
	if tt.probes >= 0 {
		assert.Equal(t, tt.probes, countSteps(res, kindProbe), "probe requests")
	}
	return res
}

func countSteps(res Result, kind string) int {
	n := 0
	for _, s := range res.Steps {
		if s.Kind == kind {
			n++
		}
	}
	return n
}

func TestGatewayErrors(t *testing.T) {
	down := proxyTo(t, closedURL(t), nil) // Go's ReverseProxy: 502, empty body
	nginx504 := serve(t, fixedPage(http.StatusGatewayTimeout, nginxPage(504), "Server", "nginx/1.22.1", "Content-Type", "text/html"))
	nginx413 := serve(t, fixedPage(http.StatusRequestEntityTooLarge, nginxPage(413), "Server", "nginx/1.22.1", "Content-Type", "text/html"))
	// nginx's own page for a header larger than large_client_header_buffers.
	nginx400 := serve(t, fixedPage(http.StatusBadRequest, "<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n", "Server", "nginx/1.22.1", "Content-Type", "text/html"))
	apache := serve(t, fixedPage(http.StatusForbidden, "<html><body><h1>Forbidden</h1><hr><address>Apache/2.4.57 (Debian) Server</address></body></html>", "Server", "Apache/2.4.57 (Debian)"))
	for _, tt := range []hopCase{
		{
			name: "upstream down, simple GET", url: func() string { return down.URL + "/items" },
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagGatewayError,
			cause: []string{"answered 502 Bad Gateway to the request", "CORS layer never ran"},
			fix:   []string{"proxy's error log", "upstream or backend response timeout", "Moving the CORS middleware will not help", "proxy's own error responses"},
		},
		{
			name: "upstream down, preflight", args: putArgs, url: func() string { return down.URL + "/items" },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagGatewayError,
			cause: []string{"answered 502 Bad Gateway to the preflight"},
		},
		{
			name: "nginx's own 504 page", url: func() string { return nginx504.URL }, row: "nginx", by: "Server",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagGatewayError,
			cause: []string{"nginx answered 504 Gateway Timeout"},
		},
		{
			name: "nginx's own 413 page", url: func() string { return nginx413.URL }, row: "nginx", by: "Server",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagProxyErrorPage,
			cause: []string{"nginx answered 413 Request Entity Too Large with its own error page", "never saw it"},
			fix:   []string{"Raise the limit at that layer, not in the application", "client_max_body_size"},
		},
		{
			name: "nginx's own 400 to a large header", url: func() string { return nginx400.URL }, row: "nginx", by: "Server",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagProxyErrorPage, probes: 0,
			cause: []string{"nginx answered 400 Bad Request with its own error page", "larger than its header-buffer size"},
			fix:   []string{"Raise the limit at that layer, not in the application", "large_client_header_buffers"},
		},
		{
			name: "Apache's own 403 page on the request", url: func() string { return apache.URL }, row: "Apache httpd", by: "Server",
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagProxyErrorPage,
			cause: []string{"Apache httpd answered 403 Forbidden with its own error page"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) { runHopEach(t, tt) })
	}
}

func TestStrippedAllowOrigin(t *testing.T) {
	app := serve(t, library(t, ok))
	stripping := proxyTo(t, app.URL, func(res *http.Response) error {
		res.Header.Del("Access-Control-Allow-Origin")
		return nil
	})
	passing := proxyTo(t, app.URL, nil)
	url := func(srv string) func() string { return func() string { return srv + "/items" } }

	t.Run("preflight", func(t *testing.T) {
		res := runHop(t, hopCase{
			args: putArgs[:4], url: url(stripping.URL),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagAllowOriginStripped,
			cause: []string{"carries other CORS headers (Access-Control-Allow-", ") but no Access-Control-Allow-Origin", "proxy_hide_header"},
			fix:   []string{"-direct"},
		})
		assert.NotContains(t, res.Failure.Cause, "no CORS headers", "never when there are some")
	})
	t.Run("simple request", func(t *testing.T) {
		// Exposed headers survive; the origin does not.
		exposing := proxyTo(t, app.URL, func(res *http.Response) error {
			res.Header.Del("Access-Control-Allow-Origin")
			res.Header.Set("Access-Control-Expose-Headers", "X-Request-Id")
			return nil
		})
		runHop(t, hopCase{
			url: url(exposing.URL), code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagAllowOriginStripped,
			cause: []string{"(Access-Control-Expose-Headers)"},
		})
	})
	t.Run("-direct shows the proxy breaks it", func(t *testing.T) {
		res := runHop(t, hopCase{
			args: append([]string{"-direct", app.URL + "/items"}, putArgs[:4]...), url: url(stripping.URL),
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyBreaksCORS, probes: -1,
			cause: []string{"Straight to the application (-direct) the browser would read the response", "without Access-Control-Allow-Origin; straight to the application it got 204 No Content with 'Access-Control-Allow-Origin: https://app.example.com'"},
			fix:   []string{"pass the application's CORS headers through unchanged"},
		})
		require.NotNil(t, res.Direct)
		assert.True(t, res.Direct.Allowed)
		assert.Equal(t, app.URL+"/items", res.Direct.URL)
		assert.Contains(t, res.Comparison, "straight to the application the browser would read the response")

		_, text, _ := runCLI("-origin", pageOrigin, "-method", "PUT", "-H", "X-Api-Key: k", "-direct", app.URL+"/items", stripping.URL+"/items")
		assert.Contains(t, text, "Straight to the application (-direct "+app.URL+"/items):")
		assert.Contains(t, text, "Hop by hop: straight to the application")
		assert.Contains(t, text, "Likely cause [proxy_breaks_cors]")
	})
	t.Run("-direct shows the application fails alike", func(t *testing.T) {
		// The library refuses PURGE: through a faithful proxy or not, the
		// browser's verdict is the same, and so is the code.
		code, res := runJSON(t, "-origin", pageOrigin, "-method", "PURGE", "-direct", app.URL+"/items", passing.URL+"/items")
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Failure)
		require.NotNil(t, res.Direct)
		require.NotNil(t, res.Direct.Failure)
		assert.Equal(t, res.Failure.Code, res.Direct.Failure.Code)
		assert.Equal(t, "the application itself fails the same way ("+string(res.Failure.Code)+"): the fix is in the application, not in the layer in between.", res.Comparison)
		assert.NotEqual(t, diagProxyBreaksCORS, res.Failure.Diagnosis)
		assert.Contains(t, res.Failure.Cause, "PURGE")
	})
	t.Run("-direct when both pass", func(t *testing.T) {
		code, res := runJSON(t, "-origin", pageOrigin, "-direct", app.URL+"/items", passing.URL+"/items")
		assert.Equal(t, exitAllowed, code)
		assert.Equal(t, "both ways, the browser would read the response.", res.Comparison)
	})
	t.Run("-direct to nothing", func(t *testing.T) {
		_, res := runJSON(t, "-origin", pageOrigin, "-direct", closedURL(t)+"/items", stripping.URL+"/items")
		assert.True(t, strings.HasPrefix(res.Comparison, "the request straight to the application got no response"), res.Comparison)
		assert.Equal(t, diagOriginNotAllowed, res.Failure.Diagnosis, "through the proxy, the answer alone tells less")
	})
}

func TestCaches(t *testing.T) {
	// The library varies by Origin; this cache ignores it.
	ignoring := serve(t, newCache(library(t, ok)))
	// An application that echoes the origin without Vary: Origin.
	noVary := serve(t, newCache(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o == pageOrigin || o == otherOrigin {
			w.Header().Set("Access-Control-Allow-Origin", o)
		}
		ok(w, r)
	})))
	fixed := serve(t, fixedPage(http.StatusOK, "{}", "Access-Control-Allow-Origin", otherOrigin))

	t.Run("another origin's answer, Vary ignored", func(t *testing.T) {
		warm(t, ignoring.URL+"/a", otherOrigin)
		res := runHop(t, hopCase{
			url: func() string { return ignoring.URL + "/a" }, code: "allow_origin_mismatch", step: kindRequest,
			diagnosis: diagCacheIgnoresVary, probes: 1,
			cause: []string{"A cache served a stored answer", "X-Cache: HIT", "'Access-Control-Allow-Origin: https://admin.example.com'",
				"with a cache-busting query gets 'Access-Control-Allow-Origin: https://app.example.com'", "says 'Vary: Origin', but the cache ignores it"},
			fix: []string{"add the Origin header to the cache key", "purge"},
		})
		probe := res.Steps[len(res.Steps)-1]
		assert.Equal(t, kindProbe, probe.Kind)
		assert.Contains(t, probe.URL, "/a?corscheck-nocache=")
		assert.Equal(t, outcomePass, probe.Outcome)
	})
	t.Run("an answer without CORS headers, stored for a request without Origin", func(t *testing.T) {
		warm(t, ignoring.URL+"/b", "")
		runHop(t, hopCase{
			url: func() string { return ignoring.URL + "/b" }, code: "missing_allow_origin_header", step: kindRequest,
			diagnosis: diagCacheIgnoresVary, probes: 1,
			cause: []string{"has no Access-Control-Allow-Origin, while the same request with a cache-busting query gets"},
		})
	})
	t.Run("another origin's answer, no Vary", func(t *testing.T) {
		warm(t, noVary.URL+"/c?page=1", otherOrigin)
		runHop(t, hopCase{
			url: func() string { return noVary.URL + "/c?page=1" }, code: "allow_origin_mismatch", step: kindRequest,
			diagnosis: diagCacheWithoutVary, probes: 1,
			cause: []string{"Age: ", "has no 'Vary: Origin'"},
			fix:   []string{"Send 'Vary: Origin'"},
		})
	})
	t.Run("no cache: the same answer fresh", func(t *testing.T) {
		res := runHop(t, hopCase{
			url: func() string { return fixed.URL }, code: "allow_origin_mismatch", step: kindRequest,
			diagnosis: diagAllowOriginOther, probes: 1,
		})
		assert.Contains(t, res.Steps[len(res.Steps)-1].Notes, "the same failure without a cache: no cache is to blame")
	})
	t.Run("no probe for a PUT", func(t *testing.T) {
		runHop(t, hopCase{
			args: []string{"-method", "PUT"}, url: func() string { return fixed.URL },
			code: "allow_origin_mismatch", step: kindPreflight, diagnosis: diagAllowOriginOther, probes: 0,
		})
	})
}

func TestRedirectsOfSimpleRequests(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/api/items/", ok) // a subtree: ServeMux redirects /api/items there
	bare := serve(t, mux)
	wrapped := serve(t, library(t, mux))
	httpsOnly := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://"+r.Host+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	login := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/login?next="+r.URL.Path, http.StatusFound)
	}))
	for _, tt := range []hopCase{
		{
			name: "trailing slash, router outside the CORS layer", url: func() string { return bare.URL + "/api/items" },
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagRedirectTrailingSlash,
			cause: []string{", to the same path with or without a trailing slash (" + "http://", "/api/items/)", "browsers block a redirect"},
			fix:   []string{"/api/items/ directly from the script"},
		},
		{
			name: "http to https", url: func() string { return httpsOnly.URL + "/items" },
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagRedirectToHTTPS,
			cause: []string{"an upgrade to https (https://127.0.0.1:"},
			fix:   []string{"mixed content"},
		},
		{
			name: "login redirect", url: func() string { return login.URL + "/items" },
			code: "missing_allow_origin_header", step: kindRequest, diagnosis: diagRedirectWithoutCORS,
			cause: []string{"a redirect to " + "http://", "/login?next=/items", "login redirect"},
		},
		{
			name: "http to https, preflight", args: []string{"-method", "PUT"}, url: func() string { return httpsOnly.URL + "/items" },
			code: "preflight_disallowed_redirect", step: kindPreflight, diagnosis: diagRedirectToHTTPS,
			cause: []string{"browsers never follow a redirect of a preflight"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) { runHop(t, tt) })
	}
	t.Run("trailing slash with the CORS layer outermost is followed", func(t *testing.T) {
		res := runHop(t, hopCase{url: func() string { return wrapped.URL + "/api/items" }})
		require.Len(t, res.Steps, 2)
		assert.Equal(t, outcomeRedirect, res.Steps[0].Outcome)
		assert.Equal(t, wrapped.URL+"/api/items/", res.Steps[1].URL)
	})
}

func TestForbiddenPreflights(t *testing.T) {
	lib := serve(t, library(t, ok))
	legacy := serve(t, legacyCORS(t, ok))
	// A firewall that refuses preflights asking for X-Api-Key, with a page.
	waf := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && strings.Contains(r.Header.Get("Access-Control-Request-Headers"), "x-api-key") {
			fixedPage(http.StatusForbidden, "<html><body>Request blocked. Incident ID: 42</body></html>", "Server", "edge-waf").ServeHTTP(w, r)
			return
		}
		library(t, ok).ServeHTTP(w, r)
	}))
	// API Gateway without an OPTIONS method, whose integration sends no
	// CORS headers either.
	apiGateway := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := hdr("X-Amzn-RequestId", "f1e2", "X-Amz-Apigw-Id", "Abc=")
		status, body := http.StatusOK, "{}"
		if r.Method == http.MethodOptions {
			h, status, body = apiGatewayRefusal(), http.StatusForbidden, `{"message":"Missing Authentication Token"}`
		}
		for name, values := range h {
			w.Header()[name] = values
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	// An auth layer in front of CORS, which says so.
	auth := serve(t, fixedPage(http.StatusForbidden, "forbidden", "WWW-Authenticate", `Bearer realm="api"`))
	// Something that refuses every OPTIONS request, before the CORS layer.
	noOptions := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			fixedPage(http.StatusForbidden, "<html>denied</html>").ServeHTTP(w, r)
			return
		}
		library(t, ok).ServeHTTP(w, r)
	}))
	for _, tt := range []hopCase{
		{
			name: "the library refuses the origin", origin: "https://evil.example.net", args: []string{"-method", "PUT"}, url: func() string { return lib.URL },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagCORSRefusedOrigin, probes: 1,
			cause: []string{"The CORS layer refused origin https://evil.example.net", "This is how corsguard and most CORS middlewares refuse an origin"},
			fix:   []string{`Add "https://evil.example.net"`, "AllowedOrigins"},
		},
		{
			name: "an older corsguard refuses the method", args: []string{"-method", "PURGE"}, url: func() string { return legacy.URL },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagCORSRefusedMethod, probes: 2,
			cause: []string{"refused the method PURGE: origin https://app.example.com is allowed"},
			fix:   []string{"Add PURGE to the allowed methods"},
		},
		{
			name: "an older corsguard refuses a header", args: []string{"-method", "PUT", "-H", "X-Api-Key: k", "-H", "X-Other: 1"}, url: func() string { return legacy.URL },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagCORSRefusedHeader, probes: 4,
			cause: []string{"refused the request header x-other"},
			fix:   []string{"Add X-Other to the allowed headers"},
		},
		{
			name: "a firewall refuses a header", args: []string{"-method", "PUT", "-H", "X-Api-Key: k"}, url: func() string { return waf.URL },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagBlockedBeforeCORS, probes: 3,
			cause: []string{"refuses the preflight with 403 when it asks for x-api-key", "Server: edge-waf"},
		},
		{
			name: "OPTIONS refused before CORS", args: []string{"-method", "PUT"}, url: func() string { return noOptions.URL },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagBlockedBeforeCORS, probes: 2,
			cause: []string{"Something in front of the CORS layer refuses the preflight with 403: "},
		},
		{
			name: "auth answers 403 and says so", args: []string{"-method", "PUT"}, url: func() string { return auth.URL },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagAuthBeforeCORS, probes: 0,
			cause: []string{"authentication runs before CORS"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) { runHop(t, tt) })
	}
	t.Run("API Gateway refuses OPTIONS, the integration allows no origin", func(t *testing.T) {
		runHopEach(t, hopCase{
			args: []string{"-method", "PUT", "-H", "Content-Type: application/json"}, url: func() string { return apiGateway.URL + "/items" },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyRefusedOptions, probes: 1, row: "AWS API Gateway", by: "X-Amzn-Errortype: ",
			cause: []string{"AWS API Gateway refused the OPTIONS request itself with 403 Forbidden", "refused the OPTIONS request itself with 403 Forbidden", "X-Amzn-ErrorType: MissingAuthenticationTokenException"},
			fix:   []string{"API Gateway: an OPTIONS method", "Let OPTIONS through"},
		})
		res := runHop(t, hopCase{
			args: []string{"-method", "PUT", "-H", "Content-Type: application/json"}, url: func() string { return apiGateway.URL + "/items" },
			code: "missing_allow_origin_header", step: kindPreflight, diagnosis: diagProxyRefusedOptions, probes: 1,
		})
		assert.NotContains(t, res.Failure.Cause, "plain GET", "the GET probe got no Access-Control-Allow-Origin")
	})
	// Against the library itself, assert the browser's verdict, which holds
	// whichever way the library answers a refused method: 403, or the
	// allowed lists.
	t.Run("the library refuses the method", func(t *testing.T) {
		code, res := runJSON(t, "-origin", pageOrigin, "-method", "PURGE", lib.URL)
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Failure)
		assert.Equal(t, kindPreflight, res.Failure.Step)
		assert.Contains(t, []Diagnosis{diagMethodNotListed, diagCORSRefusedMethod}, res.Failure.Diagnosis)
		assert.Contains(t, res.Failure.Fix, "Add PURGE to the allowed methods")
	})
	t.Run("the library refuses a header", func(t *testing.T) {
		code, res := runJSON(t, "-origin", pageOrigin, "-method", "PUT", "-H", "X-Other: 1", lib.URL)
		assert.Equal(t, exitBlocked, code)
		require.NotNil(t, res.Failure)
		assert.Contains(t, []Diagnosis{diagHeaderNotListed, diagCORSRefusedHeader}, res.Failure.Diagnosis)
		assert.Contains(t, res.Failure.Fix, "Add X-Other to the allowed headers")
	})
}

func TestDroppedConnections(t *testing.T) {
	// A handler that panics with nothing in front to recover: net/http
	// closes the connection without an answer.
	crashing := quietServer(t, library(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	})))
	hijacking := quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	// A handler that starts the answer, then panics.
	cut := quietServer(t, library(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"items": [`))
		http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	})))

	t.Run("after a preflight that passed", func(t *testing.T) {
		// putArgs[:4:4]: an append to putArgs[:4] would write the URL over
		// putArgs[4] for every later test.
		code, res := runJSON(t, append([]string{"-origin", pageOrigin}, append(putArgs[:4:4], crashing.URL)...)...)
		assert.Equal(t, exitError, code)
		require.NotNil(t, res.Failure)
		assert.Equal(t, codeNetworkError, res.Failure.Code)
		assert.Equal(t, kindRequest, res.Failure.Step)
		assert.Equal(t, diagConnectionDropped, res.Failure.Diagnosis)
		assert.Contains(t, res.Failure.Cause, "The server closed the connection without answering the request")
		assert.Contains(t, res.Failure.Cause, "the handler crashed")
		assert.Contains(t, res.Failure.Cause, "The preflight passed, so CORS is configured for this origin and method.")
		assert.Contains(t, res.Failure.Fix, "Recover panics inside the CORS middleware")
	})
	t.Run("a simple request", func(t *testing.T) {
		code, res := runJSON(t, "-origin", pageOrigin, hijacking.URL)
		assert.Equal(t, exitError, code)
		require.NotNil(t, res.Failure)
		assert.Equal(t, diagConnectionDropped, res.Failure.Diagnosis)
		assert.NotContains(t, res.Failure.Cause, "The preflight passed")
	})
	t.Run("the body cut short", func(t *testing.T) {
		code, res := runJSON(t, "-origin", pageOrigin, cut.URL)
		assert.Equal(t, exitAllowed, code, "the script gets the status and headers")
		assert.Equal(t, []string{"response_body_cut"}, warningCodes(res))
	})
}

// The report shows the headers that tell which layer answered, bounded.
func TestShownHeaders(t *testing.T) {
	var lines []string
	for i := 0; i < 12; i++ {
		lines = append(lines, "Vary", "X-Line")
	}
	srv := serve(t, fixedPage(http.StatusUnauthorized, "", append([]string{
		"Server", "nginx/1.22.1", "Via", "1.1 " + strings.Repeat("v", 1000), "Age", "12",
		"X-Cache", "HIT from edge", "CF-Cache-Status", "HIT", "WWW-Authenticate", `Bearer realm="api"`,
		"X-Request-Id", "not shown", "Access-Control-Allow-Methods", "GET",
	}, lines...)...))
	_, res := runJSON(t, "-origin", pageOrigin, srv.URL)
	require.NotEmpty(t, res.Steps)
	shownNames := map[string]int{}
	for _, f := range res.Steps[0].ResponseHeaders {
		shownNames[f.Name]++
		assert.LessOrEqual(t, len(f.Value), shownValueLimit+len("…"))
	}
	for _, name := range []string{"Server", "Via", "Age", "X-Cache", "Cf-Cache-Status", "Www-Authenticate", "Access-Control-Allow-Methods"} {
		assert.Equal(t, 1, shownNames[name], name)
	}
	assert.Zero(t, shownNames["X-Request-Id"])
	assert.Equal(t, shownValuesMax+1, shownNames["Vary"], "8 lines and a count of the rest")

	_, text, _ := runCLI("-origin", pageOrigin, srv.URL)
	assert.Contains(t, text, "    < Server: nginx/1.22.1\n")
	assert.Contains(t, text, "    < Www-Authenticate: Bearer realm=\"api\"\n")
	assert.Contains(t, text, "    < Vary: (4 more lines)\n")
}
