package web

import (
	"fmt"
	"time"

	"github.com/encounters/encounters/app"
)

// offerCard is an offer as result lists and offer pages show it: every
// value already in words.
type offerCard struct {
	ID           string
	URL          string
	Title        string
	Description  string
	OrgName      string
	Demo         bool
	Status       string
	StatusLabel  string
	Public       bool
	Type         string
	Sector       string
	Audience     string
	Delivery     string
	Where        string
	Access       []string
	Safeguarding string
	Distance     string
	Sessions     []sessionView
}

// sessionView is one session in words.
type sessionView struct {
	ID         string
	When       string
	Places     int
	PlacesLeft string
	Full       bool
}

// newOfferCard describes o with the given sessions and distance.
func newOfferCard(o *app.Offer, sessions []app.Session, distanceKm *float64) offerCard {
	card := offerCard{
		ID: o.ID, URL: "/offers/" + o.ID, Title: o.Title, Description: o.Description,
		OrgName: o.OrgName, Demo: o.Demo, Status: o.Status, StatusLabel: offerStatusLabel(o.Status),
		Public: o.Public, Type: app.LabelOf(app.OfferTypes, o.Type),
		Sector: app.LabelOf(app.Sectors, o.Sector), Audience: audienceSummary(o.Audience),
		Delivery: app.LabelOf(app.Deliveries, o.Delivery), Where: offerWhere(o),
		Safeguarding: o.Safeguarding, Distance: distanceText(distanceKm),
	}
	for _, a := range o.Access {
		card.Access = append(card.Access, app.LabelOf(app.AccessFeatures, a))
	}
	for _, s := range sessions {
		card.Sessions = append(card.Sessions, newSessionView(s))
	}

	return card
}

func newSessionView(s app.Session) sessionView {
	left := s.PlacesLeft()
	return sessionView{ID: s.ID, When: sessionWhen(s.Start, s.End), Places: s.Places,
		PlacesLeft: placesText(left), Full: left == 0}
}

// offerWhere says where an offer happens.
func offerWhere(o *app.Offer) string {
	switch {
	case o.AtSchool && o.AtSchoolKm > 0:
		return fmt.Sprintf("At your school, within %d km of %s", o.AtSchoolKm, o.Postcode)
	case o.AtSchool:
		return "At your school"
	case o.Delivery == app.DeliveryVirtual:
		return "Online"
	}
	return o.Postcode
}

// offerStatusLabel is an offer status in words.
func offerStatusLabel(status string) string {
	switch status {
	case app.OfferDraft:
		return "Draft"
	case app.OfferPublished:
		return "Published"
	case app.OfferPaused:
		return "Paused"
	case app.OfferArchived:
		return "Archived"
	}
	return status
}

// sessionWhen is a session's date and times in London:
// "Tue 1 December 2026, 10am to midday".
func sessionWhen(start, end time.Time) string {
	when := formatDateTime(start) + " to "
	if formatDay(start) == formatDay(end) {
		return when + formatClock(end)
	}
	return when + formatDateTime(end)
}

// placesText says how many places are left.
func placesText(n int) string {
	if n == 0 {
		return "Fully booked"
	}
	return plural(n, "place", "places") + " left"
}

// distanceText is "11 km away", or "" when the distance is unknown.
func distanceText(km *float64) string {
	if km == nil {
		return ""
	}

	return formatKm(*km) + " away"
}

// audienceSummary puts audience codes in words, in the canonical order,
// joining runs of school years: "Years 9 to 11, Adults".
func audienceSummary(codes []string) string {
	var ordered []string
	for _, c := range app.Audiences {
		if hasValue(codes, c) {
			ordered = append(ordered, c)
		}
	}
	return audienceList(ordered)
}
