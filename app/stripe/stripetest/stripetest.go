// Package stripetest runs stripe-mock, Stripe's mock API server, for
// tests: built from the Go module proxy at the version go.mod pins as a
// tool, started on a free loopback port and stopped when the tests end.
// It also builds signed webhook payloads and records what a client sent.
package stripetest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Keys the tests use; stripe-mock takes any key of the right shape.
const (
	SecretKey     = "sk_test_encounters"
	WebhookSecret = "whsec_test_encounters"
)

// startTimeout bounds how long stripe-mock may take to listen.
const startTimeout = 60 * time.Second

var build struct {
	once sync.Once
	path string
	err  error
}

// Start returns the base URL ("http://127.0.0.1:PORT") of a stripe-mock
// listening on a free loopback port. stripe-mock keeps no state, so on
// Linux one server serves every test of the test binary: it is started by
// the first test that asks and killed by the kernel when the test binary
// exits (see proc_linux.go). Elsewhere each call starts its own server,
// stopped when t ends. The binary is built once per test binary, from the
// Go build cache when it is there.
func Start(t testing.TB) string {
	t.Helper()
	if !shareServer {
		return startOwn(t)
	}

	shared.once.Do(func() {
		shared.url, shared.err = startShared()
	})
	if shared.err != nil {
		t.Fatalf("stripetest: %v", shared.err)
	}
	return shared.url
}

var shared struct {
	once sync.Once
	url  string
	err  error
}

// startOwn starts a stripe-mock for t alone.
func startOwn(t testing.TB) string {
	t.Helper()
	cmd, stderr, err := command()
	if err != nil {
		t.Fatalf("stripetest: %v", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("stripetest: start stripe-mock: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	url, err := awaitServer(out, stderr)
	if err != nil {
		t.Fatalf("stripetest: %v", err)
	}
	return url
}

// startShared starts the test binary's stripe-mock from a goroutine
// locked to its thread for good, since the kernel's parent-death signal
// follows the thread that started the child, not the process.
func startShared() (string, error) {
	cmd, stderr, err := command()
	if err != nil {
		return "", err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	dieWithParent(cmd)

	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread lives as long as the process
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
		select {}
	}()
	if err := <-started; err != nil {
		return "", fmt.Errorf("start stripe-mock: %w", err)
	}
	return awaitServer(out, stderr)
}

// command prepares stripe-mock with both listeners on port 0: it opens
// HTTPS on a fixed port unless told otherwise, which would clash between
// test binaries running at once.
func command() (*exec.Cmd, *syncBuffer, error) {
	bin, err := binary()
	if err != nil {
		return nil, nil, fmt.Errorf("build stripe-mock: %w", err)
	}

	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	return cmd, stderr, nil
}

// syncBuffer keeps what stripe-mock writes to stderr, to show when it
// fails to start.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write keeps p.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// awaitServer waits until the started stripe-mock listens and answers,
// and returns its URL.
func awaitServer(out io.Reader, stderr *syncBuffer) (string, error) {
	addr, err := listenAddress(out)
	if err != nil {
		return "", fmt.Errorf("stripe-mock did not start: %v\n%s", err, stderr.String())
	}

	url := "http://" + addr
	if err := waitAnswering(url); err != nil {
		return "", fmt.Errorf("stripe-mock does not answer: %w", err)
	}
	return url, nil
}

// listenAddress reads stripe-mock's output until it says where it
// listens for HTTP, then keeps draining it in the background.
func listenAddress(out io.Reader) (string, error) {
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		const prefix = "Listening for HTTP at address: "
		for sc.Scan() {
			if addr, ok := strings.CutPrefix(sc.Text(), prefix); ok {
				found <- addr
				break
			}
		}
		close(found)
		_, _ = io.Copy(io.Discard, out)
	}()

	select {
	case addr, ok := <-found:
		if !ok {
			return "", fmt.Errorf("it exited without listening")
		}
		return addr, nil
	case <-time.After(startTimeout):
		return "", fmt.Errorf("it did not listen within %v", startTimeout)
	}
}

// waitAnswering polls url until stripe-mock answers an HTTP request.
func waitAnswering(url string) error {
	deadline := time.Now().Add(startTimeout)
	for {
		resp, err := http.Get(url + "/v1/balance")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// binary returns the path of a stripe-mock executable built at the
// version go.mod pins, building it at most once per test binary.
func binary() (string, error) {
	build.once.Do(func() {
		build.path, build.err = buildStripeMock()
	})
	return build.path, build.err
}

// buildStripeMock asks the go command for the tool's executable, which
// `go tool -n` builds into the build cache, so later test runs reuse it.
// Should that fail, it builds one into a temporary folder.
func buildStripeMock() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "tool", "-n", "stripe-mock")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		path := strings.TrimSpace(string(out))
		if _, err := os.Stat(path); err == nil {
			return path, nil
		}
	}

	dir, err := os.MkdirTemp("", "stripetest-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "stripe-mock")
	cmd = exec.Command("go", "build", "-o", path, "github.com/stripe/stripe-mock")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build stripe-mock: %v\n%s", err, out)
	}
	return path, nil
}

// moduleRoot is the folder of the go.mod of the package under test.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}

	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}
