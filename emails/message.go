package emails

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/encounters/encounters/app"
	"github.com/wneessen/go-mail"
)

// jobKey carries the outbox job id of a send in its context.
type jobKey struct{}

// WithJobID returns a context that tells a sender which outbox job it is
// sending. The message then carries the job id in X-Encounters-Job and a
// Message-ID made from it, the same on every attempt, so a retry that
// reaches a mailbox twice is seen as one message.
func WithJobID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, jobKey{}, id)
}

// JobID returns the outbox job id set by WithJobID, or "".
func JobID(ctx context.Context) string {
	id, _ := ctx.Value(jobKey{}).(string)
	return id
}

// build turns an app.Message into a MIME message from the given sender:
// a plain-text part, then HTML and an iCalendar invite as alternatives,
// then any attachments. go-mail encodes every header value and the
// subject is folded onto one line, so a subject or name typed by a user
// cannot add a header; a recipient that is not an address is refused. A
// message that cannot be built is EInvalid: sending it again would not
// help.
func build(ctx context.Context, from string, m app.Message) (*mail.Msg, error) {
	if m.To == "" || m.Subject == "" || m.Text == "" {
		return nil, invalid(m.Kind, fmt.Errorf("recipient, subject and text are required"))
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(from); err != nil {
		return nil, invalid(m.Kind, fmt.Errorf("sender: %w", err))
	}
	if err := msg.To(m.To); err != nil {
		return nil, invalid(m.Kind, fmt.Errorf("recipient: %w", err))
	}
	setSubject(msg, oneLine(m.Subject))
	msg.SetDate()
	setIdentity(msg, from, JobID(ctx))
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if err := setUnsubscribe(msg, m.Unsubscribe); err != nil {
		return nil, invalid(m.Kind, err)
	}

	if err := setBody(msg, m); err != nil {
		return nil, invalid(m.Kind, err)
	}
	return msg, nil
}

// setSubject sets the subject, which go-mail encodes when it is not plain
// ASCII. Plain ASCII holding "=?" could read as an RFC 2047 encoded word,
// which mail programs would decode into something other than what was
// typed (a title of "=?utf-8?q?a=0D=0AB?=" shown over two lines), so such
// a subject is sent encoded whole.
func setSubject(msg *mail.Msg, subject string) {
	if !strings.Contains(subject, "=?") {
		msg.Subject(subject)
		return
	}
	msg.SetGenHeaderPreformatted(mail.HeaderSubject, encodedWords(subject))
}

// encodedWords writes s as RFC 2047 base64 words of UTF-8, each within
// the 75 characters the RFC allows and none splitting a character, joined
// by spaces where the header may fold; decoders drop those spaces.
func encodedWords(s string) string {
	const most = 45 // bytes per word: 60 in base64, 72 with "=?UTF-8?B?" and "?="
	var words []string
	for s != "" {
		n := min(len(s), most)
		for n < len(s) && !utf8.RuneStart(s[n]) {
			n--
		}
		words = append(words, "=?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// setIdentity gives the message its Message-ID: random, or made from the
// outbox job id so that every attempt at one job carries the same one.
func setIdentity(msg *mail.Msg, from, jobID string) {
	if jobID == "" {
		msg.SetMessageID()
		return
	}

	domain := "encounters.localhost"
	if i := strings.LastIndex(from, "@"); i >= 0 {
		domain = strings.Trim(from[i+1:], "> ")
	}
	sum := sha256.Sum256([]byte(jobID))
	msg.SetMessageIDWithValue("job-" + hex.EncodeToString(sum[:16]) + "@" + domain)
	msg.SetGenHeader("X-Encounters-Job", jobID)
}

// setUnsubscribe adds List-Unsubscribe, and for an https address the
// one-click List-Unsubscribe-Post of RFC 8058 (which allows only https).
// The address goes into the header as it is, so it is checked first.
func setUnsubscribe(msg *mail.Msg, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		strings.ContainsAny(raw, " <>,\"\r\n\t") {
		return fmt.Errorf("unsubscribe address is not an http(s) URL")
	}

	msg.SetListUnsubscribe(u.String())
	if u.Scheme == "https" {
		msg.SetListUnsubscribePost()
	}
	return nil
}

// setBody writes the parts: text first, so that mail programs which show
// one part show it only if they cannot show the others.
func setBody(msg *mail.Msg, m app.Message) error {
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	if m.Calendar != "" {
		method := strings.ToUpper(m.CalendarMethod)
		if method != "REQUEST" && method != "CANCEL" && method != "PUBLISH" {
			return fmt.Errorf("calendar method %q is not REQUEST, CANCEL or PUBLISH", m.CalendarMethod)
		}
		msg.AddAlternativeString(mail.ContentType("text/calendar; method="+method), m.Calendar)
	}

	for _, a := range m.Attachments {
		if _, _, err := mime.ParseMediaType(a.ContentType); err != nil {
			return fmt.Errorf("attachment content type: %w", err)
		}
		msg.AttachReadSeeker(oneLine(a.Name), bytes.NewReader(a.Data),
			mail.WithFileContentType(mail.ContentType(a.ContentType)))
	}
	return nil
}

func invalid(kind string, cause error) error {
	e := app.Errorf(app.EInvalid, "the %s email cannot be built", kind)
	e.Cause = cause
	return e
}
