package corsgin_test

import (
	"bufio"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	corsgin "github.com/corsguard/cors/adapters/gin"
)

// TestStream checks server-sent events through the adapter over a real
// loopback connection: the response carries the CORS headers, and the first
// event reaches the client while the handler still waits to send the second.
func TestStream(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	done := func() { once.Do(func() { close(release) }) }

	r := gin.New()
	r.Use(corsgin.Middleware(newPolicy(t)))
	r.GET("/api/events", func(c *gin.Context) {
		n := 0
		c.Stream(func(io.Writer) bool {
			if n == 1 {
				<-release
			}
			c.SSEvent("tick", n)
			n++
			return n < 2
		})
	})
	srv := httptest.NewServer(r)
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
	mediaType, _, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "text/event-stream", mediaType)
	assertAllowed(t, res)

	body := bufio.NewReader(res.Body)
	assert.Equal(t, "event:tick\ndata:0\n\n", readEvent(t, body))
	done()
	assert.Equal(t, "event:tick\ndata:1\n\n", readEvent(t, body))
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
