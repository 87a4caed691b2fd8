package emails

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/wneessen/go-mail"
)

// SMTP sends through an SMTP server given as a URL: smtp://user:pass@host:587
// uses STARTTLS when the server offers it (mandatory unless the host is
// loopback), smtps://user:pass@host:465 uses TLS from the start.
type SMTP struct {
	From   string
	Log    *slog.Logger
	client *mail.Client
	addr   string
}

// NewSMTP parses rawURL and prepares a client; it does not connect.
func NewSMTP(rawURL, from string, log *slog.Logger) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("SMTP_URL is not a valid address")
	}
	opts := []mail.Option{mail.WithTimeout(20 * time.Second), mail.WithoutNoop()}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, mail.WithSSL())
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP_URL has a bad port")
		}
	}
	opts = append(opts, mail.WithPort(port), mail.WithTLSPolicy(tlsPolicy(u)))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	client, err := mail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("prepare SMTP client: %w", err)
	}
	return &SMTP{From: from, Log: log, client: client, addr: net.JoinHostPort(u.Hostname(), strconv.Itoa(port))}, nil
}

// tlsPolicy asks for STARTTLS everywhere but on loopback, where a local
// relay or test server may not offer it.
func tlsPolicy(u *url.URL) mail.TLSPolicy {
	if u.Scheme == "smtps" {
		return mail.NoTLS // TLS comes from WithSSL
	}
	if ip := net.ParseIP(u.Hostname()); (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost" {
		return mail.TLSOpportunistic
	}
	return mail.TLSMandatory
}

// Send delivers one message on its own connection.
func (s *SMTP) Send(ctx context.Context, m app.Message) error {
	msg, err := build(ctx, s.From, m)
	if err != nil {
		return err
	}
	if err := s.client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send %s email: %w", m.Kind, err)
	}
	if s.Log != nil && JobID(ctx) == "" { // the outbox worker logs its own sends
		s.Log.InfoContext(ctx, "email sent", slog.String("kind", m.Kind))
	}
	return nil
}

// Name is the sender's name for /healthz.
func (s *SMTP) Name() string { return "smtp" }

// Ping reports whether the SMTP server accepts connections.
func (s *SMTP) Ping(ctx context.Context) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("smtp server unreachable: %w", err)
	}
	return conn.Close()
}
