package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// consoleMessages are the messages one engine logs for one request, with
// {url} for the request's URL and {origin} for the page's origin.
type consoleMessages map[string][]string // engine name -> messages

// expectConsole waits until the tab's console holds the messages the engine is
// expected to log, then asserts that it holds exactly those. The browser logs a
// refusal after, or while, the script sees it fail, so this waits (bounded)
// instead of reading once. Every entry is logged: `go test -v` shows what each
// browser printed.
func expectConsole(t *testing.T, tb tab, want consoleMessages, url, origin string) {
	t.Helper()
	expected := make([]string, 0, len(want[tb.name()]))
	for _, m := range want[tb.name()] {
		expected = append(expected, strings.NewReplacer("{url}", url, "{origin}", origin).Replace(m))
	}
	got := waitConsole(tb, expected)
	for _, e := range got {
		t.Logf("%s console, %s: %s", tb.name(), e.Level, e.Text)
	}
	assert.ElementsMatch(t, expected, texts(got), "%s's console", tb.name())
}

// waitConsole returns the tab's console once it holds every message of want,
// or what it holds after consoleWait.
func waitConsole(tb tab, want []string) []consoleEntry {
	deadline := time.Now().Add(consoleWait)
	for {
		got := tb.console()
		if containsAll(texts(got), want) || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func texts(entries []consoleEntry) []string {
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.Text)
	}
	return out
}

// containsAll reports whether have holds every element of want, counting repeats.
func containsAll(have, want []string) bool {
	count := map[string]int{}
	for _, s := range have {
		count[s]++
	}
	for _, s := range want {
		if count[s] == 0 {
			return false
		}
		count[s]--
	}
	return true
}

// The parts the engines' CORS messages share. Chromium logs chromiumFailed
// after each refusal; Firefox logs firefoxNoSuccess after each failed preflight;
// WebKit logs its reason, then webkitCannotLoad, for each refusal.
const (
	chromiumBlocked  = "Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: "
	chromiumNoACAO   = "No 'Access-Control-Allow-Origin' header is present on the requested resource."
	chromiumFailed   = "Failed to load resource: net::ERR_FAILED"
	firefoxBlocked   = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. "
	firefoxNoSuccess = firefoxBlocked + "(Reason: CORS request did not succeed). Status code: (null)."
	webkitCannotLoad = "Fetch API cannot load {url} due to access control checks."
)
