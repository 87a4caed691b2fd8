package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/stripe"
	"github.com/encounters/encounters/app/stripe/stripetest"
	"github.com/encounters/encounters/emails"
)

// moneyEnv is a service over real engines for the sponsorship tests: the
// env of service_api_test.go with the shipped email templates and, when
// asked, Stripe payments against stripe-mock behind a recording proxy.
// A school organises; two of its members are users, one of whom has
// turned sponsorship mail off.
type moneyEnv struct {
	*env
	stripe    *stripetest.Recorder
	organiser *app.Actor
	coord     *app.Actor
	// wantsMail and mailOff are the organiser's members.
	wantsMail, mailOff *app.User
}

func newMoneyEnv(t *testing.T, withStripe bool) *moneyEnv {
	t.Helper()
	m := &moneyEnv{env: newEnv(t)}
	templates, err := emails.NewTemplates()
	if err != nil {
		t.Fatal(err)
	}
	m.svc.Compose = templates
	if withStripe {
		var url string
		url, m.stripe = stripetest.Record(t, stripetest.Start(t))
		p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, url, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		m.svc.Payments = p
	}

	m.organiser = m.schoolActor(t, "114500", pcStanley)
	m.coord = m.coordinator(t)
	m.wantsMail = m.member(t, m.organiser, "careers@school.test", m.organiser.UserID)
	m.mailOff = m.member(t, m.organiser, "head@school.test", app.NewID("usr"), app.MailSponsors)
	return m
}

// member stores a user of the actor's organisation.
func (m *moneyEnv) member(t *testing.T, a *app.Actor, email, id string, off ...string) *app.User {
	t.Helper()
	u := &app.User{ID: id, Email: email, Name: "Member " + id, OrgID: a.OrgID, Role: app.RoleMember,
		CreatedAt: m.now, MailOff: off}
	if err := m.store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// validEvent is a careers fair in March, after testNow.
func validEvent() app.EventInput {
	return app.EventInput{
		Title: "Stanley careers fair", Description: "Forty employers meet Year 9 to 13 pupils and their families.",
		Date: "2026-03-14", StartTime: "09:30", EndTime: "15:00", Venue: "Stanley Civic Hall",
		Postcode: pcStanley, Goal: "£1,500", MinAmount: "5", MaxAmount: "£1,000.10",
		Items: []app.FundingItemInput{{Kind: app.FundCoaches, Label: "Coach from Consett", Goal: "400"}},
	}
}

// event creates an open event organised by the school.
func (m *moneyEnv) event(t *testing.T) *app.CivicEvent {
	t.Helper()
	e, err := m.svc.CreateEvent(context.Background(), m.organiser, validEvent())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// sponsor starts a named card sponsorship of amount through stripe-mock.
func (m *moneyEnv) sponsor(t *testing.T, e *app.CivicEvent, amount string) *app.Sponsorship {
	t.Helper()
	sp, url, err := m.svc.StartSponsorship(context.Background(), app.SponsorInput{
		EventID: e.ID, Amount: amount, Name: "Ada Lovelace", Email: "ada@example.org",
		DisplayName: "Lovelace Engineering", Named: true,
	})
	if err != nil || url == "" {
		t.Fatalf("StartSponsorship(%s) = %v, %q, %v", amount, sp, url, err)
	}
	return sp
}

// deliver signs a webhook event now and hands it to the service.
func (m *moneyEnv) deliver(t *testing.T, id, typ string, object map[string]any) error {
	t.Helper()
	body := stripetest.Event(t, id, typ, object)
	return m.svc.HandlePaymentWebhook(context.Background(), body,
		stripetest.Sign(body, stripetest.WebhookSecret, time.Now()))
}

// paid delivers the checkout completion of sp, paid in full.
func (m *moneyEnv) paid(t *testing.T, sp *app.Sponsorship, pi string) {
	t.Helper()
	err := m.deliver(t, "evt_paid_"+sp.ID, stripetest.CheckoutCompleted,
		stripetest.CheckoutSession(sp.CheckoutSessionID, sp.ID, pi, "paid", sp.AmountPence))
	if err != nil {
		t.Fatal(err)
	}
}

// stored reads a sponsorship back from the store.
func (m *moneyEnv) stored(t *testing.T, id string) *app.Sponsorship {
	t.Helper()
	sp, err := m.store.GetSponsorship(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// wantTotals fails unless the event's stored totals are want, to the
// penny, and agree with a fresh count of its sponsorships.
func (m *moneyEnv) wantTotals(t *testing.T, eventID string, want app.Totals) {
	t.Helper()
	ctx := context.Background()
	e, err := m.store.GetEvent(ctx, eventID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := m.store.ListSponsorships(ctx, eventID)
	if err != nil {
		t.Fatal(err)
	}
	if e.Totals != want {
		t.Fatalf("stored totals %+v\nwant          %+v", e.Totals, want)
	}
	if fresh := app.EventTotals(list); fresh != want {
		t.Fatalf("sponsorships add up to %+v\nwant              %+v", fresh, want)
	}
}

// job returns the outbox job with the id, or nil.
func (m *moneyEnv) job(t *testing.T, id string) *app.Job {
	t.Helper()
	j, err := m.store.GetJob(context.Background(), id)
	if app.ErrorCode(err) == app.ENotFound {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// sponsorships counts an event's stored sponsorships.
func (m *moneyEnv) sponsorships(t *testing.T, eventID string) int {
	t.Helper()
	list, err := m.store.ListSponsorships(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}
