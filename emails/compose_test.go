package emails

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

func mustTemplates(t testing.TB) *Templates {
	t.Helper()
	tm, err := NewTemplates()
	if err != nil {
		t.Fatalf("NewTemplates: %v", err)
	}
	return tm
}

var hrefPattern = regexp.MustCompile(`(?i)(href|src)="([^"]*)"`)

func TestEveryKindComposesAWholeEmail(t *testing.T) {
	tm := mustTemplates(t)
	for _, kind := range LetterKinds {
		t.Run(kind, func(t *testing.T) {
			l := letterFor(kind)
			m, err := tm.Compose(l)
			if err != nil {
				t.Fatalf("Compose: %v", err)
			}
			if m.To != l.To || m.Kind != kind || m.Unsubscribe != l.Unsubscribe {
				t.Errorf("To %q, Kind %q, Unsubscribe %q", m.To, m.Kind, m.Unsubscribe)
			}
			if m.Subject == "" || strings.ContainsAny(m.Subject, "\r\n") {
				t.Errorf("Subject = %q", m.Subject)
			}
			for part, body := range map[string]string{"subject": m.Subject, "text": m.Text, "html": m.HTML} {
				if strings.Contains(body, "<no value>") || strings.Contains(body, "%!") {
					t.Errorf("%s has a hole in it:\n%s", part, body)
				}
			}
			if !strings.HasPrefix(m.Text, "Hello Ann,\n\n") || !strings.Contains(m.Text, l.Link) {
				t.Errorf("text does not greet and give the link:\n%s", m.Text)
			}
			if !strings.Contains(m.HTML, `href="`+l.Link+`"`) {
				t.Errorf("HTML has no link to %s", l.Link)
			}
		})
	}
}

func TestEmailsCarryNoTracking(t *testing.T) {
	tm := mustTemplates(t)
	for _, kind := range LetterKinds {
		l := letterFor(kind)
		m, err := tm.Compose(l)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if strings.Contains(strings.ToLower(m.HTML), "<img") {
			t.Errorf("%s: HTML has an image", kind)
		}
		for _, match := range hrefPattern.FindAllStringSubmatch(m.HTML, -1) {
			if u := match[2]; u != l.Link && u != l.BaseURL && u != l.Unsubscribe {
				t.Errorf("%s: HTML links to %q, which is not the letter's own link", kind, u)
			}
		}
	}
}

func TestWhatPeopleTypeIsEscapedInHTMLOnly(t *testing.T) {
	tm := mustTemplates(t)
	l := letterFor("booking_requested")
	l.Name = `Ann <b>"Head"</b>`
	l.Booking.OfferTitle = `<script>alert("x")</script> & friends`
	l.Booking.Details = `<img src="https://tracker.test/p.gif">`

	m, err := tm.Compose(l)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"<script>", "<b>", "<img"} {
		if strings.Contains(m.HTML, raw) {
			t.Errorf("HTML contains %q unescaped", raw)
		}
	}
	if !strings.Contains(m.HTML, "&lt;script&gt;") || !strings.Contains(m.Text, `<script>alert("x")</script> & friends`) {
		t.Errorf("escaping is wrong: text %q", m.Text)
	}
}

func TestUserTextCannotBreakTheSubject(t *testing.T) {
	tm := mustTemplates(t)
	l := letterFor("booking_confirmed")
	l.Booking.OfferTitle = "Talk\r\nBcc: victim@example.com"
	l.Name = "Ann\r\nBcc: victim@example.com"

	m, err := tm.Compose(l)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.Subject, "\r\n") || !strings.HasPrefix(m.Subject, "Booking confirmed: Talk Bcc:") {
		t.Errorf("Subject = %q", m.Subject)
	}
}

func TestInvitesAreAttached(t *testing.T) {
	tm := mustTemplates(t)
	cases := []struct {
		kind, method string
	}{
		{"booking_confirmed", "REQUEST"},
		{"reminder_1d", "REQUEST"},
		{"booking_cancelled", "CANCEL"},
	}
	for _, c := range cases {
		t.Run(c.kind, func(t *testing.T) {
			m, err := tm.Compose(letterFor(c.kind))
			if err != nil {
				t.Fatal(err)
			}
			if m.CalendarMethod != c.method || !strings.Contains(m.Calendar, "METHOD:"+c.method+"\r\n") {
				t.Errorf("method %q, calendar:\n%s", m.CalendarMethod, m.Calendar)
			}
			if len(m.Attachments) != 1 || m.Attachments[0].Name != "invite.ics" || string(m.Attachments[0].Data) != m.Calendar {
				t.Errorf("attachments = %+v", m.Attachments)
			}
		})
	}

	m, err := tm.Compose(letterFor("booking_requested"))
	if err != nil || m.Calendar != "" || len(m.Attachments) != 0 {
		t.Errorf("a letter without an invite got one: %v %q", err, m.Calendar)
	}
}

func TestInvitesWithoutAnOrganizerGetTheSender(t *testing.T) {
	tm := mustTemplates(t)
	tm.Organizer = "Encounters <no-reply@encounters.test>"
	l := letterFor("booking_confirmed")
	l.Invite.Organizer = ""

	m, err := tm.Compose(l)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Calendar, "\r\nORGANIZER;CN=Encounters:mailto:no-reply@encounters.test\r\n") {
		t.Errorf("no ORGANIZER in:\n%s", m.Calendar)
	}
}

func TestLettersMissingTheirRecordAreRefused(t *testing.T) {
	tm := mustTemplates(t)
	cases := map[string]func(*app.Letter){
		"unknown kind":        func(l *app.Letter) { l.Kind = "password_reset_typo" },
		"no recipient":        func(l *app.Letter) { l.To = "" },
		"booking without one": func(l *app.Letter) { l.Booking = nil },
		"hold without entry":  func(l *app.Letter) { l.Kind, l.Waitlist = "hold_offered", nil },
		"receipt, no event":   func(l *app.Letter) { l.Kind, l.Event = "sponsorship_receipt", nil },
		"invite, no UID":      func(l *app.Letter) { l.Invite.UID = "" },
		"invite, bad method":  func(l *app.Letter) { l.Invite.Method = "PUBLISH" },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			l := letterFor("booking_confirmed")
			spoil(&l)
			if _, err := tm.Compose(l); app.ErrorCode(err) != app.EInternal {
				t.Errorf("Compose = %v, want an internal error", err)
			}
		})
	}
}

func TestEveryTemplateFileBelongsToAKind(t *testing.T) {
	known := map[string]bool{"layout.txt": true, "layout.html": true}
	for _, k := range LetterKinds {
		known[k+".txt"], known[k+".html"] = true, true
	}
	files, err := fs.ReadDir(templateFiles, "templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !known[f.Name()] {
			t.Errorf("templates/%s belongs to no letter kind", f.Name())
		}
	}
	if len(files) != len(known) {
		t.Errorf("%d template files, want %d", len(files), len(known))
	}
}

func TestWordsFollowTheRecords(t *testing.T) {
	tm := mustTemplates(t)
	cases := []struct {
		name  string
		kind  string
		spoil func(*app.Letter)
		want  []string
	}{
		{"confirmed says when and where", "booking_confirmed", nil,
			[]string{"Tuesday 2 March 2027, 09:30 to 11:00", "Where: DH1 3LE", "30 pupils in Years 9 and 10", "A calendar invite is attached"}},
		{"declined gives the reason", "booking_declined", nil,
			[]string{"Their reason: Our engineers are on site that week."}},
		{"cancelled names who and why", "booking_cancelled", nil,
			[]string{"Durham Johnston School has cancelled", "Reason given: Snow closed the school."}},
		{"chaser lists what is owed", "checklist_missing", nil,
			[]string{"- Parental consent for every pupil", "- Employers' liability insurance: it expires before the session"}},
		{"hold gives the deadline", "hold_offered", nil,
			[]string{"until Thursday 25 February 2027 at 14:00", "12 places"}},
		{"receipt in pounds and pence", "sponsorship_receipt", nil,
			[]string{"£1,000.10", "Reference: spn_1", "Towards: Coaches from rural schools", "as Bloggs & Sons"}},
		{"partial refund", "sponsorship_refunded", nil,
			[]string{"refunded £19.99 of your £1,000.10"}},
		{"failed payment says nothing was taken", "sponsorship_failed", nil,
			[]string{"Your payment of £1,000.10 to sponsor", "no money was taken", "Reference: spn_1"}},
		{"full refund", "sponsorship_refunded", func(l *app.Letter) { l.Sponsorship.RefundedPence = l.Sponsorship.AmountPence },
			[]string{"in full: £1,000.10"}},
		{"notice adds up money in", "sponsorship_notice", nil,
			[]string{"Jo Bloggs has sponsored", "Money in so far: £1,040.10 of your £2,500.00 goal", "Their message: Good luck <all>!"}},
		{"teachers", "booking_received", func(l *app.Letter) {
			l.Booking.Group, l.Booking.Places, l.Booking.YearGroups = app.GroupTeachers, 2, nil
		}, []string{"For: 2 teachers from"}},
		{"unsubscribe footer", "reminder_7d", nil,
			[]string{"You get reminders because", "https://encounters.test/unsubscribe/usr_1/secret/reminders"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := letterFor(c.kind)
			if c.spoil != nil {
				c.spoil(&l)
			}
			m, err := tm.Compose(l)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(m.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, m.Text)
				}
			}
		})
	}
}
