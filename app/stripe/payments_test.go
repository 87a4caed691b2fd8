package stripe_test

import (
	"context"
	"errors"
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

// standIn returns Payments pointed at a stand-in for Stripe that answers
// every call with status and body, asking not to be retried. It is
// stopped when t ends.
func standIn(t *testing.T, status int, body string) *stripe.Payments {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Stripe-Should-Retry", "false")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, srv.URL, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	return p
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
		{"more than is left after a refund in the dashboard", `{"error":{"type":"invalid_request_error",` +
			`"message":"Refund amount (£50.00) is greater than unrefunded amount on charge (£40.00)",` +
			`"param":"amount"}}`, http.StatusBadRequest, app.EConflict},
		{"our key refused", `{"error":{"type":"invalid_request_error","message":"Invalid API Key provided."}}`,
			http.StatusUnauthorized, app.EInternal},
		{"server error", `{"error":{"type":"api_error","message":"Something went wrong."}}`,
			http.StatusInternalServerError, app.EInternal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := standIn(t, tc.status, tc.body)
			_, err := p.Refund(context.Background(), "pi_1", 100, "refund/spn_b1/0")
			if app.ErrorCode(err) != tc.code {
				t.Fatalf("Refund error %v has code %q, want %q", err, app.ErrorCode(err), tc.code)
			}
			if refused := errors.Is(err, app.ErrPaymentRefused); refused != (tc.code == app.EConflict) {
				t.Fatalf("Refund error %v: refused %v, want %v", err, refused, tc.code == app.EConflict)
			}
			if tc.code == app.EConflict && strings.Contains(app.ErrorMessage(err), "unrefunded") {
				t.Fatalf("Stripe's own words reached the page: %q", app.ErrorMessage(err))
			}
		})
	}
}

// TestRefundUnreachable: with no Stripe answering, a refund fails as an
// internal error, not as a refusal, so that the page says to try again.
func TestRefundUnreachable(t *testing.T) {
	p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, "http://127.0.0.1:9", quietLog)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Refund(context.Background(), "pi_1", 100, "refund/spn_c1/0")
	if app.ErrorCode(err) != app.EInternal || errors.Is(err, app.ErrPaymentRefused) {
		t.Fatalf("Refund error %v, want an internal error that is not a refusal", err)
	}
}

// TestPaymentFeeStripeMock reads a payment's fee from stripe-mock. Its
// PaymentIntent fixture expands latest_charge.balance_transaction, but
// the fixture's fee is always 0 (in USD, the fixture's currency): so this
// test checks what is asked of Stripe and that the expanded fee is read
// as known, and TestPaymentFee checks the reading of real fees.
func TestPaymentFeeStripeMock(t *testing.T) {
	p, rec := newPayments(t)
	pence, known, err := p.PaymentFee(context.Background(), "pi_3Encounters")
	if err != nil || !known || pence != 0 {
		t.Fatalf("PaymentFee = %d, %v, %v; want stripe-mock's fee of 0, known", pence, known, err)
	}

	req, ok := rec.Last("/v1/payment_intents/pi_3Encounters")
	if !ok || req.Method != http.MethodGet {
		t.Fatalf("no PaymentIntent retrieved: %+v", rec.Requests())
	}
	if got := req.Query.Get("expand[0]"); got != "latest_charge.balance_transaction" {
		t.Fatalf("expand = %q, want latest_charge.balance_transaction", got)
	}
}

// TestPaymentFee reads fees from a stand-in server, since stripe-mock's
// fee is always 0: a settled charge's fee in pence, and no fee while
// Stripe names the balance transaction without it or has no charge yet.
func TestPaymentFee(t *testing.T) {
	tests := []struct {
		name, charge string
		status       int
		pence        int64
		known        bool
		code         string
	}{
		{"settled", `{"id":"ch_1","object":"charge","balance_transaction":{"id":"txn_1",` +
			`"object":"balance_transaction","currency":"gbp","fee":95,"net":1904}}`, http.StatusOK, 95, true, ""},
		{"balance transaction not expanded", `{"id":"ch_1","object":"charge","balance_transaction":"txn_1"}`,
			http.StatusOK, 0, false, ""},
		{"not settled yet", `{"id":"ch_1","object":"charge","balance_transaction":null}`,
			http.StatusOK, 0, false, ""},
		{"no charge yet", `null`, http.StatusOK, 0, false, ""},
		{"Stripe fails", ``, http.StatusInternalServerError, 0, false, app.EInternal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"id":"pi_1","object":"payment_intent","amount":1999,"currency":"gbp",` +
				`"latest_charge":` + tc.charge + `}`
			if tc.status != http.StatusOK {
				body = `{"error":{"type":"api_error","message":"Something went wrong."}}`
			}
			p := standIn(t, tc.status, body)

			pence, known, err := p.PaymentFee(context.Background(), "pi_1")
			if pence != tc.pence || known != tc.known || app.ErrorCode(err) != tc.code {
				t.Fatalf("PaymentFee = %d, %v, %v; want %d, %v, code %q", pence, known, err,
					tc.pence, tc.known, tc.code)
			}
		})
	}
}
