package app_test

import (
	"context"
	"testing"

	"github.com/encounters/encounters/app"
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

		got, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, "£19.99")
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

		got, err = m.svc.RefundSponsorship(ctx, m.coord, sp.ID, "")
		if err != nil || got.RefundedPence != 10000 {
			t.Fatalf("refund of the rest = %+v, %v", got, err)
		}
		m.wantRefundRequest(t, "pi_"+sp.ID, "8001", "refund/"+sp.ID+"/1999")
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 10000, RefundedPence: 10000})

		if err := m.deliver(t, "evt_r2_"+sp.ID, stripetest.ChargeRefunded, refundedSoFar(10000)(sp)); err != nil {
			t.Fatal(err)
		}
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 10000, RefundedPence: 10000})
		_, err = m.svc.RefundSponsorship(ctx, m.coord, sp.ID, "")
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

		_, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, "1,000.01")
		wantField(t, err, "amount", "at most £1,000.00: £0.10 of £1,000.10 has been refunded already")
		got, err := m.svc.RefundSponsorship(ctx, m.coord, sp.ID, "1000")
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

		tests := []struct {
			name, id, amount string
			a                *app.Actor
			code, field      string
		}{
			{"by the organiser", paid.ID, "", m.organiser, app.EForbidden, ""},
			{"anonymously", paid.ID, "", nil, app.EUnauthorized, ""},
			{"not paid yet", pending.ID, "", m.coord, app.EConflict, ""},
			{"a pledge", pledge.ID, "", m.coord, app.EConflict, ""},
			{"no such sponsorship", "spn_0123456789", "", m.coord, app.ENotFound, ""},
			{"more than was paid", paid.ID, "50.01", m.coord, app.EInvalid, "amount"},
			{"nothing", paid.ID, "0", m.coord, app.EInvalid, "amount"},
			{"fractions of a penny", paid.ID, "1.001", m.coord, app.EInvalid, "amount"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := m.svc.RefundSponsorship(ctx, tc.a, tc.id, tc.amount)
				wantCode(t, err, tc.code)
				if tc.field != "" {
					wantField(t, err, tc.field, "")
				}
			})
		}
		m.wantTotals(t, e.ID, app.Totals{RaisedPence: 5000, PledgedPence: 5000, Sponsors: 2})
	})
}

func TestRefundWithoutStripe(t *testing.T) {
	m := newMoneyEnv(t, false)
	_, err := m.svc.RefundSponsorship(context.Background(), m.coord, "spn_0123456789", "")
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
