package cors

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/corsguard/cors/internal/origin"
)

// LookupOriginTimeout bounds each call of [Options.LookupOrigin]: its context
// ends after this long, and an answer that comes later refuses the origin.
const LookupOriginTimeout = 500 * time.Millisecond

// AllowsOrigin reports whether the policy in force allows origin by name:
// listed in AllowedOrigins, matched by a pattern, or accepted by
// LookupOrigin. A "*" policy names no origin, so it allows none here: use
// AllowsOrigin where "*" must not open the door, such as a credentialed
// WebSocket handshake (see [Middleware.CheckOrigin]). Nor does a pattern
// with a public suffix of the Public Suffix List at or below its base, at
// any depth ("https://*.github.io", "https://preview-*.vercel.app",
// "https://*.railway.app"), which a policy without credentials may list for
// CORS: anyone can register a name it matches. Nor, unless
// [Options.AllowInsecureHTTPOrigins], does a plain-http origin off loopback
// ("http://app.example.com", listed or from LookupOrigin): anyone on its
// pages' network path can inject script into them. Exact https origins and
// patterns under your own domains count, and loopback ones (localhost,
// *.localhost, 127.0.0.0/8, [::1]) over http too.
func (m *Middleware) AllowsOrigin(origin string) bool {
	return m.load().allowsNamedOrigin(context.Background(), origin)
}

// CheckOrigin reports whether r may go on, for WebSocket upgraders, to which
// browsers apply no CORS although the handshake carries cookies. It has the
// shape of gorilla/websocket's Upgrader.CheckOrigin:
//
//	upgrader := websocket.Upgrader{CheckOrigin: m.CheckOrigin}
//
// A request without Origin passes (not from a browser script), several
// Origin lines fail, and otherwise the origin must be allowed by name, as
// [Middleware.AllowsOrigin] says, so never by a pattern under a public
// suffix (cross-site WebSocket hijacking) nor as plain http off loopback,
// with or without AllowCredentials; the server's own origin too, unlike
// gorilla/websocket's default check, so list it when its own pages open
// sockets. It follows [Middleware.Reconfigure].
func (m *Middleware) CheckOrigin(r *http.Request) bool {
	origins, ok := r.Header[headerOrigin]
	switch {
	case !ok:
		return true
	case len(origins) != 1:
		return false
	}
	return m.load().allowsNamedOrigin(r.Context(), origins[0])
}

// allowsOrigin is the origin check of every CORS request.
func (p *policy) allowsOrigin(ctx context.Context, o string) bool {
	return p.anyOrigin || p.allowsListedOrigin(ctx, o)
}

// allowsListedOrigin is the origin check of every CORS request once a "*"
// policy is ruled out: the origins, the patterns, then LookupOrigin, which
// with credentials is never asked about a plain-http origin off loopback.
func (p *policy) allowsListedOrigin(ctx context.Context, o string) bool {
	return p.origins.Contains(o) || p.lookup != nil && p.lookupOrigin(ctx, o, p.credentials && !p.insecure)
}

// allowsNamedOrigin is the check of AllowsOrigin and CheckOrigin, which
// leaves out patterns under public suffixes and, unless
// AllowInsecureHTTPOrigins, plain-http origins off loopback: a WebSocket
// handshake carries cookies whatever AllowCredentials says.
func (p *policy) allowsNamedOrigin(ctx context.Context, o string) bool {
	named := &p.origins
	if p.named != nil {
		named = p.named
	}
	return named.Contains(o) || p.lookup != nil && p.lookupOrigin(ctx, o, !p.insecure)
}

// lookupOrigin asks LookupOrigin about an origin browsers could send,
// failing closed; never about a plain-http one off loopback when
// refuseHTTP.
func (p *policy) lookupOrigin(parent context.Context, o string, refuseHTTP bool) (allowed bool) {
	if spec, err := origin.Parse(o); err != nil || spec.Pattern || refuseHTTP && plainHTTP(spec) {
		return false // no browser sends it, or it is refused whatever the answer: never worth a lookup
	}
	ctx, cancel := context.WithTimeout(parent, LookupOriginTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			allowed = false
			p.logLookupPanic(o, v)
		}
	}()
	allowed, err := p.lookup(ctx, o)
	if err == nil && ctx.Err() != nil {
		err = ctx.Err() // an answer after the deadline
	}
	if err != nil {
		if errors.Is(parent.Err(), context.Canceled) {
			return false // the client went away: no failure of the lookup
		}
		p.logErrorWithin(&p.limits.lookups, nil, "cors: LookupOrigin failed; origin refused", func() []slog.Attr {
			return []slog.Attr{slog.String("origin", bounded(o)), slog.String("error", truncate(err.Error(), maxLoggedMessage))}
		})
		return false
	}
	return allowed
}
