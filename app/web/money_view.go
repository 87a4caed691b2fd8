package web

import (
	"time"

	"github.com/encounters/encounters/app"
)

// moneyTotals is an app.Totals in pounds, for the money pages.
type moneyTotals struct {
	Raised   string
	Refunded string
	Net      string
	Fees     string
	// FeesUnknown counts paid card payments whose fee Stripe has not yet
	// told us: Fees and Net leave them out until it does.
	FeesUnknown      int
	Pledged          string
	Received         string
	InKind           string
	InKindPledged    string
	HasInKindPledged bool
	InHand           string
	Sponsors         int
}

// newMoneyTotals shows t in pounds. Net is card money less refunds and
// Stripe's fees; In hand adds offline money received.
func newMoneyTotals(t app.Totals) moneyTotals {
	return moneyTotals{
		Raised: app.FormatPence(t.RaisedPence), Refunded: app.FormatPence(t.RefundedPence),
		Net: app.FormatPence(t.NetPence()), Fees: app.FormatPence(t.FeesPence),
		FeesUnknown: t.FeesUnknown, Pledged: app.FormatPence(t.PledgedPence),
		Received: app.FormatPence(t.ReceivedPence), InKind: app.FormatPence(t.InKindPence),
		InKindPledged: app.FormatPence(t.InKindPledgedPence), HasInKindPledged: t.InKindPledgedPence > 0,
		InHand: app.FormatPence(t.InHandPence()), Sponsors: t.Sponsors,
	}
}

// moneyRow is one event on the reconciliation page, or all of them.
type moneyRow struct {
	EventID string
	Title   string
	When    string
	Status  string
	Demo    bool
	Goal    string
	Totals  moneyTotals
}

// moneyReport is the reconciliation page: a row per event, the overall
// row of the real events, the row of the demonstration events (HasDemo
// when there are any), and how many events' stored totals were put
// right.
type moneyReport struct {
	Rows      []moneyRow
	Overall   moneyRow
	Demo      moneyRow
	HasDemo   bool
	Corrected int
}

// newMoneyReport describes the reconciliation r as it stands at now.
func newMoneyReport(r *app.Reconciliation, now time.Time) moneyReport {
	out := moneyReport{Rows: make([]moneyRow, 0, len(r.Events)), Corrected: r.Corrected}
	var goal, demoGoal int64
	for _, e := range r.Events {
		if e.Demo {
			demoGoal += e.GoalPence
			out.HasDemo = true
		} else {
			goal += e.GoalPence
		}
		out.Rows = append(out.Rows, moneyRow{EventID: e.ID, Title: e.Title,
			When: formatDay(e.Start), Status: eventStatusLabel(e, now), Demo: e.Demo,
			Goal: app.FormatPence(e.GoalPence), Totals: newMoneyTotals(e.Totals)})
	}
	out.Overall = moneyRow{Title: "All events", Goal: app.FormatPence(goal),
		Totals: newMoneyTotals(r.Overall)}
	out.Demo = moneyRow{Title: "Demonstration events", Demo: true, Goal: app.FormatPence(demoGoal),
		Totals: newMoneyTotals(r.Demo)}
	return out
}

// sponsorshipRow is one sponsorship on the coordinator's page of an
// event, with the forms that apply to it.
type sponsorshipRow struct {
	ID          string
	When        string
	Method      string
	State       string
	StateTag    string
	Amount      string
	Refunded    string
	Fee         string
	Name        string
	Email       string
	DisplayName string
	Named       bool
	Message     string
	InKind      string
	Item        string
	IsCard      bool
	// NotStarted is set for a card payment whose checkout Stripe never
	// started: no payment was asked for.
	NotStarted bool
	// CanRefund is set for a card payment with money left to refund.
	CanRefund bool
	Left      string
	// RefundKey is the refund form's idempotency key, made when the page
	// is drawn: sending the form twice makes one refund.
	RefundKey string
	// PledgeMoves are the states an offline pledge may be moved to: on
	// from pledged, or back when it was marked by mistake.
	PledgeMoves []app.Choice
}

// newSponsorshipRows describes an event's sponsorships for the
// coordinator. Refunds are offered only when cards is set (Stripe is
// configured) and the event is not a demonstration.
func newSponsorshipRows(e *app.CivicEvent, list []*app.Sponsorship, cards bool) []sponsorshipRow {
	items := make(map[string]string, len(e.Items))
	for _, it := range e.Items {
		items[it.ID] = it.Label
	}

	rows := make([]sponsorshipRow, 0, len(list))
	for _, sp := range list {
		left := sp.AmountPence - sp.RefundedPence
		rows = append(rows, sponsorshipRow{
			ID: sp.ID, When: formatDateTime(sp.CreatedAt), Method: methodLabel(sp.Method),
			State: stateLabel(sp.State), StateTag: stateTag(sp.State),
			Amount: app.FormatPence(sp.AmountPence), Refunded: app.FormatPence(sp.RefundedPence),
			Fee: feeLabel(sp), Name: sp.Name, Email: sp.Email,
			DisplayName: sp.DisplayName, Named: sp.Named, Message: sp.Message, InKind: sp.InKind,
			Item: items[sp.ItemID], IsCard: sp.Method == app.PayCard,
			NotStarted: sp.State == app.SponsorNotStarted,
			CanRefund: cards && !e.Demo && sp.Method == app.PayCard &&
				sp.State == app.SponsorPaid && left > 0,
			Left: app.FormatPence(left), PledgeMoves: pledgeMoves(e, sp),
		})
		if rows[len(rows)-1].CanRefund {
			rows[len(rows)-1].RefundKey = app.NewID("idem")
		}
	}
	return rows
}

// feeLabel is a sponsorship's fee in pounds, or app.FeeNotKnown for a
// paid card payment whose fee Stripe has not yet told us.
func feeLabel(sp *app.Sponsorship) string {
	if sp.FeeUnknown() {
		return app.FeeNotKnown
	}
	return app.FormatPence(sp.FeePence)
}

// pledgeMoves are the buttons of an offline pledge's row: the states it
// may move to, named as actions. None for card payments, nor on a
// demonstration event, whose invented money stays as it is.
func pledgeMoves(e *app.CivicEvent, sp *app.Sponsorship) []app.Choice {
	if sp.Method == app.PayCard || e.Demo {
		return nil
	}
	received := app.Choice{Value: app.SponsorReceived, Label: "Mark received"}
	withdrawn := app.Choice{Value: app.SponsorWithdrawn, Label: "Mark withdrawn"}
	switch sp.State {
	case app.SponsorPledged:
		return []app.Choice{received, withdrawn}
	case app.SponsorReceived:
		return []app.Choice{{Value: app.SponsorPledged, Label: "Not received: mark pledged again"}, withdrawn}
	case app.SponsorWithdrawn:
		return []app.Choice{{Value: app.SponsorPledged, Label: "Not withdrawn: mark pledged again"}, received}
	}
	return nil
}

// pledgeMethods are the ways an offline pledge may be given, for the
// pledge form.
var pledgeMethods = []app.Choice{
	{Value: app.PayInvoice, Label: "Invoice"},
	{Value: app.PayTransfer, Label: "Bank transfer"},
	{Value: app.PayInKind, Label: "In kind (a venue, a coach, materials)"},
}

// methodLabels name how a sponsorship was given.
var methodLabels = map[string]string{
	app.PayCard:     "card payment",
	app.PayInvoice:  "invoice pledge",
	app.PayTransfer: "bank transfer pledge",
	app.PayInKind:   "in-kind pledge",
}

// methodLabel names a sponsorship method in words.
func methodLabel(method string) string {
	if l, ok := methodLabels[method]; ok {
		return l
	}
	return method
}

// stateLabels name each sponsorship state.
var stateLabels = map[string]string{
	app.SponsorPending:    "pending",
	app.SponsorPaid:       "paid",
	app.SponsorFailed:     "failed",
	app.SponsorExpired:    "expired",
	app.SponsorNotStarted: "not started",
	app.SponsorPledged:    "pledged",
	app.SponsorReceived:   "received",
	app.SponsorWithdrawn:  "withdrawn",
}

// stateLabel names a sponsorship state in words.
func stateLabel(state string) string {
	if l, ok := stateLabels[state]; ok {
		return l
	}
	return state
}

// stateTag is the colour of a state's tag.
func stateTag(state string) string {
	switch state {
	case app.SponsorPaid, app.SponsorReceived:
		return "govuk-tag--green"
	case app.SponsorPending, app.SponsorPledged:
		return "govuk-tag--yellow"
	}
	return "govuk-tag--grey"
}
