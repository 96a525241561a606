// Package corstest runs cross-origin fetch() calls through an [http.Handler]
// as a browser makes them and returns the browser's verdict: whether the
// page's script could read the response and, if not, the message Chromium
// prints in the console.
//
// [Fetch] decides from the Fetch standard's rules whether a preflight is
// needed, builds it as Chromium does (OPTIONS with Origin,
// Access-Control-Request-Method and a lower-cased, sorted
// Access-Control-Request-Headers), serves it through the handler and
// checks the answer; then it serves the request itself and applies the CORS
// check, following redirects as the browser does. The rules are the ones
// the corscheck command applies to live servers, from the same code, so the
// two never disagree.
//
// It shows what middleware order, routers, authentication and error paths do
// to CORS in the handler chain you actually serve, whatever CORS library that
// chain uses.
//
// [Conformance] is for authors of framework adapters: one call runs the
// library's guarantees against the framework's server built around a policy.
//
// Outside its own tests, corstest imports only the standard library and this
// module's own packages (the root package, for [Conformance]'s policies).
package corstest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
	"github.com/corsguard/cors/internal/headerlist"
	"github.com/corsguard/cors/internal/method"
)

// Result is the browser's verdict on one fetch.
type Result struct {
	// Preflight is the handler's answer to the last CORS preflight, nil
	// when the request needed none.
	Preflight *http.Response
	// Response is the response to the request itself, the last one when
	// redirects were followed. It is nil when no response came: the
	// preflight failed, so the browser never sent the request, or the
	// handler panicked.
	Response *http.Response
	// Err is nil when the script can read Response. A refusal by the CORS
	// protocol is a *BlockedError; a handler that panicked, which a browser
	// sees as a dropped connection, and a request no browser would send
	// are other errors.
	Err error
}

// BlockedError is the browser's refusal to hand a response to the script.
// Its message is the line Chromium prints in the console.
type BlockedError struct {
	URL    string // the URL whose response was refused
	Origin string // the page's origin
	// Preflight is true when the preflight failed; the request itself was
	// then never sent.
	Preflight bool
	// Reason is what Chromium prints after "has been blocked by CORS
	// policy: ", e.g. "Method PURGE is not allowed by
	// Access-Control-Allow-Methods in preflight response."
	Reason string

	message string
}

// Error returns the console message, as Chromium prints it.
func (e *BlockedError) Error() string { return e.message }

// ErrHandlerPanicked is wrapped by Result.Err when the handler panicked: a
// browser gets no response, and fetch() rejects with "TypeError: Failed to
// fetch".
var ErrHandlerPanicked = errors.New("the handler panicked: a browser gets no response, and fetch() rejects with \"TypeError: Failed to fetch\"")

// Fetch serves through h the cross-origin fetch(r) that a script on a page
// at origin makes, with credentials "same-origin" (the fetch() default, so
// none are sent to another origin), and returns the browser's verdict.
//
// The request's method, URL, body and headers are the script's: a path
// like "/items" is taken on http://example.com, as [httptest.NewRequest]
// does. Origin is set by Fetch. Headers that scripts cannot set (Fetch's
// forbidden request-headers, such as Sec-Fetch-Site) are taken as added by
// the browser: they go with the request itself and never make a preflight
// necessary; Cookie is dropped, as no credentials are sent. The preflight
// carries only what Chromium puts on one. h stands for every server the
// fetch reaches, redirects included. Fetch reads r's body; it changes
// nothing else in r.
//
// A handler that panics is a dropped connection to a browser: Result.Err
// then wraps [ErrHandlerPanicked].
func Fetch(h http.Handler, origin string, r *http.Request) *Result {
	return run(h, origin, r, false)
}

// FetchWithCredentials is [Fetch] with credentials "include": Cookie, when
// r has one, goes with the request itself, and the response is readable
// only with the exact origin in Access-Control-Allow-Origin and
// Access-Control-Allow-Credentials: true.
func FetchWithCredentials(h http.Handler, origin string, r *http.Request) *Result {
	return run(h, origin, r, true)
}

// run implements Fetch and FetchWithCredentials.
func run(h http.Handler, origin string, r *http.Request, credentials bool) *Result {
	f, err := newFetch(origin, r, credentials)
	if err != nil {
		return &Result{Err: err}
	}
	res := &Result{}
	// Each round ends the fetch or follows a redirect, and Request.Redirect
	// refuses after fetch.MaxRedirects.
	for {
		if f.req.NeedsPreflight() {
			pre, err := f.serve(h, http.MethodOptions, f.req.PreflightHeaders(), nil)
			res.Preflight = pre
			if err != nil {
				res.Err = err
				return res
			}
			if fail := fetch.CheckPreflight(f.req, pre.StatusCode, pre.Header); fail != nil {
				res.Err = f.blocked(fail)
				return res
			}
		}
		resp, err := f.serve(h, f.req.Method, f.req.RequestHeaders(), f.browserHeaders)
		res.Response = resp
		if err != nil {
			res.Err = err
			return res
		}
		if fail := fetch.CheckCORS(f.req, resp.Header, false); fail != nil {
			res.Err = f.blocked(fail)
			return res
		}
		location := resp.Header.Get("Location")
		if !fetch.IsRedirectStatus(resp.StatusCode) || location == "" {
			return res
		}
		method := f.req.Method
		if _, fail := f.req.Redirect(resp.StatusCode, location); fail != nil {
			res.Err = f.blocked(fail)
			return res
		}
		if f.req.Method != method {
			f.body = nil // a redirect that turns the request into a GET drops its body
		}
	}
}

// fetchState is one fetch in flight.
type fetchState struct {
	req            *fetch.Request
	browserHeaders http.Header // headers the browser adds to the request itself
	body           []byte      // nil when there is none
	orig           *http.Request
}

// newFetch reads the script's request, and refuses what no browser sends.
func newFetch(origin string, r *http.Request, credentials bool) (*fetchState, error) {
	if err := fetch.ValidateOrigin(origin); err != nil {
		return nil, fmt.Errorf("corstest: origin %q %v", origin, err)
	}
	// fetch() throws a TypeError for these; no request leaves the browser.
	if !headerlist.IsToken(r.Method) {
		return nil, fmt.Errorf("corstest: %q is not a method: fetch() throws a TypeError", r.Method)
	}
	if method.IsForbidden(r.Method) {
		return nil, fmt.Errorf("corstest: scripts cannot send the method %s", r.Method)
	}
	u := requestURL(r)
	if fetch.OriginOf(u) == origin {
		return nil, fmt.Errorf("corstest: %s has the page's origin %s: a browser makes no CORS check for a same-origin request", u, origin)
	}
	f := &fetchState{
		req: &fetch.Request{
			URL: u, InitialURL: u, Origin: origin,
			Method: method.Normalize(r.Method), Credentials: credentials,
		},
		browserHeaders: http.Header{},
		orig:           r,
	}
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names) // a deterministic order: Go's header map has none
	for _, name := range names {
		for _, value := range r.Header[name] {
			h := fetch.Header{Name: name, Value: value}
			if !headerlist.IsToken(name) || strings.ContainsAny(value, "\r\n\x00") {
				return nil, fmt.Errorf("corstest: header %q: %q is not a valid header: fetch() throws a TypeError", name, value)
			}
			switch {
			case strings.EqualFold(name, "Origin"):
				// The browser's own.
			case strings.EqualFold(name, "Cookie"):
				if credentials {
					f.browserHeaders.Add(name, value)
				}
			case fetch.IsForbiddenRequestHeader(h):
				f.browserHeaders.Add(name, value)
			default:
				f.req.Headers = append(f.req.Headers, h)
			}
		}
	}
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, fmt.Errorf("corstest: reading the request body: %v", err)
		}
		f.body = body
	}
	return f, nil
}

// requestURL returns r's absolute URL: a server-side request from
// httptest.NewRequest has only a path, with its host in r.Host.
func requestURL(r *http.Request) *url.URL {
	u := *r.URL
	if u.Host == "" {
		u.Host = r.Host
		if u.Host == "" {
			u.Host = "example.com"
		}
	}
	if u.Scheme == "" {
		u.Scheme = "http"
		if r.TLS != nil {
			u.Scheme = "https"
		}
	}
	if u.Path == "" {
		u.Path = "/"
	}
	u.Fragment, u.RawFragment = "", ""
	return &u
}

// serve runs one request through h, as a server would receive it.
func (f *fetchState) serve(h http.Handler, method string, headers []fetch.Header, extra http.Header) (res *http.Response, err error) {
	var body io.Reader
	if method != http.MethodOptions && f.body != nil {
		body = bytes.NewReader(f.body)
	}
	req := httptest.NewRequest(method, f.req.URL.String(), body).WithContext(f.orig.Context())
	if f.orig.RemoteAddr != "" {
		req.RemoteAddr = f.orig.RemoteAddr
	}
	for _, x := range headers {
		req.Header.Add(x.Name, x.Value)
	}
	for name, values := range extra {
		req.Header[name] = append([]string(nil), values...)
	}
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, fmt.Errorf("corstest: %s %s: %w (%v)", method, f.req.URL, ErrHandlerPanicked, v)
		}
	}()
	rec := wireRecorder{httptest.NewRecorder()}
	h.ServeHTTP(rec, req)
	res = rec.Result()
	res.Header = onTheWire(res.Header)
	return res, nil
}

// wireRecorder records the final response, as a client reads it: a 1xx
// informational answer (103 Early Hints) before it is not the response.
type wireRecorder struct{ *httptest.ResponseRecorder }

func (w wireRecorder) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		return
	}
	w.ResponseRecorder.WriteHeader(code)
}

// onTheWire is h as the client parses it: net/http sends every key of the
// map as it is spelled, so "access-control-allow-origin" next to
// "Access-Control-Allow-Origin" is two lines of one field, and a key set
// only in lower case is a valid header all the same.
func onTheWire(h http.Header) http.Header {
	wire := make(http.Header, len(h))
	for k, v := range h {
		ck := http.CanonicalHeaderKey(k)
		wire[ck] = append(wire[ck], v...)
	}
	return wire
}

// blocked turns a failure into the error Fetch returns.
func (f *fetchState) blocked(fail *fetch.Failure) *BlockedError {
	return &BlockedError{
		URL:       f.req.URL.String(),
		Origin:    f.req.Origin,
		Preflight: fail.Preflight,
		Reason:    fail.Reason,
		message:   f.req.ConsoleMessage(fail.Reason),
	}
}
