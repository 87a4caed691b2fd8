package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/stripe/stripetest"
)

// bodyMarker is put in webhook bodies to show that bodies are never
// logged.
const bodyMarker = "body-marker-never-logged"

// paidCheckout is a signed-ready body saying that sponsorship spID's
// checkout completed and was paid.
func paidCheckout(t *testing.T, eventID, spID string, pence int64) []byte {
	t.Helper()
	obj := stripetest.CheckoutSession("cs_test_"+spID, spID, "pi_test_"+spID, "paid", pence)
	obj["description"] = bodyMarker
	return stripetest.Event(t, eventID, stripetest.CheckoutCompleted, obj)
}

func TestStripeWebhook(t *testing.T) {
	ts := newTestServer(t, withStripe(t, unreachable))
	ts.mustEvent(t, "evt-fair", app.CoordinatorOrgID)
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-one", EventID: "evt-fair", Method: app.PayCard,
		State: app.SponsorPending, AmountPence: 19_99, Name: "Sam", Email: "sam@example.org"})
	body := paidCheckout(t, "evt_paid_1", "spn-one", 19_99)

	cases := []struct {
		name      string
		body      []byte
		signature string
		status    int
		raised    int64
	}{
		{"no signature", body, "", http.StatusBadRequest, 0},
		{"wrong secret", body, stripetest.Sign(body, "whsec_wrong", time.Now()), http.StatusBadRequest, 0},
		{"stale timestamp", body, stripetest.Sign(body, stripetest.WebhookSecret,
			time.Now().Add(-time.Hour)), http.StatusBadRequest, 0},
		{"timestamp in the future", body, stripetest.Sign(body, stripetest.WebhookSecret,
			time.Now().Add(10*time.Minute)), http.StatusBadRequest, 0},
		{"body changed after signing", []byte(strings.Replace(string(body), "1999", "2999", 1)),
			signed(body), http.StatusBadRequest, 0},
		{"signed and paid", body, signed(body), http.StatusOK, 19_99},
		{"delivered twice", body, signed(body), http.StatusOK, 19_99},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := ts.postWebhook(t, tc.body, tc.signature)
			wantStatus(t, res, tc.status)
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("Content-Type %q, want plain text", ct)
			}
			if e := ts.storedEvent(t, "evt-fair"); e.Totals.RaisedPence != tc.raised {
				t.Errorf("raised %d pence, want %d", e.Totals.RaisedPence, tc.raised)
			}
			if res.Header.Get("Set-Cookie") != "" {
				t.Errorf("the webhook set a cookie: %s", res.Header.Get("Set-Cookie"))
			}
		})
	}

	if strings.Contains(ts.Logs.String(), bodyMarker) {
		t.Error("a webhook body reached the logs")
	}
}

func TestStripeWebhookRefusals(t *testing.T) {
	plain := newTestServer(t)
	body := stripetest.Event(t, "evt_1", stripetest.CheckoutCompleted,
		stripetest.CheckoutSession("cs_1", "spn-x", "pi_1", "paid", 100))

	t.Run("without card payments", func(t *testing.T) {
		for _, sig := range []string{signed(body), ""} {
			res := plain.postWebhook(t, body, sig)
			wantStatus(t, res, http.StatusServiceUnavailable)
			wantContains(t, res, "Card payments are not set up here")
			if strings.Contains(res.Body, "ignature") {
				t.Errorf("the answer speaks of signatures: %q", res.Body)
			}
		}
	})
	t.Run("too large", func(t *testing.T) {
		big := []byte(`{"pad":"` + strings.Repeat("x", webhookBodyLimit) + `"}`)
		wantStatus(t, plain.postWebhook(t, big, signed(big)), http.StatusRequestEntityTooLarge)
	})
	t.Run("only the exact path skips the CSRF check", func(t *testing.T) {
		res := plain.client(t).postJSON(stripeWebhookPath+"/", string(body))
		if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("status %d at a neighbouring path, want 403 or 404", res.StatusCode)
		}
	})
}
