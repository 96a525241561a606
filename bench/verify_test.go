package bench

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outcome is what one library answers to one scenario.
type outcome struct {
	status     int  // status the client receives
	handlerRan bool // the inner handler was called
	granted    bool // a browser passes its CORS check on the answer
	varyOrigin bool // Vary lists Origin, so shared caches keep answers apart
}

// expected returns corsguard's documented answer, then each peer's known
// differences. They are behaviours of the peers, recorded so that the
// benchmark compares like with like; they are not judged here.
func expected(sc scenario, lib string) outcome {
	o := outcome{status: http.StatusOK, handlerRan: !sc.preflight, granted: sc.granted, varyOrigin: true}
	if sc.preflight {
		o.status = http.StatusForbidden
		if sc.granted {
			o.status = http.StatusNoContent
		}
	}
	if sc.preflight && !sc.granted {
		// corsguard's 403 to a preflight is stored by no standard cache, so
		// it carries no Vary (TestRefusedPreflightVariesOnlyWhenCacheable).
		o.varyOrigin = false
	}
	hostile := sc.name == "preflight-hostile-1024-commas"
	switch lib {

	case "bare":
		// No CORS at all: OPTIONS reaches the handler, browsers refuse.
		return outcome{status: http.StatusOK, handlerRan: true}
	case "rs-cors":
		// Preflights always get 204 (OptionsSuccessStatus), refused or not.
		// More than 16 empty list elements make it refuse the preflight.
		if sc.preflight {
			o.status = http.StatusNoContent
			o.varyOrigin = true
		}
		if hostile {
			o.granted = false
		}
	case "go-chi-cors":
		// Preflights always get 200; empty elements are skipped (after
		// allocating a slice sized by the comma count), so hostile passes.
		o.status = http.StatusOK
		o.varyOrigin = true
		if hostile {
			o.granted = true
		}
	case "gorilla-handlers":
		// Preflights get 200; a refused one gets nothing written (an
		// implicit 200). Empty elements are skipped, so hostile passes.
		// Vary: Origin only when more than one origin is configured and the
		// origin was allowed: a shared cache may serve one origin's answer
		// to another when a single origin is configured.
		o.status = http.StatusOK
		if hostile {
			o.granted = true
		}
		o.varyOrigin = o.granted && len(sc.origins) > 1
	}
	return o
}

// TestLibrariesAnswerAsExpected checks, outside any timed loop, that every
// library really does the work the benchmark times: a browser would accept
// the allowed requests and refuse the others.
func TestLibrariesAnswerAsExpected(t *testing.T) {
	for _, sc := range scenarios() {
		sc := sc
		t.Run(sc.name, func(t *testing.T) {
			for _, lib := range libraries() {
				lib := lib
				if lib.wrappedOnly && sc.preflight {
					continue
				}
				t.Run(lib.name, func(t *testing.T) {
					want := expected(sc, lib.name)
					calls := 0
					inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						calls++
						okHandler(w, r)
					})
					h := lib.wrap(t, sc.origins, inner)
					req := sc.newReq()

					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					res := rec.Result()
					defer res.Body.Close()

					assert.Equal(t, want.status, res.StatusCode, "status")
					assert.Equal(t, want.handlerRan, calls == 1, "inner handler called")
					assert.Equal(t, want.granted, browserGrants(sc, req, res), "browser CORS check; headers %v", res.Header)
					assert.Equal(t, want.varyOrigin, listHas(res.Header.Values("Vary"), "Origin"), "Vary: Origin; headers %v", res.Header)
					if want.granted {
						if sc.preflight {
							assert.Equal(t, "600", res.Header.Get("Access-Control-Max-Age"), "max age")
						} else {
							assert.True(t, listHas(res.Header.Values("Access-Control-Expose-Headers"), "X-Request-Id"), "exposed header")
						}
					} else {
						for name := range res.Header {
							assert.False(t, strings.HasPrefix(name, "Access-Control-"), "refused answer carries %s", name)
						}
					}

					// The benchmark's writer must see the same answer as the recorder.
					dw := newDiscardWriter()
					h.ServeHTTP(dw, req)
					status := dw.status
					if status == 0 {
						status = http.StatusOK
					}
					assert.Equal(t, res.StatusCode, status, "status with discardWriter")
					assert.Equal(t, res.Header.Get("Access-Control-Allow-Origin"), dw.Header().Get("Access-Control-Allow-Origin"), "ACAO with discardWriter")
				})
			}
		})
	}
}

// browserGrants applies the Fetch standard's CORS check (and, for a
// preflight, its method and header checks) for a credentialed request.
func browserGrants(sc scenario, req *http.Request, res *http.Response) bool {
	origin := req.Header.Get("Origin")
	if origin == "" {
		return false // same-origin: no CORS check applies, nothing is granted
	}
	h := res.Header
	if h.Get("Access-Control-Allow-Origin") != origin || h.Get("Access-Control-Allow-Credentials") != "true" {
		return false
	}
	if !sc.preflight {
		return true
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return false
	}
	// With credentials "*" is a literal name, so methods and headers must be
	// listed. Methods compare case-sensitively, header names do not.
	methods := splitList(h.Values("Access-Control-Allow-Methods"))
	if !containsExact(methods, preflightMethod) {
		return false
	}
	for _, name := range strings.Split(requestedHeaders, ",") {
		if !listHas(h.Values("Access-Control-Allow-Headers"), name) {
			return false
		}
	}
	return true
}

func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, e := range strings.Split(v, ",") {
			if e = strings.TrimSpace(e); e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

func containsExact(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// listHas reports whether a comma-separated header list names token,
// ignoring case.
func listHas(values []string, token string) bool {
	for _, e := range splitList(values) {
		if strings.EqualFold(e, token) {
			return true
		}
	}
	return false
}

func TestHostileHeaderShape(t *testing.T) {
	require.Len(t, hostileRequestHeaders, len("content-type")+hostileCommas+len("x-api-key"))
	assert.Equal(t, hostileCommas, strings.Count(hostileRequestHeaders, ","))
	assert.Len(t, strings.Split(hostileRequestHeaders, ","), hostileCommas+1)
}
