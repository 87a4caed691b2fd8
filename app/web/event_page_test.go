package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/stripe/stripetest"
)

// publicEventFixture is an event with two items, a named card sponsor,
// an anonymous one, a named in-kind pledge received and a pledge still
// to come.
func publicEventFixture(t *testing.T, ts *testServer) *app.CivicEvent {
	t.Helper()
	e := ts.mustEvent(t, "evt-fair", app.CoordinatorOrgID, func(e *app.CivicEvent) {
		e.Start = time.Date(2031, 3, 13, 10, 0, 0, 0, app.London).UTC()
		e.End = e.Start.Add(5 * time.Hour)
		e.Items = []app.FundingItem{
			{ID: "hall", Kind: app.FundVenue, Label: "Main hall", GoalPence: 400_00},
			{ID: "coach", Kind: app.FundCoaches, Label: "Coach from Stanhope", GoalPence: 600_00},
		}
	})
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-named", EventID: e.ID, ItemID: "coach",
		Method: app.PayCard, State: app.SponsorPaid, AmountPence: 199_99, Name: "Private Person",
		Email: "private@example.org", DisplayName: "Weardale Bakery", Named: true,
		Message: "Good luck, everyone"})
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-anon", EventID: e.ID, Method: app.PayCard,
		State: app.SponsorPaid, AmountPence: 0_01, Name: "Quiet Giver", Email: "quiet@example.org",
		DisplayName: "Hidden Ltd", Named: false})
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-kind", EventID: e.ID, ItemID: "hall",
		Method: app.PayInKind, State: app.SponsorReceived, AmountPence: 150_00, Name: "Trust",
		DisplayName: "Durham Civic Trust", Named: true, InKind: "The small hall for the day"})
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-pledge", EventID: e.ID, Method: app.PayInvoice,
		State: app.SponsorPledged, AmountPence: 1_000_10, Name: "Slow Payer", DisplayName: "Pending Co",
		Named: true})
	return e
}

func TestEventPublicPages(t *testing.T) {
	cases := []struct {
		name   string
		cards  bool
		path   string
		status int
		want   []string
		absent []string
	}{
		{"list shows progress", false, "/events", http.StatusOK,
			[]string{"Careers fair evt-fair", "£200.00", "£1,000.00", "Part-funded",
				`<progress max="100" value="20"`},
			nil},
		{"page shows the event in London time and named sponsors only", false, "/events/evt-fair",
			http.StatusOK,
			[]string{"Thu 13 March 2031, 10am to 3pm", "Durham Town Hall, DH1 3NJ", "£200.00",
				"Weardale Bakery", "Good luck, everyone", "Durham Civic Trust",
				"The small hall for the day", "£1,000.10 more is pledged", "Main hall",
				"Coach from Stanhope", "£199.99", "and £150.00 in kind"},
			[]string{"Private Person", "private@example.org", "Quiet Giver", "Hidden Ltd",
				"Pending Co", "quiet@example.org"}},
		{"without card payments the page says how to pledge", false, "/events/evt-fair",
			http.StatusOK, []string{"Card payment is not set up here", "contact the county coordinator."},
			// The coordinator organises it, so is named once.
			[]string{`action="/events/evt-fair/sponsor`, "or the county coordinator"}},
		{"a school's event names the school and the coordinator to contact", false, "/events/evt-school",
			http.StatusOK, []string{"contact the organiser, Test organiser school-1, or the county coordinator. " +
				"The county coordinator records your pledge"},
			[]string{"They will record your pledge"}},
		{"with card payments the form is shown", true, "/events/evt-fair", http.StatusOK,
			[]string{`action="/events/evt-fair/sponsor#sponsor"`, `name="amount"`,
				"Between £5.00 and £500.00", `name="named"`, `value="coach"`},
			[]string{"Card payment is not set up here"}},
		{"unknown event", false, "/events/evt-nothing", http.StatusNotFound, nil, nil},
		{"malformed id", false, "/events/NOT%20AN%20ID", http.StatusNotFound, nil, nil},
		{"thanks page without card payments says nothing of Stripe", false, "/events/evt-fair/thanks",
			http.StatusOK, []string{"Thank you", "nothing has been charged here", "contact the county coordinator."},
			[]string{"Stripe", "receipt", "or the county coordinator"}},
		{"thanks page promises an email receipt", true, "/events/evt-fair/thanks",
			http.StatusOK, []string{"Thank you", "We will email your receipt", "Stripe confirms"}, nil},
		{"cancelled page", false, "/events/evt-fair/cancelled", http.StatusOK,
			[]string{"Your payment was not taken", "nothing has been charged"},
			[]string{"no sponsorship is recorded"}},
	}

	plain := newTestServer(t)
	publicEventFixture(t, plain)
	plain.mustEvent(t, "evt-school", "school-1")
	cards := newTestServer(t, withStripe(t, unreachable))
	publicEventFixture(t, cards)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := plain
			if tc.cards {
				ts = cards
			}
			res := ts.client(t).get(tc.path)
			wantStatus(t, res, tc.status)
			wantContains(t, res, tc.want...)
			for _, s := range tc.absent {
				if strings.Contains(res.Body, s) {
					t.Errorf("page shows %q, which it must not", s)
				}
			}
		})
	}

	t.Run("being named is opt-in", func(t *testing.T) {
		res := cards.client(t).get("/events/evt-fair")
		box := regexp.MustCompile(`<input[^>]*id="named"[^>]*>`).FindString(res.Body)
		if box == "" || strings.Contains(box, "checked") {
			t.Errorf("the named box is %q, want it shown unticked", box)
		}
	})

	t.Run("the page's form may end at Stripe Checkout", func(t *testing.T) {
		csp := cards.client(t).get("/events/evt-fair").Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "form-action 'self' https://checkout.stripe.com;") {
			t.Errorf("Content-Security-Policy %q does not let the form go to Stripe", csp)
		}
	})
}

// TestInKindCountsOnceReceived: support in kind promised is shown as
// promised, not as given, on the public page, in the API and on the
// coordinator's pages, until it is marked received.
func TestInKindCountsOnceReceived(t *testing.T) {
	ts := newTestServer(t)
	publicEventFixture(t, ts)
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-coach", EventID: "evt-fair", ItemID: "coach",
		Method: app.PayInKind, State: app.SponsorPledged, AmountPence: 250_00, Name: "Coach Co",
		DisplayName: "Coach Co", Named: true, InKind: "A 50-seat coach"})

	page := ts.client(t).get("/events/evt-fair")
	wantContains(t, page, "Support in kind worth £150.00 is given as well",
		"Support in kind worth £250.00 is promised", "and £150.00 in kind")
	for _, given := range []string{"and £250.00 in kind", "£400.00 is given", "Coach Co"} {
		if strings.Contains(page.Body, given) {
			t.Errorf("the public page shows %q: promised support as given", given)
		}
	}

	api := ts.client(t).get("/api/v1/events/evt-fair")
	wantContains(t, api, `"in_kind_pence":15000`, `"in_kind_pledged_pence":25000`)

	money := ts.coordinatorClient(t).get("/coordinator/events/evt-fair/sponsorships")
	wantContains(t, money, "£150.00 received, £250.00 still promised",
		"It counts as given, on the event's page and here, once you mark it received.")
}

func TestEventClosedAndPassedPages(t *testing.T) {
	ts := newTestServer(t, withStripe(t, unreachable))
	ts.mustEvent(t, "evt-closed", app.CoordinatorOrgID, func(e *app.CivicEvent) { e.Status = app.EventClosed })
	ts.mustEvent(t, "evt-passed", app.CoordinatorOrgID, func(e *app.CivicEvent) {
		e.Start, e.End = time.Now().Add(-48*time.Hour).UTC(), time.Now().Add(-44*time.Hour).UTC()
	})

	cases := []struct{ id, want string }{
		{"evt-closed", "This event is closed"},
		{"evt-passed", "This event has taken place"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			res := ts.client(t).get("/events/" + tc.id)
			wantStatus(t, res, http.StatusOK)
			wantContains(t, res, tc.want)
			if strings.Contains(res.Body, `name="amount"`) {
				t.Error("the sponsor form is shown for an event that takes no sponsorships")
			}
		})
	}
}

// sponsorForm is a valid sponsor form, changed by the scenario.
func sponsorForm(change func(url.Values)) url.Values {
	f := url.Values{"amount": {"25"}, "name": {"Sam Sponsor"}, "email": {"sam@example.org"},
		"display_name": {"Sam's Garage"}, "named": {"yes"}, "message": {"Go for it"}}
	if change != nil {
		change(f)
	}
	return f
}

// TestCardSponsorship runs the scenarios that reach Stripe against one
// stripe-mock.
func TestCardSponsorship(t *testing.T) {
	url := stripetest.Start(t)
	t.Run("form refusals", func(t *testing.T) { testSponsorFormRefusals(t, url) })
	t.Run("checkout", func(t *testing.T) { testSponsorCheckout(t, url) })
	t.Run("refunds", func(t *testing.T) { testRefunds(t, url) })
	t.Run("a refund form refunds once", func(t *testing.T) { testRefundFormOnce(t, url) })
	t.Run("a refund through another event", func(t *testing.T) { testRefundOtherEvent(t, url) })
}

func testSponsorFormRefusals(t *testing.T, stripeURL string) {
	ts := newTestServer(t, withStripe(t, stripeURL))
	ts.mustEvent(t, "evt-open", app.CoordinatorOrgID)
	ts.mustEvent(t, "evt-closed", app.CoordinatorOrgID, func(e *app.CivicEvent) { e.Status = app.EventClosed })
	ts.mustEvent(t, "evt-passed", app.CoordinatorOrgID, func(e *app.CivicEvent) {
		e.Start, e.End = time.Now().Add(-48*time.Hour).UTC(), time.Now().Add(-44*time.Hour).UTC()
	})
	ts.mustEvent(t, "evt-demo", app.CoordinatorOrgID, func(e *app.CivicEvent) { e.Demo = true })

	cases := []struct {
		name   string
		event  string
		change func(url.Values)
		status int
		want   string
	}{
		{"below the minimum", "evt-open", func(f url.Values) { f.Set("amount", "4.99") },
			http.StatusUnprocessableEntity, "The amount must be at least £5.00."},
		{"above the maximum", "evt-open", func(f url.Values) { f.Set("amount", "£500.01") },
			http.StatusUnprocessableEntity, "The amount must be no more than £500.00."},
		{"fraction of a penny", "evt-open", func(f url.Values) { f.Set("amount", "1.999") },
			http.StatusUnprocessableEntity, "whole pence"},
		{"not a number", "evt-open", func(f url.Values) { f.Set("amount", "abc") },
			http.StatusUnprocessableEntity, "must be an amount in pounds and pence"},
		{"no amount", "evt-open", func(f url.Values) { f.Set("amount", "") },
			http.StatusUnprocessableEntity, "Enter the amount in pounds"},
		{"named without a name to show", "evt-open", func(f url.Values) { f.Set("display_name", "") },
			http.StatusUnprocessableEntity, "Enter the name to show"},
		{"an item of another event", "evt-open", func(f url.Values) { f.Set("item_id", "nope") },
			http.StatusUnprocessableEntity, "Choose one of the things"},
		{"closed event", "evt-closed", nil, http.StatusConflict, "closed to sponsorship"},
		{"passed event", "evt-passed", nil, http.StatusConflict, "has taken place"},
		{"demonstration event", "evt-demo", nil, http.StatusConflict, app.DemoCardMessage},
		{"name over two lines", "evt-open", func(f url.Values) { f.Set("name", "Multi\nLine") },
			http.StatusUnprocessableEntity, "Name must be on one line"},
		{"name to show over two lines", "evt-open", func(f url.Values) { f.Set("display_name", "Sam\r\nGarage") },
			http.StatusUnprocessableEntity, "The name to show must be on one line"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The form's token comes from an open event's page, as a closed
			// or passed event's page shows no form.
			c := ts.client(t)
			c.get("/events/evt-open")
			res := c.postForm("/events/"+tc.event+"/sponsor", sponsorForm(tc.change))

			wantStatus(t, res, tc.status)
			wantContains(t, res, "There is a problem", tc.want)
			if n := len(ts.sponsorships(t, tc.event)); n != 0 {
				t.Errorf("%d sponsorships recorded after a refused form, want 0", n)
			}
		})
	}

	t.Run("a demonstration event's page offers no card payment", func(t *testing.T) {
		res := ts.client(t).get("/events/evt-demo")
		wantContains(t, res, app.DemoCardMessage)
		wantContains(t, res, "Demonstration: takes no sponsorships")
		if strings.Contains(res.Body, `action="/events/evt-demo/sponsor`) {
			t.Error("the page of a demonstration event shows the card payment form")
		}
	})

	t.Run("the form keeps what was typed", func(t *testing.T) {
		c := ts.client(t)
		c.get("/events/evt-open")
		res := c.postForm("/events/evt-open/sponsor", sponsorForm(func(f url.Values) { f.Set("amount", "1.999") }))
		wantContains(t, res, `value="1.999"`, `value="Sam&#39;s Garage"`, `href="#amount"`,
			`id="amount-error"`)
	})
}

func testSponsorCheckout(t *testing.T, stripeURL string) {
	ts := newTestServer(t, withStripe(t, stripeURL))
	ts.mustEvent(t, "evt-open", app.CoordinatorOrgID)

	c := ts.client(t)
	c.get("/events/evt-open")
	res := c.postForm("/events/evt-open/sponsor", sponsorForm(func(f url.Values) { f.Set("amount", "£19.99") }))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "http") {
		t.Fatalf("got %d to %q, want 303 to the checkout\n%.1000s", res.StatusCode,
			res.Header.Get("Location"), res.Body)
	}

	list := ts.sponsorships(t, "evt-open")
	if len(list) != 1 {
		t.Fatalf("%d sponsorships recorded, want 1", len(list))
	}
	sp := list[0]
	if sp.State != app.SponsorPending || sp.AmountPence != 1999 || sp.CheckoutSessionID == "" {
		t.Errorf("sponsorship %+v, want pending £19.99 with a checkout id", sp)
	}

	t.Run("the thanks page marks nothing paid", func(t *testing.T) {
		wantStatus(t, c.get("/events/evt-open/thanks"), http.StatusOK)
		if got := ts.sponsorships(t, "evt-open")[0]; got.State != app.SponsorPending {
			t.Errorf("state %s after the thanks page, want pending", got.State)
		}
		if e := ts.storedEvent(t, "evt-open"); e.Totals.RaisedPence != 0 {
			t.Errorf("raised %d after the thanks page, want 0", e.Totals.RaisedPence)
		}
	})
}

// TestSponsorStripeUnreachable posts the sponsor form when Stripe cannot be
// reached: the page comes back with the form as typed and the reason at
// the top, as a 503, and the sponsorship is recorded as not started: no
// payment was asked for, so none failed.
func TestSponsorStripeUnreachable(t *testing.T) {
	ts := newTestServer(t, withStripe(t, unreachable))
	ts.mustEvent(t, "evt-open", app.CoordinatorOrgID)
	c := ts.client(t)
	c.get("/events/evt-open")

	res := c.postForm("/events/evt-open/sponsor", sponsorForm(func(f url.Values) { f.Set("amount", "£19.99") }))
	wantStatus(t, res, http.StatusServiceUnavailable)
	wantContains(t, res, "There is a problem", "Card payment is not available just now. Please try again later, "+
		"or ask the organiser about a pledge.", `value="£19.99"`, `value="Sam&#39;s Garage"`, "Go for it",
		`action="/events/evt-open/sponsor#sponsor"`)
	box := regexp.MustCompile(`<input[^>]*id="named"[^>]*>`).FindString(res.Body)
	if !strings.Contains(box, "checked") {
		t.Errorf("the named box is %q, want it kept ticked", box)
	}
	list := ts.sponsorships(t, "evt-open")
	if len(list) != 1 || list[0].State != app.SponsorNotStarted {
		t.Fatalf("sponsorships %+v, want one, not started", list)
	}
}

func TestEventPagesShowTheDemo(t *testing.T) {
	ts := newTestServer(t)
	if _, err := ts.Svc.SeedDemo(t.Context()); err != nil {
		t.Fatalf("seed: %v", err)
	}
	c := ts.client(t)
	res := c.get("/events")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Demo: Durham careers and apprenticeships fair", "Demo listing",
		"Part-funded", "Funded")

	for _, id := range []string{"demo-event-durham-careers-fair", "demo-event-dales-coach-fund",
		"demo-event-bishop-auckland-forum", "demo-event-netpark-evening"} {
		t.Run(id, func(t *testing.T) {
			res := c.get("/events/" + id)
			wantStatus(t, res, http.StatusOK)
			wantContains(t, res, "Demo listing", "Card payment is not taken for a demonstration event")
			if strings.Contains(res.Body, "@example.org") {
				t.Error("a demo sponsor's email is shown")
			}
		})
	}
}

// TestPercentOfTheGoal checks the progress shown on event pages: whole
// percentages rounded down, never above 100, and never 0 once anything is
// raised.
func TestPercentOfTheGoal(t *testing.T) {
	cases := []struct {
		part, whole, want int64
	}{
		{0, 750_00, 0},
		{6_77, 750_00, 1},
		{374_99, 750_00, 49},
		{749_99, 750_00, 99},
		{750_00, 750_00, 100},
		{900_00, 750_00, 100},
		{5_00, 0, 0},
		{-5_00, 750_00, 0},
	}
	for _, tc := range cases {
		if got := percentOf(tc.part, tc.whole); got != tc.want {
			t.Errorf("percentOf(%d, %d) = %d, want %d", tc.part, tc.whole, got, tc.want)
		}
	}
}
