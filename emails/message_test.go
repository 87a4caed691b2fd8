package emails

import (
	"context"
	"mime"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/emails/smtptest"
)

// sendThrough sends m over a real SMTP server and returns what arrived.
func sendThrough(t *testing.T, ctx context.Context, m app.Message) []smtptest.Message {
	t.Helper()
	srv := smtptest.Start(t)
	s, err := NewSMTP(srv.URL(), from, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(ctx, m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	return srv.Messages()
}

func TestInviteTravelsAsACalendarPartAndAnAttachment(t *testing.T) {
	tm := mustTemplates(t)
	m, err := tm.Compose(letterFor("booking_confirmed"))
	if err != nil {
		t.Fatal(err)
	}
	got := sendThrough(t, context.Background(), m)
	if len(got) != 1 {
		t.Fatalf("%d messages arrived", len(got))
	}

	head, leaves, containers := readMIME(t, got[0].Data)
	if strings.Join(containers, " ") != "multipart/mixed multipart/alternative" {
		t.Errorf("structure = %v", containers)
	}
	var types []string
	for _, l := range leaves {
		types = append(types, l.mediaType)
	}
	if strings.Join(types, " ") != "text/plain text/html text/calendar application/ics" {
		t.Errorf("parts = %v", types)
	}
	cal, _ := find(leaves, "text/calendar")
	if cal.params["method"] != "REQUEST" || cal.params["charset"] == "" {
		t.Errorf("calendar part params = %v", cal.params)
	}
	ev := parseCalendar(t, cal.body).Events()[0]
	if ev.Id() != "bkg_1@encounters.test" {
		t.Errorf("invite UID = %q", ev.Id())
	}
	if ics, _ := find(leaves, "application/ics"); ics.filename != "invite.ics" || ics.body != cal.body {
		t.Errorf("attachment %q differs from the calendar part", ics.filename)
	}
	if head.Get("List-Unsubscribe") != "" {
		t.Errorf("essential mail has List-Unsubscribe %q", head.Get("List-Unsubscribe"))
	}
}

func TestUnsubscribeHeaders(t *testing.T) {
	cases := []struct {
		name, url, wantList, wantPost string
	}{
		{"https is one-click", "https://encounters.test/unsubscribe/usr_1/s3cret/reminders",
			"<https://encounters.test/unsubscribe/usr_1/s3cret/reminders>", "List-Unsubscribe=One-Click"},
		{"plain http (a laptop) is not", "http://localhost:8080/unsubscribe/usr_1/s/feedback",
			"<http://localhost:8080/unsubscribe/usr_1/s/feedback>", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := sample()
			m.Unsubscribe = c.url
			got := sendThrough(t, context.Background(), m)
			head, _, _ := readMIME(t, got[0].Data)
			if head.Get("List-Unsubscribe") != c.wantList || head.Get("List-Unsubscribe-Post") != c.wantPost {
				t.Errorf("List-Unsubscribe %q, Post %q", head.Get("List-Unsubscribe"), head.Get("List-Unsubscribe-Post"))
			}
		})
	}
}

func TestNamesAndSubjectsCannotAddHeaders(t *testing.T) {
	cases := map[string]func(*app.Message){
		"subject":             func(m *app.Message) { m.Subject = "Talk\r\nBcc: victim@example.com" },
		"subject, bare LF":    func(m *app.Message) { m.Subject = "Talk\nBcc: victim@example.com\n\nbody" },
		"name in the address": func(m *app.Message) { m.To = "\"Ann\r\nBcc: victim@example.com\" <ann@school.test>" },
		"attachment name": func(m *app.Message) {
			m.Attachments = []app.Attachment{{Name: "a\r\nBcc: victim@example.com", ContentType: "text/plain", Data: []byte("x")}}
		},
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			srv := smtptest.Start(t)
			s, err := NewSMTP(srv.URL(), from, nil)
			if err != nil {
				t.Fatal(err)
			}
			m := sample()
			spoil(&m)
			if err := s.Send(context.Background(), m); err != nil {
				if app.ErrorCode(err) != app.EInvalid {
					t.Fatalf("refused with %v, want EInvalid", err)
				}
				return // refusing is as safe as encoding
			}
			got := srv.Messages()
			if len(got) != 1 || len(got[0].To) != 1 {
				t.Fatalf("extra recipients: %+v", got)
			}
			head, _, _ := readMIME(t, got[0].Data)
			if head.Get("Bcc") != "" {
				t.Errorf("injected Bcc: %q", head.Get("Bcc"))
			}
		})
	}
}

// A subject that looks like an encoded word shows exactly as typed, not
// decoded into something else, short or long enough to fold, in any script.
func TestSubjectsThatLookEncodedShowAsTyped(t *testing.T) {
	for _, subject := range []string{
		"New booking request: =?utf-8?q?Injected=0D=0ABcc:_x@y.z?= talk",
		"=?UTF-8?B?SGVsbG8=?= " + strings.Repeat("Ysgol Gymraeg – café =? ", 6),
	} {
		m := sample()
		m.Subject = subject
		got := sendThrough(t, context.Background(), m)
		head, _, _ := readMIME(t, got[0].Data)
		decoded, err := new(mime.WordDecoder).DecodeHeader(head.Get("Subject"))
		if err != nil {
			t.Fatalf("decode subject %q: %v", head.Get("Subject"), err)
		}
		if want := strings.TrimSpace(subject); decoded != want {
			t.Errorf("subject reads %q, want %q as typed", decoded, want)
		}
	}
}

func TestBadUnsubscribeAndCalendarAreRefused(t *testing.T) {
	f, err := NewFolder(t.TempDir(), from, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(*app.Message){
		"script address":         func(m *app.Message) { m.Unsubscribe = "javascript:alert(1)" },
		"line break in address":  func(m *app.Message) { m.Unsubscribe = "https://a.test/u\r\nBcc: c@d.test" },
		"address closes bracket": func(m *app.Message) { m.Unsubscribe = "https://a.test/u>, <mailto:x@y.test" },
		"unknown method":         func(m *app.Message) { m.Calendar, m.CalendarMethod = "BEGIN:VCALENDAR", "REPLY" },
		"bad attachment type": func(m *app.Message) {
			m.Attachments = []app.Attachment{{Name: "a", ContentType: "text/plain\r\nBcc: x"}}
		},
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			m := sample()
			spoil(&m)
			if err := f.Send(context.Background(), m); app.ErrorCode(err) != app.EInvalid {
				t.Errorf("Send = %v, want EInvalid", err)
			}
		})
	}
}

func TestAJobKeepsOneMessageIDOverItsAttempts(t *testing.T) {
	ctx := WithJobID(context.Background(), "booking/bkg_1/2/usr_1")
	first := sendThrough(t, ctx, sample())
	again := sendThrough(t, ctx, sample())
	other := sendThrough(t, WithJobID(context.Background(), "booking/bkg_1/3/usr_1"), sample())

	h1, _, _ := readMIME(t, first[0].Data)
	h2, _, _ := readMIME(t, again[0].Data)
	h3, _, _ := readMIME(t, other[0].Data)
	if h1.Get("Message-Id") == "" || h1.Get("Message-Id") != h2.Get("Message-Id") || h1.Get("Message-Id") == h3.Get("Message-Id") {
		t.Errorf("Message-IDs %q, %q, %q", h1.Get("Message-Id"), h2.Get("Message-Id"), h3.Get("Message-Id"))
	}
	if h1.Get("X-Encounters-Job") != "booking/bkg_1/2/usr_1" {
		t.Errorf("X-Encounters-Job = %q", h1.Get("X-Encounters-Job"))
	}
}
