package cors

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"

	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/origin"
)

func (p *policy) log() *slog.Logger {
	if p.logger != nil {
		return p.logger
	}
	return slog.Default()
}

// logRefused explains a refused request at Debug level. reason runs only when
// Debug is enabled, so a quiet logger costs one Enabled call.
func (p *policy) logRefused(r *http.Request, reason func() string) {
	l := p.log()
	ctx := r.Context()
	if !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	l.LogAttrs(ctx, slog.LevelDebug, "cors: request refused",
		slog.String("origin", headerValue(r, headerOrigin)),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("reason", reason()))
}

// originRefusal names the refused origin, with the allowed origin it most
// likely meant.
func (p *policy) originRefusal(origins []string) string {
	if len(origins) != 1 {
		return strconv.Itoa(len(origins)) + " Origin header lines; browsers send one"
	}
	if len(origins[0]) > origin.MaxLength {
		return "origin longer than " + strconv.Itoa(origin.MaxLength) + " bytes not allowed"
	}
	reason := "origin " + strconv.Quote(origins[0]) + " not allowed"
	if near, how := origin.Near(origins[0], p.origins.Exact()); near != "" {
		reason += fmt.Sprintf(" (allowed %q differs by %s)", near, how)
	}
	return reason
}

func methodRefusal(methods []string) string {
	if len(methods) != 1 {
		return strconv.Itoa(len(methods)) + " Access-Control-Request-Method header lines; browsers send one"
	}
	return "method " + strconv.Quote(methods[0]) + " not allowed"
}

func headersRefusal(res headerlist.Result) string {
	switch res.Status {
	case headerlist.NotAllowed:
		return "request header " + strconv.Quote(res.Culprit) + " not allowed"
	case headerlist.Malformed:
		return "request header " + strconv.Quote(res.Culprit) + " is not a header name"
	}
	return "Access-Control-Request-Headers exceeds the limits (" +
		strconv.Itoa(headerlist.MaxLines) + " lines, " + strconv.Itoa(headerlist.MaxLength) + " bytes, " +
		strconv.Itoa(headerlist.MaxNames) + " names, " + strconv.Itoa(headerlist.MaxEmpty) + " empty elements)"
}

// logPanic reports a recovered panic at Error level with its stack.
func (p *policy) logPanic(ctx context.Context, r *http.Request, v any, started bool) {
	p.log().LogAttrs(ctx, slog.LevelError, "cors: recovered a panic in the handler",
		slog.Any("panic", v),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("origin", headerValue(r, headerOrigin)),
		slog.Bool("response_started", started),
		slog.String("stack", string(debug.Stack())))
}

// headerValue returns the first value of a request header, cut short so a
// hostile value cannot flood the logs.
func headerValue(r *http.Request, key string) string {
	v := r.Header[key]
	if len(v) == 0 {
		return ""
	}
	if len(v[0]) > origin.MaxLength {
		return v[0][:origin.MaxLength] + "..."
	}
	return v[0]
}
