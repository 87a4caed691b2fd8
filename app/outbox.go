package app

import (
	"context"
	"time"
)

// Job states in the outbox.
const (
	JobPending = "pending" // waiting for its next attempt
	JobSent    = "sent"
	JobFailed  = "failed" // set aside after repeated failure; shown to the coordinator
)

// Job is one email waiting in the outbox. Its ID says what happened to
// which record and for whom ("booking/ID/confirmed/USER"), so queuing it
// twice is harmless. Workers lease an attempt before sending it.
type Job struct {
	ID       string  `bson:"_id" json:"id"`
	Message  Message `bson:"message" json:"-"`
	State    string  `bson:"state" json:"state"`
	Attempts int     `bson:"attempts" json:"attempts"`
	// NotBefore is when the next attempt may start.
	NotBefore time.Time `bson:"not_before" json:"not_before"`
	// LeasedBy and LeaseUntil name the worker holding the current attempt.
	LeasedBy   string    `bson:"leased_by,omitempty" json:"-"`
	LeaseUntil time.Time `bson:"lease_until,omitempty" json:"lease_until,omitempty"`
	LastError  string    `bson:"last_error,omitempty" json:"last_error,omitempty"`
	CreatedAt  time.Time `bson:"created_at" json:"created_at"`
	SentAt     time.Time `bson:"sent_at,omitempty" json:"sent_at,omitempty"`
}

// OutboxStore keeps the outbox. Leases are unique keys, not guarded
// updates: LeaseJob inserts (job, attempt) and only one worker can.
type OutboxStore interface {
	// AddJob queues j unless a job with its id exists; it reports whether
	// j was added.
	AddJob(ctx context.Context, j *Job) (bool, error)
	GetJob(ctx context.Context, id string) (*Job, error)
	// DueJobs lists pending jobs whose NotBefore has passed, oldest first.
	DueJobs(ctx context.Context, now time.Time, limit int) ([]*Job, error)
	// LeaseJob claims attempt number attempt of job id for worker until
	// the given time; EConflict when another worker claimed that attempt.
	// It also records the lease on the job: Attempts becomes attempt, and
	// LeasedBy and LeaseUntil are set.
	LeaseJob(ctx context.Context, id string, attempt int, worker string, until time.Time) error
	// UpdateJob writes j whole (after an attempt).
	UpdateJob(ctx context.Context, j *Job) error
	// ListJobs lists jobs in one state, newest first, with the total.
	ListJobs(ctx context.Context, state string, offset, limit int) ([]*Job, int, error)
}

// Attachment is a file sent with an email.
type Attachment struct {
	Name        string `bson:"name"`
	ContentType string `bson:"content_type"`
	Data        []byte `bson:"data"`
}

// Letter is an email to write: which template (Kind), to whom, and the
// records it is about. The emails package turns it into a Message.
type Letter struct {
	Kind string
	To   string
	// Name is the recipient's name, for the greeting.
	Name    string
	BaseURL string
	// Link is the page the email sends the reader to.
	Link string
	// Unsubscribe is the one-click address for non-essential mail; empty
	// for essential mail.
	Unsubscribe string
	Reason      string
	Booking     *Booking
	Waitlist    *WaitlistEntry
	// SessionStart and SessionEnd are when a waitlist entry's session
	// runs, which the entry does not keep; zero when not known.
	SessionStart, SessionEnd time.Time
	Items                    []ChecklistItem
	Event                    *CivicEvent
	Sponsorship              *Sponsorship
	// Invite, when set, is attached as an iCalendar invite.
	Invite *Invite
	// At is when the letter is written, by the service's clock: a reminder
	// counts the days to go from it. Zero means the composer's clock.
	At time.Time
}

// Invite is a calendar entry for a booking. UID is stable per booking;
// Sequence rises with every change; Method is "REQUEST" or "CANCEL".
type Invite struct {
	UID         string
	Sequence    int
	Method      string
	Summary     string
	Description string
	Location    string
	URL         string
	Start       time.Time
	End         time.Time
	Organizer   string // email address of the sender
	Attendees   []string
	Cancelled   bool
	Stamp       time.Time
}

// Composer writes emails and calendars from templates; emails.Templates
// implements it.
type Composer interface {
	// Compose renders a letter into a message, with its invite attached.
	Compose(l Letter) (Message, error)
	// Calendar renders a feed (METHOD:PUBLISH) of invites named name.
	Calendar(name string, invites []Invite) ([]byte, error)
}

// Mail preference categories. Account emails (password reset, invites)
// are always sent.
const (
	MailBookings  = "bookings"  // booking moves and invites
	MailReminders = "reminders" // 7 and 1 days before, checklist chasers
	MailFeedback  = "feedback"  // after a session
	MailWaitlist  = "waitlist"  // holds offered
	MailSponsors  = "sponsors"  // sponsorship receipts and notices
)

// MailCategories lists the categories a person may turn off, in the order
// the preferences page shows them.
var MailCategories = []string{MailBookings, MailReminders, MailFeedback, MailWaitlist, MailSponsors}

// NonEssential reports whether mail of this category carries a one-click
// unsubscribe (RFC 8058).
func NonEssential(category string) bool {
	return category == MailReminders || category == MailFeedback
}
