package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/encounters/encounters/app"
)

// moneyFixture is an event with a paid card sponsorship whose sponsor
// typed a formula as their name, and an invoice pledge.
func moneyFixture(t *testing.T, ts *testServer) {
	t.Helper()
	ts.mustEvent(t, "evt-money", app.CoordinatorOrgID)
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-card", EventID: "evt-money", Method: app.PayCard,
		State: app.SponsorPaid, AmountPence: 100_00, FeePence: 1_70, FeeKnown: true, Name: "=HYPERLINK(\"http://x\")",
		Email: "card@example.org", PaymentIntentID: "pi_test_card"})
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-invoice", EventID: "evt-money",
		Method: app.PayInvoice, State: app.SponsorPledged, AmountPence: 250_00, Name: "Invoice Ltd",
		Email: "accounts@example.org"})
}

func TestMoneyPagesAccess(t *testing.T) {
	ts := newTestServer(t)
	moneyFixture(t, ts)
	school := ts.memberClient(t, "org-school", app.KindSchool)

	cases := []struct {
		name   string
		client *client
		status int
	}{
		{"anonymous visitors sign in first", ts.client(t), http.StatusSeeOther},
		{"other members are refused", school, http.StatusForbidden},
	}
	paths := []string{"/coordinator/money", "/coordinator/money/export.csv",
		"/coordinator/events/evt-money/sponsorships"}
	for _, tc := range cases {
		for _, p := range paths {
			t.Run(tc.name+" "+p, func(t *testing.T) {
				res := tc.client.get(p)
				wantStatus(t, res, tc.status)
				if strings.Contains(res.Body, "card@example.org") || res.Header.Get("Content-Disposition") != "" {
					t.Error("a sponsor's details reached someone other than the coordinator")
				}
			})
		}
	}
}

func TestMoneyExportCSV(t *testing.T) {
	ts := newTestServer(t)
	moneyFixture(t, ts)
	res := ts.coordinatorClient(t).get("/coordinator/money/export.csv")
	wantStatus(t, res, http.StatusOK)

	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q, want text/csv", ct)
	}
	cd := res.Header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, `attachment; filename="sponsorships-`) {
		t.Errorf("Content-Disposition %q, want an attachment", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v", err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want a header and 2 sponsorships", len(rows))
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q could run as a formula", cell)
			}
		}
	}
	if !strings.Contains(res.Body, `'=HYPERLINK`) {
		t.Error("the formula name is not kept, made inert")
	}
	if !strings.HasPrefix(res.Body, "\ufeffevent_id,") {
		t.Errorf("the file starts %.20q, want a UTF-8 byte order mark for Excel", res.Body)
	}
}

func TestMoneyReconciliation(t *testing.T) {
	ts := newTestServer(t)
	moneyFixture(t, ts)
	ts.mustEvent(t, "evt-other", app.CoordinatorOrgID)
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-kind", EventID: "evt-other", Method: app.PayInKind,
		State: app.SponsorReceived, AmountPence: 1_000_10, Name: "Coach Co", InKind: "A coach"})

	res := ts.coordinatorClient(t).get("/coordinator/money")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Careers fair evt-money", "Careers fair evt-other", "£100.00", "£1.70",
		"£250.00", "£1,000.10", "All events", "/coordinator/money/export.csv",
		`href="/coordinator/events/evt-money/sponsorships"`)
}

func TestMoneyPledges(t *testing.T) {
	ts := newTestServer(t)
	moneyFixture(t, ts)
	ts.mustEvent(t, "evt-elsewhere", app.CoordinatorOrgID)
	c := ts.coordinatorClient(t)
	page := "/coordinator/events/evt-money/sponsorships"
	first := c.get(page)
	wantContains(t, first, "Invoice Ltd", "accounts@example.org", "Record an offline pledge")
	if box := regexp.MustCompile(`<input[^>]*id="named"[^>]*>`).FindString(first.Body); box == "" ||
		strings.Contains(box, "checked") {
		t.Errorf("the pledge form's named box is %q, want it shown unticked", box)
	}

	pledge := func(change func(url.Values)) url.Values {
		f := url.Values{"method": {app.PayTransfer}, "amount": {"£1,000.10"}, "name": {"Bank Giver"},
			"display_name": {"Bank Giver Ltd"}, "named": {"yes"}}
		if change != nil {
			change(f)
		}
		return f
	}
	cases := []struct {
		name     string
		path     string
		form     url.Values
		status   int
		want     string
		pledged  int64
		received int64
	}{
		{"amount not a number", "/coordinator/events/evt-money/pledges",
			pledge(func(f url.Values) { f.Set("amount", "abc") }), http.StatusUnprocessableEntity,
			"must be an amount in pounds", 250_00, 0},
		{"no method", "/coordinator/events/evt-money/pledges",
			pledge(func(f url.Values) { f.Del("method") }), http.StatusUnprocessableEntity,
			"Choose how the pledge is given", 250_00, 0},
		{"in kind without saying what", "/coordinator/events/evt-money/pledges",
			pledge(func(f url.Values) { f.Set("method", app.PayInKind) }),
			http.StatusUnprocessableEntity, "like a 50-seat coach", 250_00, 0},
		{"transfer recorded", "/coordinator/events/evt-money/pledges", pledge(nil),
			http.StatusSeeOther, "", 1_250_10, 0},
		{"invoice received", "/coordinator/events/evt-money/sponsorships/spn-invoice/pledge",
			url.Values{"state": {app.SponsorReceived}}, http.StatusSeeOther, "", 1_000_10, 250_00},
		{"received by mistake: pledged again", "/coordinator/events/evt-money/sponsorships/spn-invoice/pledge",
			url.Values{"state": {app.SponsorPledged}}, http.StatusSeeOther, "", 1_250_10, 0},
		{"pledged, then received", "/coordinator/events/evt-money/sponsorships/spn-invoice/pledge",
			url.Values{"state": {app.SponsorReceived}}, http.StatusSeeOther, "", 1_000_10, 250_00},
		{"received, then withdrawn", "/coordinator/events/evt-money/sponsorships/spn-invoice/pledge",
			url.Values{"state": {app.SponsorWithdrawn}}, http.StatusSeeOther, "", 1_000_10, 0},
		{"withdrawn by mistake: received after all", "/coordinator/events/evt-money/sponsorships/spn-invoice/pledge",
			url.Values{"state": {app.SponsorReceived}}, http.StatusSeeOther, "", 1_000_10, 250_00},
		{"a state that is none", "/coordinator/events/evt-money/sponsorships/spn-invoice/pledge",
			url.Values{"state": {"paid"}}, http.StatusUnprocessableEntity, "still pledged, received or withdrawn",
			1_000_10, 250_00},
		{"card payment is no pledge", "/coordinator/events/evt-money/sponsorships/spn-card/pledge",
			url.Values{"state": {app.SponsorReceived}}, http.StatusConflict,
			"Card payments follow Stripe", 1_000_10, 250_00},
		{"a pledge of another event", "/coordinator/events/evt-elsewhere/sponsorships/spn-invoice/pledge",
			url.Values{"state": {app.SponsorPledged}}, http.StatusNotFound, "", 1_000_10, 250_00},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.get(page)
			res := c.postForm(tc.path, tc.form)
			wantStatus(t, res, tc.status)
			wantContains(t, res, tc.want)
			e := ts.storedEvent(t, "evt-money")
			if e.Totals.PledgedPence != tc.pledged || e.Totals.ReceivedPence != tc.received {
				t.Errorf("pledged %d received %d, want %d and %d", e.Totals.PledgedPence,
					e.Totals.ReceivedPence, tc.pledged, tc.received)
			}
		})
	}
}

// refundFixture is a server on stripe-mock at stripeURL with the money
// fixture, a signed-in coordinator, the event's sponsorships page and the
// card sponsorship's refund address.
func refundFixture(t *testing.T, stripeURL string) (ts *testServer, c *client, page, refund string) {
	ts = newTestServer(t, withStripe(t, stripeURL))
	moneyFixture(t, ts)
	page = "/coordinator/events/evt-money/sponsorships"
	return ts, ts.coordinatorClient(t), page, page + "/spn-card/refund"
}

// testRefunds refunds a card sponsorship through stripe-mock at stripeURL.
func testRefunds(t *testing.T, stripeURL string) {
	ts, c, page, refund := refundFixture(t, stripeURL)

	cases := []struct {
		name     string
		amount   string
		status   int
		want     string
		refunded int64
	}{
		{"not a number", "abc", http.StatusUnprocessableEntity, "must be an amount", 0},
		{"a fraction of a penny", "0.001", http.StatusUnprocessableEntity, "whole pence", 0},
		{"more than was paid", "100.01", http.StatusUnprocessableEntity, "at most £100.00", 0},
		{"part", "£19.99", http.StatusSeeOther, "", 19_99},
		{"the rest", "", http.StatusSeeOther, "", 100_00},
		{"nothing left", "", http.StatusConflict, "refunded in full already", 100_00},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.get(page)
			res := c.postForm(refund, url.Values{"amount": {tc.amount}})
			wantStatus(t, res, tc.status)
			wantContains(t, res, tc.want)
			if tc.status != http.StatusSeeOther && tc.status != http.StatusConflict {
				wantContains(t, res, `href="#refund-spn-card"`, `id="refund-spn-card-error"`)
			}
			if e := ts.storedEvent(t, "evt-money"); e.Totals.RefundedPence != tc.refunded {
				t.Errorf("refunded %d pence, want %d", e.Totals.RefundedPence, tc.refunded)
			}
		})
	}
}

// TestMoneyPledgeButtons checks that a settled pledge's row offers to put
// a mistake right.
func TestMoneyPledgeButtons(t *testing.T) {
	ts := newTestServer(t)
	moneyFixture(t, ts)
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-got", EventID: "evt-money", Method: app.PayTransfer,
		State: app.SponsorReceived, AmountPence: 5_00, Name: "Got Ltd"})
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-gone", EventID: "evt-money", Method: app.PayTransfer,
		State: app.SponsorWithdrawn, AmountPence: 6_00, Name: "Gone Ltd"})
	res := ts.coordinatorClient(t).get("/coordinator/events/evt-money/sponsorships")
	wantStatus(t, res, http.StatusOK)

	cases := []struct {
		id   string
		want []string
	}{
		{"spn-invoice", []string{`value="received"`, `value="withdrawn"`}},
		{"spn-got", []string{`value="pledged"`, "Not received: mark pledged again", `value="withdrawn"`}},
		{"spn-gone", []string{`value="pledged"`, "Not withdrawn: mark pledged again", `value="received"`}},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			form := formOf(t, res, "/sponsorships/"+tc.id+"/pledge")
			for _, w := range tc.want {
				if !strings.Contains(form, w) {
					t.Errorf("the form lacks %q:\n%s", w, form)
				}
			}
		})
	}
}

// formOf is the HTML of the page's form whose action ends with suffix.
func formOf(t *testing.T, res *response, suffix string) string {
	t.Helper()
	m := regexp.MustCompile(`<form[^>]*action="[^"]*` + regexp.QuoteMeta(suffix) + `"[\s\S]*?</form>`).
		FindString(res.Body)
	if m == "" {
		t.Fatalf("no form ending %s\n%.3000s", suffix, res.Body)
	}
	return m
}

// refundKey finds the idempotency key of a sponsorship's refund form.
func refundKey(t *testing.T, res *response, sid string) string {
	t.Helper()
	m := regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`).
		FindStringSubmatch(formOf(t, res, "/sponsorships/"+sid+"/refund"))
	if m == nil {
		t.Fatalf("the refund form of %s has no idempotency key", sid)
	}
	return m[1]
}

// testRefundFormOnce sends one refund form twice, and then three times at
// once: each form refunds once.
func testRefundFormOnce(t *testing.T, stripeURL string) {
	ts, c, page, refund := refundFixture(t, stripeURL)

	key := refundKey(t, c.get(page), "spn-card")
	for i := range 2 {
		res := c.postForm(refund, url.Values{"amount": {"1"}, "idempotency_key": {key}})
		wantStatus(t, res, http.StatusSeeOther)
		if e := ts.storedEvent(t, "evt-money"); e.Totals.RefundedPence != 1_00 {
			t.Fatalf("after sending %d, refunded %d pence, want 100", i+1, e.Totals.RefundedPence)
		}
	}

	next := refundKey(t, c.get(page), "spn-card")
	if next == key {
		t.Fatal("the page drew the same key twice")
	}
	form := url.Values{"amount": {"1"}, "idempotency_key": {next}, "_csrf": {c.csrf}}
	for _, status := range c.postParallel(refund, form, 3) {
		if status != http.StatusSeeOther {
			t.Errorf("a parallel refund answered %d, want 303", status)
		}
	}
	if e := ts.storedEvent(t, "evt-money"); e.Totals.RefundedPence != 2_00 {
		t.Fatalf("after three sends at once, refunded %d pence, want 200", e.Totals.RefundedPence)
	}
	sp := ts.sponsorships(t, "evt-money")[0]
	if sp.ID != "spn-card" || sp.RefundedPence != 2_00 {
		t.Fatalf("sponsorship %s refunded %d pence, want spn-card and 200", sp.ID, sp.RefundedPence)
	}
}

// testRefundOtherEvent refunds through another event's address: 404, and
// nothing is refunded.
func testRefundOtherEvent(t *testing.T, stripeURL string) {
	ts := newTestServer(t, withStripe(t, stripeURL))
	moneyFixture(t, ts)
	ts.mustEvent(t, "evt-elsewhere", app.CoordinatorOrgID)
	c := ts.coordinatorClient(t)
	key := refundKey(t, c.get("/coordinator/events/evt-money/sponsorships"), "spn-card")

	res := c.postForm("/coordinator/events/evt-elsewhere/sponsorships/spn-card/refund",
		url.Values{"amount": {"1"}, "idempotency_key": {key}})
	wantStatus(t, res, http.StatusNotFound)
	if e := ts.storedEvent(t, "evt-money"); e.Totals.RefundedPence != 0 {
		t.Fatalf("refunded %d pence through another event's address", e.Totals.RefundedPence)
	}
}

// postParallel sends the form to path n times at once, with the client's
// cookies, and returns the statuses.
func (c *client) postParallel(path string, form url.Values, n int) []int {
	c.t.Helper()
	statuses := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, ck := range c.cookies {
			req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.ts.App().Test(req, -1)
			if err != nil {
				errs[i] = err
				return
			}
			statuses[i] = res.StatusCode
			_ = res.Body.Close()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			c.t.Fatal(err)
		}
	}
	return statuses
}

// TestMoneyFeesAndDemo: net and in hand take Stripe's fees off; a fee
// Stripe has not yet told us is shown as not known yet, never as £0.00;
// demonstration events' invented money is left out of the total.
func TestMoneyFeesAndDemo(t *testing.T) {
	ts := newTestServer(t)
	moneyFixture(t, ts)
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-card-2", EventID: "evt-money", Method: app.PayCard,
		State: app.SponsorPaid, AmountPence: 50_00, Name: "Fee Unknown", PaymentIntentID: "pi_test_2"})
	ts.mustEvent(t, "evt-demo", app.CoordinatorOrgID, func(e *app.CivicEvent) { e.Demo = true })
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-demo", EventID: "evt-demo", Method: app.PayCard,
		State: app.SponsorPaid, AmountPence: 777_00, FeePence: 11_00, FeeKnown: true, Name: "Invented"})
	c := ts.coordinatorClient(t)

	event := c.get("/coordinator/events/evt-money/sponsorships")
	wantStatus(t, event, http.StatusOK)
	wantContains(t, event,
		"£150.00 paid, less £0.00 refunded and £1.70 in Stripe fees: £148.30 net "+
			"(1 payment&#39;s fee is not known yet and not taken off)",
		"£148.30 (card payments net of refunds and Stripe fees, and offline money received)",
		"£0.00, not known yet", "£0.00, £1.70")

	money := c.get("/coordinator/money")
	wantStatus(t, money, http.StatusOK)
	foot := regexp.MustCompile(`<tfoot>[\s\S]*?</tfoot>`).FindString(money.Body)
	for _, want := range []string{"All events", "not counting demonstration events", "£150.00", "£148.30",
		"Demonstration events", "£777.00", "£766.00", "and 1 fee not known yet"} {
		if !strings.Contains(foot, want) {
			t.Errorf("the totals lack %q:\n%s", want, foot)
		}
	}
	if strings.Contains(money.Body, "£927.00") {
		t.Error("the demonstration event's money is added to the real events'")
	}

	csvRes := c.get("/coordinator/money/export.csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvRes.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fees := map[string]string{}
	for _, row := range rows[1:] {
		fees[row[3]] = row[8] + " " + row[len(row)-1]
	}
	want := map[string]string{"spn-card": "1.70 false", "spn-card-2": "not known yet false",
		"spn-invoice": "0.00 false", "spn-demo": "11.00 true"}
	for id, w := range want {
		if fees[id] != w {
			t.Errorf("%s: fee and demo_event %q, want %q", id, fees[id], w)
		}
	}
}

// TestRefundStripeFails: when Stripe cannot be reached (503) or refuses
// (409), the page comes back with the reason at the refund form, the
// amount kept (and, for 503, the form's key), and nothing is refunded;
// never the error page.
func TestRefundStripeFails(t *testing.T) {
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Stripe-Should-Retry", "false")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","param":"amount","message":` +
			`"Refund amount (£5.00) is greater than unrefunded amount on charge (£0.00)"}}`))
	}))
	t.Cleanup(refusing.Close)

	cases := []struct {
		name, stripeURL string
		status          int
		want            string
	}{
		{"Stripe unreachable", unreachable, http.StatusServiceUnavailable, app.RefundUnavailableMessage},
		{"Stripe refuses", refusing.URL, http.StatusConflict, "Stripe refused this refund, so nothing was refunded."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts, c, page, refund := refundFixture(t, tc.stripeURL)
			key := refundKey(t, c.get(page), "spn-card")
			res := c.postForm(refund, url.Values{"amount": {"5"}, "idempotency_key": {key}})

			wantStatus(t, res, tc.status)
			wantContains(t, res, "There is a problem", tc.want, `href="#refund-spn-card"`,
				`id="refund-spn-card-error"`, `value="5"`)
			if strings.Contains(res.Body, "Sorry, there is a problem with the service") {
				t.Error("the error page was shown")
			}
			if sp := ts.sponsorships(t, "evt-money")[0]; sp.RefundedPence != 0 {
				t.Fatalf("refunded %d pence after a refund Stripe did not make", sp.RefundedPence)
			}
			// Stripe may have made a refund it did not answer for: the
			// form sent again must reach it under the same key.
			if again := refundKey(t, res, "spn-card"); tc.status == http.StatusServiceUnavailable && again != key {
				t.Errorf("the form came back with key %q, want the one sent, %q", again, key)
			}
		})
	}
}

// TestRefundAndPledgeFormsOnlyWhereTheyWork: the coordinator is offered a
// refund only when Stripe is configured, and neither a refund nor a pledge
// on a demonstration event, whose money is invented; each page says why.
func TestRefundAndPledgeFormsOnlyWhereTheyWork(t *testing.T) {
	const refundForm, pledgeForm = `/sponsorships/spn-card/refund"`, `/pledges#pledge"`

	t.Run("without Stripe", func(t *testing.T) {
		ts := newTestServer(t)
		moneyFixture(t, ts)
		page := ts.coordinatorClient(t).get("/coordinator/events/evt-money/sponsorships")
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, "Card payment is not set up here", pledgeForm)
		if strings.Contains(page.Body, refundForm) {
			t.Error("a refund form is offered though Stripe is not configured")
		}
	})
	t.Run("with Stripe", func(t *testing.T) {
		_, c, page, _ := refundFixture(t, unreachable)
		res := c.get(page)
		wantContains(t, res, refundForm, pledgeForm)
		if strings.Contains(res.Body, "Card payment is not set up here") {
			t.Error("the page says card payment is not set up though Stripe is configured")
		}
	})
	t.Run("a demonstration event", func(t *testing.T) {
		ts := newTestServer(t, withStripe(t, unreachable))
		moneyFixture(t, ts)
		e, err := ts.Store.GetEvent(context.Background(), "evt-money")
		if err != nil {
			t.Fatal(err)
		}
		e.Demo = true
		if err := ts.Store.UpdateEvent(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		page := ts.coordinatorClient(t).get("/coordinator/events/evt-money/sponsorships")
		wantContains(t, page, "This is a demonstration event")
		if strings.Contains(page.Body, refundForm) || strings.Contains(page.Body, pledgeForm) ||
			strings.Contains(page.Body, `/sponsorships/spn-invoice/pledge"`) {
			t.Error("a demonstration event offers a refund, pledge or pledge-settling form")
		}
	})
}
