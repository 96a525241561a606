package e2e

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// webkit is Debian's WebKitGTK (libwebkit2gtk-4.1-0): its MiniBrowser runs under
// a virtual display (Xvfb) and writes every console message to its standard
// output, which is where the suite reads them. Debian's WebKitWebDriver could
// drive it, but MiniBrowser started for automation ignores that setting, so the
// suite drives the page itself: a small script, loaded from a control server
// the test runs, asks that server for the next expression and posts its value
// back (see webkitdriver_test.go).
var webkit = engine{name: "WebKit", start: newWebKit}

// webkitInstall is what to do when WebKitGTK or Xvfb is missing.
const webkitInstall = "install them with `apt-get update && apt-get install -y libwebkit2gtk-4.1-0 xvfb`, or set MINIBROWSER and XVFB to their paths"

// miniBrowserPath is $MINIBROWSER, else the MiniBrowser that libwebkit2gtk-4.1-0
// ships under /usr/lib/<triplet>/webkit2gtk-4.1/. A missing browser fails the
// suite, as Chromium's does.
func miniBrowserPath(t *testing.T) string {
	t.Helper()
	if path := os.Getenv("MINIBROWSER"); path != "" {
		found, err := exec.LookPath(path)
		if err != nil {
			t.Fatalf("MiniBrowser not found as %s (%v): %s", path, err, webkitInstall)
		}
		return found
	}
	found, _ := filepath.Glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser")
	if len(found) == 0 {
		t.Fatalf("MiniBrowser not found under /usr/lib/*/webkit2gtk-4.1/: %s", webkitInstall)
	}
	return found[0]
}

func xvfbPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("XVFB")
	if path == "" {
		path = "Xvfb"
	}
	found, err := exec.LookPath(path)
	if err != nil {
		t.Fatalf("Xvfb not found as %s (%v): %s", path, err, webkitInstall)
	}
	return found
}

// startXvfb starts a virtual display that lives as long as the test and returns
// its name (":N"). -displayfd lets Xvfb pick a free display number and write it
// to the pipe once it accepts clients; -nolisten tcp keeps it off the network.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	var output syncBuffer
	cmd := exec.Command(xvfbPath(t), "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1280x1024x24")
	cmd.ExtraFiles = []*os.File{w}
	cmd.Stdout, cmd.Stderr = &output, &output
	require.NoError(t, cmd.Start())
	w.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	var display string
	within(t, browserStart, "start Xvfb", func() error {
		line, err := bufio.NewReader(r).ReadString('\n')
		if err != nil {
			return fmt.Errorf("%w; Xvfb's output:\n%s", err, output.String())
		}
		n, err := strconv.Atoi(strings.TrimSpace(line))
		display = ":" + strconv.Itoa(n)
		return err
	})
	return display
}

// webkitConsoleLine is how MiniBrowser writes a console message on its standard
// output: "[URL:LINE:COLUMN: ]CONSOLE [SOURCE ]LEVEL TEXT". A script's messages
// carry its location; the browser's own CORS messages carry none and name their
// source: "CONSOLE SECURITY ERROR Preflight response is not successful. ...",
// "CONSOLE JS ERROR Fetch API cannot load ...".
var webkitConsoleLine = regexp.MustCompile(`^(?:(\S*):\d+:\d+: )?CONSOLE (?:[A-Z]+ )?(LOG|ERROR|WARN|WARNING|INFO|DEBUG) (.*)$`)

type webkitBrowser struct {
	driver *webkitDriver

	mu      sync.Mutex
	entries []consoleEntry
	starts  map[int]int // page load -> its first console entry
	output  []string    // every line MiniBrowser printed, for a failing test's log
}

// newWebKit starts MiniBrowser with an empty profile on its own
// virtual display, pointed at the control server's idle page.
func newWebKit(t *testing.T) browser {
	t.Helper()
	display := startXvfb(t)
	home := t.TempDir()
	b := &webkitBrowser{driver: newWebKitDriver(t), starts: map[int]int{}}

	// Not --private: a private session writes no console message to stdout.
	// The profile is fresh anyway: HOME and the XDG folders are the test's.
	cmd := exec.Command(miniBrowserPath(t), "--enable-write-console-messages-to-stdout=true",
		b.driver.idleURL())
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"), "XDG_CACHE_HOME="+filepath.Join(home, "cache"),
		"XDG_DATA_HOME="+filepath.Join(home, "data"),
		"WEBKIT_DISABLE_COMPOSITING_MODE=1", // no GPU under Xvfb
	)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = cmd.Stdout // the same pipe: GLib's warnings are useful when it fails
	cmd.WaitDelay = browserClose
	started := time.Now()
	require.NoError(t, cmd.Start())
	read := make(chan struct{})
	go func() {
		defer close(read)
		b.read(stdout)
	}()
	exited := make(chan struct{})
	go func() {
		<-read
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		closing := time.Now()
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(browserClose):
			t.Errorf("MiniBrowser did not exit within %s; killing it", browserClose)
			_ = cmd.Process.Kill()
			<-exited
		}
		t.Logf("WebKit closed in %s", time.Since(closing).Round(time.Millisecond))
		if t.Failed() {
			b.mu.Lock()
			t.Logf("MiniBrowser's output:\n%s", strings.Join(b.output, "\n"))
			b.mu.Unlock()
		}
	})
	within(t, browserStart, "start WebKit", func() error { return b.driver.waitPage(0, exited) })
	t.Logf("WebKit started in %s", time.Since(started).Round(time.Millisecond))
	return b
}

// read records MiniBrowser's console messages until its output ends.
func (b *webkitBrowser) read(r io.Reader) {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	for s.Scan() {
		line := s.Text()
		b.mu.Lock()
		if len(b.output) < 10000 {
			b.output = append(b.output, line)
		}
		if m := webkitConsoleLine.FindStringSubmatch(line); m != nil {
			b.entries = append(b.entries, consoleEntry{Level: strings.ToLower(m[2]), Text: m[3], URL: m[1]})
		}
		b.mu.Unlock()
	}
	_, _ = io.Copy(io.Discard, r)
}

func (*webkitBrowser) name() string { return webkit.name }

// open loads pageURL in place of the current page: MiniBrowser is one window,
// and tests use one page at a time. The console of a tab is what was printed
// from its navigation on, until the next one.
func (b *webkitBrowser) open(t *testing.T, pageURL string) tab {
	t.Helper()
	page, target := b.driver.nextPage(t, pageURL)
	b.mu.Lock()
	start := len(b.entries)
	b.starts[page] = start
	b.mu.Unlock()
	b.driver.command(t, pageLoad, webkitCommand{Navigate: target})
	within(t, pageLoad, "load "+pageURL+" in WebKit", func() error { return b.driver.waitPage(page, nil) })
	return &webkitTab{browser: b, page: page, start: start}
}

// load loads pageURL as it is, for a page that carries no driver script: its
// tab can read the console, but not evaluate.
func (b *webkitBrowser) load(t *testing.T, pageURL string) *webkitTab {
	t.Helper()
	page, _ := b.driver.nextPage(t, pageURL)
	b.mu.Lock()
	start := len(b.entries)
	b.starts[page] = start
	b.mu.Unlock()
	b.driver.command(t, pageLoad, webkitCommand{Navigate: pageURL})
	return &webkitTab{browser: b, page: page, start: start}
}

type webkitTab struct {
	browser *webkitBrowser
	page    int // the driver's number for this page load
	start   int // the first console entry of this tab
}

func (*webkitTab) name() string { return webkit.name }

func (wt *webkitTab) evalJSON(t *testing.T, expression string) []byte {
	t.Helper()
	res := wt.browser.driver.command(t, scriptRun, webkitCommand{Eval: expression})
	require.Empty(t, res.Error, "script threw in WebKit:\n%s", expression)
	return []byte(res.Value)
}

func (wt *webkitTab) console() []consoleEntry {
	b := wt.browser
	b.mu.Lock()
	defer b.mu.Unlock()
	end := len(b.entries)
	if next, ok := b.starts[wt.page+1]; ok && next < end {
		end = next
	}
	if wt.start > end {
		return nil
	}
	var out []consoleEntry
	for _, e := range b.entries[wt.start:end] {
		// The driver's own requests go to the control server; a message about
		// one of them does not belong to the page under test.
		if !strings.Contains(e.Text, b.driver.url) {
			out = append(out, e)
		}
	}
	return out
}
