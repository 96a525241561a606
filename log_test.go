package cors

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// records collects log records for inspection.
type records struct {
	level slog.Level
	got   []slog.Record
}

func (r *records) Enabled(_ context.Context, l slog.Level) bool { return l >= r.level }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.got = append(r.got, rec)
	return nil
}
func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }

func attrs(rec slog.Record) map[string]string {
	m := map[string]string{}
	rec.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value.String()
		return true
	})
	return m
}

func TestRefusalsAreExplainedAtDebug(t *testing.T) {
	logs := &records{level: slog.LevelDebug}
	newMiddleware := func() *Middleware { // each its own log rate limit
		return mustNew(t, Options{
			AllowedOrigins: []string{"https://app.example.com", "http://localhost:3000"},
			AllowedMethods: []string{"PUT"},
			AllowedHeaders: []string{"Content-Type"},
			Logger:         slog.New(logs),
		})
	}
	tooMany := preflightReq("https://app.example.com", "PUT", "")
	tooMany.Header["Access-Control-Request-Headers"] = make([]string, 20)
	twoOrigins := actualReq("")
	twoOrigins.Header["Origin"] = []string{"https://app.example.com", "https://b.example"}
	twoMethods := preflightReq("https://app.example.com", "PUT", "")
	twoMethods.Header["Access-Control-Request-Method"] = []string{"PUT", "GET"}
	long := actualReq("https://" + strings.Repeat("a", 600) + ".example")
	tests := []struct {
		name   string
		r      *http.Request
		reason string
	}{
		{"trailing slash", actualReq("https://app.example.com/"),
			`origin "https://app.example.com/" not allowed (allowed "https://app.example.com" differs by trailing slash)`},
		{"scheme", actualReq("http://app.example.com"), `differs by scheme`},
		{"port", actualReq("http://localhost:3001"), `(allowed "http://localhost:3000" differs by port)`},
		{"case", actualReq("https://App.example.com"), `differs by case`},
		{"unrelated", actualReq("https://evil.example"), `origin "https://evil.example" not allowed`},
		{"two origins", twoOrigins, `2 Origin header lines`},
		{"long origin", long, `origin longer than 512 bytes`},
		{"preflight origin", preflightReq("https://evil.example", "PUT", ""), `origin "https://evil.example" not allowed`},
		{"method", preflightReq("https://app.example.com", "PURGE", ""), `method "PURGE" not allowed`},
		{"two methods", twoMethods, `2 Access-Control-Request-Method header lines`},
		{"header", preflightReq("https://app.example.com", "PUT", "content-type,x-other"), `request header "x-other" not allowed`},
		{"malformed header", preflightReq("https://app.example.com", "PUT", "x other"), `request header "x other" is not a header name`},
		{"limits", tooMany, `exceeds the limits`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.got = nil
			serve(newMiddleware().Handler(okHandler), tt.r)
			require.Len(t, logs.got, 1)
			rec := logs.got[0]
			assert.Equal(t, slog.LevelDebug, rec.Level)
			a := attrs(rec)
			assert.Contains(t, a["reason"], tt.reason)
			assert.Equal(t, tt.r.Method, a["method"])
			assert.Equal(t, "/", a["path"])
			assert.LessOrEqual(t, len(a["origin"]), 520, "hostile values are cut short")
		})
	}
	logs.got = nil
	m := newMiddleware()
	m.Apply(newReusableWriter(), actualReq("https://evil.example"))
	assert.Len(t, logs.got, 1, "Apply explains refusals too")
	logs.got = nil
	serve(m.Handler(okHandler), actualReq("https://app.example.com"))
	serve(m.Handler(okHandler), actualReq(""))
	assert.Empty(t, logs.got, "allowed and same-origin requests are not logged")
}

func TestQuietLoggerCostsNothing(t *testing.T) {
	m := mustNew(t, Options{
		AllowedOrigins: []string{"https://app.example.com"},
		Logger:         slog.New(&records{level: slog.LevelInfo}),
	})
	h := m.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	w := newReusableWriter()
	refused := actualReq("https://app.example.com/")
	refusedPreflight := preflightReq("https://app.example.com", "PURGE", "")
	for _, r := range []*http.Request{refused, refusedPreflight} {
		allocs := testing.AllocsPerRun(100, func() {
			w.reset()
			h.ServeHTTP(w, r)
		})
		assert.LessOrEqual(t, allocs, 1.0, "only the Vary value allocates")
	}
}
