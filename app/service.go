package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/encounters/encounters/search"
)

// Store is everything the marketplace keeps in its document database.
type Store interface {
	OrgStore
	UserStore
	OfferStore
	RequestStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
}

// Message is one email to one person. Text is required; HTML is optional.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// Kind names the email for logs ("password_reset"); never personal data.
	Kind string
}

// Mailer sends email. The embedded default writes .eml files.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// Actor is who is calling: a signed-in member of an organisation. A nil
// *Actor is an anonymous visitor, who sees only public records.
type Actor struct {
	UserID string
	OrgID  string
	Role   string
	Kind   OrgKind
}

// IsCoordinator reports whether the actor acts for the county coordinator.
func (a *Actor) IsCoordinator() bool { return a != nil && a.Kind == KindCoordinator }

// Service is the marketplace: every use case the web pages, the JSON API
// and the command line share. It checks input and scope, writes through the
// Store and keeps the search Index in step. Every read and write of a
// record that belongs to an organisation is scoped to the actor's
// organisation: another organisation's private record answers ENotFound.
type Service struct {
	Store  Store
	Index  search.Index
	Places Gazetteer
	Mail   Mailer
	Log    *slog.Logger
	// BaseURL is the public address used in emails, without a trailing slash.
	BaseURL string
	// Now returns the current time; tests may fix it.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
