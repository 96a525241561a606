package corstest

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// do serves r through h in process and returns the response. A panic that
// escapes h, or no answer within answerTimeout, stops the check with a
// failure instead of crashing or hanging the test binary.
func do(t reporter, h http.Handler, r *http.Request) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		h.ServeHTTP(rec, r)
	}()
	select {
	case v := <-done:
		if v != nil {
			t.Fatalf("%s %s: the panic %q escaped the server: serve must put the framework's recovery behind the adapter", r.Method, r.URL, fmt.Sprint(v))
		}
	case <-time.After(answerTimeout):
		t.Fatalf("%s %s: no answer within %v", r.Method, r.URL, answerTimeout)
	}
	res := rec.Result()
	res.Request = r
	return res
}

// newServer serves h on a loopback port; net/http's own log of a panic that
// escaped h is discarded, since the check reports it. Stop it with
// stopServer.
func newServer(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	return srv
}

// stopServer closes every connection first, so that a handler still
// waiting on its client ends, then waits for the handlers at most
// answerTimeout: a hung one was reported already and is left behind.
func stopServer(srv *httptest.Server) {
	srv.CloseClientConnections()
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Close()
	}()
	select {
	case <-done:
	case <-time.After(answerTimeout):
	}
}

// rawRequest sends one HTTP/1.1 request to addr with requestTarget written
// as it is, so that neither Go's client nor its URL parser normalizes it,
// and returns the response with its body read.
func rawRequest(addr, method, requestTarget string, header http.Header) (*http.Response, []byte, error) {
	conn, err := net.DialTimeout("tcp", addr, answerTimeout)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(answerTimeout))
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n", method, requestTarget)
	for name, values := range header {
		for _, v := range values {
			fmt.Fprintf(&b, "%s: %s\r\n", name, v)
		}
	}
	b.WriteString("\r\n")
	if _, err := io.WriteString(conn, b.String()); err != nil {
		return nil, nil, err
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res, body, err
}

func preflightReq(target, origin, method, headers string) *http.Request {
	r := httptest.NewRequest(http.MethodOptions, target, nil)
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	r.Header.Set("Access-Control-Request-Method", method)
	if headers != "" {
		r.Header.Set("Access-Control-Request-Headers", headers)
	}
	return r
}

func getReq(target, origin string) *http.Request {
	return originReq(http.MethodGet, target, origin)
}

// originReq is a request with origin in Origin, none when origin is "".
func originReq(method, target, origin string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	return r
}

// what names a request in a message.
func what(res *http.Response) string {
	if res.Request == nil {
		return "the response"
	}
	return res.Request.Method + " " + res.Request.URL.String()
}

func assertStatusBody(t reporter, res *http.Response, status int, body string) {
	t.Helper()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != status || string(b) != body {
		t.Errorf("%s: got %d %q, want %d %q", what(res), res.StatusCode, b, status, body)
	}
}

// assertAllowed checks the headers of an actual request the site policy
// allows.
func assertAllowed(t reporter, res *http.Response) {
	t.Helper()
	want := map[string]string{
		"Access-Control-Allow-Origin":      ConformanceOrigin,
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Expose-Headers":    exposedHeader,
	}
	for name, v := range want {
		if got := res.Header.Values(name); len(got) != 1 || got[0] != v {
			t.Errorf("%s: %s %q, want only %q", what(res), name, got, v)
		}
	}
	assertVaryOrigin(t, res)
}

func assertNoACHeaders(t reporter, res *http.Response) {
	t.Helper()
	var names []string
	for name := range res.Header {
		if strings.HasPrefix(name, "Access-Control-") {
			names = append(names, name)
		}
	}
	if len(names) > 0 {
		t.Errorf("%s: want no Access-Control-* header, got %s", what(res), strings.Join(names, ", "))
	}
}

func assertVaryOrigin(t reporter, res *http.Response) {
	t.Helper()
	if !varies(res.Header, "Origin") {
		t.Errorf("%s: Vary: %q, want Origin", what(res), res.Header.Values("Vary"))
	}
}

// varies reports whether h's Vary lines name tok.
func varies(h http.Header, tok string) bool {
	for _, line := range h.Values("Vary") {
		if hasToken(line, tok) {
			return true
		}
	}
	return false
}

// hasToken reports whether the comma-separated list has tok.
func hasToken(list, tok string) bool {
	for _, v := range strings.Split(list, ",") {
		if strings.EqualFold(strings.TrimSpace(v), tok) {
			return true
		}
	}
	return false
}
