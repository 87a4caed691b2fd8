package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// serveCalendar answers GET /calendar/:org/:secret.ics: an organisation's
// bookings as an iCalendar feed that Outlook and Google Calendar can
// subscribe to. The secret in the address is the only credential; a wrong
// one answers 404, as an unknown organisation does.
func (s *Server) serveCalendar(c *fiber.Ctx) error {
	orgID := c.Params("org")
	secret, ok := strings.CutSuffix(c.Params("secret"), ".ics")
	if !ok || secret == "" || !app.ValidID(orgID) {
		return s.pageError(c, app.ErrNotFound("Calendar"))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	feed, err := s.svc.CalendarFeed(ctx, orgID, secret)
	if err != nil {
		return s.pageError(c, err)
	}

	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="encounters.ics"`)
	c.Set(fiber.HeaderCacheControl, "private, max-age=300")
	c.Set("X-Robots-Tag", "noindex")
	return c.Status(fiber.StatusOK).Send(feed)
}
