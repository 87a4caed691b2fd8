package web

import (
	"time"

	"github.com/encounters/encounters/app"
)

// eventCard is a civic event as lists and its page show it: money in
// pounds and dates in London, already in words.
type eventCard struct {
	ID          string
	URL         string
	Title       string
	Description string
	OrgName     string
	// ByCoordinator is set when the county coordinator organises the
	// event, so pages name it once as the one to contact.
	ByCoordinator bool
	Demo          bool
	Status        string
	StatusLabel   string
	When          string
	Venue         string
	Postcode      string
	Goal          string
	Raised        string
	Pledged       string
	InKind        string
	HasPledged    bool
	HasInKind     bool
	// InKindPledged is the value of support in kind promised and not yet
	// received, which does not count as given.
	InKindPledged    string
	HasInKindPledged bool
	Min              string
	Max              string
	// Percent is how far raised money has come towards the goal, 0 to 100.
	Percent    int64
	PartFunded bool
	FullFunded bool
	Sponsors   int
	// Taking says whether the event takes sponsorships now: open and
	// not yet ended.
	Taking bool
	Items  []itemView
}

// itemView is one funding item of an event. Funded is money given for
// it (see app.Totals.GivenPence); InKind the value of support in kind
// received for it.
type itemView struct {
	ID     string
	Kind   string
	Label  string
	Goal   string
	Funded string
	InKind string
}

// newEventCard describes e as it stands at now.
func newEventCard(e *app.CivicEvent, now time.Time) eventCard {
	raised := e.Totals.GivenPence()
	card := eventCard{
		ID: e.ID, URL: app.EventPath(e.ID), Title: e.Title, Description: e.Description,
		OrgName: e.OrgName, ByCoordinator: e.OrgID == app.CoordinatorOrgID, Demo: e.Demo, Status: e.Status,
		StatusLabel: eventStatusLabel(e, now), When: sessionWhen(e.Start, e.End),
		Venue: e.Venue, Postcode: e.Postcode, Goal: app.FormatPence(e.GoalPence),
		Raised: app.FormatPence(raised), Pledged: app.FormatPence(e.Totals.PledgedPence),
		InKind: app.FormatPence(e.Totals.InKindPence), Min: app.FormatPence(e.MinPence),
		Max: app.FormatPence(e.MaxPence), Percent: percentOf(raised, e.GoalPence),
		Sponsors: e.Totals.Sponsors, Taking: e.TakesSponsors(now),
		HasPledged: e.Totals.PledgedPence > 0, HasInKind: e.Totals.InKindPence > 0,
		InKindPledged:    app.FormatPence(e.Totals.InKindPledgedPence),
		HasInKindPledged: e.Totals.InKindPledgedPence > 0,
	}
	card.FullFunded = e.GoalPence > 0 && raised >= e.GoalPence
	card.PartFunded = raised > 0 && !card.FullFunded

	for _, it := range e.Items {
		card.Items = append(card.Items, itemView{ID: it.ID, Kind: fundKindLabel(it.Kind),
			Label: it.Label, Goal: app.FormatPence(it.GoalPence)})
	}
	return card
}

// withItemFunding fills in what each item has had, from the event's
// sponsorships.
func (card eventCard) withItemFunding(e *app.CivicEvent, list []*app.Sponsorship) eventCard {
	byItem := make(map[string][]*app.Sponsorship, len(e.Items))
	for _, sp := range list {
		byItem[sp.ItemID] = append(byItem[sp.ItemID], sp)
	}

	items := make([]itemView, len(card.Items))
	for i, it := range card.Items {
		t := app.EventTotals(byItem[it.ID])
		it.Funded = app.FormatPence(t.GivenPence())
		if t.InKindPence > 0 {
			it.InKind = app.FormatPence(t.InKindPence)
		}
		items[i] = it
	}
	card.Items = items
	return card
}

// percentOf is part as a whole percentage of whole, rounded down and kept
// between 0 and 100, but at least 1 once anything is raised, so that
// some money never reads as none; integer arithmetic only.
func percentOf(part, whole int64) int64 {
	if whole <= 0 || part <= 0 {
		return 0
	}
	return min(max(part*100/whole, 1), 100)
}

// eventStatusLabel says in words whether an event takes sponsorships.
func eventStatusLabel(e *app.CivicEvent, now time.Time) string {
	switch {
	case e.Status == app.EventClosed:
		return "Closed"
	case e.Passed(now):
		return "Taken place"
	case e.Demo:
		return "Demonstration: takes no sponsorships"
	}
	return "Open for sponsorship"
}

// fundKinds are what money may pay for, in words.
var fundKinds = map[string]string{
	app.FundVenue:     "Venue",
	app.FundCoaches:   "Coaches",
	app.FundMaterials: "Materials",
	app.FundOther:     "Other",
}

// fundKindLabel shows what a funding item pays for in words.
func fundKindLabel(kind string) string {
	if l, ok := fundKinds[kind]; ok {
		return l
	}
	return kind
}

// sponsorView is a named sponsor as the public page shows it: the display
// name and message only.
type sponsorView struct {
	DisplayName string
	Message     string
	InKind      string
}

// newSponsorViews keeps only what the public may see of each sponsor.
func newSponsorViews(list []*app.Sponsorship) []sponsorView {
	out := make([]sponsorView, 0, len(list))
	for _, sp := range list {
		if !sp.Named || sp.DisplayName == "" {
			continue
		}
		out = append(out, sponsorView{DisplayName: sp.DisplayName, Message: sp.Message,
			InKind: sp.InKind})
	}
	return out
}
