// Package deploycheck holds the test of deploycheck.sh, the CORS step of a
// deploy pipeline, against the demo.
package deploycheck

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeployCheckAgainstTheDemo runs the demo on free ports and the
// pipeline step against both of its APIs: the one behind corsguard passes,
// the one behind the hand-written middleware fails, each with the line
// "N passed, M failed".
func TestDeployCheckAgainstTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the demo and corscheck")
	}
	demo, corscheck := build(t, "./examples/demo"), build(t, "./cmd/corscheck")
	urls := runDemo(t, demo)
	for _, tc := range []struct {
		api  string
		code int
	}{{urls["corsguard"], 0}, {urls["handwritten"], 1}} {
		cmd := exec.Command("./deploycheck.sh", "-delay", "0")
		cmd.Env = append(os.Environ(), "CORSCHECK="+corscheck, "API="+tc.api, "PAGE="+urls["page"])
		out, err := cmd.Output()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else {
			require.NoError(t, err)
		}
		assert.Equal(t, tc.code, code, "%s:\n%s", tc.api, out)
		assert.Regexp(t, `(?m)^\d+ passed, \d+ failed$`, string(out))
		t.Logf("%s: %s", tc.api, regexp.MustCompile(`(?m)^\d+ passed, \d+ failed$`).Find(out))
	}
}

// build compiles a command of the root module into the test's directory.
func build(t *testing.T, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg)
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build %s:\n%s", pkg, out)
	return bin
}

var urlLine = regexp.MustCompile(`^(corsguard|handwritten|page|other) +(http://[^/\s]+)`)

// runDemo starts the demo on free ports and returns the URLs it prints.
func runDemo(t *testing.T, bin string) map[string]string {
	t.Helper()
	cmd := exec.Command(bin, "-api", "127.0.0.1:0", "-handwritten", "127.0.0.1:0", "-page", "127.0.0.1:0", "-other", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = io.Discard
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	urls := map[string]string{}
	lines := bufio.NewScanner(stdout)
	for len(urls) < 4 && lines.Scan() {
		if m := urlLine.FindStringSubmatch(lines.Text()); m != nil {
			urls[m[1]] = m[2]
		}
	}
	require.Len(t, urls, 4, "the demo prints its URLs")
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return urls
}
