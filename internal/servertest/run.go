package servertest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// How long a server gets to come up and to go down. Bounds for polling
// loops, not assertions: a healthy server takes milliseconds.
const (
	startTimeout = 20 * time.Second
	stopTimeout  = 10 * time.Second
	pollEvery    = 10 * time.Millisecond
)

// Running is a web server process a test started in the foreground. It is
// stopped at test cleanup (or by Stop); its logs are attached to failures.
type Running struct {
	Name    string
	cmd     *exec.Cmd
	pidFile string
	logs    []string // files worth reading when something goes wrong
	done    chan struct{}
	waitErr error
}

// runSpec is what startServer needs to run and watch one server.
type runSpec struct {
	name    string
	cmd     *exec.Cmd
	pidFile string   // written by the server once its sockets are bound
	logs    []string // its error log(s) and captured stdout/stderr
	ports   []int    // ports it must accept connections on (127.0.0.1)
}

// startServer runs spec.cmd and waits until the server wrote its pid file
// and accepts connections on every port. It returns an error (with the logs)
// when the server exits or is not ready in time; a port another process took
// meanwhile shows up here as a bind error in the logs.
func startServer(t testing.TB, spec runSpec) (*Running, error) {
	t.Helper()
	cmd := spec.cmd
	// Own process group: Stop can reach the workers even if the master is
	// wedged. Pdeathsig: a crashed test binary takes the server with it
	// (SIGTERM lets nginx's master stop its workers).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", spec.name, err)
	}
	r := &Running{Name: spec.name, cmd: cmd, pidFile: spec.pidFile, logs: spec.logs, done: make(chan struct{})}
	go func() {
		r.waitErr = cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		if err := r.Stop(); err != nil {
			t.Errorf("stopping %s: %v", r.Name, err)
		}
	})
	if err := r.waitReady(spec.ports); err != nil {
		_ = r.Stop()
		return nil, fmt.Errorf("%s did not start: %w\n%s", spec.name, err, r.Logs())
	}
	return r, nil
}

// waitReady polls, within startTimeout, until the pid file names our process
// and every port accepts a connection.
func (r *Running) waitReady(ports []int) error {
	deadline := time.Now().Add(startTimeout)
	pending := append([]int(nil), ports...)
	for {
		select {
		case <-r.done:
			return fmt.Errorf("exited early: %v", r.waitErr)
		default:
		}
		if r.pidFileIsOurs() {
			for len(pending) > 0 && dialable(pending[0]) {
				pending = pending[1:]
			}
			if len(pending) == 0 {
				return nil
			}
		}
		if time.Now().After(deadline) {
			if !r.pidFileIsOurs() {
				return fmt.Errorf("no pid file %s after %v", r.pidFile, startTimeout)
			}
			return fmt.Errorf("port %d not accepting connections after %v", pending[0], startTimeout)
		}
		time.Sleep(pollEvery)
	}
}

func (r *Running) pidFileIsOurs() bool {
	data, err := os.ReadFile(r.pidFile)
	if err != nil {
		return false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	return err == nil && pid == r.cmd.Process.Pid
}

func dialable(port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// Stop terminates the server and waits for it: SIGTERM to the master, then,
// if it is still there after stopTimeout, SIGKILL to its whole process group.
// Calling it again is harmless.
func (r *Running) Stop() error {
	select {
	case <-r.done:
		return nil
	default:
	}
	pgid := r.cmd.Process.Pid // Setpgid: the group id is the master's pid
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
		// Workers that outlived their master would keep the ports.
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		return nil
	case <-time.After(stopTimeout):
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	select {
	case <-r.done:
		return fmt.Errorf("did not stop within %v of SIGTERM; killed", stopTimeout)
	case <-time.After(stopTimeout):
		return errors.New("still running after SIGKILL")
	}
}

// Logs returns the server's logs, for failure messages.
func (r *Running) Logs() string {
	var b strings.Builder
	for _, path := range r.logs {
		data, err := os.ReadFile(path)
		if err != nil || len(data) == 0 {
			continue
		}
		fmt.Fprintf(&b, "--- %s ---\n%s", path, data)
		if data[len(data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	if b.Len() == 0 {
		return "(no log output)"
	}
	return b.String()
}

// FreePort returns a TCP port that nothing listens on at 127.0.0.1 right
// now: the kernel picks it for a listener that is closed again at once.
func FreePort(t testing.TB) int {
	t.Helper()
	return FreePortOn(t, "127.0.0.1")
}

var handedOut struct {
	sync.Mutex
	ports map[int]bool
}

// handOut marks port as given out by this process; false if it already was.
func handOut(port int) bool {
	handedOut.Lock()
	defer handedOut.Unlock()
	if handedOut.ports == nil {
		handedOut.ports = map[int]bool{}
	}
	if handedOut.ports[port] {
		return false
	}
	handedOut.ports[port] = true
	return true
}

// FreePortOn returns a port free on every one of hosts at once, for HA nodes
// on different loopback addresses that share artifactoryPort and routerPort.
func FreePortOn(t testing.TB, hosts ...string) int {
	t.Helper()
	for range 200 {
		// Below the kernel's ephemeral range (32768-60999 on Linux): a port
		// the kernel hands out for port 0 or for an outgoing connection (and
		// the tests make many) could be taken between this check and the
		// server's own bind; one picked at random here is only ever taken
		// by another test making the same pick at the same moment.
		port := 10000 + rand.IntN(32768-10000)
		if !handOut(port) {
			continue // given to another test of this process, maybe not bound yet
		}
		held := []net.Listener{}
		ok := true
		for _, h := range hosts {
			l, err := net.Listen("tcp", net.JoinHostPort(h, strconv.Itoa(port)))
			if err != nil {
				ok = false
				break
			}
			held = append(held, l)
		}
		for _, l := range held {
			_ = l.Close()
		}
		if ok {
			return port
		}
	}
	t.Fatalf("no port free on all of %v", hosts)
	return 0
}

// FreePorts returns n distinct free ports on 127.0.0.1.
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	seen := map[int]bool{}
	var out []int
	for len(out) < n {
		if p := FreePort(t); !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
