package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// okHandler is the application: a status and no body, so that the
// middleware's share of the work is as visible as it can be.
var okHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusOK)
})

// server is one loopback HTTP server and what its answers must look like.
type server struct {
	name             string
	url              string
	srv              *http.Server
	client           *http.Client
	preflightCode    int  // status of an allowed preflight
	answersPreflight bool // false for bare: OPTIONS reaches the handler
}

func start(name string, h http.Handler, preflightCode, conns int) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{
		name:             name,
		url:              "http://" + ln.Addr().String() + "/items",
		srv:              &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute},
		client:           newClient(conns),
		preflightCode:    preflightCode,
		answersPreflight: preflightCode != 0,
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			panic(fmt.Sprintf("%s: %v", name, err))
		}
	}()
	return s, nil
}

func (s *server) close() {
	s.client.CloseIdleConnections()
	_ = s.srv.Close()
}

// check returns the judge of one request kind's answers on this server:
// behind a CORS middleware an allowed request must carry the origin back.
func (s *server) check(preflight bool) func(*http.Response) error {
	want := http.StatusOK
	if preflight && s.answersPreflight {
		want = s.preflightCode
	}
	cors := s.answersPreflight
	return func(res *http.Response) error {
		if res.StatusCode != want {
			return fmt.Errorf("status %d, want %d", res.StatusCode, want)
		}
		if got := res.Header.Get("Access-Control-Allow-Origin"); cors && got != allowedOrigin {
			return fmt.Errorf("Access-Control-Allow-Origin %q, want %q", got, allowedOrigin)
		}
		return nil
	}
}
