package stripe_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/stripe"
	"github.com/encounters/encounters/app/stripe/stripetest"
)

// newParser returns Payments for reading webhooks only: no API calls.
func newParser(t *testing.T) *stripe.Payments {
	t.Helper()
	p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, "", quietLog)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseWebhookEvents(t *testing.T) {
	p := newParser(t)
	paid := stripetest.CheckoutSession("cs_1", "spn_a1", "pi_1", "paid", 1999)
	unpaid := stripetest.CheckoutSession("cs_1", "spn_a1", "", "unpaid", 1999)
	dollars := stripetest.CheckoutSession("cs_2", "spn_a1", "pi_2", "paid", 1999)
	dollars["currency"] = "usd"
	noReference := stripetest.CheckoutSession("cs_3", "", "pi_3", "paid", 500)
	noReference["metadata"] = map[string]string{"sponsorship_id": "spn_b2"}

	tests := []struct {
		name, typ string
		object    map[string]any
		want      app.PaymentEvent
	}{
		{"completed and paid", stripetest.CheckoutCompleted, paid, app.PaymentEvent{Type: app.PaymentSucceeded,
			SponsorshipID: "spn_a1", CheckoutSessionID: "cs_1", PaymentIntentID: "pi_1", AmountPence: 1999}},
		{"completed, payment to clear", stripetest.CheckoutCompleted, unpaid, app.PaymentEvent{
			Type: app.PaymentPending, SponsorshipID: "spn_a1", CheckoutSessionID: "cs_1", AmountPence: 1999}},
		{"async payment succeeded", stripetest.CheckoutAsyncSucceeded, paid, app.PaymentEvent{
			Type: app.PaymentSucceeded, SponsorshipID: "spn_a1", CheckoutSessionID: "cs_1",
			PaymentIntentID: "pi_1", AmountPence: 1999}},
		{"async payment failed", stripetest.CheckoutAsyncFailed, unpaid, app.PaymentEvent{
			Type: app.PaymentFailed, SponsorshipID: "spn_a1", CheckoutSessionID: "cs_1", AmountPence: 1999}},
		{"expired", stripetest.CheckoutExpired, unpaid, app.PaymentEvent{Type: app.PaymentExpired,
			SponsorshipID: "spn_a1", CheckoutSessionID: "cs_1", AmountPence: 1999}},
		{"sponsorship named only in metadata", stripetest.CheckoutCompleted, noReference, app.PaymentEvent{
			Type: app.PaymentSucceeded, SponsorshipID: "spn_b2", CheckoutSessionID: "cs_3",
			PaymentIntentID: "pi_3", AmountPence: 500}},
		{"charge refunded in part", stripetest.ChargeRefunded,
			stripetest.Charge("ch_1", "spn_a1", "pi_1", 100010, 10), app.PaymentEvent{
				Type: app.PaymentRefunded, SponsorshipID: "spn_a1", PaymentIntentID: "pi_1",
				AmountPence: 100010, RefundedPence: 10}},
		{"another currency is not ours", stripetest.CheckoutCompleted, dollars,
			app.PaymentEvent{Type: app.PaymentIgnored}},
		{"an event we do not use", "customer.created", map[string]any{"id": "cus_1", "object": "customer"},
			app.PaymentEvent{Type: app.PaymentIgnored}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := "evt_" + string(rune('a'+i))
			body := stripetest.Event(t, id, tc.typ, tc.object)
			ev, err := p.ParseWebhook(body, stripetest.Sign(body, stripetest.WebhookSecret, time.Now()))
			if err != nil {
				t.Fatal(err)
			}
			if ev.ID != id || ev.Created.IsZero() {
				t.Fatalf("event id %q created %v, want %q and a time", ev.ID, ev.Created, id)
			}
			got := *ev
			got.ID, got.Created = "", time.Time{}
			if got != tc.want {
				t.Fatalf("ParseWebhook = %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseWebhookRefused(t *testing.T) {
	p := newParser(t)
	body := stripetest.Event(t, "evt_r1", stripetest.CheckoutCompleted,
		stripetest.CheckoutSession("cs_1", "spn_a1", "pi_1", "paid", 1999))
	good := stripetest.Sign(body, stripetest.WebhookSecret, time.Now())
	var indented bytes.Buffer
	if err := json.Indent(&indented, body, "", "  "); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		body      []byte
		signature string
		want      string
	}{
		{"wrong secret", body, stripetest.Sign(body, "whsec_someone_else", time.Now()), "does not match"},
		{"stale timestamp", body, stripetest.Sign(body, stripetest.WebhookSecret,
			time.Now().Add(-6*time.Minute)), "too old"},
		{"timestamp in the future", body, stripetest.Sign(body, stripetest.WebhookSecret,
			time.Now().Add(6*time.Minute)), "in the future"},
		{"timestamp far in the future", body, stripetest.Sign(body, stripetest.WebhookSecret,
			time.Now().Add(24*time.Hour)), "in the future"},
		{"body re-encoded after signing", indented.Bytes(), good, "does not match"},
		{"body changed after signing", bytes.Replace(body, []byte("1999"), []byte("9999"), 1), good,
			"does not match"},
		{"no signature", body, "", "no Stripe-Signature"},
		{"malformed signature header", body, "t=now,v1", "malformed"},
		{"signed but not an event", []byte("not json"), stripetest.Sign([]byte("not json"),
			stripetest.WebhookSecret, time.Now()), "not a Stripe event"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := p.ParseWebhook(tc.body, tc.signature)
			if app.ErrorCode(err) != app.EInvalid || ev != nil {
				t.Fatalf("ParseWebhook = %+v, %v; want EInvalid", ev, err)
			}
			if msg := app.ErrorMessage(err); !strings.Contains(msg, tc.want) {
				t.Fatalf("message %q should say %q", msg, tc.want)
			}
		})
	}

	if _, err := p.ParseWebhook(body, good); err != nil {
		t.Fatalf("the unaltered body with its signature is refused: %v", err)
	}
	// A clock a little ahead of ours is allowed for.
	ahead := stripetest.Sign(body, stripetest.WebhookSecret, time.Now().Add(4*time.Minute))
	if _, err := p.ParseWebhook(body, ahead); err != nil {
		t.Fatalf("a signature four minutes ahead is refused: %v", err)
	}
}
