package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// showMyOffers answers GET /account/offers: the organisation's offers,
// newest first, a page at a time. Only employers are offered the way to
// list one.
func (s *Server) showMyOffers(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	page := pageParam(c)
	offers, total, err := s.svc.ListMyOffers(ctx, actor(c), page)
	if err != nil {
		return s.pageError(c, err)
	}

	cards := make([]offerCard, 0, len(offers))
	for _, o := range offers {
		cards = append(cards, newOfferCard(o, o.Upcoming(s.marketNow()), nil))
	}

	return s.render(c, fiber.StatusOK, "offers/mine", fiber.Map{
		"Title": "Your offers", "Offers": cards, "Total": total,
		"CanOffer": canOffer(actor(c)) == nil, "CanRequest": canRequest(actor(c)) == nil,
		"Pager": newPager(c, page, app.DefaultPerPage, total),
	})
}

// showNewOffer answers GET /offers/new with an empty offer form.
func (s *Server) showNewOffer(c *fiber.Ctx) error {
	if err := canOffer(actor(c)); err != nil {
		return s.pageError(c, err)
	}

	return s.render(c, fiber.StatusOK, "offers/form", newOfferData(offerForm{}))
}

// createOffer answers POST /offers/new: the offer is saved as a draft and
// the employer sent to its page, or the form comes back with its problems.
func (s *Server) createOffer(c *fiber.Ctx) error {
	if err := canOffer(actor(c)); err != nil {
		return s.pageError(c, err)
	}
	form := readOfferForm(c)
	data := newOfferData(form)
	in, err := form.input()
	if err != nil {
		return s.formFailed(c, "offers/form", data, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	o, err := s.svc.CreateOffer(ctx, actor(c), in)
	if err != nil {
		return s.formFailed(c, "offers/form", data, err)
	}

	return s.redirectWithFlash(c, "/offers/"+o.ID,
		"Your offer is saved as a draft. Publish it when it is ready.")
}

// showEditOffer answers GET /offers/:id/edit for the offer's own
// organisation; anyone else gets 404, and an archived offer 409.
func (s *Server) showEditOffer(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	o, err := s.ownLiveOffer(ctx, c)
	if err != nil {
		return s.pageError(c, err)
	}

	return s.render(c, fiber.StatusOK, "offers/form", editOfferData(o.ID, offerFormOf(o)))
}

// updateOffer answers POST /offers/:id/edit. Sessions keep their ids, so
// bookings stay attached to them.
func (s *Server) updateOffer(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	o, err := s.ownLiveOffer(ctx, c)
	if err != nil {
		return s.pageError(c, err)
	}
	form := readOfferForm(c)
	data := editOfferData(o.ID, form)
	in, err := form.input()
	if err != nil {
		return s.formFailed(c, "offers/form", data, err)
	}

	if _, err := s.svc.UpdateOffer(ctx, actor(c), o.ID, in); err != nil {
		return s.formFailed(c, "offers/form", data, err)
	}

	return s.redirectWithFlash(c, "/offers/"+o.ID, "Your changes are saved.")
}

// newOfferData is the page data of the form for a new offer.
func newOfferData(f offerForm) fiber.Map {
	return fiber.Map{"Title": "List an offer", "Action": "/offers/new",
		"Submit": "Save as draft", "Form": f.withSpareRows(), "Audiences": app.Audiences,
		"Errors": map[string]string{}}
}

// editOfferData is the page data of the form for changing offer id.
func editOfferData(id string, f offerForm) fiber.Map {
	return fiber.Map{"Title": "Change your offer", "Action": "/offers/" + id + "/edit",
		"Submit": "Save changes", "Form": f.withSpareRows(), "OfferURL": "/offers/" + id,
		"Audiences": app.Audiences,
		"Errors":    map[string]string{}}
}

// canOffer checks that a may list offers: members of employers only.
func canOffer(a *app.Actor) error {
	if a == nil {
		return app.Errorf(app.EUnauthorized, "Sign in to list an offer.")
	}
	if a.Kind != app.KindEmployer {
		return app.Errorf(app.EForbidden, "Only employers can list offers.")
	}
	return nil
}

// ownLiveOffer loads the offer named in the path, as ownOffer does, and
// refuses an archived one with EConflict: archiving is for good.
func (s *Server) ownLiveOffer(ctx context.Context, c *fiber.Ctx) (*app.Offer, error) {
	o, err := s.ownOffer(ctx, c)
	if err == nil && o.Status == app.OfferArchived {
		return nil, app.Errorf(app.EConflict, "This offer is archived, so it cannot be changed.")
	}
	return o, err
}

// ownOffer loads the offer named in the path for a change by its own
// organisation. Any other caller, the coordinator included, gets
// ENotFound, as for an offer that does not exist.
func (s *Server) ownOffer(ctx context.Context, c *fiber.Ctx) (*app.Offer, error) {
	id, a := c.Params("id"), actor(c)
	if !app.ValidID(id) || a == nil {
		return nil, app.ErrNotFound("Offer")
	}
	o, err := s.svc.GetOffer(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if o.OrgID != a.OrgID {
		return nil, app.ErrNotFound("Offer")
	}

	return o, nil
}
