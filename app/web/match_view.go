package web

import (
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// pageMatchLimit is how many offers (on a request's page) or requests (on
// an offer's page) a page of matches shows. Matching scores sessions, and
// one offer may match with several, so a page asks for pageMatchSessions
// scored sessions and groups them.
const (
	pageMatchLimit    = 10
	pageMatchSessions = 50
)

// worthKnowingMarks pick out the reasons that are caveats rather than
// fits. app.ScoreMatch words them so: a sector other than the one asked
// scores nothing and reads "Transport and logistics (you asked for Digital
// and technology)"; a session within a week reads "In 3 days: short
// notice, inside your window". Every other reason says what fits.
var worthKnowingMarks = []string{"(you asked for ", "short notice"}

// matchCard is one offer or request on a page of matches: the other side
// of the match (a request on an offer's page, an offer on a request's
// page) with every session of it that matched, in date order. Score,
// Fits and WorthKnowing are those of its best session, which BestDay
// names when there are several.
type matchCard struct {
	Title        string
	URL          string
	OrgName      string
	Demo         bool
	Detail       string
	Distance     string
	Score        int
	Sessions     []matchSession
	BestDay      string
	Fits         []string
	WorthKnowing []string
}

// matchSession is one matched session of a match card.
type matchSession struct {
	When       string
	PlacesLeft string
	start      time.Time
}

// requestMatchCards describes matches found for an offer: each card names
// a request the offer could serve.
func requestMatchCards(ms []app.Match) []matchCard {
	return groupMatches(ms, func(m app.Match) (string, matchCard) {
		r := m.Request
		return r.ID, matchCard{Title: requestTitle(r), URL: "/requests/" + r.ID, OrgName: r.OrgName,
			Demo: r.Demo, Detail: requestAudienceText(r)}
	})
}

// offerMatchCards describes matches found for a request: each card names
// an offer with the sessions of it that could serve the request.
func offerMatchCards(ms []app.Match) []matchCard {
	return groupMatches(ms, func(m app.Match) (string, matchCard) {
		o := m.Offer
		detail := app.LabelOf(app.OfferTypes, o.Type) + ", " + app.LabelOf(app.Deliveries, o.Delivery)
		return o.ID, matchCard{Title: o.Title, URL: "/offers/" + o.ID, OrgName: o.OrgName,
			Demo: o.Demo, Detail: detail}
	})
}

// groupMatches turns matches, best first, into at most pageMatchLimit
// cards, one per key, in the order of each key's best match. describe
// gives a match's key and the card's fixed fields.
func groupMatches(ms []app.Match, describe func(app.Match) (string, matchCard)) []matchCard {
	var cards []matchCard
	at := map[string]int{}
	for _, m := range ms {
		key, card := describe(m)
		i, seen := at[key]
		if !seen {
			if len(cards) == pageMatchLimit {
				continue
			}
			i, at[key] = len(cards), len(cards)
			cards = append(cards, withBestMatch(card, m))
		}
		cards[i].Sessions = append(cards[i].Sessions, matchSession{
			When:       sessionWhen(m.Session.Start, m.Session.End),
			PlacesLeft: placesText(m.Session.PlacesLeft()), start: m.Session.Start})
	}

	for i := range cards {
		sortMatchSessions(&cards[i])
	}
	return cards
}

// withBestMatch fills the card from its best match: score, distance and
// reasons, and the day of the session they describe.
func withBestMatch(card matchCard, m app.Match) matchCard {
	card.Score = int(math.Round(m.Score))
	card.Distance = distanceText(m.DistanceKm)
	card.BestDay = formatDay(m.Session.Start)
	card.Fits, card.WorthKnowing = splitReasons(m.Reasons)
	return card
}

// sortMatchSessions puts a card's sessions in date order, and keeps
// BestDay only when the card has more than one session.
func sortMatchSessions(card *matchCard) {
	slices.SortStableFunc(card.Sessions, func(a, b matchSession) int { return a.start.Compare(b.start) })
	if len(card.Sessions) < 2 {
		card.BestDay = ""
	}
}

// splitReasons separates what fits from what is worth knowing, by
// worthKnowingMarks, keeping each list in the order given.
func splitReasons(reasons []string) (fits, worthKnowing []string) {
	for _, r := range reasons {
		if isWorthKnowing(r) {
			worthKnowing = append(worthKnowing, r)
		} else {
			fits = append(fits, r)
		}
	}
	return fits, worthKnowing
}

func isWorthKnowing(reason string) bool {
	for _, mark := range worthKnowingMarks {
		if strings.Contains(reason, mark) {
			return true
		}
	}
	return false
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
