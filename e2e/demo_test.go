package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	demoBuild = 90 * time.Second // go build ./examples/demo, cold cache included
	demoStart = 20 * time.Second // until the demo has printed its URLs
	demoPage  = 40 * time.Second // until the page has finished all its calls (its own bounds are 10s a call, 15s for the iframe)
)

// TestDemoInChromium runs the demo people run (`go run ./examples/demo`), built
// from the repository, and checks what its page shows in Chromium.
func TestDemoInChromium(t *testing.T) { testDemo(t, chromium) }

func testDemo(t *testing.T, e engine) {
	bin := buildDemo(t)
	browser := e.start(t)

	tests := []struct {
		name      string
		args      []string
		wantPanic demoCase
	}{
		{"safe", nil, demoCase{outcome: "response", status: "500"}},
		// The naive middleware lets the panic kill the connection: a "CORS error".
		{"unsafe", []string{"-unsafe"}, demoCase{outcome: "blocked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := runDemo(t, bin, tt.args...)
			tab := browser.open(t, d.page+"/")
			got := demoResults(t, tab)

			require.Equal(t, []string{"simple", "preflight", "login", "credentials", "panic", "error", "foreign-origin"},
				caseNames(got), "the page's cases, in order")
			byName := map[string]demoCase{}
			for _, c := range got {
				byName[c.name] = c
			}
			want := map[string]demoCase{
				"simple":         {outcome: "response", status: "200", body: `{"message":"hello from the API"}`},
				"preflight":      {outcome: "response", status: "200", body: `{"id":"42","name":"pen"}`},
				"login":          {outcome: "response", status: "200"},
				"credentials":    {outcome: "response", status: "200", body: byName["login"].body},
				"panic":          tt.wantPanic,
				"error":          {outcome: "response", status: "500", body: "database unavailable"},
				"foreign-origin": {outcome: "blocked"},
			}
			for name, w := range want {
				c := byName[name]
				assert.Equal(t, w.outcome, c.outcome, "%s: %s", name, c.text)
				assert.Equal(t, w.status, c.status, "%s: %s", name, c.text)
				if w.body != "" {
					assert.Equal(t, w.body, c.body, name)
				}
			}
			assert.Contains(t, byName["login"].body, `"session":`)
			assert.Regexp(t, `^X-Request-Id: [0-9a-f]{16}$`, byName["simple"].header, "the exposed header is readable")
			if tt.wantPanic.outcome == "blocked" {
				assert.Contains(t, byName["panic"].text, "TypeError: Failed to fetch — the browser blocked it (a CORS error)")
			}

			// Requests the demo's policy does not allow, from the same page.
			res := fetch(t, tab, request{url: d.api + "/api/items/1", init: map[string]any{"method": "DELETE"}})
			assert.Equal(t, "blocked", res.Outcome, "DELETE is not an allowed method")
			res = fetch(t, tab, request{url: d.api + "/api/items/1", init: map[string]any{
				"method": "PUT", "headers": map[string]string{"Content-Type": "application/json", "X-Custom": "1"}, "body": "{}",
			}})
			assert.Equal(t, "blocked", res.Outcome, "X-Custom is not an allowed header")
		})
	}
}

// demoCase is one <li data-case=...> of the demo page.
type demoCase struct {
	name, outcome, status, body, header, text string
}

func caseNames(cases []demoCase) []string {
	names := make([]string, 0, len(cases))
	for _, c := range cases {
		names = append(names, c.name)
	}
	return names
}

// demoResults waits until the page has finished its calls and reads the results
// it wrote into the DOM.
func demoResults(t *testing.T, tab tab) []demoCase {
	t.Helper()
	deadline := time.Now().Add(demoPage)
	for !evaluate[bool](t, tab, `document.body.dataset.done === "true"`) {
		require.True(t, time.Now().Before(deadline), "the demo page did not finish within %s", demoPage)
		time.Sleep(200 * time.Millisecond)
	}
	raw := evaluate[[]map[string]string](t, tab, `Promise.resolve([...document.querySelectorAll("#results li")].map(li => ({...li.dataset, text: li.innerText})))`)
	cases := make([]demoCase, 0, len(raw))
	for _, r := range raw {
		t.Logf("demo page: %v", r)
		cases = append(cases, demoCase{
			name: r["case"], outcome: r["outcome"], status: r["status"], body: r["body"], header: r["header"], text: r["text"],
		})
	}
	return cases
}

// buildDemo compiles ./examples/demo of the repository, the way `go run` would.
func buildDemo(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to build the demo")
	bin := filepath.Join(t.TempDir(), "demo")
	ctx, cancel := context.WithTimeout(context.Background(), demoBuild)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin, "./examples/demo")
	cmd.Dir = ".." // the root module
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build ./examples/demo:\n%s", out)
	return bin
}

// runningDemo is where a started demo listens.
type runningDemo struct{ api, page, other string }

var demoURLLine = regexp.MustCompile(`(?m)^(API|page|other) +(http://\S+?)/?(\s|$)`)

// runDemo starts the demo binary on free ports and reads the URLs it prints.
func runDemo(t *testing.T, bin string, args ...string) runningDemo {
	t.Helper()
	var stdout, stderr syncBuffer
	cmd := exec.Command(bin, append([]string{"-api", "127.0.0.1:0", "-page", "127.0.0.1:0", "-other", "127.0.0.1:0"}, args...)...)
	cmd.Env = demoEnv()
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		stopProcess(t, cmd)
		if t.Failed() {
			t.Logf("demo stdout:\n%s\ndemo stderr:\n%s", stdout.String(), stderr.String())
		}
	})

	deadline := time.Now().Add(demoStart)
	for time.Now().Before(deadline) {
		urls := map[string]string{}
		for _, m := range demoURLLine.FindAllStringSubmatch(stdout.String(), -1) {
			urls[m[1]] = m[2]
		}
		if len(urls) == 3 {
			return runningDemo{api: urls["API"], page: urls["page"], other: urls["other"]}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the demo printed no URLs within %s; stdout:\n%s\nstderr:\n%s", demoStart, stdout.String(), stderr.String())
	return runningDemo{}
}

// demoEnv is the test's environment without the variables that change the demo,
// so that it runs with its built-in policy in its safe mode unless told otherwise.
func demoEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CORS_") || strings.HasPrefix(kv, "DEMO_UNSAFE=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// stopProcess asks the demo to stop (Ctrl+C) and kills it if it does not within 5s.
func stopProcess(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	_ = cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(5 * time.Second)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		t.Errorf("the demo did not stop on SIGINT within 5s; killing it")
		_ = cmd.Process.Kill()
		<-done
	}
}
