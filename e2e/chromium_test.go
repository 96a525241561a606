package e2e

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromium is Debian's Chromium, driven over the DevTools protocol by chromedp.
var chromium = engine{name: "Chromium", start: newChromium}

// chromiumInstall is what to do when Chromium is missing.
const chromiumInstall = "install it with `apt-get update && apt-get install -y chromium`, or set CHROMIUM to its path"

// chromiumPath is $CHROMIUM, else /usr/bin/chromium. A missing browser fails the
// suite: these tests are the only ones that show what a browser does with our
// headers, so they must never be skipped silently.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	found, err := exec.LookPath(path)
	if err != nil {
		t.Fatalf("Chromium not found at %s (%v): %s", path, err, chromiumInstall)
	}
	return found
}

type chromiumBrowser struct{ ctx context.Context }

// newChromium starts a headless Chromium with a fresh profile that lives as long
// as the test.
func newChromium(t *testing.T) browser {
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
	return chromiumBrowser{ctx: browserCtx}
}

func (chromiumBrowser) name() string { return chromium.name }

func (b chromiumBrowser) open(t *testing.T, pageURL string) tab {
	t.Helper()
	tabCtx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	within(t, pageLoad, "open a tab", func() error { return chromedp.Do(tabCtx) })

	ct := &chromiumTab{ctx: tabCtx}
	// Subscribed before the page loads, so that no message is lost; the
	// subscription ends with the tab.
	messages := chromedp.Console(tabCtx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			ct.mu.Lock()
			ct.entries = append(ct.entries, consoleEntry{Level: string(m.Type), Text: m.Text, URL: m.URL})
			ct.mu.Unlock()
		}
	}()

	ctx, cancelLoad := context.WithTimeout(tabCtx, pageLoad)
	defer cancelLoad()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(pageURL)), "load %s", pageURL)
	return ct
}

type chromiumTab struct {
	ctx     context.Context
	mu      sync.Mutex
	entries []consoleEntry
}

func (*chromiumTab) name() string { return chromium.name }

func (ct *chromiumTab) evalJSON(t *testing.T, expression string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(ct.ctx, scriptRun)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expression, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "script:\n%s", expression)
	return []byte(v)
}

func (ct *chromiumTab) console() []consoleEntry {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	return append([]consoleEntry(nil), ct.entries...)
}
