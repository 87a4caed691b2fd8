package app_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/stripe"
	"github.com/encounters/encounters/app/stripe/stripetest"
)

func TestStartSponsorship(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()
	e := m.event(t)
	if !m.svc.CardPayments() {
		t.Fatal("card payments are off with Stripe configured")
	}

	sp, url, err := m.svc.StartSponsorship(ctx, app.SponsorInput{
		EventID: e.ID, ItemID: e.Items[0].ID, Amount: "£19.99", Name: " Ada Lovelace ", Email: "Ada@Example.org",
		DisplayName: "Lovelace Engineering", Named: true, Message: "Good luck to every pupil.",
	})
	if err != nil || !strings.HasPrefix(url, "http") {
		t.Fatalf("StartSponsorship = %v, %q, %v", sp, url, err)
	}
	got := m.stored(t, sp.ID)
	if got.State != app.SponsorPending || got.Method != app.PayCard || got.AmountPence != 1999 ||
		!strings.HasPrefix(got.CheckoutSessionID, "cs_") || got.Name != "Ada Lovelace" ||
		got.Email != "ada@example.org" || got.ItemID != e.Items[0].ID {
		t.Fatalf("sponsorship stored as %+v", got)
	}

	req, _ := m.stripe.Last("/v1/checkout/sessions")
	if req.Form.Get("line_items[0][price_data][unit_amount]") != "1999" || req.IdempotencyKey != sp.ID ||
		req.Form.Get("client_reference_id") != sp.ID ||
		req.Form.Get("success_url") != testBaseURL+"/events/"+e.ID+"/thanks" ||
		req.Form.Get("cancel_url") != testBaseURL+"/events/"+e.ID+"/cancelled" {
		t.Fatalf("checkout asked for %v with key %q", req.Form, req.IdempotencyKey)
	}
	m.wantTotals(t, e.ID, app.Totals{})
}

func TestStartSponsorshipRefusesBadInput(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()
	e := m.event(t)
	valid := func() app.SponsorInput {
		return app.SponsorInput{EventID: e.ID, Amount: "25", Name: "Ada Lovelace", Email: "ada@example.org"}
	}

	tests := []struct {
		name        string
		edit        func(*app.SponsorInput)
		field, part string
	}{
		{"below the minimum", func(in *app.SponsorInput) { in.Amount = "4.99" }, "amount", "at least £5.00"},
		{"above the maximum", func(in *app.SponsorInput) { in.Amount = "1,000.11" }, "amount", "no more than £1,000.10"},
		{"fractions of a penny", func(in *app.SponsorInput) { in.Amount = "10.001" }, "amount", "whole pence"},
		{"not a number", func(in *app.SponsorInput) { in.Amount = "ten" }, "amount", "like 19.99"},
		{"negative", func(in *app.SponsorInput) { in.Amount = "-10" }, "amount", "cannot be negative"},
		{"no amount", func(in *app.SponsorInput) { in.Amount = "" }, "amount", "Enter the amount"},
		{"no name", func(in *app.SponsorInput) { in.Name = "  " }, "name", "Enter your name"},
		{"bad email", func(in *app.SponsorInput) { in.Email = "ada@" }, "email", "right format"},
		{"no email", func(in *app.SponsorInput) { in.Email = "" }, "email", "Enter your email"},
		{"named without a name to show", func(in *app.SponsorInput) { in.Named = true }, "display_name",
			"name to show"},
		{"message too long", func(in *app.SponsorInput) { in.Message = strings.Repeat("é", 501) }, "message",
			"500 characters"},
		{"name too long", func(in *app.SponsorInput) { in.Name = strings.Repeat("é", 123) }, "name",
			"Name must be 100 characters or fewer (it has 123)."},
		{"name to show too long", func(in *app.SponsorInput) { in.DisplayName = strings.Repeat("é", 101) },
			"display_name", "The name to show must be 100 characters or fewer (it has 101)."},
		{"item of another event", func(in *app.SponsorInput) { in.ItemID = "itm_0123456789" }, "item_id",
			"Choose one of"},
		{"name over two lines", func(in *app.SponsorInput) { in.Name = "Multi\nLine" }, "name",
			"Name must be on one line"},
		{"name to show over two lines", func(in *app.SponsorInput) { in.DisplayName = "Multi\r\nLine" },
			"display_name", "The name to show must be on one line"},
		{"name to show with a line separator", func(in *app.SponsorInput) { in.DisplayName = "A\u2028B" },
			"display_name", "on one line"},
		{"name with a NUL", func(in *app.SponsorInput) { in.Name = "Null\x00Ltd" }, "name", "does not show"},
		{"name to show turned backwards", func(in *app.SponsorInput) { in.DisplayName = "Shown\u202edrawkcab" },
			"display_name", "text-direction mark"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.edit(&in)
			sp, url, err := m.svc.StartSponsorship(ctx, in)
			wantField(t, err, tc.field, tc.part)
			if sp != nil || url != "" {
				t.Fatalf("refused sponsorship came back: %v, %q", sp, url)
			}
		})
	}

	in := valid()
	in.Message = strings.Repeat("é", 500)
	if _, _, err := m.svc.StartSponsorship(ctx, in); err != nil {
		t.Fatalf("a message of 500 characters was refused: %v", err)
	}
	if n := m.sponsorships(t, e.ID); n != 1 {
		t.Fatalf("%d sponsorships stored, want only the valid one", n)
	}

	states := []struct {
		name string
		set  func()
		part string
	}{
		{"closed event", func() {
			wantCode(t, m.svc.SetEventStatus(ctx, m.organiser, e.ID, app.EventClosed), "")
		}, "closed to sponsorship"},
		{"event that has taken place", func() {
			wantCode(t, m.svc.SetEventStatus(ctx, m.organiser, e.ID, app.EventOpen), "")
			m.now = time.Date(2026, time.March, 14, 15, 0, 0, 0, app.London)
		}, "has taken place"},
	}
	for _, tc := range states {
		t.Run(tc.name, func(t *testing.T) {
			tc.set()
			_, _, err := m.svc.StartSponsorship(ctx, valid())
			wantCode(t, err, app.EConflict)
			if !strings.Contains(app.ErrorMessage(err), tc.part) {
				t.Fatalf("message %q does not say %q", app.ErrorMessage(err), tc.part)
			}
		})
	}
	_, _, err := m.svc.StartSponsorship(ctx, app.SponsorInput{EventID: "evt_missing000", Amount: "25"})
	wantCode(t, err, app.ENotFound)
	if n := m.sponsorships(t, e.ID); n != 1 {
		t.Fatalf("%d sponsorships stored after refusals, want 1", n)
	}
}

func TestSponsorshipWithoutStripe(t *testing.T) {
	m := newMoneyEnv(t, false)
	ctx := context.Background()
	e := m.event(t)
	if m.svc.CardPayments() {
		t.Fatal("card payments are on without Stripe")
	}

	_, _, err := m.svc.StartSponsorship(ctx, app.SponsorInput{EventID: e.ID, Amount: "25", Name: "Ada",
		Email: "ada@example.org"})
	wantCode(t, err, app.EInvalid)
	if msg := app.ErrorMessage(err); msg != "Card payment is not set up; the organiser can record a pledge instead." {
		t.Fatalf("message %q", msg)
	}
	err = m.svc.HandlePaymentWebhook(ctx, []byte(`{}`), "t=1,v1=00")
	wantCode(t, err, app.EConflict)
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "Card payments are not set up here") {
		t.Fatalf("webhook message %q", msg)
	}
	if n := m.sponsorships(t, e.ID); n != 0 {
		t.Fatalf("%d sponsorships stored", n)
	}
}

// TestSponsorshipStripeUnreachable checks that a checkout Stripe cannot
// start is marked failed and answered with a message the sponsor may see.
func TestSponsorshipStripeUnreachable(t *testing.T) {
	m := newMoneyEnv(t, false)
	p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, "http://127.0.0.1:9",
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	m.svc.Payments = p
	e := m.event(t)

	sp, url, err := m.svc.StartSponsorship(context.Background(), app.SponsorInput{EventID: e.ID, Amount: "25",
		Name: "Ada Lovelace", Email: "ada@example.org"})
	if sp != nil || url != "" || !errors.Is(err, app.ErrCardsUnavailable) {
		t.Fatalf("StartSponsorship = %v, %q, %v; want ErrCardsUnavailable", sp, url, err)
	}
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Message != app.CardsUnavailableMessage ||
		!strings.Contains(ae.Message, "ask the organiser about a pledge") {
		t.Fatalf("error %v does not carry the message for the sponsor", err)
	}
	list, err := m.store.ListSponsorships(context.Background(), e.ID)
	if err != nil || len(list) != 1 || list[0].State != app.SponsorNotStarted {
		t.Fatalf("sponsorships %+v, %v; want one, not started: no payment was tried", list, err)
	}
	m.wantTotals(t, e.ID, app.Totals{})
}

// TestStartSponsorshipDemo: a demonstration event takes no card payment:
// EConflict with a plain sentence, nothing recorded and Stripe not asked.
func TestStartSponsorshipDemo(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()
	e := m.storedEvent(t, m.event(t).ID)
	e.Demo = true
	if err := m.store.UpdateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}

	sp, url, err := m.svc.StartSponsorship(ctx, app.SponsorInput{EventID: e.ID, Amount: "25",
		Name: "Real Person", Email: "real@example.org"})
	if sp != nil || url != "" || app.ErrorCode(err) != app.EConflict ||
		app.ErrorMessage(err) != app.DemoCardMessage {
		t.Fatalf("StartSponsorship = %v, %q, %v; want EConflict saying %q", sp, url, err, app.DemoCardMessage)
	}
	if n := m.sponsorships(t, e.ID); n != 0 {
		t.Fatalf("%d sponsorships recorded for a demonstration event", n)
	}
	if _, asked := m.stripe.Last("/v1/checkout/sessions"); asked {
		t.Fatal("Stripe was asked for a checkout for a demonstration event")
	}
}

// TestDemoEventRecordsNoRealMoney: a demonstration event's money is left
// out of the county's totals, so a real pledge or refund recorded on it
// would vanish from them; both are refused with a sentence, nothing is
// recorded and Stripe is not asked.
func TestDemoEventRecordsNoRealMoney(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()
	e := m.event(t)
	sp := m.sponsor(t, e, "40")
	m.paid(t, sp, "pi_"+sp.ID)
	earlier := m.pledge(t, e, app.PledgeInput{Method: app.PayTransfer, Amount: "15", Name: "Invented Ltd"})
	stored := m.storedEvent(t, e.ID)
	stored.Demo = true
	if err := m.store.UpdateEvent(ctx, stored); err != nil {
		t.Fatal(err)
	}

	_, err := m.svc.RecordPledge(ctx, m.coord, e.ID,
		app.PledgeInput{Method: app.PayInvoice, Amount: "10", Name: "Real Pledger"})
	if app.ErrorCode(err) != app.EConflict || app.ErrorMessage(err) != app.DemoMoneyMessage {
		t.Fatalf("pledge on a demonstration event: %v; want EConflict saying %q", err, app.DemoMoneyMessage)
	}
	if n := m.sponsorships(t, e.ID); n != 2 {
		t.Fatalf("%d sponsorships after the refused pledge, want the 2 recorded before", n)
	}

	_, err = m.svc.RefundSponsorship(ctx, m.coord, sp.ID, app.RefundInput{Amount: "5", Key: "form-demo"})
	if app.ErrorCode(err) != app.EConflict || app.ErrorMessage(err) != app.DemoMoneyMessage {
		t.Fatalf("refund on a demonstration event: %v; want EConflict saying %q", err, app.DemoMoneyMessage)
	}
	if _, asked := m.stripe.Last("/v1/refunds"); asked {
		t.Fatal("Stripe was asked for a refund on a demonstration event")
	}
	_, err = m.svc.SetPledgeState(ctx, m.coord, earlier.ID, app.PledgeStateInput{State: app.SponsorReceived})
	if app.ErrorCode(err) != app.EConflict || app.ErrorMessage(err) != app.DemoMoneyMessage {
		t.Fatalf("settling a pledge on a demonstration event: %v; want EConflict saying %q", err, app.DemoMoneyMessage)
	}
	m.wantTotals(t, e.ID, app.Totals{RaisedPence: 40_00, PledgedPence: 15_00, Sponsors: 2})
}

// TestPledgeNamesOnOneLine: the coordinator's pledge form refuses names
// over two lines as the sponsor's form does.
func TestPledgeNamesOnOneLine(t *testing.T) {
	m := newMoneyEnv(t, false)
	e := m.event(t)
	_, err := m.svc.RecordPledge(context.Background(), m.coord, e.ID, app.PledgeInput{
		Method: app.PayInvoice, Amount: "10", Name: "Two\nLines", DisplayName: "Also\rTwo", Named: true})
	wantField(t, err, "name", "on one line")
	wantField(t, err, "display_name", "on one line")
	if n := m.sponsorships(t, e.ID); n != 0 {
		t.Fatalf("%d pledges recorded", n)
	}
}

func TestSponsorshipScope(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()
	e := m.event(t)
	named, unnamed, refunded := m.sponsor(t, e, "20"), m.sponsor(t, e, "30"), m.sponsor(t, e, "50")
	m.sponsor(t, e, "40") // pending: never paid
	m.paid(t, named, "pi_named")
	m.paid(t, refunded, "pi_refunded")
	err := m.deliver(t, "evt_refund_all", stripetest.ChargeRefunded,
		stripetest.Charge("ch_1", refunded.ID, "pi_refunded", 5000, 5000))
	if err != nil {
		t.Fatal(err)
	}
	hidden := m.stored(t, unnamed.ID)
	hidden.Named = false
	if err := m.store.UpdateSponsorship(ctx, hidden); err != nil {
		t.Fatal(err)
	}
	m.paid(t, unnamed, "pi_unnamed")

	public, err := m.svc.PublicSponsors(ctx, e.ID)
	if err != nil || len(public) != 1 || public[0].ID != named.ID {
		t.Fatalf("public sponsors %+v, %v; want only the named, paid one", public, err)
	}
	if p := public[0]; p.Name != "" || p.Email != "" || p.AmountPence != 0 || p.DisplayName != "Lovelace Engineering" {
		t.Fatalf("public sponsor shows private details: %+v", p)
	}

	other := m.schoolActor(t, "114503", pcConsett)
	tests := []struct {
		name string
		a    *app.Actor
		code string
	}{
		{"organiser", m.organiser, ""},
		{"coordinator", m.coord, ""},
		{"another school", other, app.EForbidden},
		{"anonymous", nil, app.EUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, err := m.svc.ListSponsorships(ctx, tc.a, e.ID)
			wantCode(t, err, tc.code)
			if tc.code == "" && (len(list) != 4 || list[0].Email != "ada@example.org") {
				t.Fatalf("organiser's list %+v", list)
			}
		})
	}
}
