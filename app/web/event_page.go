package web

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// sponsorFields are the inputs of the sponsor form, in the order it shows
// them.
var sponsorFields = []string{"amount", "item_id", "name", "email", "display_name", "named", "message"}

// showEvents answers GET /events: the civic events, newest first, a page
// at a time; those that take no more sponsorships are marked.
func (s *Server) showEvents(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	page := pageParam(c)
	events, total, err := s.svc.ListPublicEvents(ctx, page, app.DefaultPerPage)
	if err != nil {
		return s.pageError(c, err)
	}

	now := s.marketNow()
	cards := make([]eventCard, 0, len(events))
	for _, e := range events {
		cards = append(cards, newEventCard(e, now))
	}
	return s.render(c, fiber.StatusOK, "events/index", fiber.Map{
		"Title": "Civic events", "Events": cards, "Total": total,
		"Pager": newPager(c, page, app.DefaultPerPage, total), "CanCreate": canCreateEvent(actor(c)),
	})
}

// showEventPage answers GET /events/:id: the event, its progress, its
// named sponsors and the sponsor form.
func (s *Server) showEventPage(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	data, err := s.eventPageData(ctx, c)
	if err != nil {
		return s.pageError(c, err)
	}
	// Being named is opt-in: the box starts unticked.
	data["Form"] = map[string]string{}
	allowCheckoutRedirect(c)
	return s.render(c, fiber.StatusOK, "events/show", data)
}

// checkoutOrigin is where Stripe Checkout's payment pages live.
const checkoutOrigin = "https://checkout.stripe.com"

// allowCheckoutRedirect widens the page's Content-Security-Policy so that
// its sponsor form may end at Stripe Checkout: browsers apply form-action
// to the redirect that follows a form, not just to the form's address.
func allowCheckoutRedirect(c *fiber.Ctx) {
	c.Set(fiber.HeaderContentSecurityPolicy, strings.Replace(contentSecurityPolicy,
		"form-action 'self'", "form-action 'self' "+checkoutOrigin, 1))
}

// eventPageData loads the event named in the path and what its page shows
// besides the form.
func (s *Server) eventPageData(ctx context.Context, c *fiber.Ctx) (fiber.Map, error) {
	id, a := c.Params("id"), actor(c)
	if !app.ValidID(id) {
		return nil, app.ErrNotFound("Event")
	}
	e, err := s.svc.GetEvent(ctx, a, id)
	if err != nil {
		return nil, err
	}

	sponsors, err := s.svc.PublicSponsors(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	card, err := s.eventCardWithItems(ctx, e)
	if err != nil {
		return nil, err
	}
	return fiber.Map{
		"Title": e.Title, "Event": card, "Sponsors": newSponsorViews(sponsors),
		"CardPayments": s.svc.CardPayments(), "Manage": canManageEvent(a, e),
		"IsCoordinator": a.IsCoordinator(), "DemoCardMessage": app.DemoCardMessage,
	}, nil
}

// eventCardWithItems describes e with what each of its items has had.
// Only sums per item are shown, never who gave them, so the sponsorships
// are read straight from the store.
func (s *Server) eventCardWithItems(ctx context.Context, e *app.CivicEvent) (eventCard, error) {
	card := newEventCard(e, s.marketNow())
	if len(e.Items) == 0 {
		return card, nil
	}
	list, err := s.svc.Store.ListSponsorships(ctx, e.ID)
	if err != nil {
		return card, fmt.Errorf("list sponsorships: %w", err)
	}
	return card.withItemFunding(e, list), nil
}

// sponsorEvent answers POST /events/:id/sponsor: a card sponsorship is
// recorded as pending and the sponsor sent to the payment page. Bad input
// shows the event page again with the problems at their fields; when the
// payment provider cannot be reached, the page comes back with the form
// as typed and a 503.
func (s *Server) sponsorEvent(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	data, err := s.eventPageData(ctx, c)
	if err != nil {
		return s.pageError(c, err)
	}
	card := data["Event"].(eventCard)
	data["Form"] = formValues(c, sponsorFields...)

	in := app.SponsorInput{
		EventID: card.ID, ItemID: c.FormValue("item_id"), Amount: c.FormValue("amount"),
		Name: c.FormValue("name"), Email: c.FormValue("email"),
		DisplayName: c.FormValue("display_name"), Named: c.FormValue("named") != "",
		Message: c.FormValue("message"),
	}
	_, checkout, err := s.svc.StartSponsorship(ctx, in)
	if err != nil {
		allowCheckoutRedirect(c)
		if errors.Is(err, app.ErrCardsUnavailable) {
			return s.cardsUnavailable(c, data, err)
		}
		return s.formFailed(c, "events/show", data, err)
	}
	return c.Redirect(checkout, fiber.StatusSeeOther)
}

// cardsUnavailable shows the event page again, with the sponsor's form
// as typed and the service's message at the top, when card payment failed
// on the provider's side: 503, and a hint to try again in a minute.
func (s *Server) cardsUnavailable(c *fiber.Ctx, data fiber.Map, err error) error {
	s.logError(c, err)
	data["ErrorList"] = []app.FieldError{{Message: app.CardsUnavailableMessage}}
	c.Set(fiber.HeaderRetryAfter, "60")
	return s.render(c, fiber.StatusServiceUnavailable, "events/show", data)
}

// showSponsorThanks answers GET /events/:id/thanks, where the payment page
// sends a sponsor who paid. Nothing is marked paid here: only the payment
// provider's signed notice does that.
func (s *Server) showSponsorThanks(c *fiber.Ctx) error {
	return s.showEventNote(c, "events/thanks", "Thank you for your sponsorship")
}

// showSponsorCancelled answers GET /events/:id/cancelled, where the
// payment page sends a sponsor who turned back.
func (s *Server) showSponsorCancelled(c *fiber.Ctx) error {
	return s.showEventNote(c, "events/cancelled", "Your payment was not taken")
}

// showEventNote shows a short page about the event named in the path.
func (s *Server) showEventNote(c *fiber.Ctx, page, title string) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Event"))
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	e, err := s.svc.GetEvent(ctx, actor(c), id)
	if err != nil {
		return s.pageError(c, err)
	}
	return s.render(c, fiber.StatusOK, page, fiber.Map{"Title": title,
		"Event": newEventCard(e, s.marketNow()), "CardPayments": s.svc.CardPayments()})
}

// canManageEvent reports whether a may change e: its organiser's members
// and the coordinator.
func canManageEvent(a *app.Actor, e *app.CivicEvent) bool {
	return a != nil && (a.OrgID == e.OrgID || a.IsCoordinator())
}

// canCreateEvent reports whether a may organise civic events: the
// coordinator, schools and colleges.
func canCreateEvent(a *app.Actor) bool {
	return a != nil && (a.IsCoordinator() || a.Kind == app.KindSchool || a.Kind == app.KindCollege)
}
