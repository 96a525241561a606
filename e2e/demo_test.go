package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// demoPage bounds the page's own calls: 10 s each at most, 25 s for the iframe.
const demoPage = 40 * time.Second

// TestDemoInChromium runs the demo people run (`go run ./examples/demo`), built
// from the repository, and checks what its page shows in Chromium: what the
// script saw behind each middleware, and that the console messages the page
// quotes are the ones Chromium printed for those very calls.
func TestDemoInChromium(t *testing.T) { testDemo(t, chromium) }

// TestDemoInFirefox checks the same page in Firefox.
func TestDemoInFirefox(t *testing.T) { testDemo(t, firefox) }

// TestDemoInWebKit checks the same page in WebKit, where the suite reads the
// page's results from the console line it prints once done.
func TestDemoInWebKit(t *testing.T) { testDemo(t, webkit) }

func testDemo(t *testing.T, e engine) {
	d := runDemo(t, buildDemo(t))
	var tab tab
	var cells map[string]demoCell
	if e.name == webkit.name {
		tab, cells = webkitDemoCells(t, newWebKit(t).(*webkitBrowser), d.page+"/")
	} else {
		tab = e.start(t).open(t, d.page+"/")
		cells = demoCells(t, tab)
	}

	hello := `{"message":"hello from the API"}`
	tests := []struct {
		cell            string // case/column
		outcome, status string
		body            string
	}{
		{"ok/corsguard", "response", "200", hello},
		{"ok/handwritten", "response", "200", hello},
		{"error/corsguard", "response", "500", "database unavailable"},
		{"error/handwritten", "blocked", "", ""}, // its error path cleared the CORS headers
		{"panic/corsguard", "response", "500", "internal error"},
		{"panic/handwritten", "blocked", "", ""},
		{"header/corsguard", "blocked", "", ""},
		{"header/handwritten", "blocked", "", ""},
		{"origin/corsguard", "blocked", "", ""},
		{"origin/handwritten", "blocked", "", ""},
	}
	require.Len(t, cells, len(tests), "the page's cells")
	var quoted []string // the console messages the page quotes for this engine
	for _, tt := range tests {
		c, ok := cells[tt.cell]
		if !assert.True(t, ok, "the page has no cell %s", tt.cell) {
			continue
		}
		assert.Equal(t, tt.outcome, c.Outcome, "%s: %s", tt.cell, c.Text)
		assert.Equal(t, tt.status, c.Status, tt.cell)
		assert.Equal(t, tt.body, c.Body, tt.cell)
		mine := c.messages(e.name)
		if tt.outcome == "blocked" {
			assert.NotEmpty(t, mine, "%s: the page quotes no %s message for a refusal", tt.cell, e.name)
		} else {
			assert.Empty(t, mine, "%s: the page quotes a %s message for a call that went through", tt.cell, e.name)
		}
		quoted = append(quoted, mine...)
	}
	for _, name := range []string{"ok/corsguard", "ok/handwritten"} {
		assert.Regexp(t, `^X-Request-Id: [0-9a-f]{16}$`, cells[name].Header, "%s: the exposed header is readable", name)
	}

	// What the browser printed for these calls, CORS messages only: the page
	// does not quote Chromium's "Failed to load resource: ..." lines, which name
	// no cause, nor its own results line.
	got := waitConsole(tab, quoted)
	var printed []string
	for _, entry := range got {
		t.Logf("%s console, %s: %s", e.name, entry.Level, entry.Text)
		if isCORSMessage(e, entry) {
			printed = append(printed, entry.Text)
		}
	}
	assert.ElementsMatch(t, quoted, printed, "the messages the page quotes are the ones %s printed", e.name)
}

// isCORSMessage reports whether entry is one of the engine's CORS messages.
// WebKit's have no common prefix; they are its errors, less its "Failed to
// load resource" lines.
func isCORSMessage(e engine, entry consoleEntry) bool {
	switch e.name {
	case webkit.name:
		return entry.Level == "error" && !strings.HasPrefix(entry.Text, "Failed to load resource")
	default:
		return strings.HasPrefix(entry.Text, "Access to fetch at ") || strings.HasPrefix(entry.Text, "Cross-Origin Request Blocked: ")
	}
}

// demoCell is one result cell of the demo page: a call behind one middleware.
type demoCell struct {
	Case, Column, Outcome, Status, Body, Header, Text string
	Console                                           []struct{ Engine, Message string }
}

// messages are the console messages the cell quotes for engine.
func (c demoCell) messages(engine string) []string {
	var out []string
	for _, m := range c.Console {
		if m.Engine == engine {
			out = append(out, m.Message)
		}
	}
	return out
}

// demoCells waits until the page has finished its calls and reads the results
// it wrote into the DOM, by "case/column".
func demoCells(t *testing.T, tb tab) map[string]demoCell {
	t.Helper()
	deadline := time.Now().Add(demoPage)
	for !evaluate[bool](t, tb, `document.body.dataset.done === "true"`) {
		require.True(t, time.Now().Before(deadline), "the demo page did not finish within %s", demoPage)
		time.Sleep(200 * time.Millisecond)
	}
	return cellsByName(t, evaluate[[]demoCell](t, tb, `results()`))
}

// demoResults starts the line the demo page prints with its results.
const demoResults = "corsguard demo results: "

// webkitDemoCells loads the demo page in WebKit and reads the results from the
// line the page prints once done: the demo page carries no driver script.
func webkitDemoCells(t *testing.T, b *webkitBrowser, pageURL string) (tab, map[string]demoCell) {
	t.Helper()
	tb := b.load(t, pageURL)
	deadline := time.Now().Add(demoPage)
	for {
		for _, e := range tb.console() {
			if rest, ok := strings.CutPrefix(e.Text, demoResults); ok {
				var list []demoCell
				require.NoError(t, json.Unmarshal([]byte(rest), &list), "the demo's results line")
				return tb, cellsByName(t, list)
			}
		}
		require.True(t, time.Now().Before(deadline), "the demo page printed no results within %s", demoPage)
		time.Sleep(200 * time.Millisecond)
	}
}

func cellsByName(t *testing.T, list []demoCell) map[string]demoCell {
	t.Helper()
	cells := map[string]demoCell{}
	for _, c := range list {
		t.Logf("demo page, %s/%s: %s", c.Case, c.Column, c.Text)
		cells[c.Case+"/"+c.Column] = c
	}
	return cells
}
