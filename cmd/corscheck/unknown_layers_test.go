package main

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests put products the layer table has never heard of in front of
// the library, imitated on loopback: a front server, a cache, an auth
// proxy. corscheck must find the cause from the evidence alone, name the
// layer by its Server or Via, and word the fix in the terms every front
// server shares.

// edgeServer is the Server value of a front server the table lacks.
const edgeServer = "edgeproxy/2.1"

// edge imitates a front server: rule answers first when it returns true,
// with Server: edgeproxy/2.1 on its own answers; otherwise the request goes
// on to app, changed by pass when it is not nil.
func edge(t *testing.T, app http.Handler, rule func(w http.ResponseWriter, r *http.Request) bool, pass func(r *http.Request)) *httptest.Server {
	t.Helper()
	return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rule != nil {
			rec := httptest.NewRecorder()
			if rule(rec, r) {
				for name, values := range rec.Header() {
					w.Header()[name] = values
				}
				w.Header().Set("Server", edgeServer)
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
				return
			}
		}
		if pass != nil {
			pass(r)
			// A front server that changes requests stamps every answer,
			// as nginx and Caddy do.
			w.Header().Set("Server", edgeServer)
		}
		app.ServeHTTP(w, r)
	}))
}

// refuse is a rule that answers status with text when refused says so.
func refuse(status int, text string, refused func(r *http.Request) bool) func(w http.ResponseWriter, r *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if !refused(r) {
			return false
		}
		http.Error(w, text, status)
		return true
	}
}

// unknownCase is one fault behind an unknown product.
type unknownCase struct {
	name      string
	srv       func(t *testing.T) string // returns the URL to check
	args      []string
	diagnosis Diagnosis
	cause     []string
	fix       []string
	probes    int // -1: not checked
}

func TestUnknownFrontServerLimits(t *testing.T) {
	app := library(t, ok)
	bigHeader := func(r *http.Request) bool { return len(r.Header.Get("X-Api-Key")) > 1000 }
	longURL := func(r *http.Request) bool { return len(r.URL.RawQuery) > 1000 }
	for _, tt := range []unknownCase{
		{
			name: "413 to the body corscheck sent", args: []string{"-method", "PUT", "-body-size", "5000"},
			srv: func(t *testing.T) string {
				return edge(t, app, refuse(413, "request body too large", func(r *http.Request) bool { return r.ContentLength > 1000 }), nil).URL
			},
			diagnosis: diagProxyErrorPage, probes: 0,
			cause: []string{edgeServer + " answered 413 Request Entity Too Large", "the application never saw it", "5000-byte body", "Layer: " + edgeServer + ", named by Server."},
			fix:   []string{"Raise the limit at that layer, not in the application (" + edgeServer + ": its request-size limit"},
		},
		{
			name: "413 to a simple POST: a plain GET shows the application's own answer",
			args: []string{"-method", "POST", "-H", "Content-Type: text/plain", "-body-size", "5000"},
			srv: func(t *testing.T) string {
				return edge(t, app, refuse(413, "request body too large", func(r *http.Request) bool { return r.ContentLength > 1000 }), nil).URL
			},
			diagnosis: diagProxyErrorPage, probes: 1,
			cause: []string{edgeServer + " answered 413", "named by Server."},
		},
		{
			name: "431 to a large header", args: []string{"-method", "PUT", "-H", "X-Api-Key: " + strings.Repeat("k", 2000)},
			srv: func(t *testing.T) string {
				return edge(t, app, refuse(431, "headers too large", bigHeader), nil).URL
			},
			diagnosis: diagProxyErrorPage, probes: 0,
			cause: []string{edgeServer + " answered 431 Request Header Fields Too Large", "larger than its header-buffer size", "named by Server."},
			fix:   []string{edgeServer + ": its header-buffer size"},
		},
		{
			name: "400 that names a header, after a preflight", args: []string{"-method", "PUT", "-H", "X-Api-Key: " + strings.Repeat("k", 2000)},
			srv: func(t *testing.T) string {
				return edge(t, app, refuse(400, "400 Bad Request: Request Header Or Cookie Too Large", func(r *http.Request) bool { return r.Method != http.MethodOptions && bigHeader(r) }), nil).URL
			},
			diagnosis: diagProxyErrorPage, probes: 0,
			cause: []string{edgeServer + " answered 400 Bad Request", "larger than its header-buffer size", "named by Server."},
			fix:   []string{edgeServer + ": its header-buffer size"},
		},
		{
			name: "414 to a long URL", args: []string{"-method", "PUT"},
			srv: func(t *testing.T) string {
				return edge(t, app, refuse(414, "URI too long", func(r *http.Request) bool { return r.Method != http.MethodOptions && longURL(r) }), nil).URL + "/items?q=" + strings.Repeat("q", 1500)
			},
			diagnosis: diagProxyErrorPage, probes: 0,
			cause: []string{"longer than its request-line limit"},
			fix:   []string{edgeServer + ": its request-line limit"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) { runUnknown(t, tt) })
	}
}

// runUnknown checks tt: the diagnosis, the cause and fix parts, and that
// the layer is named by its Server without any product's wording.
func runUnknown(t *testing.T, tt unknownCase) Result {
	t.Helper()
	u := tt.srv(t)
	_, res := runJSON(t, append(append([]string{"-origin", pageOrigin}, tt.args...), u)...)
	require.NotNil(t, res.Failure, res.Verdict)
	f := res.Failure
	t.Logf("%s\ncause: %s\nfix: %s", f.Diagnosis, f.Cause, f.Fix)
	assert.Equal(t, tt.diagnosis, f.Diagnosis, f.Cause)
	for _, part := range tt.cause {
		assert.Contains(t, f.Cause, part)
	}
	for _, part := range tt.fix {
		assert.Contains(t, f.Fix, part)
	}
	assert.Contains(t, f.Cause, "named by ")
	for _, p := range knownRows {
		assert.NotContains(t, f.Fix, p.name+":", "no product's wording for a product the table lacks")
	}
	if tt.probes >= 0 {
		assert.Equal(t, tt.probes, countSteps(res, kindProbe), "probe requests")
	}
	return res
}

func TestUnknownLayersChangeTheRequest(t *testing.T) {
	app := library(t, ok)
	// The application's CORS wraps each route, not the router: a path
	// nothing serves gets the router's 404, without CORS headers.
	mux := http.NewServeMux()
	mux.Handle("/items", app)
	appSrv := serve(t, mux)
	dropOrigin := func(r *http.Request) { r.Header.Del("Origin") }
	mapAway := func(r *http.Request) { r.URL.Path = "/api" + r.URL.Path } // a prefix added twice
	for _, tt := range []unknownCase{
		{
			name: "drops Origin", srv: func(t *testing.T) string { return edge(t, app, nil, dropOrigin).URL + "/items" },
			diagnosis: diagOriginNotAllowed, probes: 1,
			cause: []string{"a layer in front dropped or rewrote the Origin request header", "The response varies by Origin"},
			fix:   []string{"-direct", edgeServer + ": its request-header rule: pass the Origin request header on unchanged"},
		},
		{
			name: "drops Origin on the request only, after the preflight passed", args: []string{"-method", "PUT"},
			srv: func(t *testing.T) string {
				return edge(t, app, nil, func(r *http.Request) {
					if r.Method != http.MethodOptions {
						dropOrigin(r)
					}
				}).URL + "/items"
			},
			diagnosis: diagOriginNotAllowed, probes: 0,
			cause: []string{"Yet the preflight for this origin passed", "another Origin or none (a layer in front changed it)"},
			fix:   []string{"First tell the allow-list from the layer: rerun with -direct", edgeServer + ": its request-header rule"},
		},
		{
			name: "drops Origin, proven with -direct",
			srv:  func(t *testing.T) string { return edge(t, app, nil, dropOrigin).URL + "/items" }, args: []string{"-direct", appSrv.URL + "/items"},
			diagnosis: diagProxyBreaksCORS, probes: -1,
			cause: []string{"drops or rewrites the Origin request header", "straight to the application it got 200 OK with 'Access-Control-Allow-Origin: " + pageOrigin + "'"},
			fix:   []string{"Fix that layer, not the application", "pass the Origin request header on unchanged"},
		},
		{
			name: "maps a path prefix away", srv: func(t *testing.T) string { return edge(t, mux, nil, mapAway).URL + "/items" },
			args: []string{"-method", "PUT"}, diagnosis: diagPathNotServed, probes: 1,
			cause: []string{"a plain GET from " + pageOrigin + " gets the same", "not a CORS refusal", "maps the path away"},
			fix:   []string{"-direct", "its path mapping"},
		},
		{
			name: "maps a path prefix away, proven with -direct", srv: func(t *testing.T) string { return edge(t, mux, nil, mapAway).URL + "/items" },
			args: []string{"-method", "PUT", "-direct", appSrv.URL + "/items"}, diagnosis: diagProxyBreaksCORS, probes: -1,
			cause: []string{"maps the path away"}, fix: []string{"its path mapping"},
		},
		{
			name: "rewrites Origin, the application echoes it", srv: func(t *testing.T) string {
				echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
					w.Header().Set("Vary", "Origin")
				})
				return edge(t, echo, nil, func(r *http.Request) { r.Header.Set("Origin", "https://internal.example") }).URL
			},
			diagnosis: diagAllowOriginOther, probes: 1,
			cause: []string{"a layer in front may have rewritten the Origin request header", edgeServer + ": its request-header rule"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runUnknown(t, tt)
			assert.NotContains(t, res.Failure.Fix, "Wrap the whole router")
		})
	}
}

func TestUnknownCacheAuthAndGateway(t *testing.T) {
	app := library(t, ok)
	echoNoVary := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		_, _ = w.Write([]byte(`{"items":[]}`))
	})
	signIn := `<html><body><form method="post" action="/sso/login"><h1>Sign in</h1><input type="password" name="pw"></form></body></html>`
	for _, tt := range []unknownCase{
		{
			name: "a cache named only by Via serves a credentialed answer without Vary", args: []string{"-credentials"},
			srv: func(t *testing.T) string {
				srv := serve(t, &cdnCache{next: echoNoVary, hit: hdr("Via", "1.1 somecache", "Age", "30"), miss: hdr("Via", "1.1 somecache"), kept: map[string]*httptest.ResponseRecorder{}})
				warm(t, srv.URL+"/items", otherOrigin)
				return srv.URL + "/items"
			},
			diagnosis: diagCacheWithoutVary, probes: 1,
			cause: []string{"Layer: somecache, named by Via.", "Age: 30"},
			fix:   []string{"somecache: its cache key"},
		},
		{
			name: "an auth proxy redirects the preflight to its sign-in", args: []string{"-method", "PUT"},
			srv: func(t *testing.T) string {
				return edge(t, app, func(w http.ResponseWriter, r *http.Request) bool {
					http.Redirect(w, r, "/oauth2/sign_in?rd="+r.URL.Path, http.StatusFound)
					return true
				}, nil).URL + "/items"
			},
			diagnosis: diagAuthBeforeCORS, probes: 0,
			cause: []string{"redirected (302 Found) to a login page", "named by Server."},
			fix:   []string{edgeServer + ": its authentication rule", "neither would adding the origin"},
		},
		{
			name: "an auth proxy answers the preflight with its sign-in page", args: []string{"-method", "PUT"},
			srv: func(t *testing.T) string {
				return edge(t, app, func(w http.ResponseWriter, r *http.Request) bool {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusForbidden)
					_, _ = w.Write([]byte(signIn))
					return true
				}, nil).URL + "/items"
			},
			diagnosis: diagAuthBeforeCORS, probes: 1,
			cause: []string{edgeServer + " answered the preflight with a sign-in page (403 Forbidden)", "adding the origin would not help"},
			fix:   []string{"through the authentication at " + edgeServer, edgeServer + ": its authentication rule"},
		},
		{
			name: "'*' written over a credentialed application's answer", args: []string{"-credentials"},
			srv: func(t *testing.T) string {
				return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					for name, values := range goodActual() {
						w.Header()[name] = values
					}
					w.Header().Set("Access-Control-Allow-Origin", "*")
					w.Header().Set("Server", edgeServer)
				})).URL
			},
			diagnosis: diagProxyBreaksCORS, probes: 0,
			cause: []string{edgeServer + " wrote 'Access-Control-Allow-Origin: *' over the application's value", "Two layers write the header"},
			fix:   []string{edgeServer + ": its response-header rule that sets or adds Access-Control-Allow-Origin", "-direct"},
		},
		{
			name: "a 502 whose reason phrase says Connection refused",
			srv: func(t *testing.T) string {
				return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					conn, buf, err := http.NewResponseController(w).Hijack()
					require.NoError(t, err)
					defer conn.Close()
					writeRaw(buf, "HTTP/1.1 502 Connection refused\r\nServer: "+edgeServer+"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
				})).URL
			},
			diagnosis: diagGatewayError, probes: 0,
			cause: []string{edgeServer + " answered 502 Connection refused to the request", `Its reason phrase, "Connection refused", says the application refused the connection`},
			fix:   []string{edgeServer + ": its upstream or backend response timeout"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) { runUnknown(t, tt) })
	}
}

// writeRaw writes a raw HTTP response, for a reason phrase net/http would
// not write.
func writeRaw(buf *bufio.ReadWriter, s string) {
	_, _ = buf.WriteString(s)
	_ = buf.Flush()
}

// When CORS lives in the front server (it adds the headers to successful
// answers only, as nginx's add_header without 'always' does) and the
// application has none, -direct does not send the fix to the application.
func TestDirectWhenCORSLivesInTheProxy(t *testing.T) {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			http.Error(w, "the database is down", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("{}"))
	})
	appSrv := serve(t, app)
	front := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", edgeServer)
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, r)
		for name, values := range rec.Header() {
			w.Header()[name] = values
		}
		if rec.Code < 300 {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	_, res := runJSON(t, "-origin", pageOrigin, "-direct", appSrv.URL+"/fail", front.URL+"/fail")
	require.NotNil(t, res.Failure)
	assert.Equal(t, diagErrorWithoutCORS, res.Failure.Diagnosis)
	assert.Contains(t, res.Failure.Fix, "if the CORS headers come from "+edgeServer+" rather than the application, make it add them to error responses too")
	assert.Contains(t, res.Comparison, "the application has no CORS layer on this route")
	assert.Contains(t, res.Comparison, "make it add them to every answer, errors included ("+edgeServer+": a rule that adds the CORS headers")
	assert.NotContains(t, res.Comparison, "the fix is in the application")
}

// An application's own HTML error page (Express's "Cannot PUT") is the
// application's: an HTML page tells another layer only for a request
// limit or a refused preflight, or with another Server or Via.
func TestApplicationHTMLErrorIsTheApplications(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if answerPreflight(w, r) {
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><body><pre>Cannot PUT /api</pre></body></html>"))
	}))
	_, res := runJSON(t, "-origin", pageOrigin, "-method", "PUT", srv.URL+"/api")
	require.NotNil(t, res.Failure)
	assert.Equal(t, diagErrorWithoutCORS, res.Failure.Diagnosis, res.Failure.Cause)
	assert.NotContains(t, res.Failure.Cause, "Layer: ")
}
