package web

import "github.com/gofiber/fiber/v2"

// registerEventRoutes registers civic events, sponsorship checkout, the
// Stripe webhook and the coordinator's money pages.
func (s *Server) registerEventRoutes(r fiber.Router) {}

// registerEventAPI registers civic events under /api/v1.
func (s *Server) registerEventAPI(api fiber.Router) {}
