package corstest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const page = "https://app.example.com"

// server answers preflights and other requests with fixed statuses and
// headers, and records what it received.
type server struct {
	preflightStatus int // default 204
	preflight       http.Header
	status          int // default 200
	actual          http.Header

	mu   sync.Mutex
	seen []*http.Request
	body []string
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.seen = append(s.seen, r)
	s.body = append(s.body, string(body))
	s.mu.Unlock()
	h, status := s.actual, s.status
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h, status = s.preflight, s.preflightStatus
		if status == 0 {
			status = http.StatusNoContent
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	for name, values := range h {
		w.Header()[name] = append([]string(nil), values...)
	}
	w.WriteHeader(status)
}

// hdr builds a header from name/value pairs.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// allowing answers like a correct CORS layer for page.
func allowing() *server {
	return &server{
		preflight: hdr("Access-Control-Allow-Origin", page, "Access-Control-Allow-Credentials", "true",
			"Access-Control-Allow-Methods", "PUT, DELETE", "Access-Control-Allow-Headers", "X-Api-Key, Content-Type, Authorization"),
		actual: hdr("Access-Control-Allow-Origin", page, "Access-Control-Allow-Credentials", "true"),
	}
}

func TestVerdicts(t *testing.T) {
	put := func() *http.Request {
		r := httptest.NewRequest(http.MethodPut, "/items/7", strings.NewReader(`{"n":1}`))
		r.Header.Set("Content-Type", "application/json")
		return r
	}
	get := func() *http.Request { return httptest.NewRequest(http.MethodGet, "/items", nil) }
	with := func(s *server, f func(*server)) *server { f(s); return s }
	tests := []struct {
		name        string
		srv         *server
		r           func() *http.Request
		credentials bool
		preflight   bool   // a preflight was sent
		response    bool   // the request itself was sent
		reason      string // "" when allowed
		blockedPre  bool
	}{
		{name: "simple GET", srv: allowing(), r: get, response: true},
		{name: "PUT with JSON", srv: allowing(), r: put, preflight: true, response: true},
		{name: "credentialed PUT", srv: allowing(), r: put, credentials: true, preflight: true, response: true},
		{name: "no CORS headers on GET", srv: &server{}, r: get, response: true,
			reason: "No 'Access-Control-Allow-Origin' header is present on the requested resource."},
		{name: "no CORS headers on the preflight", srv: &server{preflightStatus: 405}, r: put, preflight: true, blockedPre: true,
			reason: "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header"},
		{name: "preflight not ok", srv: with(allowing(), func(s *server) { s.preflightStatus = 403 }), r: put, preflight: true, blockedPre: true,
			reason: "It does not have HTTP ok status."},
		{name: "method not listed", srv: allowing(), r: func() *http.Request { return httptest.NewRequest("PATCH", "/items/7", nil) },
			preflight: true, blockedPre: true, reason: "Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response."},
		{name: "header not listed", srv: allowing(), r: func() *http.Request {
			r := get()
			r.Header.Set("X-Trace", "1")
			return r
		}, preflight: true, blockedPre: true, reason: "Request header field x-trace is not allowed by Access-Control-Allow-Headers in preflight response."},
		{name: "wildcard with credentials", srv: &server{actual: hdr("Access-Control-Allow-Origin", "*")}, r: get, credentials: true, response: true,
			reason: "must not be the wildcard '*' when the request's credentials mode is 'include'"},
		{name: "wildcard without credentials", srv: &server{actual: hdr("Access-Control-Allow-Origin", "*")}, r: get, response: true},
		{name: "credentials not allowed", srv: &server{actual: hdr("Access-Control-Allow-Origin", page)}, r: get, credentials: true, response: true,
			reason: "The value of the 'Access-Control-Allow-Credentials' header in the response is ''"},
		{name: "500 without CORS headers", srv: &server{status: 500}, r: get, response: true, reason: "No 'Access-Control-Allow-Origin'"},
		{name: "500 with CORS headers", srv: with(allowing(), func(s *server) { s.status = 500 }), r: get, response: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fetch := Fetch
			if tt.credentials {
				fetch = FetchWithCredentials
			}
			res := fetch(tt.srv, page, tt.r())
			assert.Equal(t, tt.preflight, res.Preflight != nil, "preflight sent")
			assert.Equal(t, tt.response, res.Response != nil, "request sent")
			if tt.reason == "" {
				assert.NoError(t, res.Err)
				return
			}
			var blocked *BlockedError
			require.True(t, errors.As(res.Err, &blocked), "%v", res.Err)
			assert.Contains(t, blocked.Reason, tt.reason)
			assert.Equal(t, tt.blockedPre, blocked.Preflight)
			assert.Equal(t, page, blocked.Origin)
			assert.Equal(t, "http://example.com"+tt.r().URL.Path, blocked.URL)
			assert.Equal(t, "Access to fetch at '"+blocked.URL+"' from origin '"+page+"' has been blocked by CORS policy: "+blocked.Reason, blocked.Error())
		})
	}
}

// The handler receives what Chromium sends: a preflight without
// credentials or the script's headers, then the request itself.
func TestRequestsAsChromiumBuildsThem(t *testing.T) {
	s := allowing()
	s.preflight.Set("Access-Control-Allow-Headers", "x-api-key, x-trace, content-type, authorization")
	r := httptest.NewRequest("put", "https://api.example.com/items/7?v=2", strings.NewReader(`{"n":1}`))
	r.Header.Set("Origin", "https://forged.example")
	r.Header.Add("X-Trace", "1")
	r.Header.Set("X-Api-Key", "k")
	r.Header.Add("X-Trace", "2")
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer t")
	r.Header.Set("Cookie", "session=s")
	r.Header.Set("Sec-Fetch-Site", "same-site")
	r.RemoteAddr = "192.0.2.1:1234"
	before := r.Header.Clone()

	res := FetchWithCredentials(s, page, r)
	require.NoError(t, res.Err)
	assert.Equal(t, before, r.Header, "the script's request is not modified")
	require.Len(t, s.seen, 2)
	pre, actual := s.seen[0], s.seen[1]

	assert.Equal(t, http.MethodOptions, pre.Method)
	assert.Equal(t, "https://api.example.com/items/7?v=2", "https://"+pre.Host+pre.URL.RequestURI())
	assert.NotNil(t, pre.TLS)
	assert.Equal(t, http.Header{
		"Accept":                         {"*/*"},
		"Origin":                         {page},
		"Access-Control-Request-Method":  {"PUT"},
		"Access-Control-Request-Headers": {"authorization,content-type,x-api-key,x-trace"},
	}, pre.Header)
	assert.Empty(t, s.body[0], "a preflight has no body")

	assert.Equal(t, "PUT", actual.Method, "put is normalized")
	assert.Equal(t, page, actual.Header.Get("Origin"), "the browser sets Origin")
	assert.Equal(t, []string{"1", "2"}, actual.Header.Values("X-Trace"))
	assert.Equal(t, "Bearer t", actual.Header.Get("Authorization"))
	assert.Equal(t, "session=s", actual.Header.Get("Cookie"), "sent with credentials")
	assert.Equal(t, "same-site", actual.Header.Get("Sec-Fetch-Site"))
	assert.Equal(t, "*/*", actual.Header.Get("Accept"))
	assert.Equal(t, `{"n":1}`, s.body[1])
	assert.Equal(t, "192.0.2.1:1234", actual.RemoteAddr)

	// Without credentials, no cookie; browser headers never need a preflight.
	s = allowing()
	g := httptest.NewRequest(http.MethodGet, "/", nil)
	g.Header.Set("Cookie", "session=s")
	g.Header.Set("Sec-Fetch-Mode", "cors")
	res = Fetch(s, page, g)
	require.NoError(t, res.Err)
	assert.Nil(t, res.Preflight)
	require.Len(t, s.seen, 1)
	assert.Empty(t, s.seen[0].Header.Get("Cookie"))
	assert.Equal(t, "cors", s.seen[0].Header.Get("Sec-Fetch-Mode"))
}

func TestContextReachesTheHandler(t *testing.T) {
	type key struct{}
	var got any
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Context().Value(key{})
		w.Header().Set("Access-Control-Allow-Origin", "*")
	})
	r := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(context.WithValue(context.Background(), key{}, "v"))
	require.NoError(t, Fetch(h, page, r).Err)
	assert.Equal(t, "v", got)
}

func TestRedirects(t *testing.T) {
	cors := hdr("Access-Control-Allow-Origin", "*")
	mux := http.NewServeMux()
	var finalBody, finalMethod, finalOrigin string
	mux.HandleFunc("/final", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		finalBody, finalMethod, finalOrigin = string(b), r.Method, r.Header.Get("Origin")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, _ = io.WriteString(w, "final")
	})
	redirect := func(path, to string, status int, headers http.Header) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			for name, values := range headers {
				w.Header()[name] = values
			}
			http.Redirect(w, r, to, status)
		})
	}
	redirect("/temporary", "/final", http.StatusTemporaryRedirect, cors)
	redirect("/see-other", "/final", http.StatusSeeOther, cors)
	redirect("/bare", "/final", http.StatusFound, nil)
	redirect("/elsewhere", "https://cdn.example.net/final", http.StatusFound, cors)
	redirect("/loop", "/loop", http.StatusFound, cors)

	post := func(path string) *http.Request {
		return httptest.NewRequest(http.MethodPost, path, strings.NewReader("body"))
	}
	t.Run("307 keeps the method and body", func(t *testing.T) {
		res := Fetch(mux, page, post("/temporary"))
		require.NoError(t, res.Err)
		assert.Equal(t, "final", readAll(t, res.Response))
		assert.Equal(t, "POST", finalMethod)
		assert.Equal(t, "body", finalBody)
	})
	t.Run("303 turns POST into GET", func(t *testing.T) {
		res := Fetch(mux, page, post("/see-other"))
		require.NoError(t, res.Err)
		assert.Equal(t, "GET", finalMethod)
		assert.Empty(t, finalBody)
	})
	t.Run("a redirect without CORS headers is not followed", func(t *testing.T) {
		res := Fetch(mux, page, post("/bare"))
		require.Error(t, res.Err)
		assert.Equal(t, http.StatusFound, res.Response.StatusCode)
		assert.Contains(t, res.Err.Error(), "No 'Access-Control-Allow-Origin' header")
	})
	t.Run("a cross-origin redirect sends Origin: null", func(t *testing.T) {
		res := Fetch(mux, page, post("/elsewhere"))
		require.NoError(t, res.Err, "h serves every origin the fetch reaches; * allows null")
		assert.Equal(t, "null", finalOrigin)
	})
	t.Run("a loop", func(t *testing.T) {
		res := Fetch(mux, page, httptest.NewRequest(http.MethodGet, "/loop", nil))
		require.Error(t, res.Err)
		assert.Contains(t, res.Err.Error(), "net::ERR_TOO_MANY_REDIRECTS")
	})
	t.Run("console message names both URLs", func(t *testing.T) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/a" {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				http.Redirect(w, r, "/b", http.StatusFound)
			}
		})
		res := Fetch(h, page, httptest.NewRequest(http.MethodGet, "/a", nil))
		require.Error(t, res.Err)
		assert.True(t, strings.HasPrefix(res.Err.Error(), "Access to fetch at 'http://example.com/b' (redirected from 'http://example.com/a') from origin '"+page+"'"), res.Err.Error())
	})
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return string(b)
}

// A panic reaches the browser as a dropped connection.
func TestPanickingHandler(t *testing.T) {
	for _, v := range []any{"boom", http.ErrAbortHandler} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(v) })
		res := Fetch(h, page, httptest.NewRequest(http.MethodGet, "/x", nil))
		assert.True(t, errors.Is(res.Err, ErrHandlerPanicked), "%v", res.Err)
		assert.Nil(t, res.Response)
		assert.Contains(t, res.Err.Error(), "corstest: GET http://example.com/x: the handler panicked")
		var blocked *BlockedError
		assert.False(t, errors.As(res.Err, &blocked))
	}
}

// Requests no browser sends are refused with a clear error.
func TestRequestsNoBrowserSends(t *testing.T) {
	h := allowing()
	tests := []struct {
		name   string
		origin string
		r      *http.Request
		want   string
	}{
		{"origin with a trailing slash", page + "/", httptest.NewRequest(http.MethodGet, "/", nil), `corstest: origin "https://app.example.com/" has a trailing slash`},
		{"origin pattern", "https://*.example.com", httptest.NewRequest(http.MethodGet, "/", nil), "is a pattern"},
		{"same origin", "http://example.com", httptest.NewRequest(http.MethodGet, "/", nil), "has the page's origin http://example.com: a browser makes no CORS check"},
		{"forbidden method", page, httptest.NewRequest("TRACE", "/", nil), "scripts cannot send the method TRACE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Fetch(h, tt.origin, tt.r)
			require.Error(t, res.Err)
			assert.Contains(t, res.Err.Error(), tt.want)
			assert.Nil(t, res.Response)
			assert.Empty(t, h.seen)
		})
	}
	assert.NoError(t, Fetch(&server{actual: hdr("Access-Control-Allow-Origin", "null")}, "null", httptest.NewRequest(http.MethodGet, "/", nil)).Err,
		"an opaque origin is one browsers send")
}

// TestFetchJudgesTheWire: the verdict follows what net/http sends, not the
// header map's spelling, and a 1xx before the final status is not the response.
func TestFetchJudgesTheWire(t *testing.T) {
	const page = "https://app.example.com"
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		readable bool
	}{
		{"two spellings are two values", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", page)
			w.Header()["access-control-allow-origin"] = []string{page}
		}, false},
		{"lower case only is a valid header", func(w http.ResponseWriter, r *http.Request) {
			w.Header()["access-control-allow-origin"] = []string{page}
		}, true},
		{"103 Early Hints is not the response", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Link", "</style.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			w.Header().Set("Access-Control-Allow-Origin", page)
			w.WriteHeader(http.StatusOK)
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Fetch(tt.handler, page, httptest.NewRequest(http.MethodGet, "https://api.example.com/items", nil))
			if tt.readable {
				require.NoError(t, res.Err)
				assert.Equal(t, http.StatusOK, res.Response.StatusCode)
			} else {
				var blocked *BlockedError
				require.ErrorAs(t, res.Err, &blocked)
				assert.Contains(t, blocked.Error(), "multiple values")
			}
		})
	}
}
