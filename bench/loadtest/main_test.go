package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunSmall runs the whole load test at a tiny size: servers start on
// loopback, every answer passes its check (corsguard's carry the origin
// back), and the table has one row per request kind and server.
func TestRunSmall(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, io.Discard, 400, 4, 2, 30*time.Second, true, true))
	table := out.String()
	for _, k := range kinds {
		for _, s := range []string{"bare", "corsguard", "rs/cors", "bare (control)"} {
			assert.Contains(t, table, "| "+k.name+" | "+s+" |")
		}
	}
	assert.Equal(t, 2+2*4, strings.Count(table, "\n| "), table)
}

func TestRunRejectsBadSizes(t *testing.T) {
	assert.Error(t, run(io.Discard, io.Discard, 10, 20, 1, time.Second, false, false))
	assert.Error(t, run(io.Discard, io.Discard, 10, 2, 0, time.Second, false, false))
}
