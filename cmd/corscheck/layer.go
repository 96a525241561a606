package main

import (
	"slices"
	"strconv"
	"strings"
)

// This file names the layer a response came from or through, by whatever
// names it: a known product's own page or header (the table's row), its
// Server, its Via, or a difference from the application's own answers seen
// in the same run. The table is never needed to name a layer, only to word
// its fix in that product's terms.

// layer is a hop named by the evidence.
type layer struct {
	name string // the product, the Server value or the Via entry; "" when nothing names it
	by   string // what named it: "Server", "Via", "X-Squid-Error: …", "its error page (…)"
	row  *proxy // its row of the layer table, nil when the table has none
}

// label names the layer for a sentence, also when only a difference from
// the application's answers shows it.
func (l layer) label() string {
	if l.name != "" {
		return l.name
	}
	return "a layer in front of the application"
}

// layerOf names the layer that resp passed through or came from: the
// table's product first, by the page or header it puts only on its own
// answers, then by its other headers, Server, Via; without a row, the
// Server value, then the Via entry nearest the browser.
func layerOf(resp response) layer {
	if l := knownLayer(resp); l.row != nil {
		return l
	}
	if s := resp.header.Get("Server"); s != "" {
		return layer{name: clip(s, 40), by: "Server"}
	}
	if v := lastVia(resp); v != "" {
		return layer{name: clip(v, 60), by: "Via"}
	}
	return layer{}
}

// knownLayer finds resp's layer in the table. A layer in front that passes
// the answer on (CloudFront before an edge-optimized API Gateway) must not
// take the blame for it, so the answer's maker is looked for first.
func knownLayer(resp response) layer {
	if l, ok := knownPage(resp); ok {
		return l
	}
	for i := range proxies {
		p := &proxies[i]
		for _, name := range p.headers {
			if v := resp.header.Get(name); v != "" {
				return layer{p.name, name + ": " + clip(v, 40), p}
			}
		}
	}
	server := strings.ToLower(resp.header.Get("Server"))
	for i := range proxies {
		if p := &proxies[i]; p.server != "" && strings.HasPrefix(server, p.server) {
			return layer{p.name, "Server: " + clip(resp.header.Get("Server"), 40), p}
		}
	}
	via := strings.ToLower(strings.Join(resp.header.Values("Via"), ", "))
	for i := range proxies {
		if p := &proxies[i]; p.via != "" && strings.Contains(via, p.via) {
			return layer{p.name, "Via: " + clip(strings.Join(resp.header.Values("Via"), ", "), 60), p}
		}
	}
	return layer{}
}

// knownPage finds, in the table, the product whose own answer resp is: by
// its error page's text or the header it sets only on its own answers.
func knownPage(resp response) (layer, bool) {
	body := strings.ToLower(resp.body)
	for i := range proxies {
		p := &proxies[i]
		for _, page := range p.pages {
			if strings.Contains(body, page) {
				return layer{p.name, "its error page (" + strconv.Quote(page) + ")", p}, true
			}
		}
	}
	for i := range proxies {
		p := &proxies[i]
		if v := resp.header.Get(p.own); p.own != "" && v != "" {
			return layer{p.name, p.own + ": " + clip(v, 40), p}, true
		}
	}
	return layer{}, false
}

// ownPage reports whether resp is a server's own error page, by the table
// or by the signature every server's error page shares: it repeats the
// product token of its Server header (nginx's "<center>nginx/1.26",
// Apache's "<address>Apache/2.4", Squid's "(squid/6.13)").
func ownPage(resp response) (layer, bool) {
	if l, ok := knownPage(resp); ok {
		return l, true
	}
	if name := errorHeader(resp); name != "" {
		marked := name + ": " + clip(resp.header.Get(name), 40)
		if server := resp.header.Get("Server"); server != "" {
			return layer{name: clip(server, 40), by: "Server, on an answer it marked " + marked}, true
		}
		return layer{by: marked}, true
	}
	server := resp.header.Get("Server")
	token, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(server)), "/")
	token, _, _ = strings.Cut(token, " ")
	if resp.status >= 400 && len(token) >= 3 && strings.Contains(strings.ToLower(resp.body), token) {
		return layer{name: clip(server, 40), by: "Server, which its own error page repeats"}, true
	}
	return layer{}, false
}

// ownsPage reports whether resp is a server's own error page.
func ownsPage(resp response) bool {
	_, ok := ownPage(resp)
	return ok
}

// frontAnswer reports whether a layer in front of the application made the
// failing answer itself, and names it: its own error page, or an error
// that differs from the application's own answers seen in this run (by
// Server, by Via, an HTML page where the application answers otherwise).
func (e *evidence) frontAnswer() (layer, bool) {
	if l, ok := ownPage(e.resp); ok {
		return l, true
	}
	why := e.differsFromApp()
	if why == "" {
		return layer{}, false
	}
	if l := layerOf(e.resp); l.name != "" {
		return l, true
	}
	return layer{by: "its answer, unlike the application's own (" + why + ")"}, true
}

// differsFromApp says how an error differs from the answers the
// application gave in this run (a preflight that passed, a probe), ""
// when it does not or when there were none to compare with.
func (e *evidence) differsFromApp() string {
	app, resp := e.app, e.resp
	if app == nil || resp.status < 400 {
		return ""
	}
	for _, name := range []string{"Server", "Via"} {
		if got, want := resp.header.Get(name), app.header.Get(name); got != want {
			return describeDiff(name, want, got)
		}
	}
	// Applications render HTML error pages too (a 404, a 500), so an HTML
	// page tells another layer only where applications rarely make one:
	// a request limit, or a refused preflight.
	if htmlPage(resp) && !htmlPage(*app) && (limitKind(resp) != "" || e.kind == kindPreflight) {
		return "an HTML page, where the application's answers are not"
	}
	return ""
}

// describeDiff says how one header differs between the application's
// answer and the failing one.
func describeDiff(name, app, got string) string {
	switch {
	case app == "":
		return name + ": " + clip(got, 40) + ", which the application's answers do not have"
	case got == "":
		return "no " + name + ", where the application's answers have " + name + ": " + clip(app, 40)
	}
	return name + ": " + clip(got, 40) + ", where the application's answers have " + name + ": " + clip(app, 40)
}

// layer names the layer of the failing answer: by its headers, or, when
// none names it, by how it differs from the application's answers.
func (e *evidence) layer() layer {
	if l, ok := ownPage(e.resp); ok {
		return l
	}
	if l := layerOf(e.resp); l.name != "" {
		return l
	}
	if l, ok := e.frontAnswer(); ok {
		return l
	}
	return layer{}
}

// errorHeader is the name of an X- header that says its answer is an
// error (X-Amzn-ErrorType, X-Squid-Error, X-Kong-Error…): a layer marks its
// own answers so; "" when there is none.
func errorHeader(resp response) string {
	var names []string
	for name, values := range resp.header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-") && strings.Contains(lower, "error") && len(values) > 0 && values[0] != "" {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	return names[0]
}

// lastVia is the Via entry nearest the browser, without its protocol
// version: "1.1 edge (squid/6.13)" is "edge (squid/6.13)".
func lastVia(resp response) string {
	values := resp.header.Values("Via")
	if len(values) == 0 {
		return ""
	}
	entries := strings.Split(values[len(values)-1], ",")
	entry := strings.TrimSpace(entries[len(entries)-1])
	if _, rest, ok := strings.Cut(entry, " "); ok {
		return strings.TrimSpace(rest)
	}
	return entry
}
