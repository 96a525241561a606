package routermatrix

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// answer is what the matrix reads from one response.
type answer struct {
	status   int
	handler  string // the X-Handler the route's handler set: admin, site or ""
	origin   string // Access-Control-Allow-Origin
	creds    bool   // Access-Control-Allow-Credentials: true
	methods  []string
	location string
	took     time.Duration // from writing the request to reading the status line
}

// grants reports whether a browser would let origin send a credentialed
// method after this preflight answer (Fetch's CORS check and method check).
func (a answer) grants(origin, method string) bool {
	return a.status >= 200 && a.status < 300 && a.origin == origin && a.creds && slices.Contains(a.methods, method)
}

// String is the answer in a summary table's cell.
func (a answer) String() string {
	s := fmt.Sprint(a.status)
	if a.handler != "" {
		s += " ran:" + a.handler
	}
	if a.origin != "" {
		s += " acao:" + strings.TrimPrefix(a.origin, "https://")
	}
	if a.location != "" {
		s += " ->" + shorten(a.location)
	}
	return s
}

// send writes one request exactly as given (target is the request-target of
// the request line, "{host}" standing for the server's address) and reads
// the answer. http.Client would clean, escape or refuse some of these
// targets; an attacker's raw socket does not.
func send(t *testing.T, addr, method, target string, header ...string) answer {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, strings.ReplaceAll(target, "{host}", addr), addr)
	for i := 0; i+1 < len(header); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", header[i], header[i+1])
	}
	b.WriteString("Connection: close\r\n\r\n")
	start := time.Now()
	_, err = io.WriteString(conn, b.String())
	require.NoError(t, err)
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	took := time.Since(start)
	require.NoError(t, err, "%s %s", method, shorten(target))
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
	var methods []string
	for _, v := range res.Header.Values("Access-Control-Allow-Methods") {
		for m := range strings.SplitSeq(v, ",") {
			methods = append(methods, strings.TrimSpace(m))
		}
	}
	return answer{
		status:   res.StatusCode,
		handler:  res.Header.Get("X-Handler"),
		origin:   res.Header.Get("Access-Control-Allow-Origin"),
		creds:    res.Header.Get("Access-Control-Allow-Credentials") == "true",
		methods:  methods,
		location: res.Header.Get("Location"),
		took:     took,
	}
}

// get sends a credentialed GET from origin, as fetch(url, {credentials:
// "include"}) does; an empty origin sends none (a same-origin or curl probe).
func get(t *testing.T, addr, target, origin string) answer {
	t.Helper()
	if origin == "" {
		return send(t, addr, http.MethodGet, target)
	}
	return send(t, addr, http.MethodGet, target, "Origin", origin, "Cookie", "session=victim")
}

// preflight sends the OPTIONS a browser sends from origin before a
// credentialed request with method.
func preflight(t *testing.T, addr, target, origin, method string) answer {
	t.Helper()
	return send(t, addr, http.MethodOptions, target, "Origin", origin, "Access-Control-Request-Method", method)
}

// shorten keeps a log line readable when a target is 10 KB long.
func shorten(s string) string {
	if len(s) <= 60 {
		return s
	}
	return fmt.Sprintf("%s...(%d bytes)", s[:40], len(s))
}
