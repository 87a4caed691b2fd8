// Package smtptest runs a real SMTP server on loopback for tests: messages
// arrive over the SMTP protocol and are kept in memory to be read back. A
// test can stop the server and start it again on the same port, to play a
// mail relay that goes away for a while, and can have it refuse chosen
// recipients for good (a 550 reply).
package smtptest

import (
	"bytes"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one message as the server received it.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Server is an SMTP server on 127.0.0.1 that stores what it receives.
type Server struct {
	t    testing.TB
	addr string

	mu       sync.Mutex
	idle     *sync.Cond // signalled when a session ends
	messages []Message
	refuse   map[string]bool
	srv      *smtp.Server
	ln       net.Listener
	sessions int // open sessions
}

// Start runs a server on a free loopback port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen for SMTP: %v", err)
	}

	s := &Server{t: t, addr: ln.Addr().String(), refuse: map[string]bool{}}
	s.idle = sync.NewCond(&s.mu)
	s.serve(ln)
	t.Cleanup(s.Stop)
	return s
}

// serve answers SMTP on ln with a new go-smtp server.
func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.sessions++
		return &session{server: s}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)

	s.mu.Lock()
	s.srv, s.ln = srv, ln
	s.mu.Unlock()
	go srv.Serve(ln) // returns when the listener is closed
}

// Stop closes the listener, lets sessions in progress finish (for up to
// five seconds, then drops them) and returns: clients then get
// "connection refused" until Restart. Stopping twice is harmless.
//
// Sessions are let finish because a relay that vanishes between storing
// a message and saying so makes its sender send it again, which no
// sender can avoid; tests that count deliveries need a clean stop.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	if ln != nil {
		ln.Close() // Serve returns; open sessions go on
	}
	deadline := time.AfterFunc(5*time.Second, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.sessions = 0 // give up waiting: Close below drops them
		s.idle.Broadcast()
	})
	for s.sessions > 0 {
		s.idle.Wait()
	}
	deadline.Stop()
	s.mu.Unlock()

	if srv != nil {
		srv.Close()
	}
}

// Restart listens again on the same address after Stop, keeping the
// messages received so far.
func (s *Server) Restart() {
	s.t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port may take a moment to be free again
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("listen again on %s: %v", s.addr, err)
	}

	s.serve(ln)
}

// Refuse makes the server answer 550 to RCPT TO for the address, as a
// relay does for a mailbox that does not exist.
func (s *Server) Refuse(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[strings.ToLower(addr)] = true
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

// URL is an SMTP_URL for the server.
func (s *Server) URL() string { return "smtp://" + s.Addr() }

// Messages returns a copy of what has arrived so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// session is one SMTP conversation; go-smtp calls its methods.
type session struct {
	server *Server
	from   string
	to     []string
}

// Reset forgets the message in progress.
func (s *session) Reset() { s.from, s.to = "", nil }

// Logout ends the session, letting a waiting Stop go on.
func (s *session) Logout() error {
	s.server.mu.Lock()
	defer s.server.mu.Unlock()
	s.server.sessions = max(0, s.server.sessions-1)
	s.server.idle.Broadcast()
	return nil
}

// Mail records the sender.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

// Rcpt records a recipient, or refuses one set by Refuse.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.server.mu.Lock()
	refused := s.server.refuse[strings.ToLower(to)]
	s.server.mu.Unlock()

	if refused {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox"}
	}
	s.to = append(s.to, to)
	return nil
}

// Data stores the message whole.
func (s *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return err
	}

	s.server.mu.Lock()
	s.server.messages = append(s.server.messages, Message{From: s.from, To: s.to, Data: buf.Bytes()})
	s.server.mu.Unlock()
	return nil
}
