package web

import (
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// apiMatch is one match in the JSON API: an offer session scored against
// a request, with the reasons in words. OrgName is the other side's
// organisation: the employer for a request's matches, the school, college
// or provider for an offer's.
type apiMatch struct {
	OfferID      string    `json:"offer_id"`
	SessionID    string    `json:"session_id"`
	RequestID    string    `json:"request_id"`
	Score        float64   `json:"score"`
	Reasons      []string  `json:"reasons"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	PlacesLeft   int       `json:"places_left"`
	DistanceKm   *float64  `json:"distance_km,omitempty"`
	OfferTitle   string    `json:"offer_title"`
	RequestTitle string    `json:"request_title"`
	OrgName      string    `json:"organisation_name"`
}

// apiMatchList is the answer of both matches endpoints.
type apiMatchList struct {
	Results []apiMatch `json:"results"`
}

func newAPIMatches(ms []app.Match, forRequest bool) apiMatchList {
	out := apiMatchList{Results: make([]apiMatch, 0, len(ms))}
	for _, m := range ms {
		am := apiMatch{
			OfferID: m.Offer.ID, SessionID: m.Session.ID, RequestID: m.Request.ID,
			Score: math.Round(m.Score*10) / 10, Reasons: nonNil(m.Reasons),
			Start: m.Session.Start, End: m.Session.End, PlacesLeft: m.Session.PlacesLeft(),
			DistanceKm: roundKm(m.DistanceKm), OfferTitle: m.Offer.Title,
			RequestTitle: requestTitle(m.Request), OrgName: m.Request.OrgName,
		}
		if forRequest {
			am.OrgName = m.Offer.OrgName
		}
		out.Results = append(out.Results, am)
	}

	return out
}

// apiRequestMatches answers GET /api/v1/requests/:id/matches?limit=: the
// offer sessions that best suit the request.
func (s *Server) apiRequestMatches(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Request"))
	}
	limit, err := matchLimit(c)
	if err != nil {
		return s.apiError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	ms, err := s.svc.MatchRequest(ctx, actor(c), id, limit)
	if err != nil {
		return s.apiError(c, err)
	}

	return c.JSON(newAPIMatches(ms, true))
}

// apiOfferMatches answers GET /api/v1/offers/:id/matches?limit=: the open
// requests the offer could serve, each with its best session.
func (s *Server) apiOfferMatches(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Offer"))
	}
	limit, err := matchLimit(c)
	if err != nil {
		return s.apiError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	ms, err := s.svc.MatchOffer(ctx, actor(c), id, limit)
	if err != nil {
		return s.apiError(c, err)
	}

	return c.JSON(newAPIMatches(ms, false))
}

// matchLimit reads ?limit=, 0 (the service's default) when missing.
func matchLimit(c *fiber.Ctx) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > app.MatchLimitMax {
		return 0, fieldProblem("limit", "Limit must be a whole number from 1 to "+
			strconv.Itoa(app.MatchLimitMax)+".")
	}

	return n, nil
}
