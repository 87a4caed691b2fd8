package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// statusAction is one button that moves an offer to another status.
type statusAction struct {
	Status string
	Label  string
	Class  string
}

// showOfferPage answers GET /offers/:id. Anyone sees a public offer; its
// own organisation (and the coordinator) always, with every session.
// The employer also gets the status buttons and the open requests the
// offer could serve.
func (s *Server) showOfferPage(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Offer"))
	}
	a := actor(c)

	ctx, cancel := s.ctx(c)
	defer cancel()
	o, err := s.svc.GetOffer(ctx, a, id)
	if err != nil {
		return s.pageError(c, err)
	}

	own := a != nil && a.OrgID == o.OrgID
	sessions := o.Upcoming(s.marketNow())
	if own {
		sessions = o.Sessions
	}
	data := fiber.Map{"Title": o.Title, "Offer": newOfferCard(o, sessions, nil), "Own": own}
	if own {
		data["Actions"] = statusActions(o.Status)
		ms, err := s.svc.MatchOffer(ctx, a, o.ID, pageMatchLimit)
		s.pageMatches(c, data, ms, err, requestMatchCards)
	}

	return s.render(c, fiber.StatusOK, "offers/show", data)
}

// statusActions are the moves an offer in status can make.
func statusActions(status string) []statusAction {
	publish := statusAction{app.OfferPublished, "Publish", ""}
	pause := statusAction{app.OfferPaused, "Pause", "govuk-button--secondary"}
	archive := statusAction{app.OfferArchived, "Archive", "govuk-button--warning"}
	switch status {
	case app.OfferDraft, app.OfferPaused:
		return []statusAction{publish, archive}
	case app.OfferPublished:
		return []statusAction{pause, archive}
	case app.OfferArchived:
		return []statusAction{{app.OfferDraft, "Move back to drafts", "govuk-button--secondary"}}
	}
	return nil
}

// offerStatusMessages are what the employer is told after each move.
var offerStatusMessages = map[string]string{
	app.OfferPublished: "Your offer is published.",
	app.OfferPaused:    "Your offer is paused: it takes no new bookings.",
	app.OfferArchived:  "Your offer is archived.",
	app.OfferDraft:     "Your offer is back in your drafts.",
}

// saveOfferStatus answers POST /offers/:id/status with status=published,
// paused, archived or draft.
func (s *Server) saveOfferStatus(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Offer"))
	}
	status := c.FormValue("status")

	ctx, cancel := s.ctx(c)
	defer cancel()
	o, err := s.svc.SetOfferStatus(ctx, actor(c), id, status)
	if err != nil {
		return s.pageError(c, err)
	}

	message := offerStatusMessages[o.Status]
	if o.Status == app.OfferPublished && !o.Public {
		message += " It will show in search once the county coordinator has verified your organisation."
	}

	return s.redirectWithFlash(c, "/offers/"+o.ID, message)
}
