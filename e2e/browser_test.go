package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// Bounds on every wait, so that a stuck browser fails the test instead of hanging it.
const (
	browserStart = 30 * time.Second // launching Chromium
	pageLoad     = 15 * time.Second // opening a tab and loading a page
	scriptRun    = 20 * time.Second // one evaluated script, fetch included
	fetchAbort   = 15 * time.Second // the script's own AbortSignal, shorter than scriptRun
)

// installHint is what to do when the browser is missing.
const installHint = "install it with `apt-get update && apt-get install -y chromium`, or set CHROMIUM to its path"

// chromiumPath is the browser the tests drive: $CHROMIUM, else /usr/bin/chromium.
// A missing browser fails the suite: these tests are the only ones that show what
// a browser does with our headers, so they must never be skipped silently.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	found, err := exec.LookPath(path)
	if err != nil {
		t.Fatalf("Chromium not found at %s (%v): %s", path, err, installHint)
	}
	return found
}

// newBrowser starts a headless Chromium with a fresh profile that lives as long as
// the test; it returns the browser's chromedp context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // CI runs as root, where the sandbox cannot start
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
	)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser process to exit
	})
	// The first Run starts the browser and must not carry a timeout (it would
	// stop the browser when it fires), so it is bounded from outside.
	within(t, browserStart, "start Chromium", func() error { return chromedp.Do(browserCtx) })
	return browserCtx
}

// openTab opens a new tab of browser on pageURL.
func openTab(t *testing.T, browser context.Context, pageURL string) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	within(t, pageLoad, "open a tab", func() error { return chromedp.Do(tab) })
	ctx, cancelLoad := context.WithTimeout(tab, pageLoad)
	defer cancelLoad()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(pageURL)), "load %s", pageURL)
	return tab
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

// evaluate runs a script in the tab, waits for the promise it returns and decodes
// its value.
func evaluate[T any](t *testing.T, tab context.Context, script string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, scriptRun)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "script:\n%s", script)
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

// fetch runs req from the page loaded in tab.
func fetch(t *testing.T, tab context.Context, req request) fetchResult {
	t.Helper()
	if req.init == nil {
		req.init = map[string]any{}
	}
	if req.readHeaders == nil {
		req.readHeaders = []string{}
	}
	script := fmt.Sprintf(fetchScript, fetchAbort.Milliseconds(), jsValue(t, req.url), jsValue(t, req.init), jsValue(t, req.readHeaders))
	res := evaluate[fetchResult](t, tab, script)
	t.Logf("fetch(%s, %s) saw %s", req.url, jsValue(t, req.init), jsValue(t, res))
	return res
}

// jsValue writes v as a JavaScript literal (JSON is one).
func jsValue(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
