package cors

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/origin"
)

// Bounds on what the middleware logs, whatever the request holds: a value
// from the request at most maxLoggedValue bytes, a panic's value or an error
// at most maxLoggedMessage bytes, a stack at most maxLoggedStack bytes, and
// at most maxRecordsPerSecond records per second of each kind (refusals,
// handler panics, LookupOrigin failures, panics in OnRefused or LookupOrigin),
// per Middleware. Records over that rate are
// dropped and counted; the next record logged says how many ("suppressed"),
// so a flood costs a few records a second and is still seen.
const (
	maxLoggedValue      = 256
	maxLoggedMessage    = 1024
	maxLoggedStack      = 16 << 10
	maxRecordsPerSecond = 10
)

// logLimits rate-limits the records of one Middleware.
type logLimits struct {
	refusals, errors rateLimit
	lookups          rateLimit // its own, so failing lookups cannot crowd out panics
	hooks            rateLimit // panics in OnRefused and LookupOrigin, for the same reason
}

// rateLimit lets through at most maxRecordsPerSecond records per wall-clock
// second, without locks.
type rateLimit struct {
	second  atomic.Int64 // the current second, Unix time
	count   atomic.Int64 // records in it so far
	dropped atomic.Int64 // records dropped since the last one let through
}

// allow reports whether a record may be logged now and, if so, how many were
// dropped before it.
func (l *rateLimit) allow() (ok bool, dropped int64) {
	now := time.Now().Unix()
	if s := l.second.Load(); s != now && l.second.CompareAndSwap(s, now) {
		l.count.Store(0)
	}
	if l.count.Add(1) > maxRecordsPerSecond {
		l.dropped.Add(1)
		return false, 0
	}
	return true, l.dropped.Swap(0)
}

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
	ok, dropped := p.limits.refusals.allow()
	if !ok {
		return
	}
	l.LogAttrs(ctx, slog.LevelDebug, "cors: request refused",
		slog.String("origin", bounded(headerValue(r, headerOrigin))),
		slog.String("method", bounded(r.Method)),
		slog.String("path", bounded(r.URL.Path)),
		slog.String("reason", reason()),
		slog.Int64("suppressed", dropped))
}

// logError reports at Error level something that went wrong outside the
// middleware's control: a panic in a handler or a hook, a failed lookup.
// attrs runs only when the record is logged, so a flood of panics costs no
// stack traces.
func (p *policy) logError(r *http.Request, msg string, attrs func() []slog.Attr) {
	p.logErrorWithin(&p.limits.errors, r, msg, attrs)
}

// logErrorWithin is logError within the budget of limit.
func (p *policy) logErrorWithin(limit *rateLimit, r *http.Request, msg string, attrs func() []slog.Attr) {
	ok, dropped := limit.allow()
	if !ok {
		return
	}
	ctx := context.Background()
	all := attrs()
	if r != nil {
		ctx = r.Context()
		all = append(all,
			slog.String("method", bounded(r.Method)),
			slog.String("path", bounded(r.URL.Path)),
			slog.String("origin", bounded(headerValue(r, headerOrigin))))
	}
	p.log().LogAttrs(ctx, slog.LevelError, msg, append(all, slog.Int64("suppressed", dropped))...)
}

// logPanic reports a recovered panic in the handler, with where it happened
// in the caller's code and the stack from there (see panicAttrs).
func (p *policy) logPanic(r *http.Request, v any, started bool) {
	p.logError(r, "cors: recovered a panic in the handler", func() []slog.Attr {
		return append(panicAttrs(v), slog.Bool("response_started", started))
	})
}

// logHookPanic reports a recovered panic in OnRefused, within the hooks' own
// budget: a hook that panics on every refused request must not hide the
// handler's panics.
func (p *policy) logHookPanic(r *http.Request, v any) {
	p.logErrorWithin(&p.limits.hooks, r, "cors: recovered a panic in OnRefused", func() []slog.Attr {
		return panicAttrs(v)
	})
}

// logLookupPanic reports a recovered panic in LookupOrigin about origin o,
// within the hooks' budget too.
func (p *policy) logLookupPanic(o string, v any) {
	p.logErrorWithin(&p.limits.hooks, nil, "cors: recovered a panic in LookupOrigin", func() []slog.Attr {
		return append([]slog.Attr{slog.String("origin", bounded(o))}, panicAttrs(v)...)
	})
}

// panicValue formats a recovered value, cut short.
func panicValue(v any) string {
	if v == nil {
		return "nil (panic(nil) under GODEBUG=panicnil=1, or runtime.Goexit)"
	}
	return truncate(fmt.Sprint(v), maxLoggedMessage)
}

// originReason names the refused origin, with the allowed origin it most
// likely meant.
func (p *policy) originReason(origins []string) string {
	if len(origins) != 1 {
		return strconv.Itoa(len(origins)) + " Origin header lines; browsers send one"
	}
	if len(origins[0]) > origin.MaxLength {
		return "origin longer than " + strconv.Itoa(origin.MaxLength) + " bytes not allowed"
	}
	reason := "origin " + strconv.Quote(bounded(origins[0])) + " not allowed"
	if near, how := origin.Near(origins[0], p.origins.Exact()); near != "" {
		reason += fmt.Sprintf(" (allowed %q differs by %s)", near, how)
	}
	return reason
}

// preflightReason explains a refused preflight.
func (p *policy) preflightReason(why Refusal, c corsRequest, list headerlist.Result) string {
	switch {
	case why.Kind == OriginRefused || len(c.origins) != 1:
		return p.originReason(c.origins)
	case len(c.methods) != 1:
		return strconv.Itoa(len(c.methods)) + " Access-Control-Request-Method header lines; browsers send one"
	case why.Kind == MalformedRequest && why.Value == headerRequestMethod:
		return "method " + strconv.Quote(bounded(c.methods[0])) + " is not a method token"
	case why.Kind == MethodRefused:
		return "method " + strconv.Quote(bounded(c.methods[0])) + " not allowed"
	case list.Status == headerlist.NotAllowed:
		return "request header " + strconv.Quote(bounded(list.Culprit)) + " not allowed"
	case list.Status == headerlist.Malformed:
		return "request header " + strconv.Quote(bounded(list.Culprit)) + " is not a header name"
	}
	return "Access-Control-Request-Headers exceeds the limits (" +
		strconv.Itoa(headerlist.MaxLines) + " lines, " + strconv.Itoa(headerlist.MaxLength) + " bytes, " +
		strconv.Itoa(headerlist.MaxNames) + " names, " + strconv.Itoa(headerlist.MaxEmpty) + " empty elements)"
}

// headerValue returns the first value of a request header.
func headerValue(r *http.Request, key string) string {
	if v := r.Header[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// bounded cuts a value from the request for a log record, saying so.
func bounded(s string) string {
	if len(s) <= maxLoggedValue {
		return s
	}
	return s[:maxLoggedValue] + "...(" + strconv.Itoa(len(s)) + " bytes)"
}
