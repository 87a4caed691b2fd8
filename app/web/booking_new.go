package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// bookSession answers POST /sessions/:id/book, the "Book places" form of
// an offer's page. A booking goes to its page; a place on the waiting
// list to the bookings page. Bad input or too few places shows the
// offer's page again with the problem at the form.
func (s *Server) bookSession(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Session"))
	}
	a, form := actor(c), readBookingForm(c)

	ctx, cancel := s.ctx(c)
	defer cancel()
	in, err := form.input()
	var b *app.Booking
	var entry *app.WaitlistEntry
	if err == nil {
		b, entry, err = s.svc.Book(ctx, a, id, in)
	}

	code := app.ErrorCode(err)
	if code == app.EInvalid || code == app.EConflict {
		return s.bookingRefused(c, id, form, err)
	}
	if err != nil {
		return s.pageError(c, err)
	}
	if entry != nil {
		return s.redirectWithFlash(c, "/bookings#waitlist", waitlistJoinedMessage(entry))
	}
	return s.redirectWithFlash(c, "/bookings/"+b.ID, bookedMessage(b))
}

// bookingRefused shows the offer's page again with the refused form.
func (s *Server) bookingRefused(c *fiber.Ctx, sessionID string, form bookingFormInput, err error) error {
	s.logError(c, err)
	ctx, cancel := s.ctx(c)
	defer cancel()

	_, o, gerr := s.svc.GetSession(ctx, actor(c), sessionID)
	if gerr != nil {
		return s.pageError(c, gerr)
	}
	failed := &bookingFailure{SessionID: sessionID, Form: form, Err: err}
	return s.renderPublicOffer(c, statusFor(app.ErrorCode(err), c.Method()), o, failed)
}

// bookedMessage is what a booker is told once their request is sent.
func bookedMessage(b *app.Booking) string {
	if b.State == app.BookingConfirmed {
		return "Your booking is confirmed."
	}
	return "Your booking request has been sent to " + b.EmployerName +
		". We will email you when they answer."
}

// waitlistJoinedMessage is what a booker is told on joining a waiting list.
func waitlistJoinedMessage(w *app.WaitlistEntry) string {
	return "You are on the waiting list for " + w.OfferTitle +
		". If places free up, we will email you and hold them for you for a limited time."
}
