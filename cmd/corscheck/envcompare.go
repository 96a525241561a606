package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
)

// This file computes what a probe's answer must be, by serving the same
// request in-process with the library built from the same options, and
// compares the deployed answer with it as a browser reads it.

// Difference is one CORS header on which the deployed answer and the
// policy's disagree.
type Difference struct {
	Header   string `json:"header"`
	Expected string `json:"expected"` // "" when the policy's answer has none
	Deployed string `json:"deployed"` // "" when the deployed answer has none
	Note     string `json:"note"`     // what the difference does in a browser
}

// expectedAnswer serves r through h, the library's handler, and returns
// its status and headers.
func expectedAnswer(h http.Handler, method string, u *url.URL, headers []fetch.Header) response {
	req := httptest.NewRequest(method, u.String(), nil)
	req.Host = u.Host
	for _, x := range headers {
		req.Header.Add(x.Name, x.Value)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Result().Header}
}

// compareAnswers lists how deployed differs from expected, for probe r of
// kind, as a browser reads them: Access-Control-Allow-Origin byte for
// byte, and Vary: Origin where it agrees; the allow lists of a preflight
// by what they allow this request (its method, case-sensitively; its
// header names, in any case), since browsers read nothing else in them.
// Where the policy's answer lets the script through, also
// Access-Control-Allow-Credentials, the exposed headers (a set of
// case-insensitive names), a preflight's ok status, and Max-Age when
// maxAge (the policy sets one).
func compareAnswers(kind string, r *fetch.Request, expected, deployed response, maxAge bool) []Difference {
	var out []Difference
	diff := func(name, note string) {
		out = append(out, Difference{Header: name, Expected: joined(expected.header, name), Deployed: joined(deployed.header, name), Note: note})
	}
	exact := func(name, note string) {
		if joined(expected.header, name) != joined(deployed.header, name) {
			diff(name, note)
		}
	}
	passes := browserCheck(kind, r, expected) == nil
	exact("Access-Control-Allow-Origin", "browsers compare it byte for byte with the page's origin")
	if passes {
		exact("Access-Control-Allow-Credentials", "only the exact value true lets credentialed requests through")
	}
	if kind == kindPreflight {
		// Browsers read the lists only once the origin has passed.
		originPasses := fetch.CheckCORS(r, expected.header, true) == nil && fetch.CheckCORS(r, deployed.header, true) == nil
		if e, d := listsVerdict(r, expected.header), listsVerdict(r, deployed.header); originPasses && e != d {
			lists := func(h http.Header) string {
				return "methods: " + joined(h, "Access-Control-Allow-Methods") + "; headers: " + joined(h, "Access-Control-Allow-Headers")
			}
			out = append(out, Difference{Header: "Access-Control-Allow-Methods and -Headers", Expected: lists(expected.header), Deployed: lists(deployed.header),
				Note: "for this request, the policy's lists " + e + ", the deployed ones " + d})
		}
		if passes && maxAge {
			exact("Access-Control-Max-Age", "how long browsers cache the preflight")
		}
		if passes && !fetch.IsOKStatus(deployed.status) {
			out = append(out, Difference{Header: "status", Expected: statusLine(expected.status), Deployed: statusLine(deployed.status),
				Note: "a preflight passes only with a 2xx status"})
		}
	} else if passes {
		e, _ := fetch.ExtractList(expected.header, "Access-Control-Expose-Headers")
		d, ok := fetch.ExtractList(deployed.header, "Access-Control-Expose-Headers")
		if !ok || !sameSet(e, d, true) {
			diff("Access-Control-Expose-Headers", "the response headers a script may read")
		}
	}
	// Where Access-Control-Allow-Origin already differs, that is the finding;
	// a refusal has its own Vary rules (none on a bare 403 preflight).
	if sameOrigin := !differs(out, "Access-Control-Allow-Origin"); sameOrigin && variesByOrigin(expected.header) && !variesByOrigin(deployed.header) {
		diff("Vary", "lacks Origin: a cache may hand this answer to an origin it was not made for")
	}
	return out
}

// listsVerdict says what the allow lists of h let request r do, as the
// browser's preflight check reads them once the origin has passed.
func listsVerdict(r *fetch.Request, h http.Header) string {
	lists := http.Header{"Access-Control-Allow-Origin": {r.SerializedOrigin()}}
	if r.Credentials {
		lists.Set("Access-Control-Allow-Credentials", "true")
	}
	for _, name := range []string{"Access-Control-Allow-Methods", "Access-Control-Allow-Headers"} {
		if v := h.Values(name); len(v) > 0 {
			lists[name] = v
		}
	}
	f := fetch.CheckPreflight(r, http.StatusNoContent, lists)
	switch {
	case f == nil:
		return "allow it"
	case f.Value != "":
		return "refuse " + f.Value
	}
	return "cannot be parsed"
}

// joined returns every line of the header name, joined as a browser
// combines them.
func joined(h http.Header, name string) string {
	return strings.Join(h.Values(name), ", ")
}

// sameSet reports whether a and b hold the same items, ignoring ASCII
// case when fold is set; nil and empty are the same.
func sameSet(a, b []string, fold bool) bool {
	norm := func(list []string) []string {
		out := make([]string, 0, len(list))
		for _, x := range list {
			if fold {
				x = strings.ToLower(x)
			}
			out = append(out, x)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}
