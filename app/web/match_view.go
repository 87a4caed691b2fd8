package web

import (
	"log/slog"
	"math"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// pageMatchLimit is how many matches an offer or request page shows.
const pageMatchLimit = 10

// matchCard is one match as a page shows it: the other side of the match
// (a request on an offer's page, an offer on a request's page), the session
// it concerns and the reasons in words.
type matchCard struct {
	Title      string
	URL        string
	OrgName    string
	Demo       bool
	Detail     string
	When       string
	PlacesLeft string
	Distance   string
	Score      int
	Reasons    []string
}

// requestMatchCards describes matches found for an offer: each names the
// request it could serve.
func requestMatchCards(ms []app.Match) []matchCard {
	out := make([]matchCard, 0, len(ms))
	for _, m := range ms {
		r := m.Request
		out = append(out, matchCard{
			Title: requestTitle(r), URL: "/requests/" + r.ID, OrgName: r.OrgName, Demo: r.Demo,
			Detail: requestAudienceText(r), When: sessionWhen(m.Session.Start, m.Session.End),
			PlacesLeft: placesText(m.Session.PlacesLeft()), Distance: distanceText(m.DistanceKm),
			Score: int(math.Round(m.Score)), Reasons: m.Reasons,
		})
	}

	return out
}

// offerMatchCards describes matches found for a request: each names the
// offer session that could serve it.
func offerMatchCards(ms []app.Match) []matchCard {
	out := make([]matchCard, 0, len(ms))
	for _, m := range ms {
		o := m.Offer
		out = append(out, matchCard{
			Title: o.Title, URL: "/offers/" + o.ID, OrgName: o.OrgName, Demo: o.Demo,
			Detail:     app.LabelOf(app.OfferTypes, o.Type) + ", " + app.LabelOf(app.Deliveries, o.Delivery),
			When:       sessionWhen(m.Session.Start, m.Session.End),
			PlacesLeft: placesText(m.Session.PlacesLeft()), Distance: distanceText(m.DistanceKm),
			Score: int(math.Round(m.Score)), Reasons: m.Reasons,
		})
	}

	return out
}

// pageMatches runs a matching call for a page. Matching is an extra on the
// page: when it fails the fault is logged and the page says matches are
// unavailable instead of failing whole.
func (s *Server) pageMatches(c *fiber.Ctx, data fiber.Map, ms []app.Match, err error,
	cards func([]app.Match) []matchCard) {
	if err != nil {
		s.log.Error("matching failed on page", slog.String("request_id", requestID(c)),
			slog.String("route", c.Route().Path), slog.String("error", err.Error()))
		data["MatchesFailed"] = true
		return
	}
	data["Matches"] = cards(ms)
}
