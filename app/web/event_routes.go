package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/encounters/encounters/app"
)

// checkoutsPerMinute is how many card checkouts one address may start in a
// minute; refused forms do not count.
const checkoutsPerMinute = 10

// registerEventRoutes registers civic events, sponsorship checkout, the
// Stripe webhook and the coordinator's money pages.
func (s *Server) registerEventRoutes(r fiber.Router) {
	r.Post(stripeWebhookPath, s.receiveStripeWebhook)

	r.Get("/events", s.showEvents)
	r.Get("/events/new", s.requireSignedIn, s.showNewEvent)
	r.Post("/events/new", s.requireSignedIn, s.createEvent)
	r.Get("/events/:id", s.showEventPage)
	r.Post("/events/:id/sponsor", s.checkoutLimiter(), s.sponsorEvent)
	r.Get("/events/:id/thanks", s.showSponsorThanks)
	r.Get("/events/:id/cancelled", s.showSponsorCancelled)
	r.Get("/events/:id/edit", s.requireSignedIn, s.showEditEvent)
	r.Post("/events/:id/edit", s.requireSignedIn, s.updateEvent)
	r.Post("/events/:id/status", s.requireSignedIn, s.saveEventStatus)
	r.Get("/account/events", s.requireSignedIn, s.showMyEvents)

	coord := s.requireCoordinator
	r.Get("/coordinator/money", coord, s.showMoney)
	r.Get("/coordinator/money/export.csv", coord, s.exportMoneyCSV)
	r.Get("/coordinator/events/:id/sponsorships", coord, s.showEventSponsorships)
	r.Post("/coordinator/events/:id/pledges", coord, s.recordPledge)
	r.Post("/coordinator/events/:id/sponsorships/:sid/refund", coord, s.refundSponsorship)
	r.Post("/coordinator/events/:id/sponsorships/:sid/pledge", coord, s.savePledgeState)
}

// registerEventAPI registers civic events under /api/v1.
func (s *Server) registerEventAPI(api fiber.Router) {
	api.Get("/events", s.apiListEvents)
	api.Get("/events/:id", s.apiGetEvent)
}

// checkoutLimiter counts the card checkouts each client address starts,
// so that a script cannot open payment after payment.
func (s *Server) checkoutLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:                checkoutsPerMinute,
		Expiration:         time.Minute,
		Storage:            s.cfg.Limits,
		SkipFailedRequests: true,
		KeyGenerator: func(c *fiber.Ctx) string {
			return "checkout|" + c.IP()
		},
		LimitReached: func(c *fiber.Ctx) error {
			return s.pageError(c, app.Errorf(app.ETooMany,
				"Too many payments have been started from here. Wait a minute, then try again."))
		},
	})
}
