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

// compareAnswers lists how deployed differs from expected, for a probe of
// kind: Access-Control-Allow-Origin and -Credentials byte for byte, the
// method list as a set, header lists as sets of case-insensitive names,
// Max-Age as a number, every Vary name of the policy's answer present, and
// for a preflight an ok status where the policy gives one.
func compareAnswers(kind string, expected, deployed response) []Difference {
	var out []Difference
	exact := func(name, note string) {
		e, d := joined(expected.header, name), joined(deployed.header, name)
		if e != d {
			out = append(out, Difference{Header: name, Expected: e, Deployed: d, Note: note})
		}
	}
	set := func(name string, fold bool, note string) {
		e, _ := fetch.ExtractList(expected.header, name)
		d, ok := fetch.ExtractList(deployed.header, name)
		if !ok || !sameSet(e, d, fold) {
			out = append(out, Difference{Header: name, Expected: joined(expected.header, name), Deployed: joined(deployed.header, name), Note: note})
		}
	}
	exact("Access-Control-Allow-Origin", "browsers compare it byte for byte with the page's origin")
	exact("Access-Control-Allow-Credentials", "only the exact value true lets credentialed requests through")
	if kind == kindPreflight {
		set("Access-Control-Allow-Methods", false, "the methods a script may use, compared case-sensitively")
		set("Access-Control-Allow-Headers", true, "the request headers a script may set")
		exact("Access-Control-Max-Age", "how long browsers cache the preflight")
		if fetch.IsOKStatus(expected.status) && !fetch.IsOKStatus(deployed.status) {
			out = append(out, Difference{Header: "status", Expected: statusLine(expected.status), Deployed: statusLine(deployed.status),
				Note: "a preflight passes only with a 2xx status"})
		}
	} else {
		set("Access-Control-Expose-Headers", true, "the response headers a script may read")
	}
	if missing := missingVary(expected.header, deployed.header); len(missing) > 0 {
		out = append(out, Difference{Header: "Vary", Expected: joined(expected.header, "Vary"), Deployed: joined(deployed.header, "Vary"),
			Note: "lacks " + strings.Join(missing, ", ") + ": a cache may hand this answer to a request it was not made for"})
	}
	return out
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

// missingVary lists the Vary names of expected that deployed lacks; a
// deployed "Vary: *" lacks none.
func missingVary(expected, deployed http.Header) []string {
	have, _ := fetch.ExtractList(deployed, "Vary")
	if slices.Contains(have, "*") {
		return nil
	}
	want, _ := fetch.ExtractList(expected, "Vary")
	var out []string
	for _, name := range want {
		if !containsFold(have, name) {
			out = append(out, name)
		}
	}
	return out
}
