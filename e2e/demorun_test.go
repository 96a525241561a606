package e2e

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	commandBuild = 90 * time.Second // go build of a command, cold cache included
	demoStart    = 20 * time.Second // until the demo has printed its URLs
)

// buildDemo compiles ./examples/demo of the repository, the way `go run` would.
func buildDemo(t *testing.T) string {
	t.Helper()
	return buildCommand(t, "./examples/demo")
}

// buildCommand compiles a main package of the root module (./examples/demo,
// ./cmd/corscheck) into the test's temporary directory.
func buildCommand(t *testing.T, pkg string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to build %s", pkg)
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	ctx, cancel := context.WithTimeout(context.Background(), commandBuild)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin, pkg)
	cmd.Dir = ".." // the root module
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build %s:\n%s", pkg, out)
	return bin
}

// runningDemo is where a started demo listens.
type runningDemo struct{ guarded, handwritten, page, other string }

var demoURLLine = regexp.MustCompile(`(?m)^(corsguard|handwritten|page|other) +(http://\S+?)/?(\s|$)`)

// runDemo starts the demo binary on free ports and reads the URLs it prints.
func runDemo(t *testing.T, bin string) runningDemo {
	t.Helper()
	var stdout, stderr syncBuffer
	cmd := exec.Command(bin, "-api", "127.0.0.1:0", "-handwritten", "127.0.0.1:0", "-page", "127.0.0.1:0", "-other", "127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		stopProcess(t, cmd)
		if t.Failed() {
			t.Logf("demo stdout:\n%s\ndemo stderr:\n%s", stdout.String(), stderr.String())
		}
	})

	deadline := time.Now().Add(demoStart)
	for time.Now().Before(deadline) {
		urls := map[string]string{}
		for _, m := range demoURLLine.FindAllStringSubmatch(stdout.String(), -1) {
			urls[m[1]] = m[2]
		}
		if len(urls) == 4 {
			return runningDemo{guarded: urls["corsguard"], handwritten: urls["handwritten"], page: urls["page"], other: urls["other"]}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the demo printed no URLs within %s; stdout:\n%s\nstderr:\n%s", demoStart, stdout.String(), stderr.String())
	return runningDemo{}
}

// stopProcess asks the demo to stop (Ctrl+C) and kills it if it does not within 5s.
func stopProcess(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	_ = cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(5 * time.Second)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		t.Errorf("the demo did not stop on SIGINT within 5s; killing it")
		_ = cmd.Process.Kill()
		<-done
	}
}
