package web

import (
	"math"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// apiOffer is an offer in the JSON API. Audience holds audience codes
// ("y9", "adults"), KeyStages the search facet values they fall in.
// Sessions are the upcoming ones, except for the offer's own organisation,
// which sees all of them.
type apiOffer struct {
	ID           string       `json:"id"`
	OrgID        string       `json:"organisation_id"`
	OrgName      string       `json:"organisation_name"`
	Title        string       `json:"title"`
	Description  string       `json:"description"`
	Type         string       `json:"type"`
	Sector       string       `json:"sector"`
	Audience     []string     `json:"audience"`
	KeyStages    []string     `json:"key_stages"`
	Delivery     string       `json:"delivery"`
	Postcode     string       `json:"postcode,omitempty"`
	AtSchool     bool         `json:"at_school"`
	AtSchoolKm   int          `json:"at_school_km,omitempty"`
	Access       []string     `json:"access"`
	Safeguarding string       `json:"safeguarding,omitempty"`
	Status       string       `json:"status"`
	Public       bool         `json:"public"`
	Demo         bool         `json:"demo"`
	DistanceKm   *float64     `json:"distance_km,omitempty"`
	Sessions     []apiSession `json:"sessions"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// apiSession is one session of an offer in the JSON API.
type apiSession struct {
	ID         string    `json:"id"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Places     int       `json:"places"`
	PlacesLeft int       `json:"places_left"`
}

// apiFindResult is one page of "Find opportunities" in the JSON API.
type apiFindResult struct {
	Total   int                       `json:"total"`
	Page    int                       `json:"page"`
	PerPage int                       `json:"per_page"`
	Near    string                    `json:"near,omitempty"`
	Results []apiOffer                `json:"results"`
	Facets  map[string]map[string]int `json:"facets"`
}

// apiStatusInput is the body of POST /api/v1/offers/:id/status.
type apiStatusInput struct {
	Status string `json:"status"`
}

func newAPIOffer(o *app.Offer, sessions []app.Session, distanceKm *float64) apiOffer {
	out := apiOffer{
		ID: o.ID, OrgID: o.OrgID, OrgName: o.OrgName, Title: o.Title, Description: o.Description,
		Type: o.Type, Sector: o.Sector, Audience: nonNil(o.Audience),
		KeyStages: nonNil(app.KeyStagesOf(o.Audience)), Delivery: o.Delivery,
		Postcode: o.Postcode, AtSchool: o.AtSchool, AtSchoolKm: o.AtSchoolKm,
		Access: nonNil(o.Access), Safeguarding: o.Safeguarding, Status: o.Status,
		Public: o.Public, Demo: o.Demo, DistanceKm: roundKm(distanceKm),
		Sessions: make([]apiSession, 0, len(sessions)), UpdatedAt: o.UpdatedAt,
	}
	for _, s := range sessions {
		out.Sessions = append(out.Sessions, apiSession{ID: s.ID, Start: s.Start, End: s.End,
			Places: s.Places, PlacesLeft: s.PlacesLeft()})
	}

	return out
}

// apiFindOffers answers GET /api/v1/offers with the query parameters of
// the search page.
func (s *Server) apiFindOffers(c *fiber.Ctx) error {
	in, err := readFindParams(c).input()
	if err != nil {
		return s.apiError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	res, err := s.svc.FindOffers(ctx, in)
	if err != nil {
		return s.apiError(c, err)
	}

	out := apiFindResult{Total: res.Total, Page: res.Page, PerPage: res.PerPage,
		Near: res.NearText, Results: make([]apiOffer, 0, len(res.Results)),
		Facets: facetCounts(res.Facets)}
	for _, f := range res.Results {
		out.Results = append(out.Results, newAPIOffer(f.Offer, f.Upcoming, f.DistanceKm))
	}

	return c.JSON(out)
}

// apiGetOffer answers GET /api/v1/offers/:id.
func (s *Server) apiGetOffer(c *fiber.Ctx) error {
	id, a := c.Params("id"), actor(c)
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Offer"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	o, err := s.svc.GetOffer(ctx, a, id)
	if err != nil {
		return s.apiError(c, err)
	}

	return c.JSON(s.apiOfferFor(a, o))
}

// apiCreateOffer answers POST /api/v1/offers: 201 with the new draft.
func (s *Server) apiCreateOffer(c *fiber.Ctx) error {
	var in app.OfferInput
	if err := decodeJSONBody(c, &in); err != nil {
		return s.apiBodyError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	o, err := s.svc.CreateOffer(ctx, actor(c), in)
	if err != nil {
		return s.apiError(c, err)
	}
	c.Location("/api/v1/offers/" + o.ID)
	return c.Status(fiber.StatusCreated).JSON(s.apiOfferFor(actor(c), o))
}

// apiUpdateOffer answers PUT /api/v1/offers/:id: the body replaces the
// offer; sessions with an id keep it.
func (s *Server) apiUpdateOffer(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Offer"))
	}
	var in app.OfferInput
	if err := decodeJSONBody(c, &in); err != nil {
		return s.apiBodyError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	o, err := s.svc.UpdateOffer(ctx, actor(c), id, in)
	if err != nil {
		return s.apiError(c, err)
	}

	return c.JSON(s.apiOfferFor(actor(c), o))
}

// apiSetOfferStatus answers POST /api/v1/offers/:id/status with a body
// {"status": "published"} (or paused, archived, draft).
func (s *Server) apiSetOfferStatus(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Offer"))
	}
	var in apiStatusInput
	if err := decodeJSONBody(c, &in); err != nil {
		return s.apiBodyError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	o, err := s.svc.SetOfferStatus(ctx, actor(c), id, in.Status)
	if err != nil {
		return s.apiError(c, err)
	}

	return c.JSON(s.apiOfferFor(actor(c), o))
}

// apiOfferFor shows o to a: every session to its own organisation, the
// upcoming ones to everyone else.
func (s *Server) apiOfferFor(a *app.Actor, o *app.Offer) apiOffer {
	if a != nil && a.OrgID == o.OrgID {
		return newAPIOffer(o, o.Sessions, nil)
	}
	return newAPIOffer(o, o.Upcoming(s.marketNow()), nil)
}

// roundKm rounds a distance to 100 m for the API.
func roundKm(km *float64) *float64 {
	if km == nil {
		return nil
	}
	r := math.Round(*km*10) / 10
	return &r
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
