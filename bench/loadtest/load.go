package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"
)

// result is one fixed-count run against one server.
type result struct {
	done     int
	failures int
	elapsed  time.Duration
	p50, p99 time.Duration
	firstErr error
}

func (r result) rps() float64 { return float64(r.done) / r.elapsed.Seconds() }

// load sends n requests over c keep-alive connections (one goroutine each,
// one request in flight per connection) and stops early when ctx ends.
// check judges each response; a rejected or failed one counts as a failure.
func load(ctx context.Context, client *http.Client, newReq func(context.Context) *http.Request, n, c int, check func(*http.Response) error) result {
	lat := make([][]time.Duration, c)
	fails := make([]int, c)
	errs := make([]error, c)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < c; w++ {
		count := n / c
		if w < n%c {
			count++
		}
		lat[w] = make([]time.Duration, 0, count)
		wg.Add(1)
		go func(w, count int) {
			defer wg.Done()
			req := newReq(ctx) // reused: each is sent again only once its response is closed
			for i := 0; i < count && ctx.Err() == nil; i++ {
				t0 := time.Now()
				err := roundTrip(client, req, check)
				lat[w] = append(lat[w], time.Since(t0))
				if err != nil {
					fails[w]++
					if errs[w] == nil {
						errs[w] = err
					}
				}
			}
		}(w, count)
	}
	wg.Wait()
	r := result{elapsed: time.Since(start)}
	all := make([]time.Duration, 0, n)
	for w := range lat {
		all = append(all, lat[w]...)
		r.failures += fails[w]
		if r.firstErr == nil {
			r.firstErr = errs[w]
		}
	}
	r.done = len(all)
	if r.done > 0 {
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		r.p50 = all[r.done*50/100]
		r.p99 = all[r.done*99/100]
	}
	return r
}

func roundTrip(client *http.Client, req *http.Request, check func(*http.Response) error) error {
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	// Drain so the connection goes back to the pool for keep-alive.
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err := check(res); err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, req.URL, err)
	}
	return nil
}

// newClient keeps exactly c connections open to one server.
func newClient(c int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:               nil, // loopback only, never through a proxy
		MaxIdleConns:        c,
		MaxIdleConnsPerHost: c,
		MaxConnsPerHost:     c,
		DisableCompression:  true,
		IdleConnTimeout:     time.Minute,
	}}
}
