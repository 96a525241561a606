package main

import (
	"fmt"
	"net/http"
	"strings"
)

// This file turns a diagnosis into words: the cause, with the layer named
// by its evidence, and the fix, worded from that layer's row of the table
// (layertable.go) or in the terms every front server shares. The wording
// of each cause is data, in the wordings tables of the advice_*.go files;
// a test calls advice for each constant in diagnosis.go and requires both
// texts.

// wording words the cause and the fix of one diagnosis from the evidence.
type wording func(e *evidence) (cause, fix string)

// wordings holds every diagnosis's wording.
var wordings = merge(networkWordings, layerWordings, corsWordings, valueWordings)

// merge joins wording tables; each diagnosis is in exactly one.
func merge(tables ...map[Diagnosis]wording) map[Diagnosis]wording {
	out := map[Diagnosis]wording{}
	for _, t := range tables {
		for d, w := range t {
			out[d] = w
		}
	}
	return out
}

// advice returns the likely cause and the fix for d, the cause ending
// with the layer of the answer and the evidence that named it.
func advice(d Diagnosis, e *evidence) (cause, fix string) {
	w := wordings[d]
	if w == nil {
		return "", "" // a test holds every Diagnosis to a wording
	}
	cause, fix = w(e)
	if l := e.layer(); l.by != "" && cause != "" && e.resp.status != 0 {
		cause += " (Layer: " + l.label() + ", named by " + l.by + ".)"
	}
	return cause, fix
}

// text is a wording with no logic: the cause and the fix, with the
// evidence's values put in for the placeholders of [evidence.expand].
func text(cause, fix string) wording {
	return func(e *evidence) (string, string) { return e.expand(cause), e.expand(fix) }
}

// expand puts the evidence's values in for the placeholders of s.
func (e *evidence) expand(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	origin := e.r.SerializedOrigin()
	return strings.NewReplacer(
		"{origin}", origin,
		"{status}", e.resp.statusText(),
		"{kind}", e.what(),
		"{host}", e.r.URL.Host,
		"{hostname}", e.r.URL.Hostname(),
		"{method}", e.r.Method,
		"{value}", e.failureValue(),
		"{err}", e.errText(),
		"{layer}", e.proxyOr("The server"),
		"{allowOrigin}", fmt.Sprintf("Add %q (exactly: scheme, host and port) to the server's allowed origins", origin),
		"{sendExactly}", fmt.Sprintf("Send exactly 'Access-Control-Allow-Origin: %s' (echo the request's Origin after matching it against the allow-list), and write the allowed origin as %q in the server's configuration.", origin, origin),
	).Replace(s)
}

// Pickers of a layer's fix, for [evidence.fixIn].
var (
	fixTimeout   = func(f layerFix) string { return f.timeout }
	fixErrorCORS = func(f layerFix) string { return f.errorCORS }
	fixStrip     = func(f layerFix) string { return f.strip }
	fixOverwrite = func(f layerFix) string { return f.overwrite }
	fixOptions   = func(f layerFix) string { return f.options }
	fixAuth      = func(f layerFix) string { return f.auth }
	fixDeny      = func(f layerFix) string { return f.deny }
	fixBody      = func(f layerFix) string { return f.bodyLimit }
	fixHeaders   = func(f layerFix) string { return f.headers }
	fixURL       = func(f layerFix) string { return f.urlLimit }
	fixOrigin    = func(f layerFix) string { return f.origin }
	fixPath      = func(f layerFix) string { return f.pathMap }
	fixCacheKey  = func(f layerFix) string { return f.cacheKey }
	fixPreflight = func(f layerFix) string { return f.preflight }
	fixErrorsLog = func(f layerFix) string { return f.errorsLook }
)

// fixIn words a fix in the answering layer's configuration language, from
// its row of the table; a layer without a row, or a row without that fix,
// gets the words every front server shares, after its name.
func (e *evidence) fixIn(pick func(layerFix) string) string {
	l := e.layer()
	if l.row != nil {
		if s := pick(l.row.fix); s != "" {
			return s
		}
	}
	if l.name != "" {
		return l.name + ": " + pick(anyLayer)
	}
	return pick(anyLayer)
}

// what names the failing exchange for a sentence.
func (e *evidence) what() string {
	if e.kind == kindPreflight {
		return "preflight"
	}
	return "request"
}

// proxyOr names the layer of the failing answer, or returns fallback.
func (e *evidence) proxyOr(fallback string) string {
	if l := e.layer(); l.name != "" {
		return l.name
	}
	return fallback
}

func (e *evidence) errText() string {
	if e.err == nil {
		return "no error recorded"
	}
	return e.err.Error()
}

func (e *evidence) failureValue() string {
	if e.f == nil {
		return ""
	}
	return e.f.Value
}

// probeValue is what the probes found refused, or fallback.
func (e *evidence) probeValue(fallback string) string {
	if e.probe != nil && e.probe.value != "" {
		return e.probe.value
	}
	return fallback
}

// getAllowed reports whether the plain-GET probe passed.
func (e *evidence) getAllowed() bool {
	return e.probe != nil && e.probe.getAllowed
}

// allowOriginText describes the failing response's Access-Control-Allow-Origin.
func (e *evidence) allowOriginText() string {
	values := e.resp.header.Values("Access-Control-Allow-Origin")
	if len(values) == 0 {
		return "no Access-Control-Allow-Origin"
	}
	return "'Access-Control-Allow-Origin: " + clip(strings.Join(values, ", "), shownValueLimit) + "'"
}

// responseSummary describes who wrote a response, for a cause.
func (e *evidence) responseSummary() string {
	var parts []string
	if s := e.resp.header.Get("Server"); s != "" {
		parts = append(parts, "Server: "+clip(s, 60))
	}
	if v := e.resp.header.Get("Via"); v != "" {
		parts = append(parts, "Via: "+clip(v, 60))
	}
	if e.resp.body != "" {
		parts = append(parts, fmt.Sprintf("a %d-byte body or more", len(e.resp.body)))
	}
	if len(parts) == 0 {
		return "no Vary: Origin"
	}
	return strings.Join(parts, ", ")
}

// canonical is a header name as people write it.
func canonical(name string) string { return http.CanonicalHeaderKey(name) }
