package emails

import (
	"fmt"

	"github.com/encounters/encounters/app"
	"github.com/wneessen/go-mail"
)

// build turns an app.Message into a MIME message from the given sender.
// go-mail encodes every header value, so a subject or name typed by a user
// cannot add a header; a recipient that is not an address is refused.
func build(from string, m app.Message) (*mail.Msg, error) {
	if m.To == "" || m.Subject == "" || m.Text == "" {
		return nil, fmt.Errorf("build %s email: recipient, subject and text are required", m.Kind)
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("build %s email: sender: %w", m.Kind, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("build %s email: recipient: %w", m.Kind, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")

	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
