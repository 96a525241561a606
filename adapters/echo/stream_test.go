package corsecho_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	corsecho "github.com/corsguard/cors/adapters/echo"
)

// TestStream checks server-sent events flushed through echo's Response over
// a real loopback connection: the response carries the CORS headers, and
// the first event reaches the client while the handler still waits to send
// the second.
func TestStream(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	done := func() { once.Do(func() { close(release) }) }

	e := echo.New()
	e.Use(corsecho.Middleware(newPolicy(t)))
	e.GET("/api/events", func(c *echo.Context) error {
		res, err := echo.UnwrapResponse(c.Response())
		if err != nil {
			return err
		}
		res.Header().Set("Content-Type", "text/event-stream")
		for n := range 2 {
			if n == 1 {
				<-release
			}
			if _, err := fmt.Fprintf(res, "event: tick\ndata: %d\n\n", n); err != nil {
				return err
			}
			res.Flush()
		}
		return nil
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	t.Cleanup(done) // before srv.Close, which waits for the handler

	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/events", nil)
	require.NoError(t, err)
	req.Header.Set("Origin", app)
	client := &http.Client{Timeout: 10 * time.Second} // a buffered stream fails instead of hanging
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
	assertAllowed(t, res)

	body := bufio.NewReader(res.Body)
	assert.Equal(t, "event: tick\ndata: 0\n\n", readEvent(t, body))
	done()
	assert.Equal(t, "event: tick\ndata: 1\n\n", readEvent(t, body))
	_, err = body.ReadByte()
	assert.ErrorIs(t, err, io.EOF)
}

// readEvent reads one server-sent event, up to and including its blank line.
func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var event string
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err, "after %q", event+line)
		event += line
		if line == "\n" {
			return event
		}
	}
}
