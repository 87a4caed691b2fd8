package emails

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/emails/smtptest"
)

const from = "Encounters <no-reply@encounters.test>"

func sample() app.Message {
	return app.Message{
		To:      "careers.lead@school.test",
		Subject: "Reset your Encounters password",
		Text:    "Use this link to choose a new password: https://encounters.test/reset/abc",
		HTML:    "<p>Use <a href=\"https://encounters.test/reset/abc\">this link</a>.</p>",
		Kind:    "password_reset",
	}
}

// parts reads a message and returns its headers and its text and HTML parts.
func parts(t *testing.T, raw []byte) (*mail.Message, map[string]string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	out := map[string]string{}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		body, _ := io.ReadAll(decodePart(p))
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[ct] = string(body)
	}
	return msg, out
}

func TestFolderWritesOneParsableEMLPerMessage(t *testing.T) {
	dir := t.TempDir()
	f, err := NewFolder(filepath.Join(dir, "mail"), from, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Send(context.Background(), sample()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "mail", "*.eml"))
	if len(files) != 1 {
		t.Fatalf("got %d .eml files, want 1", len(files))
	}
	raw, _ := os.ReadFile(files[0])
	msg, body := parts(t, raw)
	if got := msg.Header.Get("To"); !strings.Contains(got, "careers.lead@school.test") {
		t.Errorf("To = %q", got)
	}
	if !strings.Contains(body["text/plain"], "choose a new password") || !strings.Contains(body["text/html"], "this link") {
		t.Errorf("parts = %q", body)
	}
	if err := f.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestSMTPDeliversThroughARealServer(t *testing.T) {
	srv := smtptest.Start(t)
	s, err := NewSMTP(srv.URL(), from, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), sample()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Messages()
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != "careers.lead@school.test" {
		t.Fatalf("server received %+v", got)
	}
	msg, body := parts(t, got[0].Data)
	if msg.Header.Get("Subject") != "Reset your Encounters password" || body["text/plain"] == "" {
		t.Errorf("subject %q, parts %q", msg.Header.Get("Subject"), body)
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestUserTextCannotAddHeaders(t *testing.T) {
	srv := smtptest.Start(t)
	s, err := NewSMTP(srv.URL(), from, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := sample()
	m.Subject = "Talk for Year 9\r\nBcc: victim@example.com"
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Messages()
	if len(got) != 1 || len(got[0].To) != 1 {
		t.Fatalf("a header in the subject added recipients: %+v", got)
	}
	msg, _ := parts(t, got[0].Data)
	if msg.Header.Get("Bcc") != "" {
		t.Errorf("subject injected a Bcc header: %q", msg.Header.Get("Bcc"))
	}
}

func TestBadMessagesAreRefused(t *testing.T) {
	f, err := NewFolder(t.TempDir(), from, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(*app.Message){
		"no recipient":      func(m *app.Message) { m.To = "" },
		"not an address":    func(m *app.Message) { m.To = "not an address" },
		"header in address": func(m *app.Message) { m.To = "a@b.test\r\nBcc: c@d.test" },
		"no text part":      func(m *app.Message) { m.Text = "" },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			m := sample()
			spoil(&m)
			if err := f.Send(context.Background(), m); err == nil {
				t.Error("Send accepted a bad message")
			}
		})
	}
}
