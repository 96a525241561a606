package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// firefox is Debian's Firefox ESR, driven over WebDriver BiDi, which Firefox
// serves itself with --remote-debugging-port: no geckodriver, nothing to
// download, only the firefox-esr package and a websocket library.
var firefox = engine{name: "Firefox", start: newFirefox}

// firefoxInstall is what to do when Firefox is missing.
const firefoxInstall = "install it with `apt-get update && apt-get install -y firefox-esr`, or set FIREFOX to its path"

// firefoxPrefs go into the fresh profile's user.js. Firefox applies its own
// automation preferences once the remote agent runs; these act from the first
// instant of the start. The machine has no network beyond loopback.
const firefoxPrefs = `user_pref("app.normandy.api_url", "");
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("messaging-system.rsexperimentloader.enabled", false);
user_pref("services.settings.server", "data:,#remote-settings-dummy/v1");
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
`

// firefoxPath is $FIREFOX, else firefox-esr on the PATH. A missing browser fails
// the suite, as Chromium's does.
func firefoxPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("FIREFOX")
	if path == "" {
		path = "firefox-esr"
	}
	found, err := exec.LookPath(path)
	if err != nil {
		t.Fatalf("Firefox not found as %s (%v): %s", path, err, firefoxInstall)
	}
	return found
}

// bidiEndpoint is the line Firefox prints once its WebDriver BiDi server listens.
var bidiEndpoint = regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)

type firefoxBrowser struct {
	conn *bidiConn

	mu      sync.Mutex
	parents map[string]string // browsing context -> its parent, for frames
	entries []firefoxEntry
}

// firefoxEntry is a console entry and the browsing context it came from.
type firefoxEntry struct {
	context string
	entry   consoleEntry
}

// newFirefox starts a headless Firefox with a fresh profile that lives as long as
// the test, and opens a WebDriver BiDi session to it.
func newFirefox(t *testing.T) browser {
	t.Helper()
	profile := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(profile, "user.js"), []byte(firefoxPrefs), 0o600))

	var output syncBuffer
	cmd := exec.Command(firefoxPath(t), "--headless", "--no-remote", "--profile", profile,
		"--remote-debugging-port", "0", "about:blank") // port 0: any free port, printed on stderr
	cmd.Stdout, cmd.Stderr = &output, &output
	cmd.WaitDelay = browserClose // content processes may hold the output pipe a little longer
	started := time.Now()
	require.NoError(t, cmd.Start())
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()

	b := &firefoxBrowser{parents: map[string]string{}}
	t.Cleanup(func() {
		closing := time.Now()
		defer func() { t.Logf("Firefox closed in %s", time.Since(closing).Round(time.Millisecond)) }()
		if b.conn != nil {
			ctx, cancel := context.WithTimeout(context.Background(), browserClose)
			_ = b.conn.call(ctx, "browser.close", map[string]any{}, nil)
			cancel()
			b.conn.close()
		}
		select {
		case <-exited:
		case <-time.After(browserClose):
			t.Errorf("Firefox did not exit within %s; killing it", browserClose)
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("Firefox's output:\n%s", output.String())
		}
	})

	endpoint := bidiListening(t, &output, exited)
	ctx, cancel := context.WithTimeout(context.Background(), browserStart)
	defer cancel()
	conn, err := dialBiDi(ctx, endpoint, b.event)
	require.NoError(t, err, "WebDriver BiDi session with Firefox at %s", endpoint)
	b.conn = conn
	require.NoError(t, conn.call(ctx, "session.subscribe", map[string]any{
		"events": []string{"log.entryAdded", "browsingContext.contextCreated"},
	}, nil))
	t.Logf("Firefox started in %s", time.Since(started).Round(time.Millisecond))
	return b
}

// bidiListening waits, bounded, for Firefox to print where its WebDriver BiDi
// server listens.
func bidiListening(t *testing.T, output *syncBuffer, exited <-chan struct{}) string {
	t.Helper()
	deadline := time.Now().Add(browserStart)
	for {
		if m := bidiEndpoint.FindStringSubmatch(output.String()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("Firefox did not start its WebDriver BiDi server within %s:\n%s", browserStart, output.String())
		}
		select {
		case <-exited:
			t.Fatalf("Firefox exited before it listened:\n%s", output.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (*firefoxBrowser) name() string { return firefox.name }

// event records the events the suite subscribed to.
func (b *firefoxBrowser) event(method string, params json.RawMessage) {
	switch method {
	case "browsingContext.contextCreated":
		var ev struct {
			Context string  `json:"context"`
			Parent  *string `json:"parent"`
		}
		if json.Unmarshal(params, &ev) == nil && ev.Parent != nil {
			b.mu.Lock()
			b.parents[ev.Context] = *ev.Parent
			b.mu.Unlock()
		}
	case "log.entryAdded":
		var ev struct {
			Level  string `json:"level"`
			Text   string `json:"text"`
			Source struct {
				Context string `json:"context"`
			} `json:"source"`
		}
		if json.Unmarshal(params, &ev) == nil {
			b.mu.Lock()
			b.entries = append(b.entries, firefoxEntry{context: ev.Source.Context, entry: consoleEntry{Level: ev.Level, Text: ev.Text}})
			b.mu.Unlock()
		}
	}
}

func (b *firefoxBrowser) open(t *testing.T, pageURL string) tab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), pageLoad)
	defer cancel()
	var created struct {
		Context string `json:"context"`
	}
	require.NoError(t, b.conn.call(ctx, "browsingContext.create", map[string]any{"type": "tab"}, &created))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), pageLoad)
		defer cancel()
		_ = b.conn.call(ctx, "browsingContext.close", map[string]any{"context": created.Context}, nil)
	})
	require.NoError(t, b.conn.call(ctx, "browsingContext.navigate", map[string]any{
		"context": created.Context, "url": pageURL, "wait": "complete",
	}, nil), "load %s", pageURL)
	return &firefoxTab{browser: b, context: created.Context}
}

type firefoxTab struct {
	browser *firefoxBrowser
	context string // the tab's top-level browsing context
}

func (*firefoxTab) name() string { return firefox.name }

func (ft *firefoxTab) evalJSON(t *testing.T, expression string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), scriptRun)
	defer cancel()
	var res struct {
		Type   string `json:"type"` // "success" or "exception"
		Result struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	require.NoError(t, ft.browser.conn.call(ctx, "script.evaluate", map[string]any{
		"expression": expression, "target": map[string]any{"context": ft.context},
		"awaitPromise": true, "resultOwnership": "none",
	}, &res), "script:\n%s", expression)
	require.Equal(t, "success", res.Type, "script threw %s:\n%s", res.ExceptionDetails.Text, expression)
	require.Equal(t, "string", res.Result.Type, "script:\n%s", expression)
	return []byte(res.Result.Value)
}

// console is what was logged in the tab's context and in its frames'.
func (ft *firefoxTab) console() []consoleEntry {
	b := ft.browser
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []consoleEntry
	for _, e := range b.entries {
		top := e.context
		for i := 0; i < 100; i++ { // frames nest; a bound in case of a cycle
			parent, ok := b.parents[top]
			if !ok {
				break
			}
			top = parent
		}
		if top == ft.context {
			out = append(out, e.entry)
		}
	}
	return out
}
