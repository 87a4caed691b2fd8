package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// statusAction is one button that moves an offer to another status.
// Confirm marks a move that cannot be undone: its button leads to a page
// that asks first.
type statusAction struct {
	Status  string
	Label   string
	Class   string
	Confirm bool
}

// confirmArchive is the query of an offer's page that asks its employer to
// confirm archiving it: /offers/:id?confirm=archive.
const confirmArchive = "archive"

// takePartSignIn tells anonymous visitors on an offer's page to sign in
// to book; members of schools, colleges and providers get takePartBook.
const takePartSignIn = "sign_in"

// showOfferPage answers GET /offers/:id. Anyone sees a public offer; its
// own organisation (and the coordinator) always, with every session.
// The employer also gets the status buttons and the open requests the
// offer could serve; with ?confirm=archive, the page that confirms
// archiving it instead. Other visitors are told how to take part, and
// members who may book get a booking form under each upcoming session.
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
	if !own {
		return s.renderPublicOffer(c, fiber.StatusOK, o, nil)
	}
	if o.Status != app.OfferArchived && c.Query("confirm") == confirmArchive {
		return s.render(c, fiber.StatusOK, "offers/archive", fiber.Map{"Title": "Archive this offer?",
			"Offer": newOfferCard(o, o.Sessions, nil), "Own": true})
	}
	return s.renderOwnOffer(c, fiber.StatusOK, o, nil)
}

// renderOwnOffer shows an offer's page to its employer: every session, the
// status buttons and the open requests it could serve, with refused, when
// not nil, said at the top (a status change the offer's bookings forbid).
func (s *Server) renderOwnOffer(c *fiber.Ctx, status int, o *app.Offer, refused error) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	data := fiber.Map{"Title": o.Title, "Offer": newOfferCard(o, o.Sessions, nil), "Own": true,
		"Actions": statusActions(o.Status)}
	if refused != nil {
		data["ErrorList"] = []app.FieldError{{Message: app.ErrorMessage(refused)}}
	}
	if o.Status != app.OfferArchived {
		ms, err := s.svc.MatchOffer(ctx, actor(c), o.ID, pageMatchSessions)
		s.pageMatches(c, data, ms, err, requestMatchCards)
	}
	return s.render(c, status, "offers/show", data)
}

// takePartFor says which way to take part an offer's page shows a, who is
// not the offer's employer: "" when there is none for them.
func takePartFor(a *app.Actor) string {
	switch {
	case a == nil:
		return takePartSignIn
	case a.Kind.Learners():
		return takePartBook
	}
	return ""
}

// statusActions are the moves an offer in status can make. Archiving is
// for good, so an archived offer has none.
func statusActions(status string) []statusAction {
	publish := statusAction{Status: app.OfferPublished, Label: "Publish"}
	pause := statusAction{Status: app.OfferPaused, Label: "Pause", Class: "govuk-button--secondary"}
	archive := statusAction{Status: app.OfferArchived, Label: "Archive",
		Class: "govuk-button--warning", Confirm: true}
	switch status {
	case app.OfferDraft, app.OfferPaused:
		return []statusAction{publish, archive}
	case app.OfferPublished:
		return []statusAction{pause, archive}
	}
	return nil
}

// offerStatusMessages are what the employer is told after each move.
var offerStatusMessages = map[string]string{
	app.OfferPublished: "Your offer is published.",
	app.OfferPaused:    "Your offer is paused: it no longer shows in search. Publish it again when you are ready.",
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
	if app.ErrorCode(err) == app.EConflict {
		// Refused with a reason, such as bookings still to come: back on
		// the offer's page, which says why.
		if own, gerr := s.svc.GetOffer(ctx, actor(c), id); gerr == nil && own.OrgID == actor(c).OrgID {
			return s.renderOwnOffer(c, fiber.StatusConflict, own, err)
		}
	}
	if err != nil {
		return s.pageError(c, err)
	}

	message := offerStatusMessages[o.Status]
	if o.Status == app.OfferPublished && !o.Public {
		message += " It will show in search once the county coordinator has verified your organisation."
	}

	return s.redirectWithFlash(c, "/offers/"+o.ID, message)
}
