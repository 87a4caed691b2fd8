package app

import (
	"context"
	"time"
)

// Civic event status values. Only open events take sponsorships; a closed
// or past event shows its record but takes no more.
const (
	EventOpen   = "open"
	EventClosed = "closed"
)

// What sponsorship money pays for.
const (
	FundVenue     = "venue"
	FundCoaches   = "coaches"
	FundMaterials = "materials"
	FundOther     = "other"
)

// FundKinds lists what money may pay for, in the order forms show them.
var FundKinds = []string{FundVenue, FundCoaches, FundMaterials, FundOther}

// CivicEvent is a careers fair or civic forum that sponsors fund. Money is
// always whole pence in int64: never a float. MinPence and MaxPence bound
// one card sponsorship.
type CivicEvent struct {
	ID          string        `bson:"_id" json:"id"`
	OrgID       string        `bson:"org_id" json:"organisation_id"`
	OrgName     string        `bson:"org_name" json:"organisation_name"`
	Title       string        `bson:"title" json:"title"`
	Description string        `bson:"description" json:"description"`
	Start       time.Time     `bson:"start" json:"start"`
	End         time.Time     `bson:"end" json:"end"`
	Venue       string        `bson:"venue" json:"venue"`
	Postcode    string        `bson:"postcode" json:"postcode"`
	Location    Location      `bson:"location" json:"-"`
	GoalPence   int64         `bson:"goal_pence" json:"goal_pence"`
	MinPence    int64         `bson:"min_pence" json:"min_pence"`
	MaxPence    int64         `bson:"max_pence" json:"max_pence"`
	Items       []FundingItem `bson:"items,omitempty" json:"items,omitempty"`
	Status      string        `bson:"status" json:"status"`
	// Totals are kept from the event's sponsorships by the service.
	Totals    Totals    `bson:"totals" json:"totals"`
	Demo      bool      `bson:"demo,omitempty" json:"demo,omitempty"`
	CreatedAt time.Time `bson:"created_at" json:"created_at"`
	UpdatedAt time.Time `bson:"updated_at" json:"updated_at"`
}

// FundingItem is one thing an event's money pays for, with its own goal.
type FundingItem struct {
	ID        string `bson:"id" json:"id"`
	Kind      string `bson:"kind" json:"kind"`
	Label     string `bson:"label" json:"label"`
	GoalPence int64  `bson:"goal_pence" json:"goal_pence"`
}

// Totals is money for one event (or all of them), in pence. Raised is card
// money paid, before refunds and fees; Refunded is what went back; Fees
// is what Stripe kept of the payments whose fee is known, and
// FeesUnknown counts the paid ones whose fee Stripe has not yet told us;
// Net = Raised - Refunded - Fees. Pledged is offline money promised and
// not yet received; Received is offline money in. InKind is the value of
// in-kind support received, and InKindPledged that of support promised
// and not yet received.
type Totals struct {
	RaisedPence        int64 `bson:"raised_pence" json:"raised_pence"`
	RefundedPence      int64 `bson:"refunded_pence" json:"refunded_pence"`
	FeesPence          int64 `bson:"fees_pence" json:"fees_pence"`
	FeesUnknown        int   `bson:"fees_unknown" json:"fees_unknown"`
	PledgedPence       int64 `bson:"pledged_pence" json:"pledged_pence"`
	ReceivedPence      int64 `bson:"received_pence" json:"received_pence"`
	InKindPence        int64 `bson:"in_kind_pence" json:"in_kind_pence"`
	InKindPledgedPence int64 `bson:"in_kind_pledged_pence" json:"in_kind_pledged_pence"`
	Sponsors           int   `bson:"sponsors" json:"sponsors"`
}

// Sponsorship methods.
const (
	PayCard     = "card"
	PayInvoice  = "invoice"
	PayTransfer = "transfer"
	PayInKind   = "in_kind"
)

// Sponsorship states.
const (
	SponsorPending    = "pending"     // card: checkout begun, not paid
	SponsorPaid       = "paid"        // card: paid (refunds are counted apart)
	SponsorFailed     = "failed"      // card: the payment failed
	SponsorExpired    = "expired"     // card: the checkout was never finished
	SponsorNotStarted = "not_started" // card: Stripe started no checkout: no payment was asked for
	SponsorPledged    = "pledged"     // offline: promised
	SponsorReceived   = "received"    // offline: money or support arrived
	SponsorWithdrawn  = "withdrawn"   // offline: the pledge was withdrawn
)

// Sponsorship is money or support given to a civic event. Name and Email
// are private to the organiser and the coordinator; DisplayName is shown
// publicly only when Named is true.
type Sponsorship struct {
	ID          string `bson:"_id" json:"id"`
	EventID     string `bson:"event_id" json:"event_id"`
	ItemID      string `bson:"item_id,omitempty" json:"item_id,omitempty"`
	Method      string `bson:"method" json:"method"`
	State       string `bson:"state" json:"state"`
	AmountPence int64  `bson:"amount_pence" json:"amount_pence"`
	// RefundedPence only ever rises: it is the largest refunded total any
	// payment event reported, so events applied in any order agree.
	RefundedPence int64 `bson:"refunded_pence" json:"refunded_pence"`
	// FeePence is what Stripe kept of a paid card payment; it means
	// something only when FeeKnown, which is set once Stripe has told us.
	FeePence    int64  `bson:"fee_pence" json:"fee_pence"`
	FeeKnown    bool   `bson:"fee_known" json:"fee_known"`
	Name        string `bson:"name" json:"-"`
	Email       string `bson:"email" json:"-"`
	DisplayName string `bson:"display_name,omitempty" json:"display_name,omitempty"`
	Named       bool   `bson:"named" json:"named"`
	Message     string `bson:"message,omitempty" json:"message,omitempty"`
	// InKind describes in-kind support ("a 50-seat coach on the day").
	InKind            string `bson:"in_kind,omitempty" json:"in_kind,omitempty"`
	CheckoutSessionID string `bson:"checkout_session_id,omitempty" json:"-"`
	PaymentIntentID   string `bson:"payment_intent_id,omitempty" json:"-"`
	RecordedBy        string `bson:"recorded_by,omitempty" json:"-"` // user id, offline pledges
	// Corrections counts the times a pledge marked received was put back
	// (to pledged or withdrawn): each is told to the sponsor and the
	// organiser, and a later receipt is sent afresh.
	Corrections int       `bson:"corrections,omitempty" json:"-"`
	CreatedAt   time.Time `bson:"created_at" json:"created_at"`
	UpdatedAt   time.Time `bson:"updated_at" json:"updated_at"`
	PaidAt      time.Time `bson:"paid_at,omitempty" json:"paid_at,omitempty"`
}

// PaymentEvent is a payment provider's notice, already checked and parsed
// by Payments.ParseWebhook. Amounts are pence.
type PaymentEvent struct {
	// ID is the provider's event id: applied once, whatever the retries.
	ID   string
	Type string // one of the Payment* kinds below
	// SponsorshipID comes from the checkout's client reference or metadata.
	SponsorshipID     string
	CheckoutSessionID string
	PaymentIntentID   string
	AmountPence       int64
	// RefundedPence is the cumulative refunded amount of the payment.
	RefundedPence int64
	Created       time.Time
}

// Payment event kinds, as ParseWebhook reports them.
const (
	PaymentSucceeded = "succeeded" // checkout completed and paid, or async payment succeeded
	PaymentPending   = "pending"   // checkout completed, payment still to clear
	PaymentFailed    = "failed"    // async payment failed
	PaymentExpired   = "expired"   // checkout session expired
	PaymentRefunded  = "refunded"  // a refund (RefundedPence is cumulative)
	PaymentIgnored   = "ignored"   // an event the product does not use
)

// Checkout is what a card sponsorship asks the payment provider for.
type Checkout struct {
	SponsorshipID string
	EventTitle    string
	AmountPence   int64
	Email         string
	SuccessURL    string
	CancelURL     string
}

// Payments takes card payments; app/stripe implements it with Stripe
// Checkout.
type Payments interface {
	// CreateCheckout starts a hosted checkout in GBP and returns its id and
	// the address to send the sponsor to.
	CreateCheckout(ctx context.Context, c Checkout) (id, url string, err error)
	// Refund refunds amount pence of a payment; it returns the refund id.
	Refund(ctx context.Context, paymentIntentID string, amountPence int64, key string) (string, error)
	// PaymentFee returns the fee the provider kept from a payment, in
	// pence; known is false while the provider cannot say yet (the
	// payment has not settled). An error means the provider could not be
	// asked, or refused: try again later.
	PaymentFee(ctx context.Context, paymentIntentID string) (pence int64, known bool, err error)
	// ParseWebhook checks a webhook's signature on the raw body and reads
	// the event; a bad signature or stale timestamp is EInvalid.
	ParseWebhook(payload []byte, signature string) (*PaymentEvent, error)
}

// SponsorshipStore keeps civic events, sponsorships and the ids of payment
// events already applied.
type SponsorshipStore interface {
	CreateEvent(ctx context.Context, e *CivicEvent) error
	GetEvent(ctx context.Context, id string) (*CivicEvent, error)
	UpdateEvent(ctx context.Context, e *CivicEvent) error
	// ListEvents lists events newest first; orgID "" means every one.
	ListEvents(ctx context.Context, orgID string, offset, limit int) ([]*CivicEvent, int, error)

	CreateSponsorship(ctx context.Context, sp *Sponsorship) error
	GetSponsorship(ctx context.Context, id string) (*Sponsorship, error)
	UpdateSponsorship(ctx context.Context, sp *Sponsorship) error
	// ListSponsorships lists one event's sponsorships, oldest first.
	ListSponsorships(ctx context.Context, eventID string) ([]*Sponsorship, error)

	// RecordPaymentEvent records that a provider event was applied; a
	// second record of the same id is EConflict.
	RecordPaymentEvent(ctx context.Context, id, sponsorshipID string, at time.Time) error
	// ForgetPaymentEvent removes the record, when applying it failed.
	ForgetPaymentEvent(ctx context.Context, id string) error

	// MarkFeeDue notes that a paid card sponsorship's fee is still to be
	// fetched from the provider; marking one twice keeps the first note.
	MarkFeeDue(ctx context.Context, sponsorshipID string, at time.Time) error
	// FeesDue lists up to limit sponsorship ids marked, oldest first. It
	// reads the notes only, never every sponsorship.
	FeesDue(ctx context.Context, limit int) ([]string, error)
	// ClearFeeDue removes the note once the fee is known; clearing an
	// unknown id is not an error.
	ClearFeeDue(ctx context.Context, sponsorshipID string) error
}
