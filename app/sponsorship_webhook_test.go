package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/stripe/stripetest"
)

// delivery is one webhook event in a scenario, and the state and totals
// it must leave, to the penny.
type delivery struct {
	id, typ string
	// object builds the event's object for the sponsorship.
	object func(sp *app.Sponsorship) map[string]any
	state  string
	totals app.Totals
}

func completed(status string) func(*app.Sponsorship) map[string]any {
	return func(sp *app.Sponsorship) map[string]any {
		return stripetest.CheckoutSession(sp.CheckoutSessionID, sp.ID, "pi_"+sp.ID, status, sp.AmountPence)
	}
}

func refundedSoFar(pence int64) func(*app.Sponsorship) map[string]any {
	return func(sp *app.Sponsorship) map[string]any {
		return stripetest.Charge("ch_"+sp.ID, sp.ID, "pi_"+sp.ID, sp.AmountPence, pence)
	}
}

// refundedNoAmount is a refund event whose charge does not say how much
// was paid.
func refundedNoAmount(pence int64) func(*app.Sponsorship) map[string]any {
	return func(sp *app.Sponsorship) map[string]any {
		o := refundedSoFar(pence)(sp)
		delete(o, "amount")
		delete(o, "amount_captured")
		return o
	}
}

// paidFor is a completed checkout that took pence.
func paidFor(pence int64) func(*app.Sponsorship) map[string]any {
	return func(sp *app.Sponsorship) map[string]any {
		return stripetest.CheckoutSession(sp.CheckoutSessionID, sp.ID, "pi_"+sp.ID, "paid", pence)
	}
}

func TestPaymentWebhookOrders(t *testing.T) {
	m := newMoneyEnv(t, true)
	paid := app.Totals{RaisedPence: 1999, Sponsors: 1}
	paidPart := app.Totals{RaisedPence: 1999, RefundedPence: 500, Sponsors: 1}
	paidAll := app.Totals{RaisedPence: 1999, RefundedPence: 1999}
	none := app.Totals{}

	tests := []struct {
		name  string
		steps []delivery
	}{
		{"paid, delivered twice", []delivery{
			{"a", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid, paid},
			{"a", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid, paid},
		}},
		{"refund before completion", []delivery{
			{"r", stripetest.ChargeRefunded, refundedSoFar(500), app.SponsorPaid, paidPart},
			{"c", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid, paidPart},
		}},
		{"failed after succeeded", []delivery{
			{"c", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid, paid},
			{"f", stripetest.CheckoutAsyncFailed, completed("unpaid"), app.SponsorPaid, paid},
		}},
		{"expired after succeeded", []delivery{
			{"c", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid, paid},
			{"x", stripetest.CheckoutExpired, completed("unpaid"), app.SponsorPaid, paid},
		}},
		{"bank payment clears later", []delivery{
			{"c", stripetest.CheckoutCompleted, completed("unpaid"), app.SponsorPending, none},
			{"s", stripetest.CheckoutAsyncSucceeded, completed("paid"), app.SponsorPaid, paid},
		}},
		{"bank payment fails", []delivery{
			{"c", stripetest.CheckoutCompleted, completed("unpaid"), app.SponsorPending, none},
			{"f", stripetest.CheckoutAsyncFailed, completed("unpaid"), app.SponsorFailed, none},
			{"f", stripetest.CheckoutAsyncFailed, completed("unpaid"), app.SponsorFailed, none},
		}},
		{"success after the pending notice arrives late", []delivery{
			{"s", stripetest.CheckoutAsyncSucceeded, completed("paid"), app.SponsorPaid, paid},
			{"c", stripetest.CheckoutCompleted, completed("unpaid"), app.SponsorPaid, paid},
		}},
		{"abandoned checkout", []delivery{
			{"x", stripetest.CheckoutExpired, completed("unpaid"), app.SponsorExpired, none},
		}},
		{"refund without the charge's amount before completion", []delivery{
			{"r", stripetest.ChargeRefunded, refundedNoAmount(500), app.SponsorPending, none},
			{"c", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid, paidPart},
		}},
		{"refund without the charge's amount after completion", []delivery{
			{"c", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid, paid},
			{"r", stripetest.ChargeRefunded, refundedNoAmount(500), app.SponsorPaid, paidPart},
		}},
		{"refund without the charge's amount, then expiry, then success", []delivery{
			{"r", stripetest.ChargeRefunded, refundedNoAmount(500), app.SponsorPending, none},
			{"x", stripetest.CheckoutExpired, completed("unpaid"), app.SponsorExpired, none},
			{"s", stripetest.CheckoutAsyncSucceeded, completed("paid"), app.SponsorPaid, paidPart},
		}},
		{"refund beyond the amount paid", []delivery{
			{"c", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid, paid},
			{"r", stripetest.ChargeRefunded, refundedNoAmount(5000), app.SponsorPaid, paidAll},
		}},
		{"refund beyond the amount paid, before completion", []delivery{
			{"r", stripetest.ChargeRefunded, refundedNoAmount(5000), app.SponsorPending, none},
			{"c", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid, paidAll},
		}},
		{"checkout took less than asked", []delivery{
			{"c", stripetest.CheckoutCompleted, paidFor(1000), app.SponsorPaid,
				app.Totals{RaisedPence: 1000, Sponsors: 1}},
			{"r", stripetest.ChargeRefunded, refundedNoAmount(1999), app.SponsorPaid,
				app.Totals{RaisedPence: 1000, RefundedPence: 1000}},
		}},
		{"refunds out of order", []delivery{
			{"c", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid, paid},
			{"r2", stripetest.ChargeRefunded, refundedSoFar(1999), app.SponsorPaid, paidAll},
			{"r1", stripetest.ChargeRefunded, refundedSoFar(500), app.SponsorPaid, paidAll},
			{"r2", stripetest.ChargeRefunded, refundedSoFar(1999), app.SponsorPaid, paidAll},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := m.event(t)
			sp := m.sponsor(t, e, "19.99")
			for i, step := range tc.steps {
				err := m.deliver(t, "evt_"+step.id+"_"+sp.ID, step.typ, step.object(sp))
				if err != nil {
					t.Fatalf("step %d (%s): %v", i+1, step.typ, err)
				}
				if got := m.stored(t, sp.ID); got.State != step.state {
					t.Fatalf("after step %d (%s) the sponsorship is %s, want %s", i+1, step.typ, got.State, step.state)
				}
				m.wantTotals(t, e.ID, step.totals)
			}
		})
	}
}

func TestPaymentWebhookRefused(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()
	e := m.event(t)
	sp := m.sponsor(t, e, "19.99")
	body := stripetest.Event(t, "evt_refused", stripetest.CheckoutCompleted, completed("paid")(sp))
	var indented bytes.Buffer
	if err := json.Indent(&indented, body, "", "  "); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		body      []byte
		signature string
	}{
		{"bad signature", body, stripetest.Sign(body, "whsec_not_ours", time.Now())},
		{"stale timestamp", body, stripetest.Sign(body, stripetest.WebhookSecret, time.Now().Add(-10*time.Minute))},
		{"body re-encoded after signing", indented.Bytes(), stripetest.Sign(body, stripetest.WebhookSecret, time.Now())},
		{"no signature", body, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, m.svc.HandlePaymentWebhook(ctx, tc.body, tc.signature), app.EInvalid)
			if got := m.stored(t, sp.ID); got.State != app.SponsorPending {
				t.Fatalf("a refused webhook changed the sponsorship to %s", got.State)
			}
			m.wantTotals(t, e.ID, app.Totals{})
		})
	}

	// Nothing was recorded: the same event, signed properly, applies.
	if err := m.svc.HandlePaymentWebhook(ctx, body, stripetest.Sign(body, stripetest.WebhookSecret, time.Now())); err != nil {
		t.Fatal(err)
	}
	m.wantTotals(t, e.ID, app.Totals{RaisedPence: 1999, Sponsors: 1})
}

func TestPaymentWebhookNotOurs(t *testing.T) {
	m := newMoneyEnv(t, true)
	e := m.event(t)
	sp := m.sponsor(t, e, "19.99")

	tests := []struct {
		name, typ string
		object    map[string]any
	}{
		{"an event type we do not use", "customer.created", map[string]any{"id": "cus_1", "object": "customer"}},
		{"no sponsorship named", stripetest.CheckoutCompleted,
			stripetest.CheckoutSession("cs_other", "", "pi_other", "paid", 1999)},
		{"a sponsorship we do not have", stripetest.CheckoutCompleted,
			stripetest.CheckoutSession("cs_other", "spn_0123456789", "pi_other", "paid", 1999)},
		{"a checkout in dollars", stripetest.CheckoutCompleted, func() map[string]any {
			o := completed("paid")(sp)
			o["currency"] = "usd"
			return o
		}()},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := m.deliver(t, fmt.Sprintf("evt_other_%d", i), tc.typ, tc.object); err != nil {
				t.Fatalf("an event not about our sponsorships should be accepted and ignored: %v", err)
			}
			if got := m.stored(t, sp.ID); got.State != app.SponsorPending {
				t.Fatalf("sponsorship is %s", got.State)
			}
		})
	}
	m.wantTotals(t, e.ID, app.Totals{})
}

// TestPaymentWebhookEmails checks that a payment queues one receipt and a
// notice to each organiser who wants one, however often it is delivered.
func TestPaymentWebhookEmails(t *testing.T) {
	m := newMoneyEnv(t, true)
	e := m.event(t)
	sp := m.sponsor(t, e, "1,000.10")
	if m.job(t, "sponsorship/"+sp.ID+"/receipt") != nil {
		t.Fatal("a receipt was queued before payment")
	}

	for range 2 {
		m.paid(t, sp, "pi_emails")
	}
	receipt := m.job(t, "sponsorship/"+sp.ID+"/receipt")
	if receipt == nil || receipt.Message.To != "ada@example.org" || receipt.State != app.JobPending ||
		!bytes.Contains([]byte(receipt.Message.Text), []byte("£1,000.10")) {
		t.Fatalf("receipt job %+v", receipt)
	}
	notice := m.job(t, "sponsorship/"+sp.ID+"/notice/"+m.wantsMail.ID)
	if notice == nil || notice.Message.To != m.wantsMail.Email {
		t.Fatalf("notice job %+v", notice)
	}
	if m.job(t, "sponsorship/"+sp.ID+"/notice/"+m.mailOff.ID) != nil {
		t.Fatal("a notice was queued for a member who turned sponsorship mail off")
	}
	jobs, total, err := m.store.ListJobs(context.Background(), app.JobPending, 0, 50)
	if err != nil || total != 2 {
		t.Fatalf("%d jobs queued (%v): %+v; want the receipt and one notice", total, err, jobs)
	}
}

// TestPaymentWebhookFailedEmail checks that a sponsor whose bank payment
// fails is told once, however often Stripe says so, and that a checkout
// merely abandoned (expired) sends nothing.
func TestPaymentWebhookFailedEmail(t *testing.T) {
	m := newMoneyEnv(t, true)
	e := m.event(t)
	failed, abandoned := m.sponsor(t, e, "25"), m.sponsor(t, e, "30")

	for range 2 {
		if err := m.deliver(t, "evt_f_"+failed.ID, stripetest.CheckoutAsyncFailed, completed("unpaid")(failed)); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.deliver(t, "evt_f2_"+failed.ID, stripetest.CheckoutAsyncFailed, completed("unpaid")(failed)); err != nil {
		t.Fatal(err)
	}
	if err := m.deliver(t, "evt_x_"+abandoned.ID, stripetest.CheckoutExpired, completed("unpaid")(abandoned)); err != nil {
		t.Fatal(err)
	}

	note := m.job(t, "sponsorship/"+failed.ID+"/failed")
	if note == nil || note.Message.To != "ada@example.org" ||
		!strings.Contains(note.Message.Text, "did not go through, so no money was taken") {
		t.Fatalf("failed-payment email %+v", note)
	}
	jobs, total, err := m.store.ListJobs(context.Background(), app.JobPending, 0, 50)
	if err != nil || total != 1 {
		t.Fatalf("%d jobs queued (%v): %+v; want the one failed-payment email", total, err, jobs)
	}
}

// TestPaymentWebhookConcurrent delivers a payment's events at once, each
// several times, as Stripe's retries can: each applies once and the
// totals come out exact.
func TestPaymentWebhookConcurrent(t *testing.T) {
	m := newMoneyEnv(t, true)
	e := m.event(t)
	amounts := []string{"19.99", "1,000.10", "5.01"}
	var sps []*app.Sponsorship
	for _, a := range amounts {
		sps = append(sps, m.sponsor(t, e, a))
	}

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for _, sp := range sps {
		events := []delivery{
			{id: "c", typ: stripetest.CheckoutCompleted, object: completed("paid")},
			{id: "r", typ: stripetest.ChargeRefunded, object: refundedSoFar(1)},
			{id: "f", typ: stripetest.CheckoutAsyncFailed, object: completed("unpaid")},
		}
		for _, d := range events {
			for range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- m.deliver(t, "evt_"+d.id+"_"+sp.ID, d.typ, d.object(sp))
				}()
			}
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	m.wantTotals(t, e.ID, app.Totals{RaisedPence: 1999 + 100010 + 501, RefundedPence: 3, Sponsors: 3})
	if got := app.FormatPence(1999 + 100010 + 501 - 3); got != "£1,025.07" {
		t.Fatalf("net shown as %s", got)
	}
}

// failingComposer is the shipped templates with one failure injected, as
// a full disk or a broken template would fail: real templates cannot be
// made to fail on demand.
type failingComposer struct {
	app.Composer
	mu    sync.Mutex
	fails int
}

func (f *failingComposer) Compose(l app.Letter) (app.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return app.Message{}, fmt.Errorf("injected failure")
	}
	return f.Composer.Compose(l)
}

// TestPaymentWebhookRetry checks that an event whose application failed
// is forgotten, so that Stripe's retry applies it and queues what was
// missed.
func TestPaymentWebhookRetry(t *testing.T) {
	m := newMoneyEnv(t, true)
	m.svc.Compose = &failingComposer{Composer: m.svc.Compose, fails: 1}
	e := m.event(t)
	sp := m.sponsor(t, e, "19.99")
	body := stripetest.Event(t, "evt_retry", stripetest.CheckoutCompleted, completed("paid")(sp))
	deliver := func() error {
		return m.svc.HandlePaymentWebhook(context.Background(), body,
			stripetest.Sign(body, stripetest.WebhookSecret, time.Now()))
	}

	if err := deliver(); app.ErrorCode(err) != app.EInternal {
		t.Fatalf("first delivery = %v, want an internal error for Stripe to retry", err)
	}
	if m.job(t, "sponsorship/"+sp.ID+"/receipt") != nil {
		t.Fatal("receipt queued despite the failure")
	}
	if err := deliver(); err != nil {
		t.Fatalf("retry = %v", err)
	}
	if m.job(t, "sponsorship/"+sp.ID+"/receipt") == nil {
		t.Fatal("the retry did not queue the receipt")
	}
	m.wantTotals(t, e.ID, app.Totals{RaisedPence: 1999, Sponsors: 1})
}

// TestPaymentWebhookAmounts checks that the amount Stripe took is kept
// when it differs from the sponsorship's, with a warning that names ids
// only, and that a refund arriving first marks the payment paid only for
// the charge's own amount.
func TestPaymentWebhookAmounts(t *testing.T) {
	m := newMoneyEnv(t, true)
	var logs syncBuffer
	m.svc.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))

	tests := []struct {
		name   string
		steps  []delivery
		amount int64
		warn   string
	}{
		{"paid more than asked", []delivery{
			{"c", stripetest.CheckoutCompleted, paidFor(2500), app.SponsorPaid,
				app.Totals{RaisedPence: 2500, Sponsors: 1}},
		}, 2500, "payment taken differs"},
		{"refund with the charge's amount first", []delivery{
			{"r", stripetest.ChargeRefunded, func(sp *app.Sponsorship) map[string]any {
				return stripetest.Charge("ch_"+sp.ID, sp.ID, "pi_"+sp.ID, 1500, 500)
			}, app.SponsorPaid, app.Totals{RaisedPence: 1500, RefundedPence: 500, Sponsors: 1}},
			{"c", stripetest.CheckoutCompleted, paidFor(1500), app.SponsorPaid,
				app.Totals{RaisedPence: 1500, RefundedPence: 500, Sponsors: 1}},
		}, 1500, "payment taken differs"},
		{"refunds beyond the amount paid", []delivery{
			{"c", stripetest.CheckoutCompleted, completed("paid"), app.SponsorPaid,
				app.Totals{RaisedPence: 1999, Sponsors: 1}},
			{"r", stripetest.ChargeRefunded, refundedNoAmount(999999), app.SponsorPaid,
				app.Totals{RaisedPence: 1999, RefundedPence: 1999}},
		}, 1999, "refund reported beyond the amount paid"},
		{"an amount no sponsorship can be", []delivery{
			{"c", stripetest.CheckoutCompleted, paidFor(math.MaxInt64), app.SponsorPaid,
				app.Totals{RaisedPence: 1999, Sponsors: 1}},
			{"r", stripetest.ChargeRefunded, refundedNoAmount(math.MaxInt64), app.SponsorPaid,
				app.Totals{RaisedPence: 1999, Sponsors: 1}},
		}, 1999, "payment event amount beyond any sponsorship, ignored"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			e := m.event(t)
			sp := m.sponsor(t, e, "19.99")
			for i, step := range tc.steps {
				if err := m.deliver(t, "evt_"+step.id+"_"+sp.ID, step.typ, step.object(sp)); err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
				if got := m.stored(t, sp.ID); got.State != step.state {
					t.Fatalf("after step %d the sponsorship is %s, want %s", i+1, got.State, step.state)
				}
				m.wantTotals(t, e.ID, step.totals)
			}

			if got := m.stored(t, sp.ID); got.AmountPence != tc.amount {
				t.Fatalf("amount %d, want %d, what Stripe took", got.AmountPence, tc.amount)
			}
			out := logs.String()
			if !strings.Contains(out, tc.warn) || !strings.Contains(out, "sponsorship_id="+sp.ID) {
				t.Fatalf("logs lack the warning %q for %s:\n%s", tc.warn, sp.ID, out)
			}
			for _, private := range []string{"Ada Lovelace", "ada@example.org", "Lovelace Engineering"} {
				if strings.Contains(out, private) {
					t.Fatalf("logs name the sponsor (%q):\n%s", private, out)
				}
			}
		})
	}
}

// syncBuffer is a buffer that log handlers may write from several
// goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}
