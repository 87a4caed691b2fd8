package web

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// apiGetSession answers GET /api/v1/sessions/:id: the session's places
// and places left, its offer's status and whether it takes bookings now.
// Sessions of public offers are open to anyone, and so are those of a
// paused offer, with "taking_bookings": false; those of other offers to
// their own organisation only.
func (s *Server) apiGetSession(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Session"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	view, err := s.svc.GetSessionStatus(ctx, actor(c), id)
	if err != nil {
		return s.apiError(c, err)
	}
	return c.JSON(view)
}

// apiBookSession answers POST /api/v1/sessions/:id/bookings with a body
// such as {"places": 30, "year_groups": [9, 10], "group": "pupils"}: 201
// with the booking; 202 with the waiting-list entry when the session is
// full and the body asked {"waitlist": true}; 409 when too few places are
// left. A retry with the same Idempotency-Key header answers with the
// booking the first call made.
func (s *Server) apiBookSession(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.apiError(c, app.ErrNotFound("Session"))
	}
	var in app.BookingInput
	if err := decodeJSONBody(c, &in); err != nil {
		return s.apiBodyError(c, err)
	}
	key, err := idempotencyKey(c)
	if err != nil {
		return s.apiBodyError(c, err)
	}
	in.IdempotencyKey = key

	ctx, cancel := s.ctx(c)
	defer cancel()
	a := actor(c)
	b, entry, err := s.svc.Book(ctx, a, id, in)
	if err != nil {
		return s.apiError(c, err)
	}
	if entry != nil {
		return c.Status(fiber.StatusAccepted).JSON(entry)
	}
	c.Location("/api/v1/bookings/" + b.ID)
	return c.Status(fiber.StatusCreated).JSON(s.newAPIBooking(a, b))
}

// idempotencyKey reads the Idempotency-Key header: "" when absent.
func idempotencyKey(c *fiber.Ctx) (string, error) {
	key := strings.TrimSpace(c.Get("Idempotency-Key"))
	if len(key) > app.IdempotencyKeyMax || !utf8.ValidString(key) {
		return "", fieldProblem("Idempotency-Key", fmt.Sprintf(
			"The Idempotency-Key header must be at most %d characters.", app.IdempotencyKeyMax))
	}
	return key, nil
}
