package bench

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	cors "github.com/corsguard/cors"
)

// hostileGrantedByCorsguard is corsguard's answer to the hostile preflight
// (see hostileRequestHeaders).
const hostileGrantedByCorsguard = false

// quietLogger drops the Debug lines corsguard writes for refused requests, as
// the peers log nothing by default (slog.DiscardHandler needs Go 1.24).
var quietLogger = slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))

func wrapCorsguard(tb testing.TB, origins []string, next http.Handler) http.Handler {
	m, err := cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   allowedMethods,
		AllowedHeaders:   allowedHeaders,
		ExposedHeaders:   exposedHeaders,
		AllowCredentials: true,
		MaxAge:           maxAgeSeconds * time.Second,
		Logger:           quietLogger,
	})
	require.NoError(tb, err)
	return m.Handler(next)
}
