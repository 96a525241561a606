package main

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	cors "github.com/corsguard/cors"
)

func corsguard(next http.Handler) (http.Handler, error) {
	m, err := cors.New(cors.Options{
		AllowedOrigins:   []string{allowedOrigin},
		AllowedMethods:   allowedMethods,
		AllowedHeaders:   allowedHeaders,
		ExposedHeaders:   exposedHeaders,
		AllowCredentials: true,
		MaxAge:           maxAgeSeconds * time.Second,
		Logger:           slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return nil, err
	}
	return m.Handler(next), nil
}
