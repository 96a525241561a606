package e2e

import (
	"encoding/json"
	"errors"

	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// webkitDriver is the control server that drives MiniBrowser's page: the page
// loads driverScript from it, long-polls /next for a command (evaluate an
// expression, or navigate) and posts an expression's value to /result. Test
// pages load the script only when their URL names it (see driverLoader).
type webkitDriver struct {
	url string // http://127.0.0.1:PORT

	commands chan webkitCommand

	mu       sync.Mutex
	nextID   int
	lastPage int
	results  map[int]chan webkitResult
	loaded   map[int]chan struct{} // page load -> closed once its script asked for a command
}

// webkitCommand is what the page does next: evaluate Eval, or load Navigate.
type webkitCommand struct {
	ID       int    `json:"id"`
	Eval     string `json:"eval,omitempty"`
	Navigate string `json:"navigate,omitempty"`
}

// webkitResult is an evaluated expression's value (a string) or what it threw.
type webkitResult struct {
	ID    int    `json:"id"`
	Value string `json:"value"`
	Error string `json:"error"`
}

// driverPoll is how long /next holds a poll open before the page asks again.
const driverPoll = 5 * time.Second

// driverScript runs in the page under test. It reaches the control server
// cross-origin: /next is a simple GET and /result a text/plain POST, so no
// preflight, and the server answers with "Access-Control-Allow-Origin: *".
const driverScript = `"use strict";
(() => {
  const src = new URL(document.currentScript.src);
  const control = src.origin, page = src.searchParams.get("page");
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  (async () => {
    for (;;) {
      let cmd;
      try {
        const res = await fetch(control + "/next?page=" + page, {cache: "no-store"});
        if (res.status !== 200) continue;
        cmd = await res.json();
      } catch (e) {
        await sleep(200);
        continue;
      }
      if (cmd.navigate) {
        location.href = cmd.navigate;
        return;
      }
      const out = {id: cmd.id};
      try {
        out.value = String(await (0, eval)(cmd.eval));
      } catch (e) {
        out.error = String(e && e.stack ? e + "\n" + e.stack : e);
      }
      await fetch(control + "/result?page=" + page, {method: "POST", body: JSON.stringify(out)});
    }
  })();
})();
`

// driverLoader is the inline script a test page carries: it loads the driver
// script named by its URL's webkit-driver parameter, and only one on loopback,
// so that the page runs nothing else. Chromium and Firefox never see the
// parameter.
const driverLoader = `<script>{const d = new URLSearchParams(location.search).get("webkit-driver");
if (d && /^http:\/\/127\.0\.0\.1:\d+\/driver\.js\?page=\d+$/.test(d)) {
  const s = document.createElement("script"); s.src = d; document.head.append(s);
}}</script>`

func newWebKitDriver(t *testing.T) *webkitDriver {
	t.Helper()
	d := &webkitDriver{
		commands: make(chan webkitCommand, 1),
		results:  map[int]chan webkitResult{},
		loaded:   map[int]chan struct{}{0: make(chan struct{})},
	}
	srv := httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(srv.Close)
	d.url = srv.URL
	return d
}

// idleURL is the page MiniBrowser starts on: page load 0.
func (d *webkitDriver) idleURL() string { return d.url + "/idle" }

func (d *webkitDriver) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "no-store")
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	switch r.URL.Path {
	case "/idle":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><title>corsguard e2e: WebKit idle</title><link rel="icon" href="data:,"><script src="/driver.js?page=0"></script>`)
	case "/driver.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, driverScript)
	case "/next":
		d.mu.Lock()
		if ch, ok := d.loaded[page]; ok {
			select {
			case <-ch:
			default:
				close(ch)
			}
		}
		d.mu.Unlock()
		timer := time.NewTimer(driverPoll)
		defer timer.Stop()
		select {
		case cmd := <-d.commands:
			if r.Context().Err() != nil { // the page left as the command came: keep it for the next poll
				select {
				case d.commands <- cmd:
				default: // a newer command waits; the test's own bound reports the lost one
				}
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(cmd)
		case <-timer.C:
			w.WriteHeader(http.StatusNoContent)
		case <-r.Context().Done():
		}
	case "/result":
		var res webkitResult
		if err := json.NewDecoder(io.LimitReader(r.Body, 64<<20)).Decode(&res); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		d.mu.Lock()
		ch := d.results[res.ID]
		d.mu.Unlock()
		if ch != nil {
			ch <- res
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// nextPage numbers the next page load and returns the URL that makes pageURL
// load the driver script.
func (d *webkitDriver) nextPage(t *testing.T, pageURL string) (int, string) {
	t.Helper()
	u, err := url.Parse(pageURL)
	require.NoError(t, err)
	d.mu.Lock()
	d.lastPage++
	page := d.lastPage
	d.loaded[page] = make(chan struct{})
	d.mu.Unlock()
	q := u.Query()
	q.Set("webkit-driver", d.url+"/driver.js?page="+strconv.Itoa(page))
	u.RawQuery = q.Encode()
	return page, u.String()
}

// waitPage waits until page load n has run the driver script, or the browser
// has exited (when exited is not nil).
func (d *webkitDriver) waitPage(n int, exited <-chan struct{}) error {
	d.mu.Lock()
	ch := d.loaded[n]
	d.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-exited:
		return errors.New("MiniBrowser exited")
	}
}

// command hands cmd to the page and, for an expression, waits for its value.
func (d *webkitDriver) command(t *testing.T, limit time.Duration, cmd webkitCommand) webkitResult {
	t.Helper()
	d.mu.Lock()
	d.nextID++
	cmd.ID = d.nextID
	reply := make(chan webkitResult, 1)
	if cmd.Eval != "" {
		d.results[cmd.ID] = reply
	}
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		delete(d.results, cmd.ID)
		d.mu.Unlock()
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case d.commands <- cmd:
	case <-timer.C:
		t.Fatalf("WebKit's page asked for no command within %s", limit)
	}
	if cmd.Eval == "" {
		return webkitResult{}
	}
	select {
	case res := <-reply:
		return res
	case <-timer.C:
		t.Fatalf("WebKit: no value within %s for:\n%s", limit, cmd.Eval)
	}
	return webkitResult{}
}
