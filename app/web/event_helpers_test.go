package web

// Helpers for the civic event, sponsorship, webhook and money tests: a
// server whose card payments go to stripe-mock, events and sponsorships
// written straight to the store, and signed webhook deliveries.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/stripe"
	"github.com/encounters/encounters/app/stripe/stripetest"
)

// withStripe takes card payments through the Stripe-compatible server at
// url, signing webhooks with stripetest.WebhookSecret. Tests that create
// checkouts or refunds pass stripe-mock's address (stripetest.Start);
// those that only render pages or receive webhooks pass unreachable,
// since neither calls Stripe.
func withStripe(t testing.TB, url string) testOption {
	t.Helper()
	return func(svc *app.Service, _ *Config) {
		p, err := stripe.New(stripetest.SecretKey, stripetest.WebhookSecret, url, svc.Log)
		if err != nil {
			t.Fatalf("stripe payments: %v", err)
		}
		svc.Payments = p
	}
}

// unreachable is an address where no Stripe answers: a call to it fails.
const unreachable = "http://127.0.0.1:9"

// eventSpec changes a test event before it is stored.
type eventSpec func(e *app.CivicEvent)

// mustEvent stores an open event a fortnight away, organised by orgID,
// with a £1,000 goal and card limits of £5 to £500.
func (ts *testServer) mustEvent(t testing.TB, id, orgID string, specs ...eventSpec) *app.CivicEvent {
	t.Helper()
	start := time.Now().Add(14 * 24 * time.Hour).Truncate(time.Minute).UTC()
	e := &app.CivicEvent{
		ID: id, OrgID: orgID, OrgName: "Test organiser " + orgID, Title: "Careers fair " + id,
		Description: "Stands, talks and have-a-go activities.", Start: start,
		End: start.Add(4 * time.Hour), Venue: "Durham Town Hall", Postcode: "DH1 3NJ",
		GoalPence: 1_000_00, MinPence: 5_00, MaxPence: 500_00, Status: app.EventOpen,
		CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC(),
	}
	for _, spec := range specs {
		spec(e)
	}
	if err := ts.Store.CreateEvent(context.Background(), e); err != nil {
		t.Fatalf("create event: %v", err)
	}
	return e
}

// mustSponsorship stores sp on its event and recounts the event's totals
// as the service would.
func (ts *testServer) mustSponsorship(t testing.TB, sp *app.Sponsorship) *app.Sponsorship {
	t.Helper()
	ctx := context.Background()
	sp.CreatedAt, sp.UpdatedAt = time.Now().UTC(), time.Now().UTC()
	if err := ts.Store.CreateSponsorship(ctx, sp); err != nil {
		t.Fatalf("create sponsorship: %v", err)
	}

	e, err := ts.Store.GetEvent(ctx, sp.EventID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := ts.Store.ListSponsorships(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.Totals = app.EventTotals(list)
	if err := ts.Store.UpdateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	return sp
}

// sponsorships lists an event's sponsorships from the store.
func (ts *testServer) sponsorships(t testing.TB, eventID string) []*app.Sponsorship {
	t.Helper()
	list, err := ts.Store.ListSponsorships(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// storedEvent reads an event back from the store.
func (ts *testServer) storedEvent(t testing.TB, id string) *app.CivicEvent {
	t.Helper()
	e, err := ts.Store.GetEvent(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// coordinatorClient is a client signed in as a member of the county
// coordinator's organisation.
func (ts *testServer) coordinatorClient(t testing.TB) *client {
	t.Helper()
	ts.mustUser(t, "coordinator@encounters.test", "Casey Coordinator", app.CoordinatorOrgID, app.RoleOwner)
	c := ts.client(t)
	c.signIn("coordinator@encounters.test")
	return c
}

// memberClient is a client signed in as the owner of a new organisation
// of kind.
func (ts *testServer) memberClient(t testing.TB, orgID string, kind app.OrgKind) *client {
	t.Helper()
	ts.mustOrg(t, &app.Organisation{ID: orgID, Kind: kind, Name: "Org " + orgID,
		Postcode: "DH1 3LE", Verified: true})
	email := orgID + "@encounters.test"
	ts.mustUser(t, email, "Member of "+orgID, orgID, app.RoleOwner)
	c := ts.client(t)
	c.signIn(email)
	return c
}

// postWebhook delivers body to the Stripe webhook with the signature
// header, as Stripe does: no cookies, no CSRF token.
func (ts *testServer) postWebhook(t testing.TB, body []byte, signature string) *response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, stripeWebhookPath, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if signature != "" {
		req.Header.Set("Stripe-Signature", signature)
	}
	return ts.client(t).do(req)
}

// signed signs body with the test webhook secret, now.
func signed(body []byte) string {
	return stripetest.Sign(body, stripetest.WebhookSecret, time.Now())
}
