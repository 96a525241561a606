package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/corsguard/cors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonPut is a request the browser must preflight: a PUT, a JSON body, a custom
// header and Authorization.
func jsonPut(url string) request {
	return request{url: url, init: map[string]any{
		"method": "PUT",
		"headers": map[string]string{
			"Content-Type":  "application/json",
			"X-Custom":      "yes",
			"Authorization": "Bearer t0ken",
		},
		"body": `{"n":1}`,
	}}
}

// TestLibraryInChromium has Chromium judge each guarantee of the middleware: the
// page runs on one loopback origin, the API on another.
func TestLibraryInChromium(t *testing.T) {
	browser := newBrowser(t)
	page := newPageServer(t)
	foreign := newPageServer(t) // an origin the policy does not list

	policy := cors.Options{
		AllowedOrigins:   []string{page.URL},
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodPut},
		AllowedHeaders:   []string{"Content-Type", "X-Custom", "Authorization"},
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: true,
	}
	api := newTestAPI(t, policy)

	t.Run("simple GET", func(t *testing.T) {
		res := fetch(t, openTab(t, browser, page.URL), request{url: api.URL + "/hello"})
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Equal(t, http.StatusOK, res.Status)
		assert.Equal(t, "hello", res.Body)
	})

	t.Run("exposed header is readable, others are not", func(t *testing.T) {
		res := fetch(t, openTab(t, browser, page.URL), request{
			url: api.URL + "/hello", readHeaders: []string{"X-Request-Id", "X-Secret"},
		})
		require.Equal(t, "response", res.Outcome, res.Error)
		require.NotNil(t, res.Headers["X-Request-Id"], "X-Request-Id is exposed")
		assert.Equal(t, "req-42", *res.Headers["X-Request-Id"])
		assert.Nil(t, res.Headers["X-Secret"], "X-Secret is not exposed")
	})

	// The cookie set by the API's origin (127.0.0.1:A) is sent to it from the page
	// (127.0.0.1:B): cookies ignore ports, and the two are the same site, so
	// SameSite=Lax lets it through. It goes only with credentials: "include".
	t.Run("credentialed GET carries the cookie", func(t *testing.T) {
		tab := openTab(t, browser, page.URL)
		login := fetch(t, tab, request{url: api.URL + "/login", init: map[string]any{"method": "POST", "credentials": "include"}})
		require.Equal(t, "response", login.Outcome, login.Error)
		require.Equal(t, http.StatusOK, login.Status)

		res := fetch(t, tab, request{url: api.URL + "/whoami", init: map[string]any{"credentials": "include"}})
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Equal(t, "session=s3cret", res.Body, "the handler got the cookie")

		res = fetch(t, tab, request{url: api.URL + "/whoami"})
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Equal(t, "no cookie", res.Body, "without credentials: \"include\" the cookie stays home")
	})

	t.Run("preflighted JSON PUT with a custom header and Authorization", func(t *testing.T) {
		res := fetch(t, openTab(t, browser, page.URL), jsonPut(api.URL+"/echo/put"))
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Equal(t, http.StatusOK, res.Status)
		var echoed map[string]string
		require.NoError(t, json.Unmarshal([]byte(res.Body), &echoed))
		assert.Equal(t, map[string]string{
			"method": "PUT", "contentType": "application/json", "custom": "yes",
			"authorization": "Bearer t0ken", "body": `{"n":1}`,
		}, echoed)
		assert.Equal(t, 1, api.requests("OPTIONS /echo/put"), "one preflight")
	})

	t.Run("method not allowed is blocked", func(t *testing.T) {
		res := fetch(t, openTab(t, browser, page.URL), request{url: api.URL + "/echo/delete", init: map[string]any{"method": "DELETE"}})
		assert.Equal(t, "blocked", res.Outcome)
		assert.Equal(t, 1, api.requests("OPTIONS /echo/delete"), "the browser asked")
		assert.Zero(t, api.requests("DELETE /echo/delete"), "the request itself never left the browser")
	})

	t.Run("header not allowed is blocked", func(t *testing.T) {
		res := fetch(t, openTab(t, browser, page.URL), request{url: api.URL + "/echo/header", init: map[string]any{
			"method": "PUT", "headers": map[string]string{"X-Forbidden": "1"}, "body": "x",
		}})
		assert.Equal(t, "blocked", res.Outcome)
		assert.Equal(t, 1, api.requests("OPTIONS /echo/header"))
		assert.Zero(t, api.requests("PUT /echo/header"))
	})

	t.Run("origin not allowed is blocked", func(t *testing.T) {
		res := fetch(t, openTab(t, browser, foreign.URL), request{url: api.URL + "/hello"})
		assert.Equal(t, "blocked", res.Outcome)
	})

	t.Run("handler panic is a readable 500", func(t *testing.T) {
		res := fetch(t, openTab(t, browser, page.URL), request{url: api.URL + "/panic"})
		require.Equal(t, "response", res.Outcome, "a panic must not look like a CORS error: %s", res.Error)
		assert.Equal(t, http.StatusInternalServerError, res.Status)
	})

	t.Run("handler 500 is readable", func(t *testing.T) {
		res := fetch(t, openTab(t, browser, page.URL), request{url: api.URL + "/fail"})
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Equal(t, http.StatusInternalServerError, res.Status)
		assert.Equal(t, "boom\n", res.Body)
	})

	t.Run("panic after the response started cuts the body", func(t *testing.T) {
		res := fetch(t, openTab(t, browser, page.URL), request{url: api.URL + "/panic-after-write"})
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Equal(t, http.StatusOK, res.Status)
		assert.Contains(t, res.BodyError, "TypeError", "the script must learn that the body is incomplete")
	})

	t.Run("server-sent events are read incrementally", func(t *testing.T) {
		tab := openTab(t, browser, page.URL)
		type firstEvent struct {
			Status      int    `json:"status"`
			ContentType string `json:"contentType"`
			Text        string `json:"text"`
		}
		first := evaluate[firstEvent](t, tab, `(async (url) => {
  const res = await fetch(url, {signal: AbortSignal.timeout(`+jsValue(t, (sseWait+5*time.Second).Milliseconds())+`)});
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (let i = 0; i < 100 && !text.includes("\n\n"); i++) {
    const {value, done} = await reader.read();
    if (done) break;
    text += decoder.decode(value, {stream: true});
  }
  window.sse = {reader, decoder};
  return {status: res.status, contentType: res.headers.get("Content-Type"), text};
})(`+jsValue(t, api.URL+"/events")+`)`)
		assert.Equal(t, http.StatusOK, first.Status)
		assert.Equal(t, "text/event-stream", first.ContentType)
		assert.Equal(t, "data: first\n\n", first.Text)
		require.Empty(t, api.sseEnd(), "the page read the first event while the handler was still running")

		api.release()
		rest := evaluate[string](t, tab, `(async () => {
  const {reader, decoder} = window.sse;
  let text = "";
  for (let i = 0; i < 100; i++) {
    const {value, done} = await reader.read();
    if (done) return text;
    text += decoder.decode(value, {stream: true});
  }
  return text;
})()`)
		assert.Equal(t, "data: second\n\n", rest)
		assert.Equal(t, "released", api.sseEnd())
	})

	t.Run("redirect is followed cross-origin", func(t *testing.T) {
		res := fetch(t, openTab(t, browser, page.URL), request{url: api.URL + "/redirect", init: map[string]any{"redirect": "follow"}})
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Equal(t, http.StatusOK, res.Status)
		assert.Equal(t, "landed", res.Body)
		assert.True(t, res.Redirected)
		assert.Equal(t, api.URL+"/target", res.URL)
		assert.Equal(t, 1, api.requests("GET /redirect"))
		assert.Equal(t, 1, api.requests("GET /target"))
	})

	t.Run("Max-Age caches the preflight", func(t *testing.T) {
		tab := openTab(t, browser, page.URL)
		for i := 0; i < 2; i++ {
			res := fetch(t, tab, jsonPut(api.URL+"/echo/cached"))
			require.Equal(t, "response", res.Outcome, res.Error)
		}
		assert.Equal(t, 2, api.requests("PUT /echo/cached"))
		assert.Equal(t, 1, api.requests("OPTIONS /echo/cached"), "the second PUT must reuse the cached preflight")
	})

	t.Run("negative MaxAge disables the preflight cache", func(t *testing.T) {
		noCache := policy
		noCache.MaxAge = -time.Second
		uncached := newTestAPI(t, noCache)
		tab := openTab(t, browser, page.URL)
		for i := 0; i < 2; i++ {
			res := fetch(t, tab, jsonPut(uncached.URL+"/echo/cached"))
			require.Equal(t, "response", res.Outcome, res.Error)
		}
		assert.Equal(t, 2, uncached.requests("PUT /echo/cached"))
		assert.Equal(t, 2, uncached.requests("OPTIONS /echo/cached"), "Access-Control-Max-Age: 0 must make the browser ask again")
	})

	t.Run("wildcards allow any origin, method and header by name", func(t *testing.T) {
		open := newTestAPI(t, cors.Options{
			AllowedOrigins: []string{"*"}, AllowedMethods: []string{"*"}, AllowedHeaders: []string{"*"},
		})
		tab := openTab(t, browser, foreign.URL)
		res := fetch(t, tab, jsonPut(open.URL+"/echo/put"))
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Contains(t, res.Body, `"authorization":"Bearer t0ken"`, "Authorization is covered only by name, and * is answered by name")

		res = fetch(t, tab, request{url: open.URL + "/echo/delete", init: map[string]any{"method": "DELETE"}})
		require.Equal(t, "response", res.Outcome, res.Error)
		assert.Contains(t, res.Body, `"method":"DELETE"`)
	})
}
