package app_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/stripe"
	"github.com/encounters/encounters/app/stripe/stripetest"
)

// feeStripe stands in front of stripe-mock for reads of a PaymentIntent:
// stripe-mock answers them with a fee of 0 only, so the stand-in answers
// with a settled charge whose fee is fee pence, or with 503 while down is
// set. Every other call goes on to stripe-mock.
type feeStripe struct {
	fee   atomic.Int64
	down  atomic.Bool
	reads atomic.Int64
}

// newFeeEnv is a moneyEnv whose card payments go through a feeStripe
// charging fee pence.
func newFeeEnv(t *testing.T, fee int64) (*moneyEnv, *feeStripe) {
	t.Helper()
	m := newMoneyEnv(t, false)
	target, err := url.Parse(stripetest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	fs := &feeStripe{}
	fs.fee.Store(fee)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.URL.Path, "/v1/payment_intents/") {
			proxy.ServeHTTP(w, r)
			return
		}
		fs.answer(w, r)
	}))
	t.Cleanup(srv.Close)

	p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, srv.URL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	m.svc.Payments = p
	return m, fs
}

// answer is the stand-in's PaymentIntent, with its latest charge and
// balance transaction expanded as PaymentFee asks.
func (fs *feeStripe) answer(w http.ResponseWriter, r *http.Request) {
	fs.reads.Add(1)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Stripe-Should-Retry", "false")
	if fs.down.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error":{"type":"api_error","message":"Stripe is down."}}`))
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/v1/payment_intents/")
	_, _ = w.Write([]byte(`{"id":"` + id + `","object":"payment_intent","currency":"gbp",` +
		`"latest_charge":{"id":"ch_` + id + `","object":"charge","balance_transaction":{"id":"txn_1",` +
		`"object":"balance_transaction","currency":"gbp","fee":` + strconv.FormatInt(fs.fee.Load(), 10) + `}}}`))
}

// TestFeeRecordedWhenPaid: a payment that becomes paid, by a completed
// checkout or an asynchronous success, gets Stripe's fee at once, and the
// event's net takes it off.
func TestFeeRecordedWhenPaid(t *testing.T) {
	tests := []struct {
		name, typ, status string
	}{
		{"checkout completed and paid", stripetest.CheckoutCompleted, "paid"},
		{"asynchronous payment succeeded", stripetest.CheckoutAsyncSucceeded, "paid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newFeeEnv(t, 95)
			e := m.event(t)
			sp := m.sponsor(t, e, "19.99")
			err := m.deliver(t, "evt_fee_"+sp.ID, tc.typ,
				stripetest.CheckoutSession(sp.CheckoutSessionID, sp.ID, "pi_fee", tc.status, sp.AmountPence))
			if err != nil {
				t.Fatal(err)
			}

			got := m.stored(t, sp.ID)
			if got.State != app.SponsorPaid || !got.FeeKnown || got.FeePence != 95 {
				t.Fatalf("sponsorship %s, fee %d known %v; want paid, 95, known", got.State, got.FeePence, got.FeeKnown)
			}
			m.wantTotals(t, e.ID, app.Totals{RaisedPence: 1999, FeesPence: 95, Sponsors: 1})
			if net := m.storedEvent(t, e.ID).Totals.NetPence(); net != 1904 {
				t.Fatalf("net %d pence, want 1904: £19.99 less the 95p fee", net)
			}
			m.wantFeesDue(t)
		})
	}
}

// TestFeeFetchedLater: when Stripe cannot say the fee as the payment
// completes, the webhook is still applied, the fee stays not known (and
// is taken off nothing), and the sweep fills it in once Stripe answers.
func TestFeeFetchedLater(t *testing.T) {
	m, fs := newFeeEnv(t, 1_70)
	ctx := context.Background()
	e := m.event(t)
	sp := m.sponsor(t, e, "100")

	fs.down.Store(true)
	m.paid(t, sp, "pi_later")
	if got := m.stored(t, sp.ID); got.State != app.SponsorPaid || got.FeeKnown {
		t.Fatalf("sponsorship %s, fee known %v; want paid, fee not known", got.State, got.FeeKnown)
	}
	m.wantTotals(t, e.ID, app.Totals{RaisedPence: 100_00, FeesUnknown: 1, Sponsors: 1})
	m.wantFeesDue(t, sp.ID)

	if err := m.svc.SweepFees(ctx); err == nil {
		t.Fatal("a sweep while Stripe is down reports no error")
	}
	m.wantFeesDue(t, sp.ID)

	fs.down.Store(false)
	if err := m.svc.SweepFees(ctx); err != nil {
		t.Fatal(err)
	}
	if got := m.stored(t, sp.ID); !got.FeeKnown || got.FeePence != 1_70 {
		t.Fatalf("after the sweep fee %d known %v, want 170 known", got.FeePence, got.FeeKnown)
	}
	m.wantTotals(t, e.ID, app.Totals{RaisedPence: 100_00, FeesPence: 1_70, Sponsors: 1})
	m.wantFeesDue(t)

	reads := fs.reads.Load()
	if err := m.svc.SweepFees(ctx); err != nil || fs.reads.Load() != reads {
		t.Fatalf("a sweep with no fees due = %v and asked Stripe %d times", err, fs.reads.Load()-reads)
	}
}

// wantFeesDue fails unless the sponsorships noted as waiting for a fee
// are ids, oldest first.
func (m *moneyEnv) wantFeesDue(t *testing.T, ids ...string) {
	t.Helper()
	due, err := m.store.FeesDue(context.Background(), 100)
	if err != nil || strings.Join(due, ",") != strings.Join(ids, ",") {
		t.Fatalf("fees due %v, %v; want %v", due, err, ids)
	}
}

// storedEvent reads an event back from the store.
func (m *moneyEnv) storedEvent(t *testing.T, id string) *app.CivicEvent {
	t.Helper()
	e, err := m.store.GetEvent(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestFeeStripeMock: against stripe-mock itself the fee is read, though
// stripe-mock's fixture always says 0.
func TestFeeStripeMock(t *testing.T) {
	m := newMoneyEnv(t, true)
	e := m.event(t)
	sp := m.sponsor(t, e, "19.99")
	m.paid(t, sp, "pi_mock")

	if got := m.stored(t, sp.ID); !got.FeeKnown || got.FeePence != 0 {
		t.Fatalf("fee %d known %v, want stripe-mock's 0, known", got.FeePence, got.FeeKnown)
	}
	if req, ok := m.stripe.Last("/v1/payment_intents/pi_mock"); !ok ||
		req.Query.Get("expand[0]") != "latest_charge.balance_transaction" {
		t.Fatalf("PaymentIntent read %+v, %v; want it with the charge's balance transaction", req, ok)
	}
}
