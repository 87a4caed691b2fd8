package web

import (
	"github.com/encounters/encounters/app"
)

// requestCard is a request as lists and request pages show it, every value
// in words. Fields the public view blanks (notes, the full postcode) are
// simply empty.
type requestCard struct {
	ID        string
	URL       string
	Title     string
	OrgName   string
	Demo      bool
	Open      bool
	Waiting   bool // open, but awaiting the coordinator's verification
	Status    string
	Type      string
	Sector    string
	Topic     string
	Audience  string
	GroupSize string
	Dates     string
	Area      string
	Travel    string
	VirtualOK bool
	Access    []string
	Notes     string
}

// newRequestCard describes r.
func newRequestCard(r *app.Request) requestCard {
	card := requestCard{
		ID: r.ID, URL: "/requests/" + r.ID, Title: requestTitle(r), OrgName: r.OrgName,
		Demo: r.Demo, Open: r.Status == app.RequestOpen, Status: requestStatusLabel(r.Status),
		Type: app.LabelOf(app.OfferTypes, r.Type), Topic: r.Topic,
		Audience: audienceSummary(r.Audience), GroupSize: plural(r.GroupSize, "learner", "learners"),
		Dates: requestDates(r), Area: r.Postcode, VirtualOK: r.VirtualOK, Notes: r.Notes,
	}
	if card.Open && r.AwaitingVerification {
		card.Waiting, card.Status = true, waitingForVerification
	}
	if r.Sector != "" {
		card.Sector = app.LabelOf(app.Sectors, r.Sector)
	}
	if r.TravelKm > 0 {
		card.Travel = plural(r.TravelKm, "km", "km")
	}
	for _, a := range r.Access {
		card.Access = append(card.Access, app.LabelOf(app.AccessFeatures, a))
	}

	return card
}

// requestTitle names what a request asks for: "Careers talk on civil
// engineering", "Workplace visit: Engineering and manufacturing".
func requestTitle(r *app.Request) string {
	title := app.LabelOf(app.OfferTypes, r.Type)
	switch {
	case r.Topic != "":
		return title + " on " + r.Topic
	case r.Sector != "":
		return title + ": " + app.LabelOf(app.Sectors, r.Sector)
	}
	return title
}

// requestAudienceText is the group in words: "60 learners, Year 9".
func requestAudienceText(r *app.Request) string {
	text := plural(r.GroupSize, "learner", "learners")
	if a := audienceSummary(r.Audience); a != "" {
		text += ", " + a
	}
	return text
}

// requestDates is the request's window: "1 March 2027 to 31 March 2027".
func requestDates(r *app.Request) string {
	from, to := formatDay(r.From), formatDay(r.To)
	switch {
	case from != "" && to != "":
		return from + " to " + to
	case from != "":
		return "From " + from
	case to != "":
		return "By " + to
	}
	return "Any time"
}

// waitingForVerification is the status its own organisation sees on a
// request that awaits the coordinator's verification.
const waitingForVerification = "Waiting for the county coordinator to verify your organisation"

// requestStatusLabel is a request status in words.
func requestStatusLabel(status string) string {
	switch status {
	case app.RequestOpen:
		return "Open"
	case app.RequestClosed:
		return "Closed"
	}
	return status
}
