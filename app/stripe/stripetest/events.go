package stripetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
)

// Event types the tests send.
const (
	CheckoutCompleted      = "checkout.session.completed"
	CheckoutAsyncSucceeded = "checkout.session.async_payment_succeeded"
	CheckoutAsyncFailed    = "checkout.session.async_payment_failed"
	CheckoutExpired        = "checkout.session.expired"
	ChargeRefunded         = "charge.refunded"
)

// Event is a webhook event's JSON body, as Stripe sends it, for a test
// to sign. APIVersion is Stripe's, which may differ from stripe-go's.
func Event(t testing.TB, id, typ string, object map[string]any) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "type": typ, "api_version": "2024-06-20",
		"created": time.Now().Unix(), "livemode": false, "pending_webhooks": 1,
		"data": map[string]any{"object": object},
	})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// CheckoutSession is a Checkout Session object for sponsorship spID.
// paymentStatus is "paid" or "unpaid".
func CheckoutSession(id, spID, paymentIntent, paymentStatus string, amountPence int64) map[string]any {
	return map[string]any{
		"id": id, "object": "checkout.session", "mode": "payment", "currency": "gbp",
		"client_reference_id": spID, "metadata": map[string]string{"sponsorship_id": spID},
		"payment_intent": paymentIntent, "payment_status": paymentStatus,
		"amount_total": amountPence, "status": "complete",
	}
}

// Charge is a charge object of payment paymentIntent for sponsorship spID,
// with refundedPence refunded so far.
func Charge(id, spID, paymentIntent string, amountPence, refundedPence int64) map[string]any {
	return map[string]any{
		"id": id, "object": "charge", "currency": "gbp", "amount": amountPence,
		"amount_captured": amountPence, "amount_refunded": refundedPence,
		"refunded": refundedPence >= amountPence, "paid": true, "status": "succeeded",
		"payment_intent": paymentIntent, "metadata": map[string]string{"sponsorship_id": spID},
	}
}

// Sign returns the Stripe-Signature header of payload signed with secret
// at the given time, as Stripe makes it.
func Sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: payload, Secret: secret, Timestamp: at,
	}).Header
}
