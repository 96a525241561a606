package fetch

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxRedirects is Fetch's redirect limit (#http-redirect-fetch, step 5).
const MaxRedirects = 20

// Redirect implements Fetch's "HTTP-redirect fetch" (#http-redirect-fetch)
// for a response whose CORS check passed: it updates r for the next hop and
// says, in notes, what the browser changed on the way; or it returns why the
// browser stops.
func (r *Request) Redirect(status int, location string) (notes []string, f *Failure) {
	fail := func(code Code, reason, value string) *Failure {
		return &Failure{Code: code, Reason: reason, Value: value}
	}
	// Steps 2-3: the Location is parsed against the current URL.
	next, err := r.URL.Parse(location)
	if err != nil {
		return nil, fail(InvalidRedirectLocation, "Redirect location '"+location+"' is not a valid URL.", location)
	}
	// Step 4: only HTTP(S) redirects are followed.
	if next.Scheme != "http" && next.Scheme != "https" {
		return nil, fail(RedirectDisallowedScheme,
			"Redirect location '"+next.String()+"' has a disallowed scheme for cross-origin requests.", next.String())
	}
	// Steps 5-6: at most 20 redirects.
	if r.Redirects >= MaxRedirects {
		return nil, fail(TooManyRedirects, "net::ERR_TOO_MANY_REDIRECTS (more than "+strconv.Itoa(MaxRedirects)+" redirects).", "")
	}
	// Steps 7-8: a "cors" request never follows a URL with credentials.
	if next.User != nil {
		return nil, fail(RedirectContainsCredentials,
			"Redirect location '"+next.String()+"' contains a username and password, which is disallowed for cross-origin requests.", next.String())
	}
	r.Redirects++
	// Step 10: 301/302 turn POST into GET, 303 turns anything but GET/HEAD
	// into GET; the body and its headers go.
	if ((status == 301 || status == 302) && r.Method == "POST") || (status == 303 && r.Method != "GET" && r.Method != "HEAD") {
		notes = append(notes, fmt.Sprintf("a %d turns %s into GET and drops the request-body headers", status, r.Method))
		r.Method = "GET"
		r.Headers = removeHeaders(r.Headers, "content-encoding", "content-language", "content-location", "content-type")
	}
	crossOrigin := OriginOf(r.URL) != OriginOf(next)
	// Step 11: Authorization is dropped on a cross-origin redirect.
	if crossOrigin {
		before := len(r.Headers)
		r.Headers = removeHeaders(r.Headers, "authorization")
		if len(r.Headers) != before {
			notes = append(notes, "the redirect is cross-origin, so the browser drops the Authorization header")
		}
	}
	// Step 12: a cross-origin redirect of a cross-origin request taints the
	// origin: from now on it is sent and matched as "null".
	if crossOrigin && OriginOf(r.URL) != r.SerializedOrigin() && !r.Tainted {
		r.Tainted = true
		notes = append(notes, "the redirect is cross-origin, so the browser now sends Origin: null and needs Access-Control-Allow-Origin: null or *")
	}
	if next.Path == "" {
		next.Path = "/"
	}
	next.Fragment, next.RawFragment = "", ""
	r.URL = next
	return notes, nil
}

// removeHeaders returns headers without the given lower-case names, in a new
// slice.
func removeHeaders(headers []Header, names ...string) []Header {
	out := headers[:0:0]
	for _, h := range headers {
		if !slices.Contains(names, strings.ToLower(h.Name)) {
			out = append(out, h)
		}
	}
	return out
}
