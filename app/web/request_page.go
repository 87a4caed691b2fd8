package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// showOpenRequests answers GET /requests: every open request, newest
// first, as anyone may see it.
func (s *Server) showOpenRequests(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	page := pageParam(c)
	reqs, total, err := s.svc.ListOpenRequests(ctx, page, app.DefaultPerPage)
	if err != nil {
		return s.pageError(c, err)
	}

	return s.render(c, fiber.StatusOK, "requests/index", fiber.Map{
		"Title": "Open requests", "Requests": requestCards(reqs), "Total": total,
		"Pager": newPager(c, page, app.DefaultPerPage, total),
	})
}

// confirmClose is the query of a request's page that asks its own
// organisation to confirm closing it: /requests/:id?confirm=close.
const confirmClose = "close"

// showRequestPage answers GET /requests/:id: the public view of an open
// request for everyone, the whole request for its own organisation, and
// for signed-in visitors the offer sessions that best match an open one.
// With ?confirm=close its own organisation gets the page that confirms
// closing it instead.
func (s *Server) showRequestPage(c *fiber.Ctx) error {
	id, a := c.Params("id"), actor(c)
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Request"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.svc.GetRequest(ctx, a, id)
	if err != nil {
		return s.pageError(c, err)
	}

	own := a != nil && a.OrgID == r.OrgID
	open := r.Status == app.RequestOpen
	data := fiber.Map{"Title": requestTitle(r), "Request": newRequestCard(r), "Own": own}
	if own && open && c.Query("confirm") == confirmClose {
		data["Title"] = "Close this request?"
		return s.render(c, fiber.StatusOK, "requests/close", data)
	}
	if a != nil && open {
		ms, err := s.svc.MatchRequest(ctx, a, r.ID, pageMatchSessions)
		s.pageMatches(c, data, ms, err, offerMatchCards)
	}

	return s.render(c, fiber.StatusOK, "requests/show", data)
}

// closeRequest answers POST /requests/:id/close, the button of the page
// that confirms it: the request stops taking matches and leaves the open
// list, for good.
func (s *Server) closeRequest(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := s.ownRequest(ctx, c)
	if err != nil {
		return s.pageError(c, err)
	}
	if _, err := s.svc.CloseRequest(ctx, actor(c), r.ID); err != nil {
		return s.pageError(c, err)
	}

	return s.redirectWithFlash(c, "/requests/"+r.ID, "Your request is closed.")
}

// ownOpenRequest loads the request named in the path, as ownRequest does,
// and refuses a closed one with EConflict: a closed request cannot be
// changed.
func (s *Server) ownOpenRequest(ctx context.Context, c *fiber.Ctx) (*app.Request, error) {
	r, err := s.ownRequest(ctx, c)
	if err == nil && r.Status != app.RequestOpen {
		return nil, app.Errorf(app.EConflict, "This request is closed, so it cannot be changed.")
	}
	return r, err
}

// ownRequest loads the request named in the path for a change by its own
// organisation; any other caller gets ENotFound.
func (s *Server) ownRequest(ctx context.Context, c *fiber.Ctx) (*app.Request, error) {
	id, a := c.Params("id"), actor(c)
	if !app.ValidID(id) || a == nil {
		return nil, app.ErrNotFound("Request")
	}
	r, err := s.svc.GetRequest(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if r.OrgID != a.OrgID {
		return nil, app.ErrNotFound("Request")
	}

	return r, nil
}

func requestCards(reqs []*app.Request) []requestCard {
	out := make([]requestCard, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, newRequestCard(r))
	}

	return out
}
