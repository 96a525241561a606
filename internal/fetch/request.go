package fetch

import (
	"net/url"
	"strings"

	"github.com/corsguard/cors/internal/origin"
)

// Request is the state Fetch keeps for one fetch() in "cors" mode: it starts
// as the script made the call and changes as redirects are followed
// ([Request.Redirect]).
type Request struct {
	URL        *url.URL // the URL of the current hop
	InitialURL *url.URL // the URL the script fetched
	Origin     string   // the document's origin, serialized
	// Tainted is Fetch's "tainted origin flag": after a redirect from one
	// origin to another the request's origin is sent, and matched, as "null".
	Tainted     bool
	Method      string   // as the browser sends it (see method.Normalize)
	Headers     []Header // the headers the script set
	Credentials bool     // credentials mode "include"
	Redirects   int      // redirects followed so far
}

// SerializedOrigin implements Fetch's "byte-serializing a request origin":
// the Origin header's value, and what Access-Control-Allow-Origin must
// equal.
func (r *Request) SerializedOrigin() string {
	if r.Tainted {
		return "null"
	}
	return r.Origin
}

// NeedsPreflight reports whether the next hop starts with a CORS-preflight.
func (r *Request) NeedsPreflight() bool {
	return NeedsPreflight(r.Method, r.Headers)
}

// PreflightHeaders returns the headers of the CORS-preflight request, in the
// order Chromium writes them (#cors-preflight-fetch, steps 1-5): Accept */*,
// Origin, Access-Control-Request-Method, and, when there are CORS-unsafe
// names, Access-Control-Request-Headers, lower-cased, sorted, de-duplicated
// and joined by bare commas. The preflight never carries credentials or the
// script's own headers.
func (r *Request) PreflightHeaders() []Header {
	headers := []Header{
		{Name: "Accept", Value: "*/*"},
		{Name: "Origin", Value: r.SerializedOrigin()},
		{Name: "Access-Control-Request-Method", Value: r.Method},
	}
	if unsafe := UnsafeHeaderNames(r.Headers); len(unsafe) > 0 {
		headers = append(headers, Header{Name: "Access-Control-Request-Headers", Value: strings.Join(unsafe, ",")})
	}
	return headers
}

// RequestHeaders returns the headers of the request itself: Origin, Accept
// */* unless the script set Accept (the fetch() default), then the script's.
func (r *Request) RequestHeaders() []Header {
	headers := []Header{{Name: "Origin", Value: r.SerializedOrigin()}}
	hasAccept := false
	for _, h := range r.Headers {
		hasAccept = hasAccept || strings.EqualFold(h.Name, "Accept")
	}
	if !hasAccept {
		headers = append(headers, Header{Name: "Accept", Value: "*/*"})
	}
	return append(headers, r.Headers...)
}

// OriginOf serializes the origin of an http(s) URL (HTML's "ASCII
// serialization of an origin"): lower-case scheme and host, no default port.
func OriginOf(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := u.Port()
	if port == "" || port == origin.DefaultPort(scheme) {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + port
}
