package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"syscall"

	"github.com/corsguard/cors/internal/fetch"
	"github.com/corsguard/cors/internal/origin"
)

// This file picks the likely cause of a failure from what the browser saw,
// the response's status and headers, and what the probes after it found.
// The browser only says what it saw; the cause is an educated guess, and
// advice.go phrases it as such.

// evidence is what a diagnosis rests on.
type evidence struct {
	r    *fetch.Request // the fetch as it stood when it failed
	kind string         // the failing step: kindPreflight or kindRequest
	f    *fetch.Failure // nil for a network error
	resp response       // the failing response; zero for a network error
	err  error          // the network error, if any
	// preflightPassed is true when a preflight passed before the failure:
	// CORS is configured for this origin and method.
	preflightPassed bool
	bodyLen         int             // bytes of request body corscheck sent with the actual request
	probe           *probeFindings  // the 403 probes, when they ran
	cache           *cacheFindings  // the cache-busting repeat, when it ran
	direct          *directFindings // the -direct comparison, when it showed a difference
	// app is an answer the application (or its CORS layer) gave in this
	// run: a preflight that passed, a probe's; nil when there was none.
	// A failing answer that differs from it came from another layer.
	app *response
}

// explain is the whole path from a failed check's evidence to what the
// report says: the diagnosis, then the cause, with the layer named by its
// evidence, and the fix in that layer's terms. Any mode that checks calls
// it with the evidence it gathered.
func explain(e *evidence) (d Diagnosis, cause, fix string) {
	d = diagnose(e)
	cause, fix = advice(d, e)
	return d, cause, fix
}

// diagnose picks the likely cause.
func diagnose(e *evidence) Diagnosis {
	if e.f == nil {
		return networkDiagnosis(e.err)
	}
	switch e.f.Code {
	case fetch.MissingAllowOriginHeader:
		return missingOriginDiagnosis(e)
	case fetch.MultipleAllowOriginValues:
		if len(e.resp.header.Values("Access-Control-Allow-Origin")) > 1 {
			return diagAllowOriginTwice
		}
		return diagAllowOriginList
	case fetch.InvalidAllowOriginValue, fetch.AllowOriginMismatch:
		return mismatchDiagnosis(e)
	case fetch.WildcardOriginNotAllowed:
		// '*' beside Vary: Origin and credentials true is two writers: an
		// application that echoes origins, and a layer that wrote '*' over it.
		// Evidence alone decides, whichever layer it is.
		if variesByOrigin(e.resp.header) && e.resp.header.Get("Access-Control-Allow-Credentials") == "true" {
			return diagProxyBreaksCORS
		}
		return diagWildcardWithCredentials
	case fetch.InvalidAllowCredentials:
		if e.f.Value == "" {
			return diagCredentialsMissing
		}
		return diagCredentialsNotTrue
	case fetch.PreflightInvalidStatus:
		return preflightStatusDiagnosis(e.resp.status)
	case fetch.PreflightDisallowedRedirect:
		if loginLocation(e.f.Value) {
			return diagAuthBeforeCORS
		}
		return redirectDiagnosis(e.r.URL, e.f.Value)
	case fetch.InvalidAllowMethodsPreflightResponse:
		return diagAllowMethodsUnparsable
	case fetch.InvalidAllowHeadersPreflightResponse:
		return diagAllowHeadersUnparsable
	case fetch.MethodDisallowedByPreflightResponse, fetch.HeaderDisallowedByPreflightResponse:
		if e.cache != nil && e.cache.stored {
			return cacheDiagnosis(e.cache)
		}
		if e.f.Code == fetch.MethodDisallowedByPreflightResponse {
			return methodDiagnosis(e)
		}
		return headerDiagnosis(e)
	case fetch.InvalidRedirectLocation, fetch.RedirectDisallowedScheme, fetch.RedirectContainsCredentials:
		return diagRedirectNotFollowable
	case fetch.TooManyRedirects:
		return diagRedirectLoop
	}
	return "" // a test holds every code to a diagnosis
}

// missingOriginDiagnosis covers a response without
// Access-Control-Allow-Origin, the most common and least telling failure:
// first what other layers left on the response or answered themselves,
// then the status.
func missingOriginDiagnosis(e *evidence) Diagnosis {
	status := e.resp.status
	_, front := e.frontAnswer()
	switch {
	case e.r.Tainted:
		return diagOriginNullAfterRedirect
	case len(otherCORSHeaders(e.resp.header)) > 0:
		return diagAllowOriginStripped
	case status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
		return diagGatewayError
	case e.kind == kindRequest && fetch.IsRedirectStatus(status):
		return redirectDiagnosis(e.r.URL, e.resp.header.Get("Location"))
	case e.kind == kindPreflight && authAnswer(e.resp):
		return diagAuthBeforeCORS
	case e.probe != nil && e.probe.diagnosis != "":
		return e.probe.diagnosis
	case front && e.kind == kindPreflight && (status == http.StatusMethodNotAllowed || status == http.StatusForbidden):
		// A layer's own refusal of OPTIONS: the router never saw it.
		return diagProxyRefusedOptions
	case front && status >= 400:
		return diagProxyErrorPage
	case e.cache != nil && e.cache.stored:
		return cacheDiagnosis(e.cache)
	case e.kind == kindRequest && status >= 400:
		return diagErrorWithoutCORS
	case e.kind == kindRequest:
		return diagOriginNotAllowed
	}
	return preflightStatusWithoutCORS(status)
}

// authAnswer reports whether resp is an authentication layer's answer: a
// challenge, or a sign-in page.
func authAnswer(resp response) bool {
	return resp.status == http.StatusUnauthorized || resp.status == http.StatusProxyAuthRequired ||
		resp.header.Get("WWW-Authenticate") != "" || signInPage(resp)
}

// preflightStatusWithoutCORS covers a preflight answered without CORS
// headers by its status, when nothing else told more.
func preflightStatusWithoutCORS(status int) Diagnosis {
	switch {
	case status == http.StatusMethodNotAllowed:
		return diagPreflightNotRouted405
	case status == http.StatusNotFound:
		return diagPreflightNotRouted404
	case status == http.StatusForbidden:
		return diagPreflightForbidden
	case status >= 500:
		return diagPreflightServerError
	case status >= 400:
		return diagPreflightRejected
	}
	return diagPreflightWithoutCORS
}

// mismatchDiagnosis classifies how Access-Control-Allow-Origin differs from
// the origin.
func mismatchDiagnosis(e *evidence) Diagnosis {
	value, origin := e.f.Value, e.r.SerializedOrigin()
	switch {
	case e.r.Tainted:
		return diagOriginNullAfterRedirect
	case e.cache != nil && e.cache.stored:
		return cacheDiagnosis(e.cache)
	case value == "null":
		return diagAllowOriginNull
	case strings.EqualFold(value, origin):
		return diagAllowOriginCase
	case strings.HasPrefix(value, origin+"/"):
		return diagAllowOriginPath
	}
	v, err := url.Parse(value)
	o, oerr := url.Parse(origin)
	if err != nil || oerr != nil || v.Scheme == "" || v.Host == "" {
		return diagAllowOriginNotAnOrigin
	}
	if !strings.EqualFold(v.Hostname(), o.Hostname()) {
		return diagAllowOriginOther
	}
	switch {
	case !strings.EqualFold(v.Scheme, o.Scheme):
		return diagAllowOriginScheme
	case v.Port() != o.Port() && effectivePort(v) == effectivePort(o):
		return diagAllowOriginDefaultPort
	case v.Port() != o.Port():
		return diagAllowOriginPort
	}
	return diagAllowOriginExtra
}

// cacheDiagnosis blames the application when it did not ask caches to
// vary by Origin, the cache when it ignored the request.
func cacheDiagnosis(c *cacheFindings) Diagnosis {
	if c.varies {
		return diagCacheIgnoresVary
	}
	return diagCacheWithoutVary
}

// preflightStatusDiagnosis covers a preflight that passed the CORS check
// but did not get a 2xx status.
func preflightStatusDiagnosis(status int) Diagnosis {
	switch {
	case status == http.StatusMethodNotAllowed:
		return diagPreflightStatus405
	case status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusProxyAuthRequired:
		return diagPreflightStatusAuth
	case status == http.StatusNotFound:
		return diagPreflightStatus404
	case status >= 500:
		return diagPreflightStatusServerError
	}
	return diagPreflightStatusNotOK
}

// redirectDiagnosis classifies a redirect the browser refused.
func redirectDiagnosis(from *url.URL, location string) Diagnosis {
	switch redirectKind(from, location) {
	case redirectToHTTPS:
		return diagRedirectToHTTPS
	case redirectTrailingSlash:
		return diagRedirectTrailingSlash
	}
	return diagRedirectWithoutCORS
}

// methodDiagnosis covers a method missing from Access-Control-Allow-Methods.
func methodDiagnosis(e *evidence) Diagnosis {
	methods, _ := fetch.ExtractList(e.resp.header, "Access-Control-Allow-Methods")
	switch {
	case len(methods) == 0:
		return diagAllowMethodsMissing
	case containsFold(methods, e.r.Method):
		return diagMethodCase
	case slices.Contains(methods, "*") && e.r.Credentials:
		return diagMethodWildcardCredentials
	}
	return diagMethodNotListed
}

// headerDiagnosis covers a request header missing from
// Access-Control-Allow-Headers.
func headerDiagnosis(e *evidence) Diagnosis {
	names, _ := fetch.ExtractList(e.resp.header, "Access-Control-Allow-Headers")
	switch {
	case e.f.Value == "authorization" && slices.Contains(names, "*"):
		return diagAuthorizationWildcard
	case slices.Contains(names, "*") && e.r.Credentials:
		return diagHeaderWildcardCredentials
	case len(names) == 0:
		return diagAllowHeadersMissing
	}
	return diagHeaderNotListed
}

// networkDiagnosis classifies an exchange that got no HTTP response.
func networkDiagnosis(err error) Diagnosis {
	var dnsErr *net.DNSError
	var netErr net.Error
	var certErr *tls.CertificateVerificationError
	var headerErr tls.RecordHeaderError
	var unknownAuthority x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	switch {
	case err == nil:
		return diagNetwork
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return diagTimeout
	case errors.As(err, &dnsErr):
		return diagDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return diagConnectionRefused
	case errors.As(err, &certErr), errors.As(err, &headerErr), errors.As(err, &unknownAuthority),
		errors.As(err, &hostnameErr), errors.As(err, &invalidCert), strings.Contains(err.Error(), "tls: "):
		return diagTLS
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), strings.Contains(err.Error(), "server closed"):
		return diagConnectionDropped
	}
	return diagNetwork
}

// effectivePort returns the port of u, the scheme's default when none is
// written.
func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	return origin.DefaultPort(strings.ToLower(u.Scheme))
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
