//go:build postgres

package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pgServer is a PostgreSQL server of the test's own: a cluster initdb made
// in a temporary folder, on a loopback port, stopped by PID.
type pgServer struct {
	bin, dir string
	port     int
	attr     *syscall.SysProcAttr
	cmd      *exec.Cmd
	exited   chan error
}

// pgBinDir finds Debian's server binaries, /usr/lib/postgresql/<ver>/bin,
// taking the newest version installed.
func pgBinDir(t *testing.T) string {
	t.Helper()
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	var found []string
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			found = append(found, d)
		}
	}
	require.NotEmpty(t, found, "no /usr/lib/postgresql/<ver>/bin/postgres: apt-get install postgresql")
	version := func(d string) int { v, _ := strconv.Atoi(filepath.Base(filepath.Dir(d))); return v }
	sort.Slice(found, func(i, j int) bool { return version(found[i]) < version(found[j]) })
	return found[len(found)-1]
}

// newPGServer makes a cluster; start runs it. PostgreSQL refuses to run as
// root, so as root the server runs as Debian's postgres user, which owns the
// folder.
func newPGServer(t *testing.T) *pgServer {
	t.Helper()
	s := &pgServer{bin: pgBinDir(t), port: freePort(t)}
	dir, err := os.MkdirTemp("", "tenants-pg-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	s.dir = dir
	// The child dies with the test binary, whatever ends it.
	s.attr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		require.NoError(t, err, "running as root needs Debian's postgres user")
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		require.NoError(t, os.Chown(dir, uid, gid))
		s.attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	initdb := s.command("initdb", "-D", s.data(), "-U", "postgres", "--auth=trust",
		"--locale=C", "--encoding=UTF8", "--no-sync")
	out, err := initdb.CombinedOutput()
	require.NoError(t, err, "initdb: %s", out)
	return s
}

func (s *pgServer) data() string { return filepath.Join(s.dir, "data") }

func (s *pgServer) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.SysProcAttr = s.attr
	return cmd
}

// url is the connection string of the server's postgres database.
func (s *pgServer) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
}

// start runs the server and waits until it accepts connections; it stops
// when the test ends.
func (s *pgServer) start(t *testing.T) {
	t.Helper()
	logFile, err := os.OpenFile(filepath.Join(s.dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(t, err)
	defer logFile.Close() // the child keeps its own descriptor
	s.cmd = s.command("postgres", "-D", s.data(), "-k", s.dir, "-p", strconv.Itoa(s.port),
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	require.NoError(t, s.cmd.Start())
	s.exited = make(chan error, 1)
	go func(cmd *exec.Cmd, exited chan<- error) { exited <- cmd.Wait() }(s.cmd, s.exited)
	t.Cleanup(func() { s.stop(t) })

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, s.url())
	require.NoError(t, err)
	defer pool.Close()
	for pool.Ping(ctx) != nil {
		select {
		case err := <-s.exited:
			s.exited <- err
			t.Fatalf("postgres exited: %v\n%s", err, s.logTail())
		case <-ctx.Done():
			t.Fatalf("postgres did not accept connections in 30 s:\n%s", s.logTail())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// logTail is the end of the server's log, for a failure message.
func (s *pgServer) logTail() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "postgres.log"))
	return string(b[max(0, len(b)-4000):])
}

// stop shuts the server down by its PID (SIGINT is the fast shutdown:
// sessions are cut, as in an outage) and waits for it. Stopping a stopped
// server does nothing.
func (s *pgServer) stop(t *testing.T) {
	t.Helper()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd = nil
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// pgFixture is the example wired as main wires it, on the test's server.
type pgFixture struct {
	server  *pgServer
	pool    *pgxpool.Pool
	tenants *tenantOrigins
	h       http.Handler
	failed  chan string // Run's and Listen's log lines
}

// newPGFixture connects to server (up or not: the pool connects lazily)
// and runs the reload loop and the listener until the test ends. The timer
// is an hour, so that only a notification or a reconnection reloads.
func newPGFixture(t *testing.T, server *pgServer) *pgFixture {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), server.url())
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	f := &pgFixture{server: server, pool: pool, failed: make(chan string, 100)}
	store := newPGStore(pool)
	store.retry = 50 * time.Millisecond
	f.tenants = &tenantOrigins{store: store}
	f.h, err = newHandler(f.tenants)
	require.NoError(t, err)

	logf := func(format string, args ...any) {
		select {
		case f.failed <- fmt.Sprintf(format, args...):
		default:
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	changed := make(chan struct{}, 1)
	done := make(chan struct{}, 2)
	go func() { store.Listen(ctx, changed, logf); done <- struct{}{} }()
	go func() { f.tenants.Run(ctx, time.Hour, changed, logf); done <- struct{}{} }()
	t.Cleanup(func() { cancel(); <-done; <-done })
	return f
}

// write runs sql on a connection of its own, as the service that signs
// tenants up would, outside the example's pool.
func (s *pgServer) write(t *testing.T, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.url())
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql, args...)
	require.NoError(t, err, sql)
}

// seeded makes and starts a server with schema.sql and tenants one and two.
func seeded(t *testing.T) *pgServer {
	t.Helper()
	server := newPGServer(t)
	server.start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server.url())
	require.NoError(t, err)
	defer conn.Close(ctx)
	require.NoError(t, migrate(ctx, conn))
	server.write(t, "INSERT INTO tenants (name, origin) VALUES ('one', $1), ('two', $2)", one, two)
	return server
}

// startedWithTenants runs the example on a seeded server, loaded.
func startedWithTenants(t *testing.T) *pgFixture {
	t.Helper()
	f := newPGFixture(t, seeded(t))
	require.True(t, lookupWithin(f.tenants, one, true, 10*time.Second), "the first load")
	return f
}

// lookupWithin reports whether the lookup allows origin (want) within
// timeout, polling.
func lookupWithin(tenants *tenantOrigins, origin string, want bool, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if ok, _ := tenants.Lookup(context.Background(), origin); ok == want {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
}

// TestPostgresNotifyReloads: the trigger's notification applies an insert
// and a delete within a second, with the timer an hour away.
func TestPostgresNotifyReloads(t *testing.T) {
	f := startedWithTenants(t)
	assertAllowed(t, f.h, one)
	assertRefused(t, f.h, three)

	f.server.write(t, "INSERT INTO tenants (name, origin) VALUES ('three', $1)", three)
	require.True(t, lookupWithin(f.tenants, three, true, time.Second), "inserted tenant allowed within 1 s")
	assertAllowed(t, f.h, three)

	f.server.write(t, "DELETE FROM tenants WHERE origin = $1", one)
	require.True(t, lookupWithin(f.tenants, one, false, time.Second), "deleted tenant refused within 1 s")
	assertRefused(t, f.h, one)
	assertAllowed(t, f.h, two)
}

// TestPostgresDownKeepsSnapshot: with the server stopped, reloads fail and
// the last snapshot stays; when it is back, the listener reconnects and the
// reload it causes applies what changed meanwhile.
func TestPostgresDownKeepsSnapshot(t *testing.T) {
	f := startedWithTenants(t)
	f.server.stop(t)
	select {
	case line := <-f.failed:
		t.Logf("logged: %s", line)
	case <-time.After(10 * time.Second):
		t.Fatal("nothing noticed the outage")
	}
	require.Error(t, f.tenants.Reload(context.Background()))
	assertAllowed(t, f.h, one)
	assertAllowed(t, f.h, two)
	assertRefused(t, f.h, three)

	f.server.start(t)
	f.server.write(t, "INSERT INTO tenants (name, origin) VALUES ('three', $1)", three)
	require.True(t, lookupWithin(f.tenants, three, true, 10*time.Second), "reloaded after the outage")
	assertAllowed(t, f.h, one)
}

// TestPostgresFailsClosedBeforeFirstLoad: with the database down at start,
// every tenant origin is refused, the company's frontend still allowed,
// until the first load succeeds.
func TestPostgresFailsClosedBeforeFirstLoad(t *testing.T) {
	server := seeded(t)
	server.stop(t)

	f := newPGFixture(t, server)
	for range 2 { // the first load and a reconnection's reload have failed
		select {
		case line := <-f.failed:
			t.Logf("logged: %s", line)
		case <-time.After(10 * time.Second):
			t.Fatal("no failure logged with the database down")
		}
	}
	_, err := f.tenants.Lookup(context.Background(), one)
	assert.ErrorIs(t, err, errNotLoaded)
	assertRefused(t, f.h, one)
	assertAllowed(t, f.h, app)

	server.start(t)
	require.True(t, lookupWithin(f.tenants, one, true, 10*time.Second), "the first load once the database is up")
	assertAllowed(t, f.h, one)
}
