package app

import (
	"context"
	"time"
)

// Booking states, as DESIGN.md names them: requested → confirmed →
// delivered, or declined, cancelled, no_show.
const (
	BookingRequested = "requested"
	BookingConfirmed = "confirmed"
	BookingDelivered = "delivered"
	BookingDeclined  = "declined"
	BookingCancelled = "cancelled"
	BookingNoShow    = "no_show"
)

// Sides of a booking. The booker is the school, college or provider that
// booked; the employer is the organisation whose offer it is.
const (
	SideBooker   = "booker"
	SideEmployer = "employer"
)

// Booking moves, as the API and forms name them.
const (
	MoveConfirm    = "confirm"
	MoveDecline    = "decline"
	MoveCancel     = "cancel"
	MoveAttendance = "attendance"
	MoveNoShow     = "no_show"
)

// Booking groups: who the places are for.
const (
	GroupPupils   = "pupils"
	GroupTeachers = "teachers"
	GroupAdults   = "adults"
)

// When a move may be made, relative to the session's start.
const (
	BeforeStart = "before_start"
	AfterStart  = "after_start"
)

// Transition is one allowed move of the booking state table.
type Transition struct {
	From   string
	Move   string
	Sides  []string
	To     string
	When   string
	Reason bool // a reason is required
}

// Transitions is the booking state table: every move not listed here is
// refused. Attendance may be recorded again on a delivered booking to
// correct it.
var Transitions = []Transition{
	{From: BookingRequested, Move: MoveConfirm, Sides: []string{SideEmployer}, To: BookingConfirmed, When: BeforeStart},
	{From: BookingRequested, Move: MoveDecline, Sides: []string{SideEmployer}, To: BookingDeclined, When: BeforeStart, Reason: true},
	{From: BookingRequested, Move: MoveCancel, Sides: []string{SideBooker, SideEmployer}, To: BookingCancelled, When: BeforeStart, Reason: true},
	{From: BookingConfirmed, Move: MoveCancel, Sides: []string{SideBooker, SideEmployer}, To: BookingCancelled, When: BeforeStart, Reason: true},
	{From: BookingConfirmed, Move: MoveAttendance, Sides: []string{SideBooker, SideEmployer}, To: BookingDelivered, When: AfterStart},
	{From: BookingConfirmed, Move: MoveNoShow, Sides: []string{SideBooker, SideEmployer}, To: BookingNoShow, When: AfterStart, Reason: true},
	{From: BookingDelivered, Move: MoveAttendance, Sides: []string{SideBooker, SideEmployer}, To: BookingDelivered, When: AfterStart},
}

// Booking is places taken on one session by one organisation. The places
// themselves are held by PlaceClaims in the store, one per place, under a
// unique (session, place) key; PlaceNumbers records which ones this
// booking holds while it is active (requested or confirmed).
type Booking struct {
	ID           string `bson:"_id" json:"id"`
	State        string `bson:"state" json:"state"`
	OfferID      string `bson:"offer_id" json:"offer_id"`
	SessionID    string `bson:"session_id" json:"session_id"`
	OfferTitle   string `bson:"offer_title" json:"offer_title"`
	OfferType    string `bson:"offer_type" json:"offer_type"`
	Delivery     string `bson:"delivery" json:"delivery"`
	Where        string `bson:"where,omitempty" json:"where,omitempty"` // postcode or "at your school"/"online"
	EmployerID   string `bson:"employer_id" json:"employer_id"`
	EmployerName string `bson:"employer_name" json:"employer_name"`
	// OrgID is the booker's organisation.
	OrgID   string    `bson:"org_id" json:"organisation_id"`
	OrgName string    `bson:"org_name" json:"organisation_name"`
	Start   time.Time `bson:"start" json:"start"`
	End     time.Time `bson:"end" json:"end"`
	Places  int       `bson:"places" json:"places"`
	Group   string    `bson:"group" json:"group"`
	// YearGroups are school years (1 to 13) for pupils; empty otherwise.
	YearGroups []int `bson:"year_groups,omitempty" json:"year_groups,omitempty"`
	// Details are further details of the group (needs, subjects), private
	// to the two organisations.
	Details      string `bson:"details,omitempty" json:"details,omitempty"`
	BookedBy     string `bson:"booked_by" json:"-"` // user id
	PlaceNumbers []int  `bson:"place_numbers,omitempty" json:"-"`
	// WaitlistID names the waitlist entry whose hold became this booking.
	WaitlistID string         `bson:"waitlist_id,omitempty" json:"-"`
	Checklist  Checklist      `bson:"checklist" json:"checklist"`
	Attendance []Attendance   `bson:"attendance,omitempty" json:"attendance,omitempty"`
	History    []BookingEvent `bson:"history" json:"history"`
	// Sequence is the iCalendar SEQUENCE of the booking's invite, raised on
	// every change the invite shows.
	Sequence int `bson:"sequence" json:"-"`
	// Announced is the last history entry (its index, from 1) whose emails
	// were queued in the outbox; a sweep queues those of later entries.
	Announced int `bson:"announced" json:"-"`
	// FeedbackRequested records that the sweep has queued the request for
	// feedback to both sides, or decided it was too late for one; until
	// then a delivered booking stays on the sweep's list.
	FeedbackRequested bool `bson:"feedback_requested,omitempty" json:"-"`
	// Feedback is what each side said of the session, keyed by side
	// (SideBooker, SideEmployer): at most one entry per side, the latest.
	// It is kept apart from History so that giving it emails nobody.
	Feedback  map[string]BookingFeedback `bson:"feedback,omitempty" json:"feedback,omitempty"`
	CreatedAt time.Time                  `bson:"created_at" json:"created_at"`
	UpdatedAt time.Time                  `bson:"updated_at" json:"updated_at"`
}

// Active reports whether the booking still holds places.
func (b *Booking) Active() bool {
	return b.State == BookingRequested || b.State == BookingConfirmed
}

// SideOf returns which side of the booking an organisation is on, or "".
func (b *Booking) SideOf(orgID string) string {
	switch orgID {
	case b.OrgID:
		return SideBooker
	case b.EmployerID:
		return SideEmployer
	}
	return ""
}

// BookingEvent is one entry of a booking's history: who moved it, when and
// why. Moves are the Move* names plus "booked" and "checklist". Name is
// the display name of the person who made the move, as it was then; it is
// empty for the system's moves and for entries made before names were
// kept. It is shown only where the booking is: to its two organisations
// and the county coordinator.
type BookingEvent struct {
	At     time.Time `bson:"at" json:"at"`
	UserID string    `bson:"user_id" json:"-"`
	Name   string    `bson:"name,omitempty" json:"name,omitempty"`
	OrgID  string    `bson:"org_id" json:"organisation_id"`
	Side   string    `bson:"side" json:"side"`
	Move   string    `bson:"move" json:"move"`
	From   string    `bson:"from,omitempty" json:"from,omitempty"`
	To     string    `bson:"to" json:"to"`
	Reason string    `bson:"reason,omitempty" json:"reason,omitempty"`
}

// BookingFeedback is one side's word on a session that took place: a
// rating from FeedbackRatingMin to FeedbackRatingMax (for the booker, how
// useful it was for its learners; for the employer, how well it went), an
// optional plain-text comment, and, from the booker only, whether it would
// book this employer again (nil when not said). UserID and OrgID say who
// gave it, At when it was last changed.
type BookingFeedback struct {
	Rating         int       `bson:"rating" json:"rating"`
	Comment        string    `bson:"comment,omitempty" json:"comment,omitempty"`
	WouldBookAgain *bool     `bson:"would_book_again,omitempty" json:"would_book_again,omitempty"`
	UserID         string    `bson:"user_id" json:"-"`
	OrgID          string    `bson:"org_id" json:"organisation_id"`
	At             time.Time `bson:"at" json:"at"`
}

// Attendance is how many came from one audience: "y9", "adults", "teachers".
type Attendance struct {
	Audience string `bson:"audience" json:"audience"`
	Count    int    `bson:"count" json:"count"`
}

// Checklist holds the safeguarding items a booking's type needs before it
// can be confirmed. Decisions and dates only: never copies of certificates.
// A zero date means not yet given.
type Checklist struct {
	// AssuranceOn is when the employer confirmed that its visitors or
	// supervisors are suitably checked.
	AssuranceOn time.Time `bson:"assurance_on,omitempty" json:"assurance_on,omitzero"`
	// RiskAssessmentOn is when the employer shared its risk assessment.
	RiskAssessmentOn time.Time `bson:"risk_assessment_on,omitempty" json:"risk_assessment_on,omitzero"`
	// InsuranceExpires is when the employer's liability insurance expires.
	InsuranceExpires time.Time `bson:"insurance_expires,omitempty" json:"insurance_expires,omitzero"`
	// ConsentCount is how many parental consents the school has collected;
	// ConsentGiven says the school has recorded a count at all.
	ConsentCount int  `bson:"consent_count" json:"consent_count"`
	ConsentGiven bool `bson:"consent_given" json:"consent_given"`
}

// Checklist item keys.
const (
	ItemAssurance      = "assurance"
	ItemRiskAssessment = "risk_assessment"
	ItemInsurance      = "insurance"
	ItemConsent        = "parental_consent"
)

// ChecklistItem is one safeguarding item a booking needs: its key, words
// for people, which side owes it, and whether it is done.
type ChecklistItem struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Owner string `json:"owner"`
	Done  bool   `json:"done"`
	// Problem says why a given item is not good enough ("insurance expires
	// before the session"); empty when done or simply missing.
	Problem string `json:"problem,omitempty"`
}

// WaitlistEntry is an organisation waiting for places on a full session.
// When places free up, the first waiting entry gets a Hold: the places are
// claimed in its name (its ID owns them) until HoldUntil; taking the hold
// turns it into a booking with the same ID, letting it lapse frees the
// places for the next entry.
type WaitlistEntry struct {
	ID         string    `bson:"_id" json:"id"`
	SessionID  string    `bson:"session_id" json:"session_id"`
	OfferID    string    `bson:"offer_id" json:"offer_id"`
	OfferTitle string    `bson:"offer_title" json:"offer_title"`
	EmployerID string    `bson:"employer_id" json:"employer_id"`
	OrgID      string    `bson:"org_id" json:"organisation_id"`
	OrgName    string    `bson:"org_name" json:"organisation_name"`
	UserID     string    `bson:"user_id" json:"-"`
	Places     int       `bson:"places" json:"places"`
	Group      string    `bson:"group" json:"group"`
	YearGroups []int     `bson:"year_groups,omitempty" json:"year_groups,omitempty"`
	Details    string    `bson:"details,omitempty" json:"details,omitempty"`
	State      string    `bson:"state" json:"state"`
	HoldUntil  time.Time `bson:"hold_until,omitempty" json:"hold_until,omitzero"`
	// PlaceNumbers are the places claimed for the hold.
	PlaceNumbers []int     `bson:"place_numbers,omitempty" json:"-"`
	CreatedAt    time.Time `bson:"created_at" json:"created_at"`
	UpdatedAt    time.Time `bson:"updated_at" json:"updated_at"`
}

// Waitlist entry states.
const (
	WaitWaiting = "waiting" // in the queue
	WaitHeld    = "held"    // places held until HoldUntil
	WaitBooked  = "booked"  // the hold was taken: a booking with the same id
	WaitLapsed  = "lapsed"  // the hold ran out
	WaitLeft    = "left"    // the organisation left the list
	WaitClosed  = "closed"  // the employer archived the offer
)

// DefaultHold is how long a waitlist hold lasts unless configured.
const DefaultHold = 48 * time.Hour

// BookingInput is a booking as a form or the API gives it. Places is the
// number of places wanted; YearGroups are left out for teachers and
// adults. IdempotencyKey makes a retried submission return the first
// booking instead of making a second.
type BookingInput struct {
	Places         int    `json:"places" form:"places"`
	Group          string `json:"group" form:"group"`
	YearGroups     []int  `json:"year_groups" form:"year_groups"`
	Details        string `json:"details" form:"details"`
	IdempotencyKey string `json:"-" form:"idempotency_key"`
	// Waitlist asks to join the waitlist when the session is full.
	Waitlist bool `json:"waitlist" form:"waitlist"`
}

// MoveInput is a move on a booking: a reason where the table needs one,
// and attendance for MoveAttendance.
type MoveInput struct {
	Reason     string       `json:"reason" form:"reason"`
	Attendance []Attendance `json:"attendance" form:"-"`
}

// ChecklistInput is what one side records on the checklist. Dates are
// "2006-01-02"; an empty field leaves the item as it is. AssuranceOn is
// the day the employer decided its people are suitably checked (today
// when left out).
type ChecklistInput struct {
	Assurance        bool   `json:"assurance" form:"assurance"`
	AssuranceOn      string `json:"assurance_on" form:"assurance_on"`
	RiskAssessmentOn string `json:"risk_assessment_on" form:"risk_assessment_on"`
	InsuranceExpires string `json:"insurance_expires" form:"insurance_expires"`
	ConsentCount     *int   `json:"consent_count" form:"consent_count"`
}

// FeedbackInput is one side's feedback as a form or the API gives it.
// WouldBookAgain is for the booker only, and may be left out.
type FeedbackInput struct {
	Rating         int    `json:"rating"`
	Comment        string `json:"comment"`
	WouldBookAgain *bool  `json:"would_book_again"`
}

// SessionView is a session as GET /api/v1/sessions/{id} shows it.
type SessionView struct {
	ID         string    `json:"id"`
	OfferID    string    `json:"offer_id"`
	OfferTitle string    `json:"offer_title"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Places     int       `json:"places"`
	PlacesLeft int       `json:"places_left"`
	Waiting    int       `json:"waiting"`
}

// BookingStore keeps bookings, the place claims that hold capacity, the
// waitlist and idempotency keys. Capacity is never a guarded update:
// ClaimPlace inserts under a unique (session, place) key, which every
// engine keeps atomically.
type BookingStore interface {
	// ClaimPlace claims place number place (1..capacity) of a session for
	// owner (a booking or waitlist entry id); EConflict when taken.
	ClaimPlace(ctx context.Context, sessionID string, place int, owner string) error
	// ReleasePlace gives the place back if owner holds it; releasing a
	// place that owner does not hold changes nothing and is not an error.
	ReleasePlace(ctx context.Context, sessionID string, place int, owner string) error
	// PlaceOwners returns, for places 1..capacity, who holds each taken
	// one (place number → owner id).
	PlaceOwners(ctx context.Context, sessionID string, capacity int) (map[int]string, error)
	// SessionOffer returns the id of the offer a session belongs to, from
	// a lookup the store keeps as offers are created and updated.
	SessionOffer(ctx context.Context, sessionID string) (string, error)
	// SetPlacesTaken records the number of taken places on the offer's
	// session, touching nothing else of the offer.
	SetPlacesTaken(ctx context.Context, offerID, sessionID string, taken int) error

	CreateBooking(ctx context.Context, b *Booking) error
	GetBooking(ctx context.Context, id string) (*Booking, error)
	UpdateBooking(ctx context.Context, b *Booking) error
	// ListOrgBookings lists bookings where orgID is either side, by
	// session start; active limits it to requested and confirmed ones.
	ListOrgBookings(ctx context.Context, orgID string, f BookingFilter) ([]*Booking, int, error)
	// ListSessionBookings lists the active bookings of one session.
	ListSessionBookings(ctx context.Context, sessionID string) ([]*Booking, error)
	// ListActiveBookings lists every requested or confirmed booking whose
	// session starts before until (for reminders and sweeps), every
	// booking with history whose emails are not yet queued, and every
	// booking that AwaitsFeedback, by start.
	ListActiveBookings(ctx context.Context, until time.Time) ([]*Booking, error)

	// PutIdempotencyKey records that key (already scoped by the caller, such
	// as org id + key) made booking id. When the key was recorded before,
	// it returns the earlier booking id and EConflict.
	PutIdempotencyKey(ctx context.Context, key, bookingID string) (string, error)

	// CreateWaitlistEntry stores a new entry. An existing id is EConflict,
	// and so is a waiting or held entry of the same organisation on the
	// same session: of concurrent entries of one organisation on a
	// session, exactly one is stored, on every engine. An entry that
	// UpdateWaitlistEntry moves out of waiting and held no longer counts.
	CreateWaitlistEntry(ctx context.Context, w *WaitlistEntry) error
	GetWaitlistEntry(ctx context.Context, id string) (*WaitlistEntry, error)
	UpdateWaitlistEntry(ctx context.Context, w *WaitlistEntry) error
	// ListWaitlist lists a session's waiting and held entries, oldest first.
	ListWaitlist(ctx context.Context, sessionID string) ([]*WaitlistEntry, error)
	// ListOrgWaitlist lists an organisation's waiting and held entries.
	ListOrgWaitlist(ctx context.Context, orgID string) ([]*WaitlistEntry, error)
	// ListHeldEntries lists every entry in the held state (for expiry).
	ListHeldEntries(ctx context.Context) ([]*WaitlistEntry, error)
}

// BookingFilter chooses which of an organisation's bookings to list.
type BookingFilter struct {
	// Active: only requested and confirmed; Past: only those that ended;
	// CalledOff: only declined or cancelled ones whose session has not
	// ended (once it has, they are past).
	Active    bool
	Past      bool
	CalledOff bool
	Offset    int
	Limit     int
	// Now decides which sessions have ended; zero means the store's clock.
	Now time.Time
}
