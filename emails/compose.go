package emails

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/encounters/encounters/app"
)

//go:embed templates
var templateFiles embed.FS

// LetterKinds lists every letter the templates can write, by the name
// app.Letter.Kind gives it.
var LetterKinds = []string{
	"booking_requested", "booking_received", "booking_confirmed", "booking_declined",
	"booking_cancelled", "booking_delivered", "booking_attendance_corrected", "booking_no_show",
	"booking_rescheduled", "checklist_missing",
	"reminder_7d", "reminder_1d", "feedback_request",
	"waitlist_joined", "hold_offered", "hold_lapsed", "waitlist_closed",
	"sponsorship_receipt", "sponsorship_notice", "sponsorship_refunded", "sponsorship_corrected",
	"sponsorship_failed",
}

// Templates writes the product's booking and sponsorship emails from the
// template files in templates/: for each kind, KIND.txt defines the
// subject and the plain-text body and KIND.html the HTML body, inside the
// shared layout.txt and layout.html. Text goes through text/template and
// HTML through html/template, which escapes everything a person typed.
// Templates implements app.Composer and is safe for concurrent use.
type Templates struct {
	kinds map[string]kind
	// Organizer is the ORGANIZER of invites that name none, as calendars
	// expect one on a REQUEST or CANCEL: the sending address (MAIL_FROM).
	Organizer string
	// Now stamps invites that carry no Stamp; nil means time.Now.
	Now func() time.Time
}

type kind struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// NewTemplates parses every template; it fails when one is missing or
// does not parse, so a bad template stops the program at start.
func NewTemplates() (*Templates, error) {
	t := &Templates{kinds: map[string]kind{}}
	for _, name := range LetterKinds {
		k, err := parseKind(templateFiles, name)
		if err != nil {
			return nil, err
		}
		t.kinds[name] = k
	}
	return t, nil
}

func parseKind(files fs.FS, name string) (kind, error) {
	text, err := texttemplate.New(name).Funcs(textFuncs).
		ParseFS(files, "templates/layout.txt", "templates/"+name+".txt")
	if err != nil {
		return kind{}, fmt.Errorf("parse %s text template: %w", name, err)
	}
	html, err := htmltemplate.New(name).Funcs(htmlFuncs).
		ParseFS(files, "templates/layout.html", "templates/"+name+".html")
	if err != nil {
		return kind{}, fmt.Errorf("parse %s HTML template: %w", name, err)
	}

	for _, part := range []string{"subject", "body"} {
		if text.Lookup(part) == nil {
			return kind{}, fmt.Errorf("%s.txt defines no %q", name, part)
		}
	}
	if html.Lookup("body") == nil {
		return kind{}, fmt.Errorf("%s.html defines no \"body\"", name)
	}
	return kind{text: text, html: html}, nil
}

// Compose renders a letter into a message: its subject, text and HTML
// parts, the one-click unsubscribe address, and, when the letter carries
// an invite, the iCalendar object with its method and an invite.ics
// attachment. A letter of an unknown kind, or without the record its
// kind is about, is an EInternal error: the caller built it wrongly.
func (t *Templates) Compose(l app.Letter) (app.Message, error) {
	k, ok := t.kinds[l.Kind]
	if !ok {
		return app.Message{}, app.Errorf(app.EInternal, "compose: no template for letter kind %q", l.Kind)
	}
	if err := complete(l); err != nil {
		return app.Message{}, err
	}

	v := view{Letter: l, Category: categoryWords(l.Kind)}
	if v.At.IsZero() {
		v.At = t.now()
	}
	subject, err := renderText(k.text, "subject", v)
	if err != nil {
		return app.Message{}, err
	}
	v.Subject = oneLine(subject)
	text, err := renderText(k.text, "text", v)
	if err != nil {
		return app.Message{}, err
	}
	html, err := renderHTML(k.html, v)
	if err != nil {
		return app.Message{}, err
	}

	m := app.Message{To: l.To, Subject: v.Subject, Text: text, HTML: html, Kind: l.Kind, Unsubscribe: l.Unsubscribe}
	if l.Invite != nil {
		if err := t.attachInvite(&m, *l.Invite); err != nil {
			return app.Message{}, err
		}
	}
	return m, nil
}

// attachInvite adds the invite as the text/calendar alternative and as
// invite.ics, for mail programs that show only attachments.
func (t *Templates) attachInvite(m *app.Message, inv app.Invite) error {
	if inv.Stamp.IsZero() {
		inv.Stamp = t.now()
	}
	if inv.Organizer == "" {
		inv.Organizer = t.Organizer
	}
	cal, method, err := inviteCalendar(inv)
	if err != nil {
		return internalError(err, "compose %s: invite", m.Kind)
	}

	m.Calendar = cal
	m.CalendarMethod = method
	m.Attachments = append(m.Attachments, app.Attachment{
		Name: "invite.ics", ContentType: "application/ics", Data: []byte(cal),
	})
	return nil
}

// Calendar renders a subscription feed named name: METHOD:PUBLISH, the
// Europe/London time zone, and one event per invite, cancelled ones with
// STATUS:CANCELLED so that subscribed calendars drop them.
func (t *Templates) Calendar(name string, invites []app.Invite) ([]byte, error) {
	for i := range invites {
		if invites[i].Stamp.IsZero() {
			invites[i].Stamp = t.now()
		}
	}

	cal, err := feedCalendar(name, invites)
	if err != nil {
		return nil, internalError(err, "render calendar feed")
	}
	return []byte(cal), nil
}

func (t *Templates) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func renderText(tmpl *texttemplate.Template, name string, v view) (string, error) {
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, name, v); err != nil {
		return "", internalError(err, "compose %s email", v.Kind)
	}
	return strings.TrimSpace(b.String()) + "\n", nil
}

func renderHTML(tmpl *htmltemplate.Template, v view) (string, error) {
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, "html", v); err != nil {
		return "", internalError(err, "compose %s email", v.Kind)
	}
	return b.String(), nil
}

// complete checks that a letter carries what its kind is about.
func complete(l app.Letter) error {
	var missing string
	switch {
	case l.To == "":
		missing = "a recipient"
	case strings.HasPrefix(l.Kind, "booking_") || strings.HasPrefix(l.Kind, "reminder_") ||
		l.Kind == "checklist_missing" || l.Kind == "feedback_request":
		if l.Booking == nil {
			missing = "a booking"
		}
	case strings.HasPrefix(l.Kind, "hold_") || l.Kind == "waitlist_joined":
		if l.Waitlist == nil {
			missing = "a waitlist entry"
		}
	case strings.HasPrefix(l.Kind, "sponsorship_"):
		if l.Sponsorship == nil || l.Event == nil {
			missing = "a sponsorship and its event"
		}
	}

	if missing != "" {
		return app.Errorf(app.EInternal, "compose %s email: the letter has no %s", l.Kind, missing)
	}
	return nil
}

// categoryWords names the mail category of a kind that carries an
// unsubscribe link, for the footer that explains it.
func categoryWords(kind string) string {
	switch {
	case kind == "feedback_request":
		return "requests for feedback"
	case strings.HasPrefix(kind, "reminder_") || kind == "checklist_missing":
		return "reminders"
	}
	return "these emails"
}

// internalError is an EInternal error with a cause, for the log.
func internalError(cause error, format string, args ...any) error {
	e := app.Errorf(app.EInternal, format, args...)
	e.Cause = cause
	return e
}
