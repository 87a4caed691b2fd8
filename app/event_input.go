package app

// Inputs of the civic event and sponsorship use cases, as forms and JSON
// give them. Amounts are typed pounds ("£1,000.10") and parsed with
// ParsePounds; errors name the fields as the tags do.

// EventInput is a civic event as typed. Date is "2006-01-02"; StartTime
// and EndTime are "15:04" on that date in Europe/London. Goal, MinAmount
// and MaxAmount are pounds; empty MinAmount and MaxAmount take the
// defaults DefaultMinSponsorPence and DefaultMaxSponsorPence. Items name
// their fields "items[0].kind" and so on in errors.
type EventInput struct {
	Title       string             `json:"title" form:"title"`
	Description string             `json:"description" form:"description"`
	Date        string             `json:"date" form:"date"`
	StartTime   string             `json:"start_time" form:"start_time"`
	EndTime     string             `json:"end_time" form:"end_time"`
	Venue       string             `json:"venue" form:"venue"`
	Postcode    string             `json:"postcode" form:"postcode"`
	Goal        string             `json:"goal" form:"goal"`
	MinAmount   string             `json:"min_amount" form:"min_amount"`
	MaxAmount   string             `json:"max_amount" form:"max_amount"`
	Items       []FundingItemInput `json:"items" form:"-"`
}

// FundingItemInput is one thing the money pays for, as typed: Kind is one
// of FundKinds and Goal is pounds. ID is empty for a new item and names an
// existing one when an event is updated, so sponsorships keep their item.
type FundingItemInput struct {
	ID    string `json:"id,omitempty"`
	Kind  string `json:"kind"`
	Label string `json:"label"`
	Goal  string `json:"goal"`
}

// SponsorInput is a card sponsorship as the public form gives it. Amount
// is pounds within the event's limits; ItemID optionally names one of the
// event's items; DisplayName is shown publicly only when Named.
type SponsorInput struct {
	EventID     string `json:"event_id" form:"event_id"`
	ItemID      string `json:"item_id" form:"item_id"`
	Amount      string `json:"amount" form:"amount"`
	Name        string `json:"name" form:"name"`
	Email       string `json:"email" form:"email"`
	DisplayName string `json:"display_name" form:"display_name"`
	Named       bool   `json:"named" form:"named"`
	Message     string `json:"message" form:"message"`
}

// PledgeInput is offline support the coordinator records: Method is
// PayInvoice, PayTransfer or PayInKind. Amount is pounds (for in-kind
// support, its value) and InKind describes in-kind support. Email is
// optional; when given, the sponsor gets a receipt once it is received.
type PledgeInput struct {
	Method      string `json:"method" form:"method"`
	Amount      string `json:"amount" form:"amount"`
	Name        string `json:"name" form:"name"`
	Email       string `json:"email" form:"email"`
	DisplayName string `json:"display_name" form:"display_name"`
	InKind      string `json:"in_kind" form:"in_kind"`
	ItemID      string `json:"item_id" form:"item_id"`
	Named       bool   `json:"named" form:"named"`
}

// EventInputOf returns the input that describes e, to fill an edit form:
// date and times in Europe/London, amounts as plain pounds, items keeping
// their ids.
func EventInputOf(e *CivicEvent) EventInput {
	start, end := e.Start.In(London), e.End.In(London)
	in := EventInput{
		Title: e.Title, Description: e.Description, Date: start.Format(DateLayout),
		StartTime: start.Format(TimeLayout), EndTime: end.Format(TimeLayout),
		Venue: e.Venue, Postcode: e.Postcode, Goal: PoundsString(e.GoalPence),
		MinAmount: PoundsString(e.MinPence), MaxAmount: PoundsString(e.MaxPence),
	}

	for _, it := range e.Items {
		in.Items = append(in.Items, FundingItemInput{
			ID: it.ID, Kind: it.Kind, Label: it.Label, Goal: PoundsString(it.GoalPence),
		})
	}
	return in
}
