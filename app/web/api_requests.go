package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// apiRequest is a request in the JSON API. Others than its organisation
// see the public view: the postcode is only its outcode and notes are
// left out. From and To are dates, "2006-01-02".
type apiRequest struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"organisation_id"`
	OrgName   string    `json:"organisation_name"`
	Type      string    `json:"type"`
	Sector    string    `json:"sector,omitempty"`
	Topic     string    `json:"topic,omitempty"`
	Audience  []string  `json:"audience"`
	KeyStages []string  `json:"key_stages"`
	GroupSize int       `json:"group_size"`
	From      string    `json:"from,omitempty"`
	To        string    `json:"to,omitempty"`
	Postcode  string    `json:"postcode"`
	TravelKm  int       `json:"travel_km"`
	VirtualOK bool      `json:"virtual_ok"`
	Access    []string  `json:"access"`
	Notes     string    `json:"notes,omitempty"`
	Status    string    `json:"status"`
	Demo      bool      `json:"demo"`
	CreatedAt time.Time `json:"created_at"`
}

// apiRequestList is one page of requests.
type apiRequestList struct {
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"per_page"`
	Results []apiRequest `json:"results"`
}

func newAPIRequest(r *app.Request) apiRequest {
	return apiRequest{
		ID: r.ID, OrgID: r.OrgID, OrgName: r.OrgName, Type: r.Type, Sector: r.Sector,
		Topic: r.Topic, Audience: nonNil(r.Audience), KeyStages: nonNil(app.KeyStagesOf(r.Audience)),
		GroupSize: r.GroupSize, From: isoDay(r.From), To: isoDay(r.To), Postcode: r.Postcode,
		TravelKm: r.TravelKm, VirtualOK: r.VirtualOK, Access: nonNil(r.Access), Notes: r.Notes,
		Status: r.Status, Demo: r.Demo, CreatedAt: r.CreatedAt,
	}
}

// isoDay is the London date of t, "" for the zero time.
func isoDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.London).Format("2006-01-02")
}

// apiOpenRequests answers GET /api/v1/requests?page=&per_page=: the open
// requests, newest first, as anyone may see them.
func (s *Server) apiOpenRequests(c *fiber.Ctx) error {
	page, perPage, err := apiPageParams(c)
	if err != nil {
		return s.apiError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	reqs, total, err := s.svc.ListOpenRequests(ctx, page, perPage)
	if err != nil {
		return s.apiError(c, err)
	}
	out := apiRequestList{Total: total, Page: page, PerPage: perPage,
		Results: make([]apiRequest, 0, len(reqs))}
	for _, r := range reqs {
		out.Results = append(out.Results, newAPIRequest(r))
	}

	return c.JSON(out)
}

// apiGetRequest answers GET /api/v1/requests/:id.
func (s *Server) apiGetRequest(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Request"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.svc.GetRequest(ctx, actor(c), id)
	if err != nil {
		return s.apiError(c, err)
	}

	return c.JSON(newAPIRequest(r))
}

// apiCreateRequest answers POST /api/v1/requests: 201 with the new, open
// request.
func (s *Server) apiCreateRequest(c *fiber.Ctx) error {
	var in app.RequestInput
	if err := decodeJSONBody(c, &in); err != nil {
		return s.apiBodyError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.svc.CreateRequest(ctx, actor(c), in)
	if err != nil {
		return s.apiError(c, err)
	}
	c.Location("/api/v1/requests/" + r.ID)
	return c.Status(fiber.StatusCreated).JSON(newAPIRequest(r))
}

// apiUpdateRequest answers PUT /api/v1/requests/:id: the body replaces the
// request.
func (s *Server) apiUpdateRequest(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Request"))
	}
	var in app.RequestInput
	if err := decodeJSONBody(c, &in); err != nil {
		return s.apiBodyError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.svc.UpdateRequest(ctx, actor(c), id, in)
	if err != nil {
		return s.apiError(c, err)
	}

	return c.JSON(newAPIRequest(r))
}

// apiCloseRequest answers POST /api/v1/requests/:id/close.
func (s *Server) apiCloseRequest(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Request"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.svc.CloseRequest(ctx, actor(c), id)
	if err != nil {
		return s.apiError(c, err)
	}

	return c.JSON(newAPIRequest(r))
}
