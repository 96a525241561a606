package cors

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHookPanicsHaveOwnBudget: a flood of panics in OnRefused and
// LookupOrigin leaves room for the handler's panic record, and is itself
// still logged.
func TestHookPanicsHaveOwnBudget(t *testing.T) {
	logs := &records{level: slog.LevelError}
	m := mustNew(t, Options{
		AllowedOrigins: []string{testOrigin},
		Logger:         slog.New(logs),
		OnRefused:      func(*http.Request, Refusal) { panic("metrics gone") },
		LookupOrigin:   func(context.Context, string) (bool, error) { panic("table gone") },
	})
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/crash" {
			panic("boom")
		}
	}))
	for i := 0; i < 3*maxRecordsPerSecond; i++ {
		serve(h, actualReq("https://other.example")) // LookupOrigin, then OnRefused, both panic
	}
	crash := actualReq(testOrigin)
	crash.URL.Path = "/crash"
	serve(h, crash)
	count := map[string]int{}
	for _, rec := range logs.got {
		count[rec.Message]++
	}
	assert.Equal(t, 1, count["cors: recovered a panic in the handler"], "the handler's panic is not crowded out")
	assert.Positive(t, count["cors: recovered a panic in OnRefused"])
	assert.Positive(t, count["cors: recovered a panic in LookupOrigin"])
	assert.LessOrEqual(t, count["cors: recovered a panic in OnRefused"]+count["cors: recovered a panic in LookupOrigin"],
		maxRecordsPerSecond*2, "the hooks' budget is bounded (two seconds at most, should the test straddle one)")
}

// userPanic is the caller's own code that panics, for the frame checks.
func userPanic() { panic("user code failed") }

// TestLoggedPanicStartsAtTheUsersFrame: a panic's record is one record whose
// "at" is the caller's own frame, not the runtime's or the library's, and
// whose stack is one line, readable in slog's text and JSON handlers.
func TestLoggedPanicStartsAtTheUsersFrame(t *testing.T) {
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		for hook, opts := range map[string]Options{
			"handler":      {AllowedOrigins: []string{testOrigin}},
			"OnRefused":    {AllowedOrigins: []string{testOrigin}, OnRefused: func(*http.Request, Refusal) { userPanic() }},
			"LookupOrigin": {LookupOrigin: func(context.Context, string) (bool, error) { userPanic(); return false, nil }},
		} {
			t.Run(name+"/"+hook, func(t *testing.T) {
				var buf bytes.Buffer
				opts.Logger = slog.New(newHandler(&buf))
				m := mustNew(t, opts)
				next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
					if hook == "handler" {
						userPanic()
					}
				})
				origin := testOrigin
				if hook != "handler" {
					origin = "https://other.example"
				}
				serve(m.Handler(next), actualReq(origin))
				out := strings.TrimSuffix(buf.String(), "\n")
				require.NotEmpty(t, out)
				assert.NotContains(t, out, "\n", "one record, on one line")
				assert.NotContains(t, out, `\n\t`, "no escaped multi-line stack")
				at, stack := attrOf(t, name, out, "at"), attrOf(t, name, out, "stack")
				assert.True(t, strings.HasPrefix(at, libraryPackage+".userPanic (") && strings.Contains(at, "panicstack_test.go:"), "at=%s", at)
				assert.True(t, strings.HasPrefix(stack, at+" <- "), "the stack starts at the user's frame: %s", stack)
				assert.NotContains(t, stack, "runtime.gopanic")
				assert.NotContains(t, stack, "panicAttrs")
			})
		}
	}
}

// attrOf reads one attribute of a text or JSON record.
func attrOf(t *testing.T, format, record, key string) string {
	t.Helper()
	if format == "json" {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(record), &m))
		s, _ := m[key].(string)
		return s
	}
	_, rest, found := strings.Cut(record, " "+key+"=")
	require.True(t, found, "%s in %s", key, record)
	if strings.HasPrefix(rest, `"`) {
		end := 1
		for ; end < len(rest) && (rest[end] != '"' || rest[end-1] == '\\'); end++ {
		}
		return rest[1:end]
	}
	v, _, _ := strings.Cut(rest, " ")
	return v
}
