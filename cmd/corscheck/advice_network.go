package main

// This file words the failures without an HTTP response: not CORS
// problems, though browsers report them as such.

var networkWordings = map[Diagnosis]wording{
	diagConnectionRefused: text(
		"Nothing accepts connections at {host} (connection refused): the server is down, or listens on another port or address.",
		"Start the server, or correct the URL's host and port; check with curl -v."),
	diagDNS: text(
		"The host name {hostname} does not resolve (DNS).",
		"Check the host's spelling, and that it resolves from here (dig or nslookup)."),
	diagTLS: text(
		"The TLS handshake with {host} failed ({err}): a certificate the browser would refuse as well (expired, self-signed, for another host), or https:// to a plain-HTTP port.",
		"Fix the certificate, or the URL's scheme and port; check with curl -v."),
	diagTimeout: text(
		"No response came within -timeout; this is not a CORS problem.",
		"Raise -timeout if the server is slow; otherwise find what holds the request (a proxy's upstream, a lock, a long query)."),
	diagConnectionDropped: droppedWording,
	diagNetwork: text(
		"The request did not get an HTTP response ({err}); this is not a CORS problem.",
		"Check that the URL is reachable from here (curl -v) and raise -timeout if the server is slow."),
}

// droppedWording covers a connection closed without an answer, and says
// whether a preflight had passed.
func droppedWording(e *evidence) (cause, fix string) {
	passed := ""
	if e.preflightPassed {
		passed = " The preflight passed, so CORS is configured for this origin and method."
	}
	return e.expand("The server closed the connection without answering the {kind} ({err}): the handler crashed (net/http closes the connection when a handler panics), or the server or a proxy dropped the request (a body or header size limit, a timeout, nginx's 'return 444')." +
			passed + " Browsers report this as a CORS error or 'TypeError: Failed to fetch', with no status."),
		"Look in the server's log for a panic or error at this time, and in the proxy's error log. Recover panics inside the CORS middleware so that a crash becomes a 500 that carries the CORS headers (corsguard does it itself)."
}
