package app_test

import (
	"context"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestPledges(t *testing.T) {
	for _, withStripe := range []bool{false, true} {
		name := "without Stripe"
		if withStripe {
			name = "with Stripe"
		}
		t.Run(name, func(t *testing.T) {
			m := newMoneyEnv(t, withStripe)
			ctx := context.Background()
			e := m.event(t)

			invoice := m.pledge(t, e, app.PledgeInput{Method: app.PayInvoice, Amount: "£250", Name: "Go North East",
				Email: "sponsorship@gonortheast.test", DisplayName: "Go North East", Named: true})
			transfer := m.pledge(t, e, app.PledgeInput{Method: app.PayTransfer, Amount: "1,000.10",
				Name: "Durham Foundation"})
			coach := m.pledge(t, e, app.PledgeInput{Method: app.PayInKind, Amount: "400",
				Name: "Weardale Coaches", InKind: "A 50-seat coach on the day", ItemID: e.Items[0].ID})
			// Support in kind counts as given only once received.
			m.wantTotals(t, e.ID, app.Totals{PledgedPence: 125010, InKindPledgedPence: 40000, Sponsors: 3})

			set := func(id, state string) (*app.Sponsorship, error) {
				return m.svc.SetPledgeState(ctx, m.coord, id, app.PledgeStateInput{State: state})
			}
			got, err := set(invoice.ID, app.SponsorReceived)
			if err != nil || got.State != app.SponsorReceived || got.PaidAt.IsZero() {
				t.Fatalf("received = %+v, %v", got, err)
			}
			if _, err := set(invoice.ID, app.SponsorReceived); err != nil {
				t.Fatalf("marking it received again = %v", err)
			}
			if _, err := set(transfer.ID, app.SponsorWithdrawn); err != nil {
				t.Fatal(err)
			}
			if _, err := set(coach.ID, app.SponsorReceived); err != nil {
				t.Fatal(err)
			}
			m.wantTotals(t, e.ID, app.Totals{ReceivedPence: 25000, InKindPence: 40000, Sponsors: 2})

			if m.job(t, "sponsorship/"+invoice.ID+"/receipt") == nil ||
				m.job(t, "sponsorship/"+invoice.ID+"/notice/"+m.wantsMail.ID) == nil {
				t.Fatal("no receipt or notice queued for the received pledge")
			}
			if m.job(t, "sponsorship/"+coach.ID+"/receipt") != nil {
				t.Fatal("a receipt was queued for a sponsor who gave no email")
			}

			_, err = set(invoice.ID, "paid")
			wantField(t, err, "state", "pledged, received or withdrawn")
			card := &app.Sponsorship{ID: app.NewID("spn"), EventID: e.ID, Method: app.PayCard,
				State: app.SponsorPaid, AmountPence: 100, CreatedAt: m.now}
			if err := m.store.CreateSponsorship(ctx, card); err != nil {
				t.Fatal(err)
			}
			_, err = set(card.ID, app.SponsorReceived)
			wantCode(t, err, app.EConflict)
			other := m.event(t)
			_, err = m.svc.SetPledgeState(ctx, m.coord, invoice.ID,
				app.PledgeStateInput{EventID: other.ID, State: app.SponsorPledged})
			wantCode(t, err, app.ENotFound)

			_, err = m.svc.SetPledgeState(ctx, m.organiser, invoice.ID,
				app.PledgeStateInput{State: app.SponsorReceived})
			wantCode(t, err, app.EForbidden)

			public, err := m.svc.PublicSponsors(ctx, e.ID)
			if err != nil || len(public) != 1 || public[0].DisplayName != "Go North East" {
				t.Fatalf("public sponsors %+v, %v", public, err)
			}
		})
	}
}

func TestRecordPledgeRefusesBadInput(t *testing.T) {
	m := newMoneyEnv(t, false)
	ctx := context.Background()
	e := m.event(t)
	valid := func() app.PledgeInput {
		return app.PledgeInput{Method: app.PayInvoice, Amount: "250", Name: "Go North East"}
	}

	tests := []struct {
		name        string
		edit        func(*app.PledgeInput)
		field, part string
	}{
		{"no method", func(in *app.PledgeInput) { in.Method = "" }, "method", "invoice, bank transfer or in kind"},
		{"card is not a pledge", func(in *app.PledgeInput) { in.Method = app.PayCard }, "method", "invoice"},
		{"no amount", func(in *app.PledgeInput) { in.Amount = "" }, "amount", "Enter the amount"},
		{"nothing pledged", func(in *app.PledgeInput) { in.Amount = "0" }, "amount", "at least £0.01"},
		{"fractions of a penny", func(in *app.PledgeInput) { in.Amount = "0.005" }, "amount", "whole pence"},
		{"no name", func(in *app.PledgeInput) { in.Name = "" }, "name", "Enter the sponsor's name"},
		{"bad email", func(in *app.PledgeInput) { in.Email = "not an email" }, "email", "right format"},
		{"in kind without saying what", func(in *app.PledgeInput) { in.Method = app.PayInKind }, "in_kind",
			"Enter what the support is"},
		{"in kind without a value", func(in *app.PledgeInput) {
			in.Method, in.InKind, in.Amount = app.PayInKind, "A coach", ""
		}, "amount", "Enter the value of the support"},
		{"named without a name to show", func(in *app.PledgeInput) { in.Named = true }, "display_name", "name to show"},
		{"unknown item", func(in *app.PledgeInput) { in.ItemID = "itm_0123456789" }, "item_id", "Choose one of"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.edit(&in)
			sp, err := m.svc.RecordPledge(ctx, m.coord, e.ID, in)
			wantField(t, err, tc.field, tc.part)
			if sp != nil {
				t.Fatalf("refused pledge came back: %+v", sp)
			}
		})
	}

	_, err := m.svc.RecordPledge(ctx, m.organiser, e.ID, valid())
	wantCode(t, err, app.EForbidden)
	wantCode(t, m.svc.SetEventStatus(ctx, m.organiser, e.ID, app.EventClosed), "")
	_, err = m.svc.RecordPledge(ctx, m.coord, e.ID, valid())
	wantCode(t, err, app.EConflict)
	if n := m.sponsorships(t, e.ID); n != 0 {
		t.Fatalf("%d pledges stored after refusals", n)
	}
}

// pledge records an offline pledge for the coordinator.
func (m *moneyEnv) pledge(t *testing.T, e *app.CivicEvent, in app.PledgeInput) *app.Sponsorship {
	t.Helper()
	sp, err := m.svc.RecordPledge(context.Background(), m.coord, e.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// TestPledgeCorrections checks that a pledge marked received or withdrawn
// by mistake can be put right, in every direction, with the event's
// totals recounted each time.
func TestPledgeCorrections(t *testing.T) {
	m := newMoneyEnv(t, false)
	ctx := context.Background()
	e := m.event(t)
	sp := m.pledge(t, e, app.PledgeInput{Method: app.PayInvoice, Amount: "£250", Name: "Go North East",
		Email: "sponsorship@gonortheast.test"})
	pledged := app.Totals{PledgedPence: 25000, Sponsors: 1}
	received := app.Totals{ReceivedPence: 25000, Sponsors: 1}
	withdrawn := app.Totals{}

	steps := []struct {
		state  string
		totals app.Totals
	}{
		{app.SponsorReceived, received},
		{app.SponsorPledged, pledged},
		{app.SponsorWithdrawn, withdrawn},
		{app.SponsorPledged, pledged},
		{app.SponsorWithdrawn, withdrawn},
		{app.SponsorReceived, received},
		{app.SponsorWithdrawn, withdrawn},
		{app.SponsorReceived, received},
		{app.SponsorReceived, received},
	}
	for i, step := range steps {
		in := app.PledgeStateInput{EventID: e.ID, State: step.state}
		got, err := m.svc.SetPledgeState(ctx, m.coord, sp.ID, in)
		if err != nil || got.State != step.state {
			t.Fatalf("step %d to %s = %+v, %v", i+1, step.state, got, err)
		}
		if (step.state == app.SponsorReceived) == got.PaidAt.IsZero() {
			t.Fatalf("step %d to %s: received at %v", i+1, step.state, got.PaidAt)
		}
		m.wantTotals(t, e.ID, step.totals)
	}
	// Each receipt taken back is corrected by email, and each new receipt
	// is sent afresh.
	prefix := "sponsorship/" + sp.ID
	for _, id := range []string{"/receipt", "/corrected/1", "/1/receipt", "/corrected/2", "/2/receipt"} {
		if m.job(t, prefix+id) == nil {
			t.Errorf("no email %s queued", prefix+id)
		}
	}
	if m.job(t, prefix+"/corrected/3") != nil || m.job(t, prefix+"/3/receipt") != nil {
		t.Error("more corrections or receipts than the pledge had")
	}
	m.wantLetter(t, prefix+"/corrected/1", "Correction: £250.00 for", "was marked received by mistake",
		"It is now marked pledged, not yet received")
}
