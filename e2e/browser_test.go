package e2e

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Bounds on every wait, so that a stuck browser fails the test instead of hanging it.
const (
	browserStart = 60 * time.Second // launching a browser; a first start on a loaded machine took 20 s
	pageLoad     = 15 * time.Second // opening a tab and loading a page
	scriptRun    = 20 * time.Second // one evaluated script, fetch included
	fetchAbort   = 15 * time.Second // the script's own AbortSignal, shorter than scriptRun
	consoleWait  = 5 * time.Second  // until the expected console messages have arrived
	browserClose = 10 * time.Second // until the browser process has exited
)

// engine is a browser the suite runs every case in.
type engine struct {
	name  string
	start func(t *testing.T) browser // a fresh browser with an empty profile, closed by t.Cleanup
}

// browser is a running browser of some engine.
type browser interface {
	name() string // the engine: "Chromium", "Firefox" or "WebKit"
	// open loads pageURL in a new tab, closed by t.Cleanup.
	open(t *testing.T, pageURL string) tab
}

// tab is one loaded page.
type tab interface {
	name() string // the engine: "Chromium", "Firefox" or "WebKit"
	// evalJSON evaluates a JavaScript expression, awaits it when it is a promise,
	// and returns its value as JSON.
	evalJSON(t *testing.T, expression string) []byte
	// console is what the browser has logged for this page and its frames so far.
	console() []consoleEntry
}

// consoleEntry is one message of a page's console, as the browser reported it to
// the driver: the browser's own messages (network, CORS) and the page's.
type consoleEntry struct {
	Level string // "error", "warning", ...
	Text  string
	URL   string // the resource it is about, when the browser says (Chromium's network messages)
}

// evaluate runs a script in the tab, waits for the promise it returns and decodes
// its value. Scripts return plain data; it crosses as JSON, the same way in every
// engine.
func evaluate[T any](t *testing.T, tb tab, script string) T {
	t.Helper()
	raw := tb.evalJSON(t, "Promise.resolve(("+script+")).then(v => JSON.stringify(v === undefined ? null : v))")
	var v T
	require.NoError(t, json.Unmarshal(raw, &v), "the value of script:\n%s\nis %s", script, raw)
	return v
}

// request is one fetch call made by the page's script.
type request struct {
	url         string
	init        map[string]any // the RequestInit: method, headers, body, credentials, redirect
	readHeaders []string       // response headers the script tries to read
}

// fetchResult is what the script could see of the answer.
type fetchResult struct {
	// Outcome is "response" when the script got a Response, "blocked" when fetch
	// rejected with a TypeError (what a CORS refusal looks like to a script) and
	// "error" for any other rejection (a timeout, say).
	Outcome    string             `json:"outcome"`
	Error      string             `json:"error"`
	Status     int                `json:"status"`
	Body       string             `json:"body"`
	BodyError  string             `json:"bodyError"` // reading the body failed, e.g. the stream was cut
	Headers    map[string]*string `json:"headers"`   // nil: the script may not read it
	Redirected bool               `json:"redirected"`
	URL        string             `json:"url"`
}

// fetchScript makes the call and reports, without ever rejecting, what it saw.
const fetchScript = `(async (url, init, names) => {
  const out = {headers: {}};
  let res;
  try {
    res = await fetch(url, {...init, signal: AbortSignal.timeout(%d)});
  } catch (e) {
    out.outcome = e.name === "TypeError" ? "blocked" : "error";
    out.error = String(e);
    return out;
  }
  out.outcome = "response";
  out.status = res.status;
  out.redirected = res.redirected;
  out.url = res.url;
  for (const name of names) out.headers[name] = res.headers.get(name);
  try {
    out.body = await res.text();
  } catch (e) {
    out.bodyError = String(e);
  }
  return out;
})(%s, %s, %s)`

// fetch runs req from the page loaded in tb.
func fetch(t *testing.T, tb tab, req request) fetchResult {
	t.Helper()
	if req.init == nil {
		req.init = map[string]any{}
	}
	if req.readHeaders == nil {
		req.readHeaders = []string{}
	}
	script := fmt.Sprintf(fetchScript, fetchAbort.Milliseconds(), jsValue(t, req.url), jsValue(t, req.init), jsValue(t, req.readHeaders))
	res := evaluate[fetchResult](t, tb, script)
	t.Logf("%s: fetch(%s, %s) saw %s", tb.name(), req.url, jsValue(t, req.init), jsValue(t, res))
	return res
}

// jsValue writes v as a JavaScript literal (JSON is one).
func jsValue(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// within runs f and fails the test if it takes longer than limit.
func within(t *testing.T, limit time.Duration, what string, f func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case err := <-done:
		require.NoError(t, err, what)
	case <-timer.C:
		t.Fatalf("%s: no answer within %s", what, limit)
	}
}
