// Command reload serves an API whose CORS policy is read from the
// environment at start and read again on SIGHUP, without a restart:
//
//	CORS_ALLOWED_ORIGINS=https://app.example.com go run ./examples/reload &
//	kill -HUP %1
//
// The environment of a running process changes only from inside it, so a
// real deployment updates it before reading, from an env file say; the swap
// is what this example shows. Requests keep being served during the swap,
// each under the old or the new policy, whole. A new policy that does not
// validate is logged and dropped: the previous policy stays in force.
package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/corsguard/cors"
)

// newMiddleware builds the first policy; a broken one stops the start.
func newMiddleware(prefix string, logger *slog.Logger) (*cors.Middleware, error) {
	opts, err := cors.FromEnv(prefix)
	if err != nil {
		return nil, err
	}
	opts.Logger = logger
	return cors.New(opts)
}

// reload reads the policy again and swaps it in, or logs why it kept the old.
func reload(m *cors.Middleware, prefix string, logger *slog.Logger) error {
	opts, err := cors.FromEnv(prefix)
	if err == nil {
		opts.Logger = logger
		err = m.Reconfigure(opts) // atomic: a request sees the old or the new policy, whole
	}
	if err != nil {
		logger.Error("CORS reload failed, keeping the previous policy", "err", err)
		return err
	}
	logger.Info("CORS policy reloaded", "origins", opts.AllowedOrigins)
	return nil
}

// watch reloads the policy once per signal received, until ctx is done.
func watch(ctx context.Context, signals <-chan os.Signal, m *cors.Middleware, prefix string, logger *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-signals:
			_ = reload(m, prefix, logger) // already logged
		}
	}
}

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	m, err := newMiddleware("CORS", logger)
	if err != nil {
		logger.Error("invalid CORS configuration", "err", err)
		os.Exit(1)
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go watch(context.Background(), hup, m, "CORS", logger)

	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	addr := "127.0.0.1:8080"
	logger.Info("listening", "addr", addr)
	if err := http.ListenAndServe(addr, m.Handler(api)); err != nil {
		logger.Error("server stopped", "err", err)
		os.Exit(1)
	}
}
