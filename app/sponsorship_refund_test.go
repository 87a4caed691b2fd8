package app_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/stripe"
	"github.com/encounters/encounters/app/stripe/stripetest"
)

func TestRefundSponsorship(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()

	// Refunded here first, then Stripe's webhooks confirm each total.
	t.Run("in part, then the rest", func(t *testing.T) {
		e := m.event(t)
		sp := m.sponsor(t, e, "100")
		m.paid(t, sp, "pi_"+sp.ID)

		got, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Amount: "£19.99"})
		if err != nil || got.RefundedPence != 1999 || got.State != app.SponsorPaid {
			t.Fatalf("partial refund = %+v, %v", got, err)
		}
		m.wantRefundRequest(t, "pi_"+sp.ID, "1999", "refund/"+sp.ID+"/0")
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 10000, RefundedPence: 1999, Sponsors: 1})
		if m.job(t, "sponsorship/"+sp.ID+"/refunded/1999") == nil {
			t.Fatal("no refund email queued")
		}

		if err := m.deliver(t, "evt_r1_"+sp.ID, stripetest.ChargeRefunded, refundedSoFar(1999)(sp)); err != nil {
			t.Fatal(err)
		}
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 10000, RefundedPence: 1999, Sponsors: 1})

		got, err = m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Amount: ""})
		if err != nil || got.RefundedPence != 10000 {
			t.Fatalf("refund of the rest = %+v, %v", got, err)
		}
		m.wantRefundRequest(t, "pi_"+sp.ID, "8001", "refund/"+sp.ID+"/1999")
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 10000, RefundedPence: 10000})

		if err := m.deliver(t, "evt_r2_"+sp.ID, stripetest.ChargeRefunded, refundedSoFar(10000)(sp)); err != nil {
			t.Fatal(err)
		}
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 10000, RefundedPence: 10000})
		_, err = m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Amount: ""})
		wantCode(t, err, app.EConflict)
	})

	// Refunded in Stripe's dashboard first: the webhook arrives, then the
	// coordinator refunds what is left here.
	t.Run("webhook first, then here", func(t *testing.T) {
		e := m.event(t)
		sp := m.sponsor(t, e, "1,000.10")
		m.paid(t, sp, "pi_"+sp.ID)
		if err := m.deliver(t, "evt_dash_"+sp.ID, stripetest.ChargeRefunded, refundedSoFar(10)(sp)); err != nil {
			t.Fatal(err)
		}
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 100010, RefundedPence: 10, Sponsors: 1})

		_, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Amount: "1,000.01"})
		wantField(t, err, "amount", "at most £1,000.00: £0.10 of £1,000.10 has been refunded already")
		got, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Amount: "1000"})
		if err != nil || got.RefundedPence != 100010 {
			t.Fatalf("refund of the rest = %+v, %v", got, err)
		}
		m.wantRefundRequest(t, "pi_"+sp.ID, "100000", "refund/"+sp.ID+"/10")
		if err := m.deliver(t, "evt_rest_"+sp.ID, stripetest.ChargeRefunded, refundedSoFar(100010)(sp)); err != nil {
			t.Fatal(err)
		}
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 100010, RefundedPence: 100010})
	})

	t.Run("refused", func(t *testing.T) {
		e := m.event(t)
		pending := m.sponsor(t, e, "50")
		paid := m.sponsor(t, e, "50")
		m.paid(t, paid, "pi_"+paid.ID)
		pledge, err := m.svc.RecordPledge(ctx, m.coord, e.ID, app.PledgeInput{Method: app.PayInvoice,
			Amount: "50", Name: "Durham County Council"})
		if err != nil {
			t.Fatal(err)
		}

		other := m.event(t)

		tests := []struct {
			name, id, amount string
			a                *app.Actor
			code, field      string
			key, event       string
		}{
			{"by the organiser", paid.ID, "", m.organiser, app.EForbidden, "", "", ""},
			{"anonymously", paid.ID, "", nil, app.EUnauthorized, "", "", ""},
			{"not paid yet", pending.ID, "", m.coord, app.EConflict, "", "", ""},
			{"a pledge", pledge.ID, "", m.coord, app.EConflict, "", "", ""},
			{"no such sponsorship", "spn_0123456789", "", m.coord, app.ENotFound, "", "", ""},
			{"more than was paid", paid.ID, "50.01", m.coord, app.EInvalid, "amount", "", ""},
			{"nothing", paid.ID, "0", m.coord, app.EInvalid, "amount", "", ""},
			{"fractions of a penny", paid.ID, "1.001", m.coord, app.EInvalid, "amount", "", ""},
			{"a sponsorship of another event", paid.ID, "", m.coord, app.ENotFound, "", "", other.ID},
			{"a malformed event id", paid.ID, "", m.coord, app.ENotFound, "", "", "not an id"},
			{"a form key that no form makes", paid.ID, "", m.coord, app.EInvalid, "", "idem\nx", e.ID},
			{"a form key too long", paid.ID, "", m.coord, app.EInvalid, "",
				strings.Repeat("k", app.RefundKeyMax+1), e.ID},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := m.svc.RefundSponsorship(ctx, tc.a, tc.id, app.RefundInput{Amount: tc.amount, Key: tc.key,
					EventID: tc.event})
				wantCode(t, err, tc.code)
				if tc.field != "" {
					wantField(t, err, tc.field, "")
				}
			})
		}
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 5000, PledgedPence: 5000, Sponsors: 2})
	})
}

// TestRefundStripeUnreachable: a refund Stripe cannot be reached for is
// ErrCardsUnavailable with a sentence for the coordinator; nothing is
// recorded, and the form's key may be sent again.
func TestRefundStripeUnreachable(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()
	e := m.event(t)
	sp := m.sponsor(t, e, "50")
	m.paid(t, sp, "pi_"+sp.ID)

	p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, "http://127.0.0.1:9",
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	working := m.svc.Payments
	m.svc.Payments = p
	_, err = m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Amount: "5", Key: "form1"})
	if !errors.Is(err, app.ErrCardsUnavailable) {
		t.Fatalf("refund error %v, want ErrCardsUnavailable", err)
	}
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Message != app.RefundUnavailableMessage {
		t.Fatalf("refund error %v does not carry the message for the coordinator", err)
	}
	if got := m.stored(t, sp.ID); got.RefundedPence != 0 {
		t.Fatalf("refunded %d pence though Stripe was not reached", got.RefundedPence)
	}

	m.svc.Payments = working
	got, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Amount: "5", Key: "form1"})
	if err != nil || got.RefundedPence != 5_00 {
		t.Fatalf("the same form once Stripe answers = %+v, %v; want £5.00 refunded", got, err)
	}
}

func TestRefundWithoutStripe(t *testing.T) {
	m := newMoneyEnv(t, false)
	_, err := m.svc.RefundSponsorship(context.Background(), m.coord, "spn_0123456789", app.RefundInput{})
	wantCode(t, err, app.EConflict)
}

// wantRefundRequest fails unless the latest refund asked of Stripe was
// amount pence of the payment under the idempotency key.
func (m *moneyEnv) wantRefundRequest(t *testing.T, pi, amount, key string) {
	t.Helper()
	req, ok := m.stripe.Last("/v1/refunds")
	if !ok || req.Form.Get("payment_intent") != pi || req.Form.Get("amount") != amount || req.IdempotencyKey != key {
		t.Fatalf("refund request %+v; want %s of %s under %s", req, amount, pi, key)
	}
}

// TestRefundFormSentTwice checks that one refund form refunds once however
// often it is sent, one after another or at once: its key is recorded
// here and is Stripe's idempotency key.
func TestRefundFormSentTwice(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()

	t.Run("sent again", func(t *testing.T) {
		e := m.event(t)
		sp := m.sponsor(t, e, "10")
		m.paid(t, sp, "pi_"+sp.ID)
		in := app.RefundInput{EventID: e.ID, Amount: "1", Key: "idem_again"}
		for i := range 2 {
			got, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, in)
			if err != nil || got.RefundedPence != 100 {
				t.Fatalf("sending %d = %+v, %v; want £1.00 refunded", i+1, got, err)
			}
		}
		m.wantRefundRequest(t, "pi_"+sp.ID, "100", "refund/"+sp.ID+"/idem_again")
		m.wantRefundRequests(t, sp, 1)

		in.Key = "idem_next"
		if got, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, in); err != nil || got.RefundedPence != 200 {
			t.Fatalf("a new form = %+v, %v; want £2.00 refunded", got, err)
		}
		m.wantRefundRequests(t, sp, 2)
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 1000, RefundedPence: 200, Sponsors: 1})
	})

	t.Run("refund all, sent again, answers the first refund", func(t *testing.T) {
		e := m.event(t)
		sp := m.sponsor(t, e, "10")
		m.paid(t, sp, "pi_"+sp.ID)
		in := app.RefundInput{EventID: e.ID, Key: "idem_all"}
		for i := range 2 {
			got, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, in)
			if err != nil || got.RefundedPence != 1000 {
				t.Fatalf("sending %d = %+v, %v; want all refunded", i+1, got, err)
			}
		}
		m.wantRefundRequests(t, sp, 1)
	})

	t.Run("sent three times at once", func(t *testing.T) {
		e := m.event(t)
		sp := m.sponsor(t, e, "10")
		m.paid(t, sp, "pi_"+sp.ID)
		in := app.RefundInput{EventID: e.ID, Amount: "1", Key: "idem_parallel"}
		var wg sync.WaitGroup
		errs := make(chan error, 3)
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, in)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		m.wantRefundRequests(t, sp, 1)
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 1000, RefundedPence: 100, Sponsors: 1})
	})

	t.Run("a refused form may be sent again, put right", func(t *testing.T) {
		e := m.event(t)
		sp := m.sponsor(t, e, "10")
		m.paid(t, sp, "pi_"+sp.ID)
		_, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Amount: "abc", Key: "idem_fix"})
		wantField(t, err, "amount", "")
		got, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Amount: "2", Key: "idem_fix"})
		if err != nil || got.RefundedPence != 200 {
			t.Fatalf("the form put right = %+v, %v; want £2.00 refunded", got, err)
		}
		m.wantRefundRequests(t, sp, 1)
	})
}

// TestRefundEmails checks that each refund's email names that refund and
// the total refunded, whether it was made here or in Stripe's dashboard.
func TestRefundEmails(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()

	t.Run("refunded here", func(t *testing.T) {
		e := m.event(t)
		sp := m.sponsor(t, e, "10")
		m.paid(t, sp, "pi_"+sp.ID)
		for i, amount := range []string{"2", "1", ""} {
			in := app.RefundInput{Amount: amount, Key: "idem_mail_" + string(rune('a'+i))}
			if _, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		m.wantLetter(t, "sponsorship/"+sp.ID+"/refunded/200", "Refund of £2.00",
			"We have refunded £2.00 of your £10.00 sponsorship")
		m.wantLetter(t, "sponsorship/"+sp.ID+"/refunded/300", "Refund of £1.00",
			"We have refunded £1.00 of your £10.00 sponsorship", "That makes £3.00 refunded in all.")
		m.wantLetter(t, "sponsorship/"+sp.ID+"/refunded/1000", "Refund of £7.00",
			"We have refunded £7.00 of your £10.00 sponsorship",
			"That makes £10.00 refunded in all: the whole sponsorship.")
	})

	t.Run("refunded in Stripe's dashboard", func(t *testing.T) {
		e := m.event(t)
		sp := m.sponsor(t, e, "19.99")
		m.paid(t, sp, "pi_"+sp.ID)
		for _, pence := range []int64{500, 1999} {
			err := m.deliver(t, fmt.Sprintf("evt_dash_%d_%s", pence, sp.ID), stripetest.ChargeRefunded,
				refundedSoFar(pence)(sp))
			if err != nil {
				t.Fatal(err)
			}
		}
		m.wantLetter(t, "sponsorship/"+sp.ID+"/refunded/500", "Refund of £5.00",
			"We have refunded £5.00 of your £19.99 sponsorship")
		m.wantLetter(t, "sponsorship/"+sp.ID+"/refunded/1999", "Refund of £14.99",
			"We have refunded £14.99 of your £19.99 sponsorship", "That makes £19.99 refunded in all")
	})

	t.Run("refunded before the payment was confirmed", func(t *testing.T) {
		e := m.event(t)
		sp := m.sponsor(t, e, "19.99")
		if err := m.deliver(t, "evt_early_"+sp.ID, stripetest.ChargeRefunded, refundedNoAmount(500)(sp)); err != nil {
			t.Fatal(err)
		}
		if m.job(t, "sponsorship/"+sp.ID+"/refunded/500") != nil {
			t.Fatal("a refund email was queued before the payment was confirmed")
		}
		m.paid(t, sp, "pi_"+sp.ID)
		m.wantLetter(t, "sponsorship/"+sp.ID+"/refunded/500", "Refund of £5.00",
			"We have refunded £5.00 of your £19.99 sponsorship")
	})

	t.Run("refunded in full at once", func(t *testing.T) {
		e := m.event(t)
		sp := m.sponsor(t, e, "19.99")
		m.paid(t, sp, "pi_"+sp.ID)
		if _, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Key: "idem_full"}); err != nil {
			t.Fatal(err)
		}
		m.wantLetter(t, "sponsorship/"+sp.ID+"/refunded/1999", "Refund of £19.99",
			"We have refunded your sponsorship of Stanley careers fair in full: £19.99.")
	})
}

// wantLetter fails unless the outbox holds the job, its subject says
// subject and its text says each of want.
func (m *moneyEnv) wantLetter(t *testing.T, id, subject string, want ...string) {
	t.Helper()
	j := m.job(t, id)
	if j == nil {
		t.Fatalf("no job %s", id)
	}
	if !strings.Contains(j.Message.Subject, subject) {
		t.Errorf("job %s subject %q, want %q", id, j.Message.Subject, subject)
	}
	for _, w := range want {
		if !strings.Contains(j.Message.Text, w) {
			t.Errorf("job %s text lacks %q:\n%s", id, w, j.Message.Text)
		}
	}
}

// wantRefundRequests fails unless Stripe was asked for n refunds of sp.
func (m *moneyEnv) wantRefundRequests(t *testing.T, sp *app.Sponsorship, n int) {
	t.Helper()
	got := 0
	for _, req := range m.stripe.Requests() {
		if req.Path == "/v1/refunds" && req.Form.Get("payment_intent") == "pi_"+sp.ID {
			got++
		}
	}
	if got != n {
		t.Fatalf("Stripe was asked for %d refunds of %s, want %d", got, sp.ID, n)
	}
}

// slowRefunds stands in front of stripe-mock for refunds as Stripe keeps
// idempotency keys: the first request under a key is made (passed on to
// stripe-mock, which keeps no keys) and its answer saved, but held back
// until the caller has given up; a later request under the same key gets
// the saved answer, and no second refund.
type slowRefunds struct {
	mu       sync.Mutex
	answers  map[string][]byte
	requests int
	hold     time.Duration
}

func (sr *slowRefunds) serve(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/refunds" {
			next.ServeHTTP(w, r)
			return
		}
		key := r.Header.Get("Idempotency-Key")
		sr.mu.Lock()
		sr.requests++
		saved, seen := sr.answers[key]
		sr.mu.Unlock()
		if !seen {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			saved = rec.Body.Bytes()
			sr.mu.Lock()
			sr.answers[key] = saved
			sr.mu.Unlock()
			time.Sleep(sr.hold)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(saved)
	})
}

// TestRefundWhoseAnswerWasLostIsMadeOnce: Stripe makes a refund but its
// answer comes after the coordinator's request gave up. The coordinator
// is told to send the same form again; doing so gets Stripe's refund
// under the same key, recorded once, and Stripe makes no second refund.
func TestRefundWhoseAnswerWasLostIsMadeOnce(t *testing.T) {
	m := newMoneyEnv(t, false)
	target, err := url.Parse(stripetest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	sr := &slowRefunds{answers: map[string][]byte{}, hold: time.Second}
	srv := httptest.NewServer(sr.serve(httputil.NewSingleHostReverseProxy(target)))
	t.Cleanup(srv.Close)
	p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, srv.URL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	m.svc.Payments = p
	e := m.event(t)
	sp := m.sponsor(t, e, "50")
	m.paid(t, sp, "pi_"+sp.ID)

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	in := app.RefundInput{Amount: "10", Key: "form-lost"}
	_, err = m.svc.RefundSponsorship(ctx, m.coord, sp.ID, in)
	var ae *app.Error
	if !errors.Is(err, app.ErrCardsUnavailable) || !errors.As(err, &ae) ||
		!strings.Contains(ae.Message, "Send this form again") {
		t.Fatalf("refund whose answer was lost = %v, want ErrCardsUnavailable telling to send it again", err)
	}
	if got := m.stored(t, sp.ID); got.RefundedPence != 0 {
		t.Fatalf("recorded %d pence without Stripe's answer", got.RefundedPence)
	}

	got, err := m.svc.RefundSponsorship(context.Background(), m.coord, sp.ID, in)
	if err != nil || got.RefundedPence != 10_00 {
		t.Fatalf("the same form again = %+v, %v; want £10.00 refunded", got, err)
	}
	sr.mu.Lock()
	defer sr.mu.Unlock()
	if sr.requests != 2 || len(sr.answers) != 1 {
		t.Fatalf("Stripe got %d refund requests under %d keys, want 2 under one", sr.requests, len(sr.answers))
	}
}
