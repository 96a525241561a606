package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// This file does the HTTP exchanges for check.go and records them for the
// report.

// response is what the checks need from an HTTP response.
type response struct {
	status int
	header http.Header
}

// send performs one HTTP exchange without following redirects and records
// it as a step of the report.
func (c *checker) send(ctx context.Context, kind, method string, u *url.URL, headers []header) (*Step, response, error) {
	step := &Step{Kind: kind, Method: method, URL: u.String(), RequestHeaders: fields(headers)}
	c.res.Steps = append(c.res.Steps, step)
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
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
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, bodyLimit))
	_ = resp.Body.Close()
	step.Status = resp.StatusCode
	step.StatusText = http.StatusText(resp.StatusCode)
	step.ResponseHeaders = corsResponseFields(resp.Header)
	return step, response{status: resp.StatusCode, header: resp.Header}, nil
}

// corsResponseFields keeps the response headers that matter to CORS, sorted
// by name, values in order.
func corsResponseFields(h http.Header) []Field {
	var names []string
	for name := range h {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "access-control-") || lower == "vary" || lower == "location" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := []Field{}
	for _, name := range names {
		for _, v := range h[name] {
			out = append(out, Field{Name: name, Value: v})
		}
	}
	return out
}

// fields converts request headers to report fields.
func fields(headers []header) []Field {
	out := make([]Field, 0, len(headers))
	for _, h := range headers {
		out = append(out, Field(h))
	}
	return out
}

// containsFold reports whether list has s, ignoring ASCII case.
func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
