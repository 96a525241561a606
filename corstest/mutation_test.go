package corstest

import (
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a reporter that keeps the failures instead of failing the
// test, so that a broken adapter's failures can be asserted.
type recorder struct {
	mu       sync.Mutex
	failures []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// Fatalf records the failure and ends the check, as testing.T's does.
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// runKit runs every guarantee of Conformance against serve and returns the
// failures of each, keyed "Middleware/NoOrigin", "Routes/HostilePaths", ...
func runKit(serve func(Policy, []Route) http.Handler) map[string][]string {
	out := map[string][]string{}
	for _, run := range runs {
		for _, g := range run.guarantees {
			rec := &recorder{}
			done := make(chan struct{})
			go func() {
				defer close(done)
				g.check(rec, newFixture(rec, serve, run.routes))
			}()
			<-done
			if len(rec.failures) > 0 {
				out[run.name+"/"+g.name] = rec.failures
			}
		}
	}
	return out
}

// adapter is a framework adapter around next, the framework's router.
type adapter func(p Policy, next http.Handler) http.Handler

// correct is what the gin and echo adapters do.
func correct(p Policy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.Apply(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// framework builds a server as a framework does: a, then a recovery, then
// a router with the kit's routes, reached through router.
func framework(a adapter, router func(http.Handler) http.Handler) func(Policy, []Route) http.Handler {
	return func(p Policy, routes []Route) http.Handler {
		mux := http.NewServeMux()
		for _, rt := range routes {
			mux.Handle(rt.Method+" "+rt.Path, rt.Handler)
		}
		return a(p, recovering(router(mux)))
	}
}

func recovering(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				http.Error(w, fmt.Sprint(v), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func plainRouter(mux http.Handler) http.Handler { return mux }

// applyThen builds an adapter that calls Apply, then do; do returns whether
// the request is answered.
func applyThen(do func(w http.ResponseWriter, r *http.Request, answered bool) bool) adapter {
	return func(p Policy, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !do(w, r, p.Apply(w, r)) {
				next.ServeHTTP(w, r)
			}
		})
	}
}

// wrapWriter builds an adapter that applies the policy, then hands the
// router the writer wrap returns; finish runs after the router.
func wrapWriter(wrap func(http.ResponseWriter) http.ResponseWriter, finish func(http.ResponseWriter)) adapter {
	return func(p Policy, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p.Apply(w, r) {
				return
			}
			ww := wrap(w)
			next.ServeHTTP(ww, r)
			if finish != nil {
				finish(ww)
			}
		})
	}
}

type mutation struct {
	name   string
	serve  func(Policy, []Route) http.Handler
	breaks string // the guarantee that must fail
	says   string // a part of its message
}

// mutations are broken adapters, each breaking one guarantee of the README.
func mutations() []mutation {
	m := func(name string, a adapter, breaks, says string) mutation {
		return mutation{name, framework(a, plainRouter), breaks, says}
	}
	return append([]mutation{
		// The seven the kit's first version caught, one per check it had.
		m("preflight passed on to the router", applyThen(func(http.ResponseWriter, *http.Request, bool) bool { return false }),
			"PreflightBeforeRouter", "a preflight reached the router's handler"),
		m("preflight allowed by a rule of its own", reflectPreflights, "RefusedPreflight", "want 403"),
		m("credentials dropped", applyThen(func(w http.ResponseWriter, _ *http.Request, answered bool) bool {
			w.Header().Del("Access-Control-Allow-Credentials")
			return answered
		}), "AllowedRequest", "Access-Control-Allow-Credentials"),
		m("refused origin given *", applyThen(func(w http.ResponseWriter, r *http.Request, answered bool) bool {
			if r.Header.Get("Origin") != "" && w.Header().Get("Access-Control-Allow-Origin") == "" {
				w.Header().Set("Access-Control-Allow-Origin", "*")
			}
			return answered
		}), "RefusedRequest", "want no Access-Control-* header"),
		m("CORS headers dropped from 5xx", wrapWriter(func(w http.ResponseWriter) http.ResponseWriter { return &stripErrors{w} }, nil),
			"PanicThroughRecovery", "Access-Control-Allow-Origin"),
		m("upstream CORS headers kept", keepUpstream, "UpstreamHeadersReplaced", "want only"),
		m("response buffered", wrapWriter(func(w http.ResponseWriter) http.ResponseWriter { return &buffered{w: w} }, func(w http.ResponseWriter) { w.(*buffered).finish() }),
			"Stream", "while the handler runs"),
		// The five it passed.
		m("writer hides Hijacker, Flusher and Unwrap", wrapWriter(func(w http.ResponseWriter) http.ResponseWriter { return struct{ http.ResponseWriter }{w} }, nil),
			"WriterInterfaces", "http.Hijacker"),
		m("writer hides Unwrap", wrapWriter(func(w http.ResponseWriter) http.ResponseWriter { return noUnwrap{w} }, nil),
			"WriterInterfaces", "SetWriteDeadline"),
		m("no Origin skips the policy", skipWithoutOrigin, "NoOrigin", "requests without Origin too"),
		m("every OPTIONS answered 204", applyThen(func(w http.ResponseWriter, r *http.Request, answered bool) bool {
			if !answered && r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusNoContent)
				return true
			}
			return answered
		}), "OptionsNotPreflight", "never reached the OPTIONS route"),
		m("Apply called twice", applyTwice, "OneRefusalReport", "OnRefused called 2 times"),
		m("Routes given neither host nor path", withRequest(func(r *http.Request) *http.Request {
			return &http.Request{Method: r.Method, Header: r.Header, URL: &url.URL{Path: "/"}}
		}), "PolicyPerRoute", "does the adapter hand Apply the request"),
		m("Routes given no host", withRequest(func(r *http.Request) *http.Request {
			r = r.Clone(r.Context())
			r.Host, r.URL.Host = "", ""
			return r
		}), "PolicyPerRoute", partnerHost),
	}, serverMutations()...)
}

// serverMutations break the server around a correct adapter.
func serverMutations() []mutation {
	noRecovery := func(p Policy, routes []Route) http.Handler {
		mux := http.NewServeMux()
		for _, rt := range routes {
			mux.Handle(rt.Method+" "+rt.Path, rt.Handler)
		}
		return correct(p, mux)
	}
	onRoutesOnly := func(p Policy, routes []Route) http.Handler {
		mux := http.NewServeMux()
		for _, rt := range routes {
			mux.Handle(rt.Method+" "+rt.Path, correct(p, rt.Handler))
		}
		return recovering(mux)
	}
	return []mutation{
		{"server without panic recovery", noRecovery, "PanicThroughRecovery", "escaped the server"},
		{"adapter on the routes, not the router", onRoutesOnly, "UnmatchedRoute", "apply the policy to every request, before the router"},
		{"router behind a prefix the keys leave out", framework(correct, stripV1), "HostilePaths", `the handler of "/admin/" ran`},
	}
}

func TestConformanceCatchesBrokenAdapters(t *testing.T) {
	require.Empty(t, runKit(framework(correct, plainRouter)), "a correct adapter passes every guarantee")
	for _, m := range mutations() {
		t.Run(m.name, func(t *testing.T) {
			failures := runKit(m.serve)
			var broken []string
			for name, msgs := range failures {
				broken = append(broken, name)
				if strings.HasSuffix(name, "/"+m.breaks) {
					assert.Contains(t, strings.Join(msgs, "\n"), m.says, "%s's message says what broke", name)
				}
			}
			sort.Strings(broken)
			assert.True(t, hasGuarantee(broken, m.breaks), "the kit must fail %s; it failed %v", m.breaks, broken)
			t.Logf("fails %v", broken)
		})
	}
}

func hasGuarantee(names []string, g string) bool {
	for _, n := range names {
		if strings.HasSuffix(n, "/"+g) {
			return true
		}
	}
	return false
}

// A server that never answers fails the guarantee, after answerTimeout,
// instead of hanging the binary.
func TestConformanceReportsAHungServer(t *testing.T) {
	saved := answerTimeout
	answerTimeout = 100 * time.Millisecond
	defer func() { answerTimeout = saved }()
	release := make(chan struct{})
	defer close(release)
	hang := framework(applyThen(func(_ http.ResponseWriter, r *http.Request, answered bool) bool {
		if answered {
			<-release
		}
		return answered
	}), plainRouter)
	failures := runKit(hang)
	require.NotEmpty(t, failures["Middleware/PreflightBeforeRouter"])
	assert.Contains(t, failures["Middleware/PreflightBeforeRouter"][0], "no answer within")
}
