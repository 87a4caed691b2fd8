package stripe

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/encounters/encounters/app"
)

// ParseWebhook checks a webhook's Stripe-Signature on the raw body with the
// signing secret, refusing a timestamp more than webhook.DefaultTolerance
// (five minutes) old or more than maxFuture ahead of our clock, and reads
// the event. Checkout completions, their
// asynchronous outcomes, expiries and refunds become payment events;
// everything else is PaymentIgnored. An event written for another API
// version is read all the same: only fields stable across versions are
// used. Any failure is EInvalid, for a 400 answer.
func (p *Payments) ParseWebhook(payload []byte, signature string) (*app.PaymentEvent, error) {
	ev, err := webhook.ConstructEventWithOptions(payload, signature, p.webhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		return nil, &app.Error{Code: app.EInvalid, Message: signatureMessage(err), Cause: err}
	}
	if at, ok := signedAt(signature); !ok || at.After(time.Now().Add(maxFuture)) {
		return nil, app.Errorf(app.EInvalid,
			"The webhook's signature is dated more than five minutes in the future.")
	}
	if ev.ID == "" || ev.Data == nil {
		return nil, app.Errorf(app.EInvalid, "The webhook is not a Stripe event.")
	}

	out := &app.PaymentEvent{ID: ev.ID, Type: app.PaymentIgnored, Created: time.Unix(ev.Created, 0).UTC()}
	switch ev.Type {
	case stripego.EventTypeCheckoutSessionCompleted, stripego.EventTypeCheckoutSessionAsyncPaymentSucceeded,
		stripego.EventTypeCheckoutSessionAsyncPaymentFailed, stripego.EventTypeCheckoutSessionExpired:
		err = readCheckout(ev, out)
	case stripego.EventTypeChargeRefunded:
		err = readCharge(ev, out)
	}
	if err != nil {
		return nil, &app.Error{Code: app.EInvalid, Message: "The webhook's object could not be read.", Cause: err}
	}
	return out, nil
}

// maxFuture is how far ahead of our clock a signature's timestamp may be,
// for clocks that differ a little: the same five minutes a timestamp may
// lag. A notice dated later than that was not signed just now.
const maxFuture = webhook.DefaultTolerance

// signedAt is the timestamp of a Stripe-Signature header that stripe-go
// has accepted: its last "t=" part, as stripe-go reads it.
func signedAt(signature string) (time.Time, bool) {
	var at time.Time
	found := false
	for _, part := range strings.Split(signature, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k != "t" {
			continue
		}
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		at, found = time.Unix(sec, 0), true
	}
	return at, found
}

// signatureMessage says why a webhook's signature was refused.
func signatureMessage(err error) string {
	switch {
	case errors.Is(err, webhook.ErrNotSigned):
		return "The webhook has no Stripe-Signature header."
	case errors.Is(err, webhook.ErrInvalidHeader):
		return "The webhook's Stripe-Signature header is malformed."
	case errors.Is(err, webhook.ErrTooOld):
		return "The webhook's signature is too old: it was made more than five minutes ago."
	case errors.Is(err, webhook.ErrNoValidSignature):
		return "The webhook's signature does not match its body."
	}
	return "The webhook's body is not a Stripe event."
}

// readCheckout reads a Checkout Session event. A completed checkout whose
// payment is still to clear (payment_status unpaid, as with bank debits)
// is pending; its outcome follows as an async event.
func readCheckout(ev stripego.Event, out *app.PaymentEvent) error {
	var cs stripego.CheckoutSession
	if err := json.Unmarshal(ev.Data.Raw, &cs); err != nil {
		return err
	}
	if !ours(cs.Currency) {
		return nil
	}

	out.SponsorshipID = cs.ClientReferenceID
	if out.SponsorshipID == "" {
		out.SponsorshipID = cs.Metadata[metadataKey]
	}
	out.CheckoutSessionID, out.AmountPence = cs.ID, cs.AmountTotal
	if cs.PaymentIntent != nil {
		out.PaymentIntentID = cs.PaymentIntent.ID
	}
	out.Type = checkoutOutcome(ev.Type, cs.PaymentStatus)
	return nil
}

func checkoutOutcome(t stripego.EventType, status stripego.CheckoutSessionPaymentStatus) string {
	switch t {
	case stripego.EventTypeCheckoutSessionCompleted:
		if status == stripego.CheckoutSessionPaymentStatusPaid {
			return app.PaymentSucceeded
		}
		return app.PaymentPending
	case stripego.EventTypeCheckoutSessionAsyncPaymentSucceeded:
		return app.PaymentSucceeded
	case stripego.EventTypeCheckoutSessionAsyncPaymentFailed:
		return app.PaymentFailed
	}
	return app.PaymentExpired
}

// readCharge reads a charge.refunded event: amount_refunded is the
// charge's cumulative refund. Its fee is not read here: webhooks name the
// balance transaction without expanding it, so the service asks for the
// fee through PaymentFee. The sponsorship is named in the charge's
// metadata, copied by Stripe from the checkout's payment.
func readCharge(ev stripego.Event, out *app.PaymentEvent) error {
	var ch stripego.Charge
	if err := json.Unmarshal(ev.Data.Raw, &ch); err != nil {
		return err
	}
	if !ours(ch.Currency) {
		return nil
	}

	out.Type = app.PaymentRefunded
	out.SponsorshipID = ch.Metadata[metadataKey]
	out.AmountPence, out.RefundedPence = ch.Amount, ch.AmountRefunded
	if ch.PaymentIntent != nil {
		out.PaymentIntentID = ch.PaymentIntent.ID
	}
	return nil
}

// ours reports whether an object's currency is one our checkouts use:
// GBP, or none given.
func ours(c stripego.Currency) bool {
	return c == "" || strings.EqualFold(string(c), string(stripego.CurrencyGBP))
}
