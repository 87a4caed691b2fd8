package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/encounters/encounters/app"
)

// bookingPostsPerMinute is how many booking writes (new bookings, moves,
// checklist entries, feedback, waitlist holds) one person may send in a
// minute.
const bookingPostsPerMinute = 30

// registerBookingRoutes registers the booking pages, the waitlist, mail
// preferences, one-click unsubscribe and the private calendar feed.
func (s *Server) registerBookingRoutes(r fiber.Router) {
	limit := s.bookingLimiter()

	r.Post("/sessions/:id/book", s.requireSignedIn, limit, s.bookSession)
	r.Get("/bookings", s.requireSignedIn, s.showBookings)
	r.Get("/bookings/:id", s.requireSignedIn, s.showBookingPage)
	r.Post("/bookings/:id/move", s.requireSignedIn, limit, s.moveBooking)
	r.Post("/bookings/:id/checklist", s.requireSignedIn, limit, s.saveChecklist)
	r.Post("/bookings/:id/feedback", s.requireSignedIn, limit, s.giveFeedback)
	r.Post("/waitlist/:id/take", s.requireSignedIn, limit, s.takeHold)
	r.Post("/waitlist/:id/leave", s.requireSignedIn, limit, s.leaveWaitlist)

	r.Get("/account/mail", s.requireSignedIn, s.showMailPrefs)
	r.Post("/account/mail", s.requireSignedIn, s.saveMailPrefs)
	r.Post("/account/mail/calendar", s.requireSignedIn, s.resetCalendarLink)
	r.Get("/calendar/:org/:secret", s.serveCalendar)
	r.Get("/unsubscribe/:user/:secret/:category", s.showUnsubscribe)
	r.Post("/unsubscribe/:user/:secret/:category", s.unsubscribe)

	r.Get("/coordinator/outbox", s.requireCoordinator, s.showOutbox)
}

// registerBookingAPI registers sessions and bookings under /api/v1.
func (s *Server) registerBookingAPI(api fiber.Router) {
	limit := s.bookingLimiter()

	api.Get("/sessions/:id", s.apiGetSession)
	api.Post("/sessions/:id/bookings", s.requireSignedIn, limit, s.apiBookSession)
	api.Get("/bookings", s.requireSignedIn, s.apiListBookings)
	api.Get("/bookings/:id", s.requireSignedIn, s.apiGetBooking)
	for _, move := range apiMoves {
		api.Post("/bookings/:id/"+move, s.requireSignedIn, limit, s.apiMoveBooking(move))
	}
	api.Post("/bookings/:id/checklist", s.requireSignedIn, limit, s.apiSaveChecklist)
	api.Post("/bookings/:id/feedback", s.requireSignedIn, limit, s.apiGiveFeedback)
	api.Get("/waitlist", s.requireSignedIn, s.apiListWaitlist)
	api.Post("/waitlist/:id/take", s.requireSignedIn, limit, s.apiTakeHold)
	api.Post("/waitlist/:id/leave", s.requireSignedIn, limit, s.apiLeaveWaitlist)
}

// bookingLimiter counts booking writes per person, so that a runaway
// script cannot flood a session or an employer's inbox. It runs after
// requireSignedIn, so there is always a caller.
func (s *Server) bookingLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        bookingPostsPerMinute,
		Expiration: time.Minute,
		Storage:    s.cfg.Limits,
		KeyGenerator: func(c *fiber.Ctx) string {
			key := "booking|" + c.IP()
			if a := actor(c); a != nil {
				key = "booking|" + a.UserID
			}
			return key
		},
		LimitReached: func(c *fiber.Ctx) error {
			return s.fail(c, app.Errorf(app.ETooMany,
				"You have sent too many booking changes in a minute. Wait a minute, then try again."))
		},
	})
}
