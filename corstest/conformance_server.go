package corstest

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
)

// checkStream: a flushed chunk reaches the client while the handler still
// runs, with the CORS headers.
func checkStream(t reporter, f *fixture) {
	srv := newServer(f.h)
	defer stopServer(srv)
	ctx, cancel := context.WithTimeout(context.Background(), streamWait)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/stream", nil)
	if err != nil {
		t.Fatalf("corstest: %v", err)
	}
	req.Header.Set("Origin", ConformanceOrigin)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("GET /stream: no response headers within %v (%v): a flush must send them while the handler runs", streamWait, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET /stream: status %d %q, want 200", res.StatusCode, strings.TrimSpace(string(b)))
	}
	assertAllowed(t, res)
	br := bufio.NewReader(res.Body)
	line, err := br.ReadString('\n')
	if err != nil || line != "one\n" {
		t.Fatalf("GET /stream: first chunk %q (%v), want \"one\\n\" within %v, while the handler runs: the response must not be buffered", line, err, streamWait)
	}
	close(f.read)
	line, err = br.ReadString('\n')
	if err != nil || line != "two\n" {
		t.Fatalf("GET /stream: second chunk %q (%v), want \"two\\n\"", line, err)
	}
}

// checkWriterInterfaces: the handler's writer has what the server's writer
// has: http.Flusher, http.Hijacker (WebSockets) and, through Unwrap, what
// http.ResponseController reaches (deadlines).
func checkWriterInterfaces(t reporter, f *fixture) {
	srv := newServer(f.h)
	defer stopServer(srv)
	res, body, err := rawRequest(srv.Listener.Addr().String(), http.MethodGet, "/conn", http.Header{"Origin": {ConformanceOrigin}})
	if err != nil {
		t.Fatalf("GET /conn: %v", err)
	}
	if res.StatusCode != http.StatusOK || string(body) != "hijacked" {
		t.Errorf("GET /conn: got %d %q, want the handler to hijack the connection: the adapter must leave the framework's writer's interfaces to the handler",
			res.StatusCode, strings.TrimSpace(string(body)))
	}
}
