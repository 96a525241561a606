package main

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/corsguard/cors/internal/fetch"
)

// This file reads a browser's console message, the first thing every CORS
// guide tells people to copy, so that corscheck can check what the browser
// refused: the URL, the page's origin and the failure.

// maxPasteLength bounds a pasted message; real ones are a few hundred bytes.
const maxPasteLength = 16 << 10

// Pasted is what a console message says about a refused fetch, and whether
// corscheck saw the same failure.
type Pasted struct {
	Browser string `json:"browser"` // "chromium" or "firefox"
	URL     string `json:"url"`     // the URL the script fetched
	Origin  string `json:"origin"`  // the page's origin; "" in Firefox's messages, which do not name it
	Reason  string `json:"reason"`  // the browser's reason, as printed
	// Code is the failure code the reason stands for, "" when corscheck does
	// not know the reason.
	Code      string `json:"code"`
	Preflight bool   `json:"preflight"` // the message says the preflight failed
	Status    int    `json:"status"`    // Firefox's "Status code", 0 when absent
	// Reproduced is true when corscheck's check failed with the same code.
	Reproduced bool   `json:"reproduced"`
	Note       string `json:"note"` // what differs, when not reproduced

	method      string // the method the message names, if any
	header      string // the request header it names, lower case, if any
	credentials bool   // the reason only arises with credentials: 'include'
}

// Chromium: "Access to fetch at 'URL' [(redirected from 'URL')] from origin
// 'ORIGIN' has been blocked by CORS policy: REASON"; XMLHttpRequest (axios)
// and other resource kinds read the same.
var chromiumMessage = regexp.MustCompile(`Access to [A-Za-z ]{1,30} at '([^'\s]+)'(?: \(redirected from '([^'\s]+)'\))? from origin '([^'\s]+)' has been blocked by CORS policy: ([^\n]*)`)

// Firefox: "Cross-Origin Request Blocked: The Same Origin Policy disallows
// reading the remote resource at URL. (Reason: REASON). Status code: N."
var firefoxMessage = regexp.MustCompile(`Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at (\S+?)\.? \(Reason: ([^)\n]*)\)(?:\.? ?Status code: ([0-9]{3}))?`)

// chromiumReasons maps Chromium's reasons, after the preflight prefix, to
// failure codes.
var chromiumReasons = []struct {
	prefix string
	code   fetch.Code
}{
	{"No 'Access-Control-Allow-Origin' header is present", fetch.MissingAllowOriginHeader},
	{"The 'Access-Control-Allow-Origin' header contains multiple values", fetch.MultipleAllowOriginValues},
	{"The 'Access-Control-Allow-Origin' header contains the invalid value", fetch.InvalidAllowOriginValue},
	{"The 'Access-Control-Allow-Origin' header has a value", fetch.AllowOriginMismatch},
	{"The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard", fetch.WildcardOriginNotAllowed},
	{"The value of the 'Access-Control-Allow-Credentials' header", fetch.InvalidAllowCredentials},
	{"It does not have HTTP ok status", fetch.PreflightInvalidStatus},
	{"Redirect is not allowed for a preflight request", fetch.PreflightDisallowedRedirect},
	{"Cannot parse Access-Control-Allow-Methods", fetch.InvalidAllowMethodsPreflightResponse},
	{"Cannot parse Access-Control-Allow-Headers", fetch.InvalidAllowHeadersPreflightResponse},
	{"Method ", fetch.MethodDisallowedByPreflightResponse},
	{"Request header field ", fetch.HeaderDisallowedByPreflightResponse},
}

// firefoxReasons maps Firefox's reasons to failure codes, with whether the
// reason is about a preflight.
var firefoxReasons = []struct {
	prefix    string
	code      fetch.Code
	preflight bool
}{
	{"CORS header 'Access-Control-Allow-Origin' missing", fetch.MissingAllowOriginHeader, false},
	{"CORS header 'Access-Control-Allow-Origin' does not match", fetch.AllowOriginMismatch, false},
	{"Multiple CORS header 'Access-Control-Allow-Origin' not allowed", fetch.MultipleAllowOriginValues, false},
	{"Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '*'", fetch.WildcardOriginNotAllowed, false},
	{"expected 'true' in CORS header 'Access-Control-Allow-Credentials'", fetch.InvalidAllowCredentials, false},
	{"Did not find method in CORS header 'Access-Control-Allow-Methods'", fetch.MethodDisallowedByPreflightResponse, true},
	{"invalid token", "", true}, // the header named decides: see below
	{"header '", fetch.HeaderDisallowedByPreflightResponse, true},
	{"missing token '", fetch.HeaderDisallowedByPreflightResponse, true},
	{"CORS preflight response did not succeed", fetch.PreflightInvalidStatus, true},
	{"CORS preflight channel did not succeed", fetch.PreflightInvalidStatus, true},
	{"CORS request did not succeed", codeNetworkError, false},
}

// browserName is how a browser is named in sentences.
func (p *Pasted) browserName() string {
	if p.Browser == "firefox" {
		return "Firefox"
	}
	return "Chromium"
}

// looksPasted reports whether arg is a console message rather than a URL.
func looksPasted(arg string) bool {
	return strings.Contains(arg, "blocked by CORS policy") || strings.Contains(arg, "Cross-Origin Request Blocked")
}

// errNotAMessage is returned for text that holds no console message corscheck reads.
var errNotAMessage = errors.New("no CORS message found: paste Chromium's \"Access to fetch at 'URL' from origin 'ORIGIN' has been blocked by CORS policy: ...\" or Firefox's \"Cross-Origin Request Blocked: ... at URL. (Reason: ...)\"")

// parsePasted reads the first CORS message in s, Chromium's or Firefox's.
// Firefox prints "CORS request did not succeed" after most refusals of a
// preflight; a more specific reason in the same paste wins over it.
func parsePasted(s string) (*Pasted, error) {
	if len(s) > maxPasteLength {
		return nil, errors.New("the pasted message is longer than " + strconv.Itoa(maxPasteLength) + " bytes; paste one message")
	}
	// Firefox quotes with ‘’; a copy may have straightened them.
	s = strings.NewReplacer("‘", "'", "’", "'", "\r", "").Replace(s)
	if m := chromiumMessage.FindStringSubmatch(s); m != nil {
		p := &Pasted{Browser: "chromium", URL: m[1], Origin: m[3], Reason: strings.TrimSpace(m[4])}
		if m[2] != "" {
			p.URL = m[2] // the script fetched the URL that redirected
		}
		p.readChromiumReason()
		return p, nil
	}
	var p *Pasted
	for _, m := range firefoxMessage.FindAllStringSubmatch(s, 8) {
		q := &Pasted{Browser: "firefox", URL: m[1], Reason: strings.TrimSpace(m[2])}
		q.Status, _ = strconv.Atoi(m[3])
		q.readFirefoxReason()
		if p == nil || (p.Code == string(codeNetworkError) && q.Code != string(codeNetworkError)) {
			p = q
		}
	}
	if p == nil {
		return nil, errNotAMessage
	}
	return p, nil
}

// readChromiumReason fills in the code and what the reason names.
func (p *Pasted) readChromiumReason() {
	reason := p.Reason
	if rest, ok := strings.CutPrefix(reason, fetch.PreflightPrefix); ok {
		p.Preflight, reason = true, rest
	}
	for _, r := range chromiumReasons {
		if !strings.HasPrefix(reason, r.prefix) {
			continue
		}
		p.Code = string(r.code)
		switch r.code {
		case fetch.MethodDisallowedByPreflightResponse:
			p.Preflight = true
			p.method, _, _ = strings.Cut(strings.TrimPrefix(reason, r.prefix), " ")
		case fetch.HeaderDisallowedByPreflightResponse:
			p.Preflight = true
			name, _, _ := strings.Cut(strings.TrimPrefix(reason, r.prefix), " ")
			p.header = strings.ToLower(name)
		case fetch.InvalidAllowMethodsPreflightResponse, fetch.InvalidAllowHeadersPreflightResponse:
			p.Preflight = true
		}
		break
	}
	p.credentials = strings.Contains(reason, "credentials mode is 'include'")
}

// readFirefoxReason fills in the code and what the reason names.
func (p *Pasted) readFirefoxReason() {
	for _, r := range firefoxReasons {
		if !strings.HasPrefix(p.Reason, r.prefix) {
			continue
		}
		p.Code, p.Preflight = string(r.code), r.preflight
		switch {
		case r.prefix == "invalid token":
			p.Code = string(fetch.InvalidAllowHeadersPreflightResponse)
			if strings.Contains(p.Reason, "Access-Control-Allow-Methods") {
				p.Code = string(fetch.InvalidAllowMethodsPreflightResponse)
			}
		case r.code == fetch.HeaderDisallowedByPreflightResponse:
			name, _, _ := strings.Cut(strings.TrimPrefix(p.Reason, r.prefix), "'")
			p.header = strings.ToLower(name)
		case r.code == fetch.WildcardOriginNotAllowed, r.code == fetch.InvalidAllowCredentials:
			p.credentials = true
		}
		return
	}
}

// compare records whether the check reproduced the pasted failure.
func (p *Pasted) compare(res *Result) {
	const differs = ": the server may have changed since, or the browser's request differed. corscheck could not send what the message does not name: the browser's cookies and client certificates, the request body (give it with -data STRING, -data @file or -body-size N), other request headers (-H); and it cannot see a preflight or response the browser had cached."
	switch {
	case p.Code == "":
		p.Note = "corscheck does not know this reason (Private Network Access, mixed content and CSP refusals are outside the CORS protocol); it checked the URL and origin the message names."
	case res.Failure == nil:
		p.Note = "corscheck finds no failure now" + differs
	case p.Code == string(res.Failure.Code):
		p.Reproduced = true
	default:
		p.Note = "the browser reported " + p.Code + ", corscheck sees " + string(res.Failure.Code) + " now" + differs
	}
}
