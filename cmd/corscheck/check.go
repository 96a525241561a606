package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/corsguard/cors/internal/fetch"
)

// This file runs the browser's side of the CORS protocol against a live
// server, step by step as the Fetch standard walks it; the rules themselves
// are in internal/fetch. When a step fails, probe.go may ask the server a
// few more questions, layer.go names the layer that answered from the
// evidence, diagnose.go picks the likely cause and advice.go words it (the
// layer's configuration words from layertable.go); warnings.go adds what
// does not block.

// Step kinds, as they appear in the report.
const (
	kindPreflight = "preflight"
	kindRequest   = "request"
	kindProbe     = "probe" // an extra request after a failure, to find its cause
)

// codeNetworkError is the failure code when no HTTP response came at all:
// no CORS verdict, only a diagnosis.
const codeNetworkError fetch.Code = "network_error"

// checker runs the algorithm and records every step in res.
type checker struct {
	transport *http.Transport
	res       *Result
	// preflightPassed is set once a preflight of this fetch has passed.
	preflightPassed bool
	// last is the evidence of the failure, for the -direct comparison.
	last *evidence
	// body is sent with the actual request only (-data, -body-size):
	// browsers never send a body on a preflight.
	body []byte
	// app is the last preflight answer that passed: the CORS layer's own.
	app *response
	// gate, when set, runs before each exchange: -env's request budget and
	// pacing. An error stops the exchange before anything is sent.
	gate func(ctx context.Context, kind string) error
	// setCookies are the Set-Cookie lines of every response, at most
	// maxSetCookies, for the cookie findings (cookies.go).
	setCookies []string
}

// newChecker returns a checker that records into res.
func newChecker(res *Result) *checker {
	return &checker{res: res, transport: newTransport()}
}

// run implements the path of Fetch "main fetch" (#main-fetch) that a
// cross-origin fetch() takes: for each URL in the redirect chain, a
// CORS-preflight when one is needed, then the request itself through "HTTP
// fetch". It stops at the first failure, as the browser does.
func (c *checker) run(ctx context.Context, r *fetch.Request) {
	defer c.transport.CloseIdleConnections()
	// Each round either ends the fetch or follows a redirect, and
	// Request.Redirect gives up after fetch.MaxRedirects; ctx bounds the time.
	for {
		if r.NeedsPreflight() {
			resp, f, err := c.preflightFetch(ctx, r)
			if f != nil || err != nil {
				c.fail(ctx, r, kindPreflight, resp, f, err)
				return
			}
			c.preflightPassed = true
			c.app = &resp
		}
		step, resp, f, err := c.httpFetch(ctx, r)
		if f != nil || err != nil {
			c.fail(ctx, r, kindRequest, resp, f, err)
			return
		}
		location := resp.header.Get("Location")
		if !fetch.IsRedirectStatus(resp.status) || location == "" {
			c.allow(resp)
			return
		}
		notes, f := r.Redirect(resp.status, location)
		step.Notes = append(step.Notes, notes...)
		if f != nil {
			c.fail(ctx, r, kindRequest, resp, f, nil)
			return
		}
	}
}

// preflightFetch implements Fetch "CORS-preflight fetch"
// (#cors-preflight-fetch): send the preflight, check the answer.
func (c *checker) preflightFetch(ctx context.Context, r *fetch.Request) (response, *fetch.Failure, error) {
	step, resp, err := c.send(ctx, kindPreflight, http.MethodOptions, r.URL, r.PreflightHeaders())
	if err != nil {
		return resp, nil, err
	}
	f := fetch.CheckPreflight(r, resp.status, resp.header)
	// Steps 7.8-7.9 (Access-Control-Max-Age) and other findings never block.
	c.res.Warnings = append(c.res.Warnings, preflightWarnings(r, resp, f == nil)...)
	step.setOutcome(f)
	return resp, f, nil
}

// httpFetch implements the part of Fetch "HTTP fetch" (#http-fetch) that a
// "cors" request sees: send the request and run the CORS check on whatever
// comes back, redirects included, before any redirect is followed.
func (c *checker) httpFetch(ctx context.Context, r *fetch.Request) (*Step, response, *fetch.Failure, error) {
	step, resp, err := c.send(ctx, kindRequest, r.Method, r.URL, r.RequestHeaders())
	if err != nil {
		return step, resp, nil, err
	}
	f := fetch.CheckCORS(r, resp.header, false)
	c.res.Warnings = append(c.res.Warnings, responseWarnings(r, kindRequest, resp)...)
	step.setOutcome(f)
	if f == nil && fetch.IsRedirectStatus(resp.status) && resp.header.Get("Location") != "" {
		step.Outcome = outcomeRedirect
		step.Notes = append(step.Notes, fmt.Sprintf(
			"the %d carries valid CORS headers, so the browser follows it to %s",
			resp.status, clip(resp.header.Get("Location"), shownValueLimit)))
	}
	return step, resp, f, nil
}

// allow sets the verdict of a fetch whose response the script can read.
func (c *checker) allow(resp response) {
	c.res.Verdict, c.res.ExitCode, c.res.Allowed = verdictAllowed, exitAllowed, true
	if w, ok := bodyCutWarning(resp); ok {
		c.res.Warnings = append(c.res.Warnings, w)
	}
}

// fail sets the verdict of a fetch that failed with f, or got no response
// (err), after asking the server the questions that tell its cause.
func (c *checker) fail(ctx context.Context, r *fetch.Request, kind string, resp response, f *fetch.Failure, err error) {
	e := &evidence{r: r, kind: kind, f: f, resp: resp, err: err, preflightPassed: c.preflightPassed, bodyLen: len(c.body), app: c.app}
	failure := &Failure{Step: kind, Status: resp.status}
	if err != nil {
		c.res.Verdict, c.res.ExitCode = verdictError, exitError
		failure.Code = codeNetworkError
		failure.Reason = err.Error()
		failure.Message = c.res.Steps[len(c.res.Steps)-1].Method + " " + c.res.Steps[len(c.res.Steps)-1].URL + ": " + err.Error()
	} else {
		c.res.Verdict, c.res.ExitCode = verdictBlocked, exitBlocked
		failure.Code, failure.Reason, failure.Value = f.Code, f.Reason, f.Value
		failure.Message = r.ConsoleMessage(f.Reason)
		c.probe(ctx, e)
	}
	failure.Diagnosis, failure.Cause, failure.Fix = explain(e)
	c.res.Failure = failure
	c.last = e
}
