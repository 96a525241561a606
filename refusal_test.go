package cors

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOnRefused(t *testing.T) {
	var got []Refusal
	m := mustNew(t, Options{
		AllowedOrigins: []string{testOrigin},
		AllowedMethods: []string{"PUT"},
		AllowedHeaders: []string{"Content-Type"},
		Logger:         quiet,
		OnRefused:      func(r *http.Request, why Refusal) { got = append(got, why) },
	})
	twoOrigins := actualReq("")
	twoOrigins.Header["Origin"] = []string{testOrigin, "https://b.example"}
	twoMethods := preflightReq(testOrigin, "PUT", "")
	twoMethods.Header["Access-Control-Request-Method"] = []string{"PUT", "GET"}
	tooMany := preflightReq(testOrigin, "PUT", "")
	tooMany.Header["Access-Control-Request-Headers"] = make([]string, 20)
	long := "https://" + strings.Repeat("a", 600) + ".example"
	tests := []struct {
		name string
		r    *http.Request
		want []Refusal
	}{
		{"allowed", actualReq(testOrigin), nil},
		{"no Origin", actualReq(""), nil},
		{"allowed preflight", preflightReq(testOrigin, "PUT", "content-type"), nil},
		{"refused origin", actualReq("https://evil.example"), []Refusal{{OriginRefused, false, "https://evil.example"}}},
		{"long origin, cut", actualReq(long), []Refusal{{OriginRefused, false, long[:MaxRefusalValue]}}},
		{"two Origin lines", twoOrigins, []Refusal{{MalformedRequest, false, "Origin"}}},
		{"refused origin, preflight", preflightReq("https://evil.example", "PUT", ""), []Refusal{{OriginRefused, true, "https://evil.example"}}},
		{"method", preflightReq(testOrigin, "PURGE", ""), []Refusal{{MethodRefused, true, "PURGE"}}},
		{"two methods", twoMethods, []Refusal{{MalformedRequest, true, "Access-Control-Request-Method"}}},
		{"header", preflightReq(testOrigin, "PUT", "content-type,x-api-key"), []Refusal{{HeaderRefused, true, "x-api-key"}}},
		{"malformed header", preflightReq(testOrigin, "PUT", "x api"), []Refusal{{MalformedRequest, true, "x api"}}},
		{"header list over the limits", tooMany, []Refusal{{MalformedRequest, true, "Access-Control-Request-Headers"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = nil
			serve(m.Handler(okHandler), tt.r)
			assert.Equal(t, tt.want, got, "Handler")
			got = nil
			m.Apply(newReusableWriter(), tt.r)
			assert.Equal(t, tt.want, got, "Apply")
		})
	}
}

func TestOnRefusedPanicNeverBreaksTheRequest(t *testing.T) {
	logs := &records{level: slog.LevelError}
	m := mustNew(t, Options{
		AllowedOrigins: []string{testOrigin},
		Logger:         slog.New(logs),
		OnRefused:      func(*http.Request, Refusal) { panic("metrics broke") },
	})
	res := serve(m.Handler(okHandler), actualReq("https://evil.example"))
	assert.Equal(t, http.StatusOK, res.Code)
	res = serve(m.Handler(okHandler), preflightReq("https://evil.example", "GET", ""))
	assert.Equal(t, http.StatusForbidden, res.Code)
	require.Len(t, logs.got, 2)
	assert.Equal(t, "cors: recovered a panic in OnRefused", logs.got[0].Message)
	assert.Equal(t, "metrics broke", attrs(logs.got[0])["panic"])
}

func TestOnRefusedCostsNothingWhenNil(t *testing.T) {
	count := 0
	with := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, Logger: quiet,
		OnRefused: func(*http.Request, Refusal) { count++ }})
	without := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, Logger: quiet})
	for _, r := range []*http.Request{actualReq("https://evil.example"), preflightReq("https://evil.example", "GET", ""), preflightReq(testOrigin, "PURGE", "")} {
		for _, m := range []*Middleware{with, without} {
			h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
			w := newReusableWriter()
			allocs := testing.AllocsPerRun(100, func() {
				w.reset()
				h.ServeHTTP(w, r)
			})
			assert.LessOrEqual(t, allocs, 1.0)
		}
	}
	assert.Positive(t, count)
}

func TestRefusalKindString(t *testing.T) {
	for k, want := range map[RefusalKind]string{
		OriginRefused: "origin_refused", MethodRefused: "method_refused", HeaderRefused: "header_refused",
		MalformedRequest: "malformed_request", 0: "RefusalKind(0)", 9: "RefusalKind(9)",
	} {
		assert.Equal(t, want, k.String())
	}
}

func TestRefusalKindsListsEveryKind(t *testing.T) {
	kinds := RefusalKinds()
	assert.Equal(t, []RefusalKind{OriginRefused, MethodRefused, HeaderRefused, MalformedRequest, RouteAmbiguous}, kinds)
	for _, k := range kinds {
		assert.NotContains(t, k.String(), "RefusalKind(", "every kind has a name")
	}
}
