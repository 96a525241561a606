package proxylab

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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
	setup func(t testing.TB, dir string)
	// logs are files under dir shown when it does not start.
	logs []string
}

// findBinary returns the first of candidates found (a name on PATH or a
// path), $env first when set. When none is there, the test is skipped, or
// fails when $CI is "true".
func findBinary(t testing.TB, env, hint string, candidates ...string) string {
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
func (c child) start(t testing.TB) string {
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
		if err := os.WriteFile(confPath, []byte(strings.NewReplacer(pairs...).Replace(c.conf)), 0o644); err != nil {
			t.Fatal(err)
		}
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
		if err := cmd.Start(); err != nil {
			t.Fatalf("start %s: %v", c.name, err)
		}
		// Closed, not sent on, when it exits: waitListening may have taken
		// a value already, and every later receive must still return.
		exited := make(chan struct{})
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

// freePort returns a loopback port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening waits up to 20 s for addr to accept connections (Varnish
// compiles its VCL first); it gives up early when the process exits.
func waitListening(addr string, exited <-chan struct{}) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		if conn, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			_ = conn.Close()
			return true
		}
		select {
		case <-exited:
			return false
		case <-ctx.Done():
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
}
