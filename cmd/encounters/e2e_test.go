package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles the command once for the end-to-end tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "encounters")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is the binary running "serve" on port 0.
type process struct {
	cmd  *exec.Cmd
	base string
	logs *logBuffer
	done chan error
}

// logBuffer collects the server's stderr while the test reads it.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listening = regexp.MustCompile(`encounters listening"? addr=(\S+)`)

func startServer(t *testing.T, bin, dataDir string) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "ENCOUNTERS_ADDR=127.0.0.1:0", "ENCOUNTERS_DATA_DIR="+dataDir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, logs: &logBuffer{}, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.logs.WriteString(line + "\n")
			if m := listening.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })

	select {
	case a := <-addr:
		p.base = "http://" + a
	case err := <-p.done:
		t.Fatalf("server exited before listening: %v\n%s", err, p.logs)
	case <-time.After(5 * time.Minute):
		t.Fatalf("server did not start\n%s", p.logs)
	}
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("server exit: %v\n%s", err, p.logs)
		}
	case <-time.After(time.Minute):
		t.Fatalf("server did not stop on SIGTERM\n%s", p.logs)
	}
	if !strings.Contains(p.logs.String(), "stopped cleanly") {
		t.Errorf("no clean shutdown in logs:\n%s", p.logs)
	}
}

func getJSON(t *testing.T, u string, into any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if into != nil {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("GET %s: not JSON (%v): %s", u, err, body)
		}
	}
	return resp.StatusCode
}

type offersPage struct {
	Total   int `json:"total"`
	Results []struct {
		ID         string   `json:"id"`
		Title      string   `json:"title"`
		DistanceKm *float64 `json:"distance_km"`
		Sessions   []struct {
			ID         string `json:"id"`
			PlacesLeft int    `json:"places_left"`
		} `json:"sessions"`
	} `json:"results"`
}

func TestBinaryServesARealCountyMarketAndStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	p := startServer(t, bin, data)

	var health struct {
		Status  string                     `json:"status"`
		Engines map[string]json.RawMessage `json:"engines"`
	}
	if code := getJSON(t, p.base+"/healthz", &health); code != 200 || health.Status != "ok" {
		t.Fatalf("/healthz = %d %+v", code, health)
	}
	for _, concern := range []string{"documents", "search", "mail"} {
		if _, ok := health.Engines[concern]; !ok {
			t.Errorf("/healthz does not name the %s engine", concern)
		}
	}

	q := url.Values{"near": {"DH1 3LE"}, "within_km": {"60"}, "sort": {"distance"}, "per_page": {"50"}}
	var page offersPage
	if code := getJSON(t, p.base+"/api/v1/offers?"+q.Encode(), &page); code != 200 {
		t.Fatalf("search near DH1 3LE = %d", code)
	}
	if page.Total == 0 || len(page.Results) == 0 {
		t.Fatal("a fresh data folder has no offers near Durham: the demo market is missing")
	}
	// Located offers come first, nearest first; virtual offers, which have
	// no distance_km, only after every one of them.
	last, located, virtual := -1.0, 0, 0
	for _, r := range page.Results {
		if r.DistanceKm == nil {
			virtual++
			continue
		}
		if virtual > 0 {
			t.Errorf("result %s has a distance but follows a virtual offer", r.ID)
		}
		if *r.DistanceKm < last {
			t.Errorf("results not ordered by distance: %.1f after %.1f", *r.DistanceKm, last)
		}
		last = *r.DistanceKm
		located++
	}
	if located == 0 {
		t.Error("no result near Durham has a distance_km")
	}

	var requests struct {
		Total   int `json:"total"`
		Results []struct {
			ID string `json:"id"`
		} `json:"results"`
	}
	if code := getJSON(t, p.base+"/api/v1/requests", &requests); code != 200 || requests.Total == 0 {
		t.Fatalf("open requests = %d, total %d", code, requests.Total)
	}
	var matches struct {
		Results []struct {
			OfferID string   `json:"offer_id"`
			Reasons []string `json:"reasons"`
		} `json:"results"`
	}
	if code := getJSON(t, p.base+"/api/v1/requests/"+requests.Results[0].ID+"/matches", &matches); code != 200 {
		t.Fatalf("matches = %d", code)
	}
	// Another command on the same data folder is refused at once with a
	// reason, rather than waiting for the server's locks.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	other := exec.CommandContext(ctx, bin, "token", "--email", "lead@school.test")
	other.Env = append(os.Environ(), "ENCOUNTERS_DATA_DIR="+data)
	out, err := other.CombinedOutput()
	if err == nil || ctx.Err() != nil || !strings.Contains(string(out), "is in use by another encounters process") {
		t.Errorf("a second process on the data folder: err %v, ctx %v, output %s", err, ctx.Err(), out)
	}
	p.stop(t)

	// Nothing written is lost: a restart on the same folder sees the same market
	// and does not import or seed a second time.
	p = startServer(t, bin, data)
	var again offersPage
	getJSON(t, p.base+"/api/v1/offers?"+q.Encode(), &again)
	if again.Total != page.Total {
		t.Errorf("after restart total = %d, want %d", again.Total, page.Total)
	}
	if strings.Contains(p.logs.String(), "first start") {
		t.Error("a restart ran the first-start import again")
	}
	p.stop(t)
}

func TestImportCommandPrintsSummaryLast(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	file := "../../app/gias/data/schools_gias2022_county_durham.csv"

	run := func() string {
		cmd := exec.CommandContext(context.Background(), bin, "import", "schools", file)
		cmd.Env = append(os.Environ(), "ENCOUNTERS_DATA_DIR="+data)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("import: %v\n%s", err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return lines[len(lines)-1]
	}
	first := run()
	if !regexp.MustCompile(`^read=488 created=\d+ updated=0 unchanged=0 rejected=\d+$`).MatchString(first) {
		t.Errorf("first import summary = %q", first)
	}
	var created, rejected int
	fmt.Sscanf(first, "read=488 created=%d updated=0 unchanged=0 rejected=%d", &created, &rejected)
	if created+rejected != 488 || created < 480 {
		t.Errorf("first import created %d rejected %d", created, rejected)
	}
	if second := run(); second != fmt.Sprintf("read=488 created=0 updated=0 unchanged=%d rejected=%d", created, rejected) {
		t.Errorf("second import of the same file = %q, want nothing changed", second)
	}
}

// The README signs the coordinator in by adding them before the first
// start; the folder must still get the county's schools and the demo market.
func TestAddingTheCoordinatorFirstStillSetsUpTheMarket(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()

	add := exec.CommandContext(context.Background(), bin,
		"user", "add", "--email", "lead@county.test", "--org", "coordinator", "--role", "owner")
	add.Env = append(os.Environ(), "ENCOUNTERS_DATA_DIR="+data)
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add on a new folder: %v\n%s", err, out)
	}

	p := startServer(t, bin, data)
	var events struct {
		Total int `json:"total"`
	}
	if code := getJSON(t, p.base+"/api/v1/events", &events); code != 200 || events.Total == 0 {
		t.Errorf("civic events after user add then serve = %d, total %d, want the demo events", code, events.Total)
	}
	var requests struct {
		Total int `json:"total"`
	}
	if getJSON(t, p.base+"/api/v1/requests", &requests); requests.Total == 0 {
		t.Error("no open requests from the county's schools after user add then serve")
	}
	var offers offersPage
	if getJSON(t, p.base+"/api/v1/offers", &offers); offers.Total == 0 {
		t.Error("no offers found after user add then serve: the search index was not filled")
	}
	p.stop(t)

	// A school from the shipped extract (Woodham Burn, URN 109302) can
	// have members added: the schools were imported.
	lead := exec.CommandContext(context.Background(), bin,
		"user", "add", "--email", "lead@woodham.test", "--org", "109302", "--role", "owner")
	lead.Env = append(os.Environ(), "ENCOUNTERS_DATA_DIR="+data)
	if out, err := lead.CombinedOutput(); err != nil {
		t.Errorf("user add to school 109302: %v\n%s", err, out)
	}
}
