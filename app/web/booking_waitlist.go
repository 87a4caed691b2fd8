package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// takeHold answers POST /waitlist/:id/take: the places held for the
// caller's organisation become a booking.
func (s *Server) takeHold(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Waiting list place"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	b, err := s.svc.TakeHold(ctx, actor(c), id)
	if err != nil {
		return s.pageError(c, err)
	}
	return s.redirectWithFlash(c, "/bookings/"+b.ID, bookedMessage(b))
}

// leaveWaitlist answers POST /waitlist/:id/leave: the caller's
// organisation leaves the waiting list, giving up any places held.
func (s *Server) leaveWaitlist(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Waiting list place"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.svc.LeaveWaitlist(ctx, actor(c), id); err != nil {
		return s.pageError(c, err)
	}
	return s.redirectWithFlash(c, "/bookings", "You have left the waiting list.")
}
