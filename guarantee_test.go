package cors

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests hold the invariant of every response the middleware serves:
// its CORS headers are exactly what the policy says for the request, whatever
// the handler, an inner middleware or an upstream wrote, in any spelling, and
// Vary names Origin whenever the answer depends on it. Each is named after a
// finding of the review that found the holes (issue 13).

// reflectingHandler is a permissive CORS implementation of the kind that
// sits behind a gateway: it reflects any Origin with credentials.
var reflectingHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	w.Header().Set("Access-Control-Expose-Headers", "X-Secret")
	_, _ = io.WriteString(w, "private data")
})

func TestRefusedOriginCannotReadCredentialedResponses(t *testing.T) {
	upstream := httptest.NewServer(reflectingHandler)
	defer upstream.Close()
	target, err := url.Parse(upstream.URL)
	require.NoError(t, err)
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, AllowCredentials: true, Logger: quiet})
	gateway := httptest.NewServer(m.Handler(httputil.NewSingleHostReverseProxy(target)))
	defer gateway.Close()

	for _, origin := range []string{"https://evil.example", ""} {
		r, err := http.NewRequest(http.MethodGet, gateway.URL, nil)
		require.NoError(t, err)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		res, err := gateway.Client().Do(r)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, http.StatusOK, res.StatusCode)
		assertNoCORSHeaders(t, res.Header)
		assert.Equal(t, []string{"Origin"}, res.Header.Values("Vary"))
	}

	r, err := http.NewRequest(http.MethodGet, gateway.URL, nil)
	require.NoError(t, err)
	r.Header.Set("Origin", testOrigin)
	res, err := gateway.Client().Do(r)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, []string{testOrigin}, res.Header.Values("Access-Control-Allow-Origin"))
	assert.Equal(t, []string{"true"}, res.Header.Values("Access-Control-Allow-Credentials"))
	assert.Empty(t, res.Header.Values("Access-Control-Expose-Headers"), "the policy exposes nothing")
}

func TestCredentialsOnlyWhenConfigured(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}})
	res := serve(m.Handler(reflectingHandler), actualReq(testOrigin))
	assert.Equal(t, []string{testOrigin}, res.Header().Values("Access-Control-Allow-Origin"))
	assert.Empty(t, res.Header().Values("Access-Control-Allow-Credentials"))
}

func TestNonCanonicalHeaderKeysCannotAddASecondValue(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, AllowCredentials: true})
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["access-control-allow-origin"] = []string{"https://evil.example"}
		w.Header()["ACCESS-CONTROL-ALLOW-CREDENTIALS"] = []string{"true"}
		w.Header()["access-control-max-age"] = []string{"86400"}
		w.Header()["vary"] = []string{"Accept-Encoding"}
		w.WriteHeader(http.StatusOK)
	}))
	for _, origin := range []string{testOrigin, "https://evil.example", ""} {
		res := serve(h, actualReq(origin))
		for k := range res.Header() {
			if strings.HasPrefix(strings.ToLower(k), "access-control-") || strings.EqualFold(k, "Vary") {
				assert.Equal(t, http.CanonicalHeaderKey(k), k, "%s: only canonical keys, so one value each", origin)
			}
		}
		assert.Equal(t, []string{"Accept-Encoding", "Origin"}, res.Header()["Vary"], "%s: the handler's Vary is kept", origin)
		if origin == testOrigin {
			assert.Equal(t, []string{testOrigin}, res.Header()["Access-Control-Allow-Origin"])
		} else {
			assertNoCORSHeaders(t, res.Header())
		}
	}
}

func TestVaryOriginSurvivesHandlerSetVary(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}})
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept-Encoding")
		_, _ = io.WriteString(w, "cacheable")
	}))
	for _, origin := range []string{"", "https://evil.example", testOrigin} {
		res := serve(h, actualReq(origin))
		assert.Equal(t, []string{"Accept-Encoding", "Origin"}, res.Header().Values("Vary"), "origin %q", origin)
	}
}

func TestInvalidStatusCodeBecomesReadable500(t *testing.T) {
	srv, logs := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(1000)
	}))
	res := get(t, srv, "/")
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode, "not EOF")
	assertReadableCrossOrigin(t, res.Header)
	assert.Equal(t, "Internal Server Error\n", readAll(t, res))
	assert.Contains(t, logs.String(), "invalid WriteHeader code 1000")
}

func TestUnsupportedFlushDoesNotStartTheResponse(t *testing.T) {
	tests := []struct {
		name   string
		after  func(w http.ResponseWriter)
		status int
	}{
		{"a later panic is the readable 500", func(http.ResponseWriter) { panic("after the flush") }, http.StatusInternalServerError},
		{"headers deleted afterwards are put back", func(w http.ResponseWriter) {
			w.Header().Del("Access-Control-Allow-Origin")
			w.Header().Del("Vary")
			_, _ = io.WriteString(w, "done")
		}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, AllowCredentials: true,
				ExposedHeaders: []string{"X-Request-Id"}, Logger: quiet})
			flushErr := make(chan error, 1)
			inner := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				flushErr <- http.NewResponseController(w).Flush()
				tt.after(w)
			}))
			// http.TimeoutHandler outside: its writer cannot flush.
			srv := httptest.NewServer(http.TimeoutHandler(inner, 10*time.Second, "timeout"))
			defer srv.Close()
			res := get(t, srv, "/")
			defer res.Body.Close()
			assert.ErrorIs(t, <-flushErr, http.ErrNotSupported)
			assert.Equal(t, tt.status, res.StatusCode)
			assertReadableCrossOrigin(t, res.Header)
		})
	}
}

func TestPanicKeepsOuterMiddlewareValues(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, Logger: quiet})
	outer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Set-Cookie", "session=anonymous")
			w.Header().Set("Cache-Control", "no-store")
			next.ServeHTTP(w, r)
		})
	}
	h := outer(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "session=elevated")
		w.Header().Add("Cache-Control", "public, max-age=86400")
		w.Header().Set("X-Debug", "internal")
		panic("boom")
	})))
	res := serve(h, actualReq(testOrigin))
	assert.Equal(t, http.StatusInternalServerError, res.Code)
	assert.Equal(t, []string{"session=anonymous"}, res.Header().Values("Set-Cookie"))
	assert.Equal(t, []string{"no-store"}, res.Header().Values("Cache-Control"))
	assert.Empty(t, res.Header().Values("X-Debug"))
	assert.Equal(t, testOrigin, res.Header().Get("Access-Control-Allow-Origin"))
}

func TestCloseNotifierPassesThrough(t *testing.T) {
	notified := make(chan bool, 1)
	srv, _ := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		//lint:ignore SA1019 gin's Context.Stream asserts it without checking
		cn, ok := w.(http.CloseNotifier)
		if !ok {
			notified <- false
			return
		}
		_, _ = io.WriteString(w, "data: one\n\n")
		w.(http.Flusher).Flush()
		select {
		case gone := <-cn.CloseNotify():
			notified <- gone
		case <-time.After(10 * time.Second):
			notified <- false
		}
	}))
	res := get(t, srv, "/")
	buf := make([]byte, 4)
	_, err := io.ReadFull(res.Body, buf)
	require.NoError(t, err)
	res.Body.Close() // the client goes away
	srv.CloseClientConnections()
	assert.True(t, <-notified, "the handler saw the client go away")
}

// TestPanicNilIsNotASilent200 runs itself again under GODEBUG=panicnil=1,
// where recover() returns nil for panic(nil).
func TestPanicNilIsNotASilent200(t *testing.T) {
	if os.Getenv("CORS_TEST_PANICNIL") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPanicNilIsNotASilent200$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CORS_TEST_PANICNIL=1", "GODEBUG=panicnil=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Contains(t, string(out), "PASS")
		return
	}
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, Logger: quiet})
	res := serve(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Handler", "ran")
		panic(nil)
	})), actualReq(testOrigin))
	assert.Equal(t, http.StatusInternalServerError, res.Code)
	assert.Empty(t, res.Header().Get("X-Handler"))
	assert.Equal(t, testOrigin, res.Header().Get("Access-Control-Allow-Origin"))
}

func TestLogsAreBounded(t *testing.T) {
	const huge = 1 << 20
	var buf logBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	newMiddleware := func() *Middleware {
		return mustNew(t, Options{AllowedOrigins: []string{testOrigin}, AllowedMethods: []string{"PUT"}, Logger: logger})
	}
	panicking := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(strings.Repeat("v", huge)) })
	hugePath := httptest.NewRequest(http.MethodGet, "/"+strings.Repeat("p", huge), nil)
	hugePath.Header.Set("Origin", testOrigin)
	tests := []struct {
		name    string
		handler http.Handler
		r       *http.Request
	}{
		{"refused preflight with a 1 MiB method", okHandler, preflightReq(testOrigin, strings.Repeat("M", huge), "")},
		{"refused preflight with a 1 MiB header name", okHandler, preflightReq(testOrigin, "PUT", strings.Repeat("h", huge))},
		{"refused origin with a 1 MiB path", okHandler, func() *http.Request {
			r := hugePath.Clone(context.Background())
			r.Header.Set("Origin", "https://evil.example")
			return r
		}()},
		{"panic with a 1 MiB path and value", panicking, hugePath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(buf.String())
			serve(newMiddleware().Handler(tt.handler), tt.r)
			record := buf.String()[before:]
			require.NotEmpty(t, record)
			assert.Less(t, len(record), 24<<10, "one bounded record")
		})
	}

	t.Run("a flood of refusals", func(t *testing.T) {
		m := newMiddleware()
		before := len(buf.String())
		start := time.Now().Unix()
		for i := 0; i < 10_000; i++ {
			serve(m.Handler(okHandler), actualReq("https://evil.example"))
		}
		seconds := int(time.Now().Unix()-start) + 1
		records := strings.Count(buf.String()[before:], "\n")
		assert.LessOrEqual(t, records, seconds*maxRecordsPerSecond, "at most the limit in each second the loop spans")
		time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
		serve(m.Handler(okHandler), actualReq("https://evil.example"))
		assert.Regexp(t, `suppressed=[1-9][0-9]*\n$`, buf.String(), "the next record counts what was dropped")
	})
	t.Run("a flood of panics", func(t *testing.T) {
		m := newMiddleware()
		before := len(buf.String())
		h := m.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
		start := time.Now().Unix()
		for i := 0; i < 1000; i++ {
			serve(h, actualReq(testOrigin))
		}
		seconds := int(time.Now().Unix()-start) + 1
		assert.LessOrEqual(t, strings.Count(buf.String()[before:], "level=ERROR"), seconds*maxRecordsPerSecond)
	})
}

// TestEmptyAllowedHeadersMeansTheSafelistedOnes: an empty list, which a
// config file that came out empty produces, allows what nil allows.
func TestEmptyAllowedHeadersMeansTheSafelistedOnes(t *testing.T) {
	for _, headers := range [][]string{nil, {}} {
		m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, AllowedHeaders: headers})
		res := serve(m.Handler(okHandler), preflightReq(testOrigin, "POST", "content-type"))
		assert.Equal(t, http.StatusNoContent, res.Code, "%#v", headers)
		assert.Equal(t, "content-type", res.Header().Get("Access-Control-Allow-Headers"), "%#v: JSON included", headers)
	}
}

// TestSafelistedHeadersAreAlwaysAllowed: listing one custom header does not
// refuse every JSON request's preflight, as GET, HEAD and POST stay allowed
// whatever AllowedMethods lists.
func TestSafelistedHeadersAreAlwaysAllowed(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, AllowedHeaders: []string{"X-Api-Key"}})
	for _, list := range []string{"content-type", "accept,accept-language,content-language,content-type,x-api-key"} {
		res := serve(m.Handler(okHandler), preflightReq(testOrigin, "POST", list))
		assert.Equal(t, http.StatusNoContent, res.Code, list)
		assert.Equal(t, list, res.Header().Get("Access-Control-Allow-Headers"), list)
		assert.NotEmpty(t, res.Header().Get("Access-Control-Max-Age"), "%s: allowed, so cacheable", list)
	}
}

// TestHeaderNamesBrowsersSetAreAcceptedWithAWarning: a name no script can
// set is harmless in AllowedHeaders (no preflight asks for it), so it starts
// the server, with one Warn record per entry saying why it has no effect,
// when New or Reconfigure accepts it; the compiled policy does not list it.
func TestHeaderNamesBrowsersSetAreAcceptedWithAWarning(t *testing.T) {
	tests := []struct {
		name, why string
	}{
		{"Origin", "browsers send it themselves"},
		{"Content-Length", "forbidden request-header name"},
		{"Accept-Encoding", "forbidden request-header name"},
		{"Connection", "forbidden request-header name"},
		{"Access-Control-Request-Method", "browsers send it themselves"},
		{"Sec-Fetch-Mode", "Sec- and Proxy- headers"},
		{"proxy-authorization", "Sec- and Proxy- headers"},
		{"Cookie", "AllowCredentials is what lets requests carry cookies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&buf, nil))
			o := Options{AllowedOrigins: []string{testOrigin}, AllowedHeaders: []string{tt.name, "X-Api-Key"}, Logger: logger}
			m, err := New(o)
			require.NoError(t, err)
			assert.Equal(t, 1, strings.Count(buf.String(), "level=WARN"), buf.String())
			assert.Contains(t, buf.String(), "value="+tt.name)
			assert.Contains(t, buf.String(), "has no effect")
			assert.Contains(t, buf.String(), tt.why)

			res := serve(m.Handler(okHandler), preflightReq(testOrigin, "PUT", "x-api-key"))
			assert.Equal(t, "accept,accept-language,content-language,content-type,x-api-key", m.load().headerList)
			assert.Equal(t, http.StatusNoContent, res.Code)

			buf.Reset()
			require.NoError(t, m.Reconfigure(o))
			assert.Equal(t, 1, strings.Count(buf.String(), "level=WARN"), "Reconfigure reports it again, once")
		})
	}
	t.Run("nothing is logged for a refused configuration", func(t *testing.T) {
		var buf bytes.Buffer
		_, err := New(Options{AllowedHeaders: []string{"Origin"}, Logger: slog.New(slog.NewTextHandler(&buf, nil))})
		require.ErrorIs(t, err, ErrNoOrigins)
		assert.Empty(t, buf.String(), "the error already says everything")
	})
}

// TestPastedHeaderListsStartTheServer: the header lists people copy from
// other libraries' defaults and demos are accepted as they are.
func TestPastedHeaderListsStartTheServer(t *testing.T) {
	lists := map[string][]string{
		// gin-contrib/cors DefaultConfig().AllowHeaders
		"gin-contrib/cors default": {"Origin", "Content-Length", "Content-Type"},
		// connect-demo's server, which many Connect users copy
		"connect-demo": {"Accept-Encoding", "Content-Encoding", "Content-Type", "Connect-Protocol-Version",
			"Connect-Timeout-Ms", "Connect-Accept-Encoding", "Connect-Content-Encoding", "Grpc-Timeout", "X-Grpc-Web", "X-User-Agent"},
		// go-chi/cors and rs/cors add Origin to every list themselves
		"rs/cors, go-chi/cors": {"Origin", "Accept", "Content-Type", "X-Requested-With", "Authorization"},
	}
	for name, list := range lists {
		m, err := New(Options{AllowedOrigins: []string{testOrigin}, AllowedHeaders: list, Logger: quiet})
		require.NoError(t, err, name)
		res := serve(m.Handler(okHandler), preflightReq(testOrigin, "POST", "content-type"))
		assert.Equal(t, http.StatusNoContent, res.Code, name)
	}
}

// TestSetCookieExposedIsRefused: browsers never let scripts read Set-Cookie,
// so exposing it is a design built on a wish; the refusal says so.
func TestSetCookieExposedIsRefused(t *testing.T) {
	_, err := New(Options{AllowedOrigins: []string{testOrigin}, ExposedHeaders: []string{"Set-Cookie"}})
	require.ErrorIs(t, err, ErrInvalidHeader)
	var ce *ConfigError
	require.True(t, errors.As(err, &ce))
	assert.Equal(t, "ExposedHeaders", ce.Field)
	assert.Contains(t, err.Error(), `ExposedHeaders: "Set-Cookie" is never readable by scripts`)
}

func TestWildcardPolicyAnswersEveryRequestAlike(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{"*"}, ExposedHeaders: []string{"X-Total"}})
	h := m.Handler(reflectingHandler)
	twoOrigins := actualReq("")
	twoOrigins.Header["Origin"] = []string{"https://a.example", "https://b.example"}
	tests := []struct {
		name  string
		r     *http.Request
		apply bool
	}{
		{"no Origin", actualReq(""), false},
		{"an Origin", actualReq("https://anyone.example"), false},
		{"null", actualReq("null"), false},
		{"two Origin lines", twoOrigins, false},
		{"OPTIONS without Access-Control-Request-Method", httptest.NewRequest(http.MethodOptions, "/", nil), false},
		{"Apply, no Origin", actualReq(""), true},
		{"Apply, an Origin", actualReq("https://anyone.example"), true},
	}
	for _, tt := range tests {
		name := tt.name
		var res http.Header
		if tt.apply {
			w := httptest.NewRecorder()
			assert.False(t, m.Apply(w, tt.r))
			res = w.Header()
		} else {
			res = serve(h, tt.r).Header()
		}
		assert.Equal(t, []string{"*"}, res.Values("Access-Control-Allow-Origin"), name)
		assert.Equal(t, []string{"X-Total"}, res.Values("Access-Control-Expose-Headers"), name)
		assert.Empty(t, res.Values("Access-Control-Allow-Credentials"), name)
		assert.Empty(t, res.Values("Vary"), "%s: the answer does not depend on Origin", name)
	}
}
