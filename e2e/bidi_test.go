package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/coder/websocket"
)

// bidiConn is a WebDriver BiDi session over a websocket: the W3C protocol that
// Firefox speaks natively, so no driver binary is needed. It knows only what the
// suite uses: commands with their results, and events handed to onEvent.
type bidiConn struct {
	ws      *websocket.Conn
	onEvent func(method string, params json.RawMessage) // runs on the reading goroutine

	mu      sync.Mutex
	nextID  int
	pending map[int]chan bidiMessage
	err     error // why reading stopped; set once
	done    chan struct{}
}

// bidiMessage is any message from the browser: a command's result or error, or
// an event.
type bidiMessage struct {
	Type    string          `json:"type"` // "success", "error" or "event"
	ID      int             `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

// dialBiDi connects to a browser's WebDriver BiDi endpoint (ws://host:port) and
// starts a session.
func dialBiDi(ctx context.Context, endpoint string, onEvent func(string, json.RawMessage)) (*bidiConn, error) {
	ws, _, err := websocket.Dial(ctx, endpoint+"/session", nil)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(64 << 20) // a result can carry a whole page's worth of JSON
	c := &bidiConn{ws: ws, onEvent: onEvent, pending: map[int]chan bidiMessage{}, done: make(chan struct{})}
	go c.read()
	if err := c.call(ctx, "session.new", map[string]any{"capabilities": map[string]any{}}, nil); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// read delivers results to their callers and events to onEvent until the
// connection ends.
func (c *bidiConn) read() {
	var err error
	defer func() {
		c.mu.Lock()
		c.err = err
		c.mu.Unlock()
		close(c.done)
	}()
	for {
		var data []byte
		_, data, err = c.ws.Read(context.Background())
		if err != nil {
			return
		}
		var m bidiMessage
		if err = json.Unmarshal(data, &m); err != nil {
			err = fmt.Errorf("decoding %q: %w", data, err)
			return
		}
		if m.Type == "event" {
			c.onEvent(m.Method, m.Params)
			continue
		}
		c.mu.Lock()
		reply := c.pending[m.ID]
		delete(c.pending, m.ID)
		c.mu.Unlock()
		if reply != nil {
			reply <- m
		}
	}
}

// call sends a command and decodes its result into result (unless nil).
func (c *bidiConn) call(ctx context.Context, method string, params, result any) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	reply := make(chan bidiMessage, 1)
	c.pending[id] = reply
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()

	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	if err := c.ws.Write(ctx, websocket.MessageText, msg); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m := <-reply:
		if m.Type == "error" {
			return fmt.Errorf("%s: %s: %s", method, m.Error, m.Message)
		}
		if result == nil {
			return nil
		}
		return json.Unmarshal(m.Result, result)
	case <-c.done:
		c.mu.Lock()
		defer c.mu.Unlock()
		return fmt.Errorf("%s: the connection ended: %w", method, c.err)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// close ends the connection without a closing handshake (the browser may be
// gone already) and waits for the reading goroutine to stop.
func (c *bidiConn) close() {
	_ = c.ws.CloseNow()
	<-c.done
}
