//go:build proxies

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// child is how to run one server.
type child struct {
	name string // for messages, e.g. "HAProxy"
	bin  string // the binary, found by findBinary
	// conf is the configuration template; {{dir}}, {{port}} and the vars
	// are replaced in it before it is written to dir/confName.
	conf, confName string
	vars           map[string]string
	// args are the command-line arguments, given the directory, the
	// configuration's path and the port.
	args func(dir, confPath string, port int) []string
	env  []string  // added to the environment; {{dir}} is replaced
	stop os.Signal // how to ask it to stop; SIGTERM when nil
	// setup prepares dir before the first start (files, permissions).
	setup func(t *testing.T, dir string)
	// logs are files under dir shown when it does not start.
	logs []string
}

// findBinary returns the first of candidates found (a name on PATH or a
// path), $env first when set. When none is there, the test is skipped, or
// fails when $CI is "true": in CI these tests must not pass by not running.
func findBinary(t *testing.T, env, hint string, candidates ...string) string {
	t.Helper()
	if v := os.Getenv(env); v != "" {
		candidates = []string{v}
	}
	for _, c := range candidates {
		if found, err := exec.LookPath(c); err == nil {
			return found
		}
	}
	msg := "not found (tried " + strings.Join(candidates, ", ") + "): " + hint + ", or set " + env + " to its path"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// start runs c and returns its base URL, http://127.0.0.1:port. It retries
// on another port when the first one was taken meanwhile, and stops the
// server (its whole process group) when the test ends.
func (c child) start(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if c.setup != nil {
		c.setup(t, dir)
	}
	stop := c.stop
	if stop == nil {
		stop = syscall.SIGTERM
	}
	var lastErr string
	for attempt := 0; attempt < 3; attempt++ {
		port := freePort(t)
		pairs := []string{"{{dir}}", dir, "{{port}}", strconv.Itoa(port)}
		for k, v := range c.vars {
			pairs = append(pairs, "{{"+k+"}}", v)
		}
		confPath := filepath.Join(dir, c.confName)
		require.NoError(t, os.WriteFile(confPath, []byte(strings.NewReplacer(pairs...).Replace(c.conf)), 0o644))
		var out bytes.Buffer
		cmd := exec.Command(c.bin, c.args(dir, confPath, port)...)
		cmd.Dir = dir
		cmd.Env = os.Environ()
		for _, kv := range c.env {
			cmd.Env = append(cmd.Env, strings.ReplaceAll(kv, "{{dir}}", dir))
		}
		cmd.Stdout, cmd.Stderr = &out, &out
		// Its own process group, so that workers it forks stop with it.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		require.NoError(t, cmd.Start())
		// Closed, not sent on, when it exits: waitListening may have taken
		// a value already, and every later receive must still return.
		exited := make(chan error)
		go func() { _ = cmd.Wait(); close(exited) }()
		addr := "127.0.0.1:" + strconv.Itoa(port)
		if waitListening(addr, exited) {
			pid := cmd.Process.Pid
			t.Cleanup(func() {
				_ = cmd.Process.Signal(stop)
				select {
				case <-exited:
				case <-time.After(5 * time.Second):
					_ = syscall.Kill(-pid, syscall.SIGKILL)
					<-exited
				}
				// Workers left behind in its group, if any.
				_ = syscall.Kill(-pid, syscall.SIGKILL)
			})
			return "http://" + addr
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		lastErr = out.String()
		for _, name := range c.logs {
			log, _ := os.ReadFile(filepath.Join(dir, name))
			lastErr += string(log)
		}
	}
	t.Fatalf("%s did not start:\n%s", c.name, lastErr)
	return ""
}
