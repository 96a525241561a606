package corstest

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/corsguard/cors"
	"github.com/corsguard/cors/internal/fetch"
	methods "github.com/corsguard/cors/internal/method"
)

// The library and corstest agree. These tests assert the browser's verdict,
// never the library's exact bytes, so they hold whichever way the library
// words a refusal.
func TestAgainstTheLibrary(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/items/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/crash") {
			panic("boom")
		}
		_, _ = io.WriteString(w, "ok")
	})
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := cors.New(cors.Options{
		AllowedOrigins:   []string{page},
		AllowedMethods:   []string{http.MethodPut},
		AllowedHeaders:   []string{"X-Api-Key"},
		AllowCredentials: true,
		Logger:           quiet,
	})
	require.NoError(t, err)
	h := m.Handler(mux)
	star, err := cors.New(cors.Options{AllowedOrigins: []string{"*"}, Logger: quiet})
	require.NoError(t, err)

	put := func(headers ...string) *http.Request {
		r := httptest.NewRequest(http.MethodPut, "https://api.example.com/items/1", nil)
		for _, name := range headers {
			r.Header.Set(name, "v")
		}
		return r
	}
	tests := []struct {
		name        string
		h           http.Handler
		origin      string
		r           *http.Request
		credentials bool
		allowed     bool
		preflight   bool // the verdict came at the preflight
		status      int  // of the response, when allowed
	}{
		{"allowed PUT with credentials", h, page, put("X-Api-Key"), true, true, false, 200},
		{"panic: a readable 500", h, page, httptest.NewRequest(http.MethodGet, "https://api.example.com/items/crash", nil), true, true, false, 500},
		{"404: readable", h, page, httptest.NewRequest(http.MethodGet, "https://api.example.com/nothing", nil), true, true, false, 404},
		{"refused origin, preflighted", h, "https://evil.example.net", put(), false, false, true, 0},
		{"refused origin, simple", h, "https://evil.example.net", httptest.NewRequest(http.MethodGet, "https://api.example.com/items/1", nil), false, false, false, 0},
		{"refused method", h, page, httptest.NewRequest("PURGE", "https://api.example.com/items/1", nil), true, false, true, 0},
		{"refused header", h, page, put("X-Other"), true, false, true, 0},
		{"Authorization is not allowed", h, page, put("Authorization"), true, false, true, 0},
		{"a * policy without credentials", star.Handler(mux), page, httptest.NewRequest(http.MethodGet, "https://api.example.com/items/1", nil), false, true, false, 200},
		{"a * policy with credentials", star.Handler(mux), page, httptest.NewRequest(http.MethodGet, "https://api.example.com/items/1", nil), true, false, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fetch := Fetch
			if tt.credentials {
				fetch = FetchWithCredentials
			}
			res := fetch(tt.h, tt.origin, tt.r)
			if tt.allowed {
				require.NoError(t, res.Err)
				assert.Equal(t, tt.status, res.Response.StatusCode)
				return
			}
			var blocked *BlockedError
			require.True(t, errors.As(res.Err, &blocked), "%v", res.Err)
			assert.Equal(t, tt.preflight, blocked.Preflight)
			assert.Equal(t, tt.preflight, res.Response == nil, "the request is sent only after a passed preflight")
		})
	}
}

func FuzzFetch(f *testing.F) {
	f.Add("GET", "X-Api-Key", "k", "/items")
	f.Add("put", "Content-Type", "application/json", "/")
	f.Add("PATCH", "Accept", "{}", "/a?b=c")
	f.Add("A B", "X", "\r\n", "")
	f.Add("POST", "Cookie", "a=b", "//x")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", page)
		w.Header().Set("Access-Control-Allow-Methods", "PUT, PATCH")
		w.Header().Set("Access-Control-Allow-Headers", "X-Api-Key")
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/", http.StatusFound)
		}
	})
	f.Fuzz(func(t *testing.T, method, name, value, path string) {
		r := &http.Request{Method: method, URL: &url.URL{Path: path}, Host: "api.example.com", Header: http.Header{name: {value}}}
		res := Fetch(h, page, r)
		var blocked *BlockedError
		switch {
		case res.Err == nil:
			require.NotNil(t, res.Response)
			var script []fetch.Header
			if x := (fetch.Header{Name: name, Value: value}); !fetch.IsForbiddenRequestHeader(x) && !strings.EqualFold(name, "Origin") && !strings.EqualFold(name, "Cookie") {
				script = append(script, x)
			}
			require.Equal(t, fetch.NeedsPreflight(methods.Normalize(method), script), res.Preflight != nil)
		case errors.As(res.Err, &blocked):
			require.NotEmpty(t, blocked.URL)
			require.True(t, strings.HasPrefix(blocked.Error(), "Access to fetch at '"))
		default:
			require.Nil(t, res.Response, "%v", res.Err)
			require.True(t, strings.HasPrefix(res.Err.Error(), "corstest: "))
		}
	})
}
