package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

// moneyFixture is an event with a paid card sponsorship whose sponsor
// typed a formula as their name, and an invoice pledge.
func moneyFixture(t *testing.T, ts *testServer) {
	t.Helper()
	ts.mustEvent(t, "evt-money", app.CoordinatorOrgID)
	ts.mustSponsorship(t, &app.Sponsorship{ID: "spn-card", EventID: "evt-money", Method: app.PayCard,
		State: app.SponsorPaid, AmountPence: 100_00, FeePence: 1_70, Name: "=HYPERLINK(\"http://x\")",
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
	c := ts.coordinatorClient(t)
	page := "/coordinator/events/evt-money/sponsorships"
	wantContains(t, c.get(page), "Invoice Ltd", "accounts@example.org", "Record an offline pledge")

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
		{"received pledge cannot be withdrawn", "/coordinator/events/evt-money/sponsorships/spn-invoice/pledge",
			url.Values{"state": {app.SponsorWithdrawn}}, http.StatusConflict,
			"cannot be marked withdrawn", 1_000_10, 250_00},
		{"card payment is no pledge", "/coordinator/events/evt-money/sponsorships/spn-card/pledge",
			url.Values{"state": {app.SponsorReceived}}, http.StatusConflict,
			"Card payments follow Stripe", 1_000_10, 250_00},
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

// testRefunds refunds a card sponsorship through stripe-mock at stripeURL.
func testRefunds(t *testing.T, stripeURL string) {
	ts := newTestServer(t, withStripe(t, stripeURL))
	moneyFixture(t, ts)
	c := ts.coordinatorClient(t)
	page := "/coordinator/events/evt-money/sponsorships"
	refund := page + "/spn-card/refund"

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
