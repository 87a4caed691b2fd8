package stripe_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/stripe"
	"github.com/encounters/encounters/app/stripe/stripetest"
)

// quietLog drops the package's logs in tests.
var quietLog = slog.New(slog.DiscardHandler)

// newPayments starts stripe-mock behind a recording proxy and returns
// Payments pointed at it.
func newPayments(t *testing.T) (*stripe.Payments, *stripetest.Recorder) {
	t.Helper()
	url, rec := stripetest.Record(t, stripetest.Start(t))
	p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, url, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	return p, rec
}

func TestNew(t *testing.T) {
	tests := []struct {
		name, key, secret, url string
		ok                     bool
	}{
		{"live Stripe", "sk_test_1", "whsec_1", "", true},
		{"another server", "sk_test_1", "whsec_1", "http://127.0.0.1:12111", true},
		{"no key", "", "whsec_1", "", false},
		{"no webhook secret", "sk_test_1", "", "", false},
		{"address without scheme", "sk_test_1", "whsec_1", "127.0.0.1:12111", false},
		{"address of another scheme", "sk_test_1", "whsec_1", "ftp://example.org", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := stripe.New(tc.key, tc.secret, tc.url, quietLog)
			if (err == nil) != tc.ok || (p != nil) != tc.ok {
				t.Fatalf("New = %v, %v; want ok %v", p, err, tc.ok)
			}
		})
	}
}

func TestCreateCheckout(t *testing.T) {
	p, rec := newPayments(t)
	ctx := context.Background()

	tests := []struct {
		name   string
		pence  int64
		amount string
		email  string
	}{
		{"nineteen ninety-nine", 1999, "1999", "sponsor@example.org"},
		{"one penny", 1, "1", "sponsor@example.org"},
		{"a thousand pounds ten", 100010, "100010", "sponsor@example.org"},
		{"no email", 500, "500", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spID := app.NewID("spn")
			id, url, err := p.CreateCheckout(ctx, app.Checkout{
				SponsorshipID: spID, EventTitle: "Durham careers fair", AmountPence: tc.pence,
				Email: tc.email, SuccessURL: "https://encounters.test/events/evt_1/thanks",
				CancelURL: "https://encounters.test/events/evt_1/cancelled",
			})
			if err != nil || !strings.HasPrefix(id, "cs_") || url == "" {
				t.Fatalf("CreateCheckout = %q, %q, %v", id, url, err)
			}

			req, ok := rec.Last("/v1/checkout/sessions")
			if !ok || req.Method != http.MethodPost {
				t.Fatalf("no checkout request recorded: %+v", rec.Requests())
			}
			want := map[string]string{
				"mode":                                          "payment",
				"line_items[0][price_data][currency]":           "gbp",
				"line_items[0][price_data][unit_amount]":        tc.amount,
				"line_items[0][quantity]":                       "1",
				"line_items[0][price_data][product_data][name]": "Sponsorship: Durham careers fair",
				"client_reference_id":                           spID,
				"metadata[sponsorship_id]":                      spID,
				"payment_intent_data[metadata][sponsorship_id]": spID,
				"success_url":                                   "https://encounters.test/events/evt_1/thanks",
				"cancel_url":                                    "https://encounters.test/events/evt_1/cancelled",
				"customer_email":                                tc.email,
			}
			for k, v := range want {
				if got := req.Form.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if req.IdempotencyKey != spID {
				t.Errorf("idempotency key = %q, want the sponsorship id", req.IdempotencyKey)
			}
		})
	}
}

func TestRefund(t *testing.T) {
	p, rec := newPayments(t)
	ctx := context.Background()

	tests := []struct {
		name   string
		pence  int64
		amount string
		key    string
	}{
		{"in full", 1999, "1999", "refund/spn_a1/0"},
		{"in part, after an earlier refund", 1, "1", "refund/spn_a1/1999"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := p.Refund(ctx, "pi_3Encounters", tc.pence, tc.key)
			if err != nil || !strings.HasPrefix(id, "re_") {
				t.Fatalf("Refund = %q, %v", id, err)
			}
			req, _ := rec.Last("/v1/refunds")
			if req.Form.Get("payment_intent") != "pi_3Encounters" || req.Form.Get("amount") != tc.amount ||
				req.IdempotencyKey != tc.key {
				t.Fatalf("refund request %+v, want payment_intent, amount %s and key %s", req, tc.amount, tc.key)
			}
		})
	}
}

// TestRefundRefused uses a stand-in server because stripe-mock answers
// every valid refund with success: it cannot say that a charge has been
// refunded already.
func TestRefundRefused(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"refunded already", `{"error":{"type":"invalid_request_error","code":"charge_already_refunded",` +
			`"message":"Charge ch_1 has already been refunded."}}`, http.StatusBadRequest, app.EConflict},
		{"idempotency clash", `{"error":{"type":"idempotency_error","message":"Keys for idempotent requests ` +
			`can only be used with the same parameters."}}`, http.StatusBadRequest, app.EConflict},
		{"server error", `{"error":{"type":"api_error","message":"Something went wrong."}}`,
			http.StatusInternalServerError, app.EInternal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Stripe-Should-Retry", "false")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, srv.URL, quietLog)
			if err != nil {
				t.Fatal(err)
			}

			_, err = p.Refund(context.Background(), "pi_1", 100, "refund/spn_b1/0")
			if app.ErrorCode(err) != tc.code {
				t.Fatalf("Refund error %v has code %q, want %q", err, app.ErrorCode(err), tc.code)
			}
		})
	}
}
