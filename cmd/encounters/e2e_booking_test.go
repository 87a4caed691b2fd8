package main

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCommand runs one command of the binary on the data folder and returns its
// standard output.
func runCommand(t *testing.T, bin, data string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "ENCOUNTERS_DATA_DIR="+data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// postJSON sends body with a bearer token and decodes the answer.
func postJSON(t *testing.T, u, token, body string, into any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "e2e-first-booking")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("POST %s: answer is not JSON: %v", u, err)
	}
	return resp.StatusCode
}

// TestBinaryBooksPlacesAndMailsTheSchool drives the built binary as a
// careers leader would through the API: book places on a demo careers
// talk, see the places taken, and find the email the outbox worker wrote
// to the data folder's mail.
func TestBinaryBooksPlacesAndMailsTheSchool(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	startServer(t, bin, data).stop(t) // first start imports the schools and seeds the market

	runCommand(t, bin, data, "user", "add", "--email", "careers@consett.test", "--org", "137638", "--role", "owner")
	token := runCommand(t, bin, data, "token", "--email", "careers@consett.test")
	p := startServer(t, bin, data)

	var offer struct {
		Sessions []struct {
			ID string `json:"id"`
		} `json:"sessions"`
	}
	if code := getJSON(t, p.base+"/api/v1/offers/demo-offer-amazon-talk", &offer); code != 200 || len(offer.Sessions) == 0 {
		t.Fatalf("demo careers talk = %d with %d sessions", code, len(offer.Sessions))
	}
	sessionURL := p.base + "/api/v1/sessions/" + offer.Sessions[len(offer.Sessions)-1].ID
	var before, after struct {
		Places     int `json:"places"`
		PlacesLeft int `json:"places_left"`
	}
	getJSON(t, sessionURL, &before)

	var booking struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	body := `{"places": 5, "group": "pupils", "year_groups": [9]}`
	if code := postJSON(t, sessionURL+"/bookings", token, body, &booking); code != 201 || booking.State != "requested" {
		t.Fatalf("booking = %d %+v\n%s", code, booking, p.logs)
	}
	var again struct {
		ID string `json:"id"`
	}
	postJSON(t, sessionURL+"/bookings", token, body, &again)
	if again.ID != booking.ID {
		t.Errorf("a retry with the same Idempotency-Key made booking %s, want %s", again.ID, booking.ID)
	}
	getJSON(t, sessionURL, &after)
	if after.PlacesLeft != before.PlacesLeft-5 {
		t.Errorf("places left %d after booking 5 of %d", after.PlacesLeft, before.PlacesLeft)
	}

	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", p.logs)
		}
	})
	if mail := waitForMail(t, filepath.Join(data, "mail"), "booking/"+booking.ID+"/1/"); !strings.Contains(mail, "Subject:") {
		t.Errorf("the booking's email has no subject:\n%s", mail)
	}
	if strings.Contains(p.logs.String(), "careers@consett.test") {
		t.Error("the server log carries the careers leader's email address")
	}
	p.stop(t)
}

// mailForJob reads an .eml file and reports whether its job header starts
// with job.
func mailForJob(file, job string) (string, bool) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", false
	}
	m, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return "", false
	}
	got, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("X-Encounters-Job"))
	return string(b), err == nil && strings.HasPrefix(got, job)
}

// waitForMail waits for an .eml file whose job header starts with job,
// and returns it.
func waitForMail(t *testing.T, dir, job string) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		for _, f := range files {
			if b, ok := mailForJob(f, job); ok {
				return b
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	t.Fatalf("no email for job %s among %d in %s within a minute", job, len(files), dir)
	return ""
}
