package web

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// showHome says what Encounters is and leads to the two ways in: finding
// opportunities and answering open requests. The counts are a courtesy:
// when they cannot be had the page shows without them.
func (s *Server) showHome(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	data := fiber.Map{"Title": ""}

	if found, err := s.svc.FindOffers(ctx, app.FindInput{Page: 1, PerPage: 1}); err == nil {
		data["OfferCount"] = found.Total
	} else {
		s.log.Warn("home page offer count failed", slog.String("request_id", requestID(c)),
			slog.String("error", err.Error()))
	}
	if _, total, err := s.svc.ListOpenRequests(ctx, 1, 1); err == nil {
		data["RequestCount"] = total
	} else {
		s.log.Warn("home page request count failed", slog.String("request_id", requestID(c)),
			slog.String("error", err.Error()))
	}
	return s.render(c, fiber.StatusOK, "home", data)
}
