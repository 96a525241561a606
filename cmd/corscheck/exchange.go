package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
)

// This file does the HTTP exchanges for check.go and records them for the
// report.

// Bounds on what is read from a server, so a hostile or broken one costs
// no more than these.
const (
	bodyLimit       = 1 << 20 // bytes of a body read and discarded; the verdict never depends on them
	bodyPrefixLimit = 2048    // bytes kept to recognize an error page
	headerLimit     = 256 << 10
	shownValueLimit = 300 // bytes of one header value in the report
	shownValuesMax  = 8   // lines of one header name in the report
)

// response is what the checks need from an HTTP response.
type response struct {
	status int
	reason string // the status line's reason phrase, as the server wrote it
	header http.Header
	body   string // the first bodyPrefixLimit bytes
	// bodyErr is why the body could not be read to its end (the connection
	// closed mid-body), nil when it could.
	bodyErr error
}

// newTransport returns the transport of every exchange: no redirect is
// followed and no Location is parsed behind the algorithm's back, no cookie
// jar is involved, and response headers are bounded as browsers bound them.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxResponseHeaderBytes = headerLimit
	return t
}

// send performs one HTTP exchange and records it as a step of the report.
func (c *checker) send(ctx context.Context, kind, method string, u *url.URL, headers []fetch.Header) (*Step, response, error) {
	step := &Step{Kind: kind, Method: method, URL: u.String(), RequestHeaders: fields(headers)}
	if c.gate != nil {
		if err := c.gate(ctx, kind); err != nil {
			step.Outcome = outcomeError // not sent, so not a step of the report
			return step, response{}, err
		}
	}
	c.res.Steps = append(c.res.Steps, step)
	var body io.Reader
	if kind == kindRequest && len(c.body) > 0 {
		body = bytes.NewReader(c.body)
		step.Notes = append(step.Notes, fmt.Sprintf("sent a %d-byte request body", len(c.body)))
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		step.Outcome = outcomeError
		return step, response{}, err
	}
	for _, h := range headers {
		req.Header.Add(h.Name, h.Value)
	}
	req.Header.Set("User-Agent", "corscheck")
	resp, err := c.transport.RoundTrip(req)
	if err != nil {
		step.Outcome = outcomeError
		return step, response{}, err
	}
	defer resp.Body.Close()
	var prefix strings.Builder
	_, bodyErr := io.Copy(&limitedWriter{w: &prefix, n: bodyPrefixLimit}, io.LimitReader(resp.Body, bodyLimit))
	r := response{status: resp.StatusCode, header: resp.Header, body: prefix.String(), bodyErr: bodyErr,
		reason: strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)))}
	step.Status = resp.StatusCode
	step.StatusText = r.reasonPhrase()
	step.ResponseHeaders = shownFields(resp.Header)
	step.header = resp.Header
	c.keepSetCookies(resp.Header)
	return step, r, nil
}

// limitedWriter keeps the first n bytes written to it and discards the rest.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if keep := min(len(p), l.n); keep > 0 {
		_, _ = l.w.Write(p[:keep])
		l.n -= keep
	}
	return len(p), nil
}

// shown is whether the report shows a response header: the CORS headers,
// and those that tell which layer answered (a proxy, a cache, an auth
// layer).
func shown(lowerName string) bool {
	if strings.HasPrefix(lowerName, "access-control-") || strings.HasPrefix(lowerName, "x-cache") {
		return true
	}
	switch lowerName {
	case "vary", "location", "server", "via", "age", "cf-cache-status", "www-authenticate", "proxy-authenticate":
		return true
	}
	return false
}

// shownFields keeps the headers the report shows, sorted by name, values in
// order, each bounded in length and number.
func shownFields(h http.Header) []Field {
	var names []string
	for name := range h {
		if shown(strings.ToLower(name)) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := []Field{}
	for _, name := range names {
		values := h[name]
		for i, v := range values {
			if i == shownValuesMax {
				out = append(out, Field{Name: name, Value: "(" + strconv.Itoa(len(values)-i) + " more lines)"})
				break
			}
			out = append(out, Field{Name: name, Value: clip(v, shownValueLimit)})
		}
	}
	return out
}

// clip bounds s to n bytes, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// fields converts request headers to report fields.
func fields(headers []fetch.Header) []Field {
	out := make([]Field, 0, len(headers))
	for _, h := range headers {
		out = append(out, Field(h))
	}
	return out
}
