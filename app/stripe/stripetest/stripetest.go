// Package stripetest runs stripe-mock, Stripe's mock API server, for
// tests: built from the Go module proxy at the version go.mod pins as a
// tool, started on a loopback port and stopped when the test ends. It also
// builds signed webhook payloads and records what a client sent.
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

// Start starts stripe-mock on a free loopback port and returns its base
// URL ("http://127.0.0.1:PORT"). The binary is built once per test binary
// (from the Go build cache when it is there); the server stops when t
// ends.
func Start(t testing.TB) string {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatalf("stripetest: build stripe-mock: %v", err)
	}

	// Both listeners on port 0: stripe-mock opens HTTPS on a fixed port
	// unless told otherwise, which would clash between test binaries.
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("stripetest: start stripe-mock: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	addr, err := listenAddress(out)
	if err != nil {
		t.Fatalf("stripetest: stripe-mock did not start: %v\n%s", err, stderr.String())
	}
	url := "http://" + addr
	if err := waitAnswering(url); err != nil {
		t.Fatalf("stripetest: stripe-mock does not answer: %v", err)
	}
	return url
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
