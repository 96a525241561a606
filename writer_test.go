package cors

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testOrigin = "https://app.example.com"

// logBuffer is a slog handler target that tests can read concurrently.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// crashServer serves handler through the middleware on a real loopback server.
func crashServer(t *testing.T, handler http.Handler) (*httptest.Server, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	m := mustNew(t, Options{
		AllowedOrigins:   []string{testOrigin},
		AllowCredentials: true,
		ExposedHeaders:   []string{"X-Request-Id"},
		Logger:           slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	srv := httptest.NewServer(m.Handler(handler))
	// net/http logs aborted handlers through the server's ErrorLog; keep test output clean.
	srv.Config.ErrorLog = nil
	t.Cleanup(srv.Close)
	return srv, logs
}

func get(t *testing.T, srv *httptest.Server, path string) *http.Response {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	r.Header.Set("Origin", testOrigin)
	res, err := srv.Client().Do(r)
	require.NoError(t, err)
	return res
}

// assertReadableCrossOrigin checks what a browser checks on a credentialed CORS response.
func assertReadableCrossOrigin(t *testing.T, h http.Header) {
	t.Helper()
	assert.Equal(t, []string{testOrigin}, h.Values("Access-Control-Allow-Origin"))
	assert.Equal(t, []string{"true"}, h.Values("Access-Control-Allow-Credentials"))
	assert.Equal(t, []string{"X-Request-Id"}, h.Values("Access-Control-Expose-Headers"))
	assert.Contains(t, h.Values("Vary"), "Origin")
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return string(b)
}

func TestPanicBeforeWriteBecomesReadable500(t *testing.T) {
	var nilMap map[string]*struct{ x int }
	tests := []struct {
		name  string
		panic func()
		logs  string
	}{
		{"string", func() { panic("boom") }, "panic=boom"},
		{"error", func() { panic(fmt.Errorf("database: %w", io.ErrUnexpectedEOF)) }, "database: unexpected EOF"},
		{"nil pointer", func() { _ = nilMap["x"].x }, "nil pointer dereference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, logs := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Secret", "leaked")
				tt.panic()
			}))
			res := get(t, srv, "/crash")
			assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
			assertReadableCrossOrigin(t, res.Header)
			assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"), "the handler's headers do not leak")
			assert.Empty(t, res.Header.Get("X-Secret"))
			assert.Equal(t, "Internal Server Error\n", readAll(t, res))
			assert.Contains(t, logs.String(), "level=ERROR")
			assert.Contains(t, logs.String(), tt.logs)
			assert.Contains(t, logs.String(), "stack=")
			assert.Contains(t, logs.String(), "path=/crash")

			res = get(t, srv, "/crash")
			assert.Equal(t, http.StatusInternalServerError, res.StatusCode, "the server keeps serving")
			res.Body.Close()
		})
	}
}

func TestPanicKeepsHeadersOfOuterMiddleware(t *testing.T) {
	m := mustNew(t, Options{AllowedOrigins: []string{testOrigin}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "42")
		w.Header().Set("Strict-Transport-Security", "max-age=60")
		m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			panic("boom")
		})).ServeHTTP(w, r)
	})
	res := serve(h, actualReq(testOrigin))
	assert.Equal(t, http.StatusInternalServerError, res.Code)
	assert.Equal(t, "42", res.Header().Get("X-Request-Id"))
	assert.Equal(t, "max-age=60", res.Header().Get("Strict-Transport-Security"))
	assert.Equal(t, "text/plain; charset=utf-8", res.Header().Get("Content-Type"))
	assert.Equal(t, testOrigin, res.Header().Get("Access-Control-Allow-Origin"))
}

func TestPanicAfterResponseStartedAborts(t *testing.T) {
	srv, logs := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		panic("late boom")
	}))
	res := get(t, srv, "/")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assertReadableCrossOrigin(t, res.Header)
	_, err := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Error(t, err, "a truncated body must not look complete")
	assert.Contains(t, logs.String(), "late boom")
	assert.Contains(t, logs.String(), "response_started=true")
}

func TestErrAbortHandlerKeepsItsMeaning(t *testing.T) {
	srv, logs := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	r, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	r.Header.Set("Origin", testOrigin)
	_, err = srv.Client().Do(r)
	assert.Error(t, err, "the connection is aborted, no 500")
	assert.Empty(t, logs.String(), "no report")
}

func TestEveryStatusCarriesCORSHeaders(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		status  int
	}{
		{"http.Error 500", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "database down", http.StatusInternalServerError)
		}, 500},
		{"cleared headers then 502", func(w http.ResponseWriter, r *http.Request) {
			for k := range w.Header() {
				delete(w.Header(), k)
			}
			w.WriteHeader(http.StatusBadGateway)
		}, 502},
		{"replaced header values then 503", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Add("Access-Control-Allow-Origin", "https://other.example")
			w.Header().Set("Access-Control-Allow-Credentials", "false")
			w.Header().Del("Vary")
			w.WriteHeader(http.StatusServiceUnavailable)
		}, 503},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, 302},
		{"cleared headers, implicit 200", func(w http.ResponseWriter, r *http.Request) {
			for k := range w.Header() {
				delete(w.Header(), k)
			}
		}, 200},
		{"cleared headers, first Write", func(w http.ResponseWriter, r *http.Request) {
			delete(w.Header(), "Access-Control-Allow-Origin")
			_, _ = w.Write([]byte("x"))
		}, 200},
		{"cleared headers, Flush", func(w http.ResponseWriter, r *http.Request) {
			delete(w.Header(), "Access-Control-Allow-Origin")
			w.(http.Flusher).Flush()
		}, 200},
		{"cleared headers, ResponseController.Flush", func(w http.ResponseWriter, r *http.Request) {
			delete(w.Header(), "Access-Control-Allow-Origin")
			_ = http.NewResponseController(w).Flush()
		}, 200},
		{"early hints then 200", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Link", "</style.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			delete(w.Header(), "Access-Control-Allow-Origin")
			w.WriteHeader(http.StatusOK)
		}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := crashServer(t, tt.handler)
			client := srv.Client()
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			r, err := http.NewRequest(http.MethodGet, srv.URL, nil)
			require.NoError(t, err)
			r.Header.Set("Origin", testOrigin)
			res, err := client.Do(r)
			require.NoError(t, err)
			defer res.Body.Close()
			assert.Equal(t, tt.status, res.StatusCode)
			assertReadableCrossOrigin(t, res.Header)
		})
	}
}

func TestTimeoutHandlerInside(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept")
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	srv, _ := crashServer(t, http.TimeoutHandler(slow, 50*time.Millisecond, "too slow"))
	res := get(t, srv, "/")
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	assertReadableCrossOrigin(t, res.Header)
	assert.Equal(t, "too slow", readAll(t, res))
}

func TestServerSentEventsStream(t *testing.T) {
	firstRead := make(chan struct{})
	srv, _ := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, "data: one\n\n")
		w.(http.Flusher).Flush()
		select { // the client must read the first event while the handler still runs
		case <-firstRead:
		case <-time.After(5 * time.Second):
			return
		}
		_, _ = io.WriteString(w, "data: two\n\n")
	}))
	res := get(t, srv, "/events")
	defer res.Body.Close()
	assertReadableCrossOrigin(t, res.Header)
	rd := bufio.NewReader(res.Body)
	line, err := rd.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "data: one\n", line)
	close(firstRead)
	rest, err := io.ReadAll(rd)
	require.NoError(t, err)
	assert.Equal(t, "\ndata: two\n\n", string(rest))
}

func TestHijack(t *testing.T) {
	for _, viaController := range []bool{false, true} {
		t.Run(fmt.Sprint("controller=", viaController), func(t *testing.T) {
			srv, _ := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var conn net.Conn
				var err error
				if viaController {
					conn, _, err = http.NewResponseController(w).Hijack()
				} else {
					conn, _, err = w.(http.Hijacker).Hijack()
				}
				if err != nil {
					return
				}
				defer conn.Close()
				_, _ = io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nraw")
			}))
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\nOrigin: "+testOrigin+"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
			require.NoError(t, err)
			require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
			got, err := io.ReadAll(conn)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(got), "HTTP/1.1 101"))
			assert.True(t, strings.HasSuffix(string(got), "raw"))
		})
	}
}

func TestPanicAfterHijackIsNotAnswered(t *testing.T) {
	srv, logs := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		panic("after hijack")
	}))
	r, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	r.Header.Set("Origin", testOrigin)
	_, err = srv.Client().Do(r)
	assert.Error(t, err)
	assert.Eventually(t, func() bool { return strings.Contains(logs.String(), "after hijack") }, 5*time.Second, 10*time.Millisecond)
}

func TestServeFileKeepsReaderFrom(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.bin")
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	require.NoError(t, os.WriteFile(path, data, 0o600))
	var isReaderFrom bool
	srv, _ := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, isReaderFrom = w.(io.ReaderFrom)
		delete(w.Header(), "Access-Control-Allow-Origin")
		if r.URL.Path == "/copy" {
			f, err := os.Open(path)
			if err != nil {
				panic(err)
			}
			defer f.Close()
			_, _ = io.Copy(w, f)
			return
		}
		http.ServeFile(w, r, path)
	}))
	for _, p := range []string{"/file", "/copy"} {
		res := get(t, srv, p)
		assert.Equal(t, http.StatusOK, res.StatusCode)
		assertReadableCrossOrigin(t, res.Header)
		assert.Equal(t, string(data), readAll(t, res), p)
		assert.True(t, isReaderFrom, "the sendfile path stays available")
	}
}

func TestResponseControllerReachesTheConnection(t *testing.T) {
	errs := make(chan error, 5)
	srv, _ := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		errs <- rc.SetReadDeadline(time.Now().Add(time.Minute))
		errs <- rc.SetWriteDeadline(time.Now().Add(time.Minute))
		errs <- rc.EnableFullDuplex()
		_, _ = io.WriteString(w, "x")
		errs <- rc.Flush()
		errs <- nil
	}))
	res := get(t, srv, "/")
	assert.Equal(t, "x", readAll(t, res))
	for i := 0; i < 5; i++ {
		assert.NoError(t, <-errs)
	}
}

// plainWriter is a ResponseWriter with none of the optional interfaces; the
// fake types below add some by embedding.
type plainWriter struct{ h http.Header }

func (w plainWriter) Header() http.Header       { return w.h }
func (plainWriter) Write(b []byte) (int, error) { return len(b), nil }
func (plainWriter) WriteHeader(int)             {}

type (
	flushes   struct{}
	hijacks   struct{}
	readsFrom struct{ calls *int }
	pushes    struct{}
	notifies  struct{ ch chan bool }
	writesStr struct{ calls *int }
)

func (flushes) Flush()                                       {}
func (hijacks) Hijack() (net.Conn, *bufio.ReadWriter, error) { return nil, nil, errors.New("no") }
func (f readsFrom) ReadFrom(r io.Reader) (int64, error)      { *f.calls++; return io.Copy(io.Discard, r) }
func (pushes) Push(string, *http.PushOptions) error          { return errors.New("pushed") }
func (n notifies) CloseNotify() <-chan bool                  { return n.ch }
func (f writesStr) WriteString(s string) (int, error)        { *f.calls++; return len(s), nil }

type (
	flushWriterFake struct {
		plainWriter
		flushes
	}
	hijackWriterFake struct {
		plainWriter
		hijacks
	}
	flushHijackWriterFake struct {
		plainWriter
		flushes
		hijacks
	}
	everythingFake struct {
		plainWriter
		flushes
		hijacks
		readsFrom
		pushes
		notifies
		writesStr
	}
)

// TestWrapperAdvertisesExactlyTheUnderlyingInterfaces checks the writer's
// design: Flusher and Hijacker, which handlers test for, exactly when the
// underlying writer has them; ReaderFrom, StringWriter, Pusher and
// CloseNotifier always, passing through or falling back as their contracts
// allow.
func TestWrapperAdvertisesExactlyTheUnderlyingInterfaces(t *testing.T) {
	p := mustNew(t, Options{AllowedOrigins: []string{testOrigin}}).load()
	var readFroms, writeStrings int
	tests := []struct {
		name             string
		under            http.ResponseWriter
		flusher, hijacks bool
	}{
		{"plain", plainWriter{h: http.Header{}}, false, false},
		{"flusher", flushWriterFake{plainWriter: plainWriter{h: http.Header{}}}, true, false},
		{"hijacker", hijackWriterFake{plainWriter: plainWriter{h: http.Header{}}}, false, true},
		{"flusher and hijacker", flushHijackWriterFake{plainWriter: plainWriter{h: http.Header{}}}, true, true},
		{"everything", everythingFake{plainWriter: plainWriter{h: http.Header{}},
			readsFrom: readsFrom{&readFroms}, notifies: notifies{make(chan bool)}, writesStr: writesStr{&writeStrings}}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, exposed := newWriter[actualValues](tt.under)
			w.p, w.slots.allowOrigin[0] = p, testOrigin
			_, isFlusher := exposed.(http.Flusher)
			_, isHijacker := exposed.(http.Hijacker)
			assert.Equal(t, tt.flusher, isFlusher)
			assert.Equal(t, tt.hijacks, isHijacker)
			assert.Equal(t, tt.under, exposed.(interface{ Unwrap() http.ResponseWriter }).Unwrap())

			_, underPushes := tt.under.(http.Pusher)
			err := exposed.(http.Pusher).Push("/x", nil)
			if underPushes {
				assert.EqualError(t, err, "pushed", "passed through")
			} else {
				assert.ErrorIs(t, err, http.ErrNotSupported)
			}
			//lint:ignore SA1019 the writer must still pass it through
			ch := exposed.(http.CloseNotifier).CloseNotify()
			assert.NotNil(t, ch)
			if e, ok := tt.under.(everythingFake); ok {
				assert.Equal(t, (<-chan bool)(e.notifies.ch), ch, "passed through")
			}

			before := readFroms
			n, err := exposed.(io.ReaderFrom).ReadFrom(strings.NewReader("body"))
			assert.NoError(t, err)
			assert.Equal(t, int64(4), n)
			assert.Equal(t, testOrigin, tt.under.Header().Get("Access-Control-Allow-Origin"), "ReadFrom commits the headers")
			if _, ok := tt.under.(io.ReaderFrom); ok {
				assert.Equal(t, before+1, readFroms, "the underlying ReadFrom, for sendfile")
			}
			before = writeStrings
			n2, err := exposed.(io.StringWriter).WriteString("body")
			assert.NoError(t, err)
			assert.Equal(t, 4, n2)
			if _, ok := tt.under.(io.StringWriter); ok {
				assert.Equal(t, before+1, writeStrings, "the underlying WriteString, without a copy")
			}
			if f, ok := exposed.(http.Flusher); ok {
				f.Flush()
			}
			if h, ok := exposed.(http.Hijacker); ok {
				_, _, err := h.Hijack()
				assert.Error(t, err)
			}
		})
	}
}

func TestFlushErrorWithoutFlusher(t *testing.T) {
	w, exposed := newWriter[actualValues](plainWriter{h: http.Header{}})
	w.p = mustNew(t, Options{AllowedOrigins: []string{testOrigin}}).load()
	assert.ErrorIs(t, http.NewResponseController(exposed).Flush(), http.ErrNotSupported)
	assert.Equal(t, fresh, w.state, "a flush that could not happen sends nothing")
}

func TestConcurrentRequestsHalfPanicking(t *testing.T) {
	srv, _ := crashServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("panic") == "1" {
			panic("boom")
		}
		_, _ = io.WriteString(w, "fine")
	}))
	const n = 1000
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 50)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			r, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/?panic=%d", srv.URL, i%2), nil)
			if !assert.NoError(t, err) {
				return
			}
			r.Header.Set("Origin", testOrigin)
			res, err := srv.Client().Do(r)
			if !assert.NoError(t, err) {
				return
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			assert.NoError(t, err)
			assert.Equal(t, testOrigin, res.Header.Get("Access-Control-Allow-Origin"))
			if i%2 == 1 {
				assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
			} else {
				assert.Equal(t, "fine", string(body))
			}
		}(i)
	}
	wg.Wait()
}
