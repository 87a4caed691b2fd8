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

// showRequestPage answers GET /requests/:id: the public view of an open
// request for everyone, the whole request for its own organisation, and
// for signed-in visitors the offer sessions that best match it.
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
	data := fiber.Map{"Title": requestTitle(r), "Request": newRequestCard(r), "Own": own}
	if a != nil {
		ms, err := s.svc.MatchRequest(ctx, a, r.ID, pageMatchLimit)
		s.pageMatches(c, data, ms, err, offerMatchCards)
	}

	return s.render(c, fiber.StatusOK, "requests/show", data)
}

// closeRequest answers POST /requests/:id/close: the request stops taking
// matches and leaves the open list.
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
