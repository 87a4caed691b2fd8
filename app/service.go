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
	BookingStore
	OutboxStore
	SponsorshipStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
}

// Message is one email to one person. Text is required; HTML is optional.
// Calendar, when set, is an iCalendar object sent as a text/calendar part
// with CalendarMethod and as an invite.ics attachment. Unsubscribe, when
// set, is a one-click address sent as List-Unsubscribe with
// List-Unsubscribe-Post (RFC 8058).
type Message struct {
	To             string       `bson:"to"`
	Subject        string       `bson:"subject"`
	Text           string       `bson:"text"`
	HTML           string       `bson:"html,omitempty"`
	Calendar       string       `bson:"calendar,omitempty"`
	CalendarMethod string       `bson:"calendar_method,omitempty"`
	Unsubscribe    string       `bson:"unsubscribe,omitempty"`
	Attachments    []Attachment `bson:"attachments,omitempty"`
	// Kind names the email for logs ("password_reset"); never personal data.
	Kind string `bson:"kind"`
}

// Mailer sends email. The embedded default writes .eml files.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// Actor is who is calling: a signed-in member of an organisation. A nil
// *Actor is an anonymous visitor, who sees only public records. Name is
// the person's display name, kept in the history of the bookings they
// move so that both sides can see who did what; it is never logged.
type Actor struct {
	UserID string
	Name   string
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
	// Compose writes booking and sponsorship emails from templates; they
	// are queued in the outbox and sent by its worker.
	Compose Composer
	// Payments takes card payments; nil when Stripe is not configured, and
	// then only offline pledges are offered.
	Payments Payments
	// Hold is how long a waitlist hold lasts; zero means DefaultHold.
	Hold time.Duration
	Log  *slog.Logger
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
