package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// apiEvent is a civic event in the JSON API. Money is whole pence.
// Taking says whether it takes sponsorships now, by card or pledge: a
// demonstration event never does.
// RaisedPence is money given: card payments less refunds, and offline
// pledges received (Stripe's fees are not taken off). InKindPence is the
// value of support in kind received; InKindPledgedPence that of support
// promised and not yet received.
type apiEvent struct {
	ID                 string           `json:"id"`
	OrgID              string           `json:"organisation_id"`
	OrgName            string           `json:"organisation_name"`
	Title              string           `json:"title"`
	Description        string           `json:"description"`
	Start              time.Time        `json:"start"`
	End                time.Time        `json:"end"`
	Venue              string           `json:"venue"`
	Postcode           string           `json:"postcode"`
	Status             string           `json:"status"`
	Taking             bool             `json:"taking_sponsorships"`
	GoalPence          int64            `json:"goal_pence"`
	RaisedPence        int64            `json:"raised_pence"`
	PledgedPence       int64            `json:"pledged_pence"`
	InKindPence        int64            `json:"in_kind_pence"`
	InKindPledgedPence int64            `json:"in_kind_pledged_pence"`
	MinPence           int64            `json:"min_pence"`
	MaxPence           int64            `json:"max_pence"`
	Sponsors           int              `json:"sponsors"`
	Items              []apiFundingItem `json:"items"`
	Demo               bool             `json:"demo"`
	URL                string           `json:"url"`
	NamedSponsors      []apiSponsor     `json:"named_sponsors,omitempty"`
}

// apiFundingItem is one thing an event's money pays for.
type apiFundingItem struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Label     string `json:"label"`
	GoalPence int64  `json:"goal_pence"`
}

// apiSponsor is a sponsor who agreed to be named: display name and
// message only.
type apiSponsor struct {
	DisplayName string `json:"display_name"`
	Message     string `json:"message,omitempty"`
}

// apiEventList is one page of public events.
type apiEventList struct {
	Events  []apiEvent `json:"events"`
	Total   int        `json:"total"`
	Page    int        `json:"page"`
	PerPage int        `json:"per_page"`
}

// newAPIEvent describes e for the API as it stands at now.
func (s *Server) newAPIEvent(e *app.CivicEvent, now time.Time) apiEvent {
	out := apiEvent{
		ID: e.ID, OrgID: e.OrgID, OrgName: e.OrgName, Title: e.Title,
		Description: e.Description, Start: e.Start, End: e.End, Venue: e.Venue,
		Postcode: e.Postcode, Status: e.Status,
		Taking:    e.TakesSponsors(now) && !e.Demo,
		GoalPence: e.GoalPence, RaisedPence: e.Totals.GivenPence(),
		PledgedPence: e.Totals.PledgedPence, InKindPence: e.Totals.InKindPence,
		InKindPledgedPence: e.Totals.InKindPledgedPence, MinPence: e.MinPence,
		MaxPence: e.MaxPence, Sponsors: e.Totals.Sponsors,
		Items: make([]apiFundingItem, 0, len(e.Items)), Demo: e.Demo,
		URL: s.cfg.BaseURL + app.EventPath(e.ID),
	}
	for _, it := range e.Items {
		out.Items = append(out.Items, apiFundingItem{ID: it.ID, Kind: it.Kind,
			Label: it.Label, GoalPence: it.GoalPence})
	}
	return out
}

// apiListEvents answers GET /api/v1/events?page=&per_page=: the public
// civic events, a page at a time. A page or per_page that is not a whole
// number of 1 or more is 400, naming the field; per_page is at most
// app.MaxPerPage.
func (s *Server) apiListEvents(c *fiber.Ctx) error {
	page, perPage, err := apiPageParams(c)
	if err != nil {
		return s.apiError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	events, total, err := s.svc.ListPublicEvents(ctx, page, perPage)
	if err != nil {
		return s.apiError(c, err)
	}

	now := s.marketNow()
	out := apiEventList{Events: make([]apiEvent, 0, len(events)), Total: total, Page: page,
		PerPage: perPage}
	for _, e := range events {
		out.Events = append(out.Events, s.newAPIEvent(e, now))
	}
	return c.JSON(out)
}

// apiPageParams reads ?page and ?per_page of a list in the API: whole
// numbers of 1 or more, page 1 and app.DefaultPerPage when not given,
// per_page at most app.MaxPerPage. A bad value is EInvalid naming its
// field.
func apiPageParams(c *fiber.Ctx) (page, perPage int, err error) {
	var probs app.Problems
	page = positiveParam(&probs, "page", c.Query("page"), "Page must be a whole number, like 2.")
	perPage = positiveParam(&probs, "per_page", c.Query("per_page"),
		"Results per page must be a whole number, like 20.")
	if err := probs.Err(); err != nil {
		return 0, 0, err
	}
	if perPage == 0 {
		perPage = app.DefaultPerPage
	}
	return max(page, 1), min(perPage, app.MaxPerPage), nil
}

// apiGetEvent answers GET /api/v1/events/:id with the event and its named
// sponsors.
func (s *Server) apiGetEvent(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Event"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	e, err := s.svc.GetEvent(ctx, actor(c), id)
	if err != nil {
		return s.apiError(c, err)
	}
	sponsors, err := s.svc.PublicSponsors(ctx, e.ID)
	if err != nil {
		return s.apiError(c, err)
	}

	out := s.newAPIEvent(e, s.marketNow())
	out.NamedSponsors = make([]apiSponsor, 0, len(sponsors))
	for _, v := range newSponsorViews(sponsors) {
		out.NamedSponsors = append(out.NamedSponsors, apiSponsor{DisplayName: v.DisplayName,
			Message: v.Message})
	}
	return c.JSON(out)
}
